//! Go: the driver's `db.Collection("name")`, in files that mention MongoDB
//! (Firestore's Go client spells `Collection` the same way).

use tree_sitter::Node;

use super::syntax::{Cx, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "function_declaration" | "method_declaration" | "method_elem" | "method_spec" => {
            cx.definition(node.child_by_field_name("name"));
        }
        "call_expression" => call(cx, node),
        _ => {}
    }
}

fn call(cx: &mut Cx, node: Node) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    let name = match function.kind() {
        "selector_expression" => function.child_by_field_name("field"),
        "identifier" => Some(function),
        _ => None,
    };
    let Some(name) = name.map(|n| cx.text(n)) else {
        return;
    };
    cx.call_of(name, node);
    if name == "Collection"
        && function.kind() == "selector_expression"
        && cx.mentions.mongo
        && let Some(arg) = node
            .child_by_field_name("arguments")
            .and_then(|a| nth_argument(a, 0))
    {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}
