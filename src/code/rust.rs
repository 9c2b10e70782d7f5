//! Rust: the driver's `db.collection::<T>("name")` and `db.collection("name")`,
//! in files that mention MongoDB.

use tree_sitter::Node;

use super::syntax::{Cx, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "function_item" | "function_signature_item" => {
            cx.definition(node.child_by_field_name("name"));
        }
        "call_expression" => call(cx, node),
        _ => {}
    }
}

fn call(cx: &mut Cx, node: Node) {
    let Some(mut function) = node.child_by_field_name("function") else {
        return;
    };
    // `collection::<T>` wraps the callee in a generic function.
    if function.kind() == "generic_function"
        && let Some(inner) = function.child_by_field_name("function")
    {
        function = inner;
    }
    let name = match function.kind() {
        "field_expression" => function.child_by_field_name("field"),
        "identifier" => Some(function),
        "scoped_identifier" => function.child_by_field_name("name"),
        _ => None,
    };
    let Some(name) = name.map(|n| cx.text(n)) else {
        return;
    };
    cx.call_of(name, node);
    if name == "collection"
        && function.kind() == "field_expression"
        && cx.mentions.mongo
        && let Some(arg) = node
            .child_by_field_name("arguments")
            .and_then(|a| nth_argument(a, 0))
    {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}
