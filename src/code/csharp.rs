//! C#: the driver's `database.GetCollection<T>("name")`, in files that mention MongoDB.

use tree_sitter::Node;

use super::syntax::{Cx, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "method_declaration" | "local_function_statement" | "property_declaration" => {
            cx.definition(node.child_by_field_name("name"));
        }
        "invocation_expression" => invocation(cx, node),
        _ => {}
    }
}

fn invocation(cx: &mut Cx, node: Node) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    let name = match function.kind() {
        "member_access_expression" => function.child_by_field_name("name"),
        _ => Some(function),
    };
    // `GetCollection<T>` is a generic name: its first child is the identifier.
    let name = name.map(|n| match n.kind() {
        "generic_name" => n.named_child(0).unwrap_or(n),
        _ => n,
    });
    let Some(name) = name
        .filter(|n| n.kind() == "identifier")
        .map(|n| cx.text(n))
    else {
        return;
    };
    cx.call_of(name, node);
    if name == "GetCollection"
        && cx.mentions.mongo
        && let Some(arg) = node
            .child_by_field_name("arguments")
            .and_then(|a| nth_argument(a, 0))
            .and_then(|a| a.named_child(0))
    {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}
