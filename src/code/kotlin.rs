//! Kotlin: the driver's `getCollection("name")` and `getCollection<T>("name")`,
//! and Spring Data's `@Document(collection = "name")`, else the class name with
//! its first letter lower-cased. The grammar reads `f<T>(x)` in an expression
//! as the comparisons `(f < T) > (x)`; that exact shape, with `getCollection`
//! on the left, is read as the call it is.

use tree_sitter::Node;

use super::names;
use super::syntax::{Cx, last_named_child};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "function_declaration" => cx.definition(node.child_by_field_name("name")),
        "call_expression" => call(cx, node),
        "binary_expression" if cx.mentions.mongo => misread_generic_call(cx, node),
        "class_declaration" if cx.source_mentions("data.mongodb") => class(cx, node),
        _ => {}
    }
}

/// The name a callee ends with: `getCollection` in `database.getCollection`.
fn callee_name<'a>(cx: &Cx<'a>, callee: Node) -> Option<&'a str> {
    match callee.kind() {
        "identifier" => Some(cx.text(callee)),
        "navigation_expression" => last_named_child(callee)
            .filter(|n| n.kind() == "identifier")
            .map(|n| cx.text(n)),
        _ => None,
    }
}

/// The first argument of `value_arguments`.
fn first_argument(args: Node) -> Option<Node> {
    let arg = args.named_child(0)?;
    // `value_argument` holds the expression, after a name for `name = value`.
    last_named_child(arg)
}

fn call(cx: &mut Cx, node: Node) {
    let Some(callee) = node.named_child(0) else {
        return;
    };
    let Some(name) = callee_name(cx, callee) else {
        return;
    };
    cx.call_of(name, node);
    if name != "getCollection" || !cx.mentions.mongo {
        return;
    }
    let mut cursor = node.walk();
    let args = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "value_arguments");
    if let Some(arg) = args.and_then(first_argument) {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}

/// `database.getCollection<T>("name")` as the grammar misreads it.
fn misread_generic_call(cx: &mut Cx, node: Node) {
    let operator = |n: Node| n.child(1).map(|o| cx.text(o));
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    if operator(node) != Some(">")
        || left.kind() != "binary_expression"
        || operator(left) != Some("<")
        || right.kind() != "parenthesized_expression"
    {
        return;
    }
    let callee = left.child_by_field_name("left");
    if callee.and_then(|c| callee_name(cx, c)) != Some("getCollection") {
        return;
    }
    if let Some(arg) = right.named_child(0) {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}

/// A class annotated `@Document`.
fn class(cx: &mut Cx, node: Node) {
    let Some(modifiers) = node.named_child(0).filter(|m| m.kind() == "modifiers") else {
        return;
    };
    let mut cursor = modifiers.walk();
    for annotation in modifiers
        .named_children(&mut cursor)
        .filter(|a| a.kind() == "annotation")
    {
        let Some(inner) = annotation.named_child(0) else {
            continue;
        };
        let (user_type, args) = match inner.kind() {
            "constructor_invocation" => (inner.named_child(0), inner.named_child(1)),
            "user_type" => (Some(inner), None),
            _ => continue,
        };
        if user_type.is_none_or(|t| cx.text(t) != "Document") {
            continue;
        }
        let value = args.and_then(|args| {
            let mut cursor = args.walk();
            args.named_children(&mut cursor)
                .find(|arg| {
                    arg.named_child_count() == 1
                        || arg
                            .named_child(0)
                            .is_some_and(|n| matches!(cx.text(n), "collection" | "value"))
                })
                .and_then(last_named_child)
        });
        match value {
            Some(value) => cx.argument(value, str::to_string, Kind::Declared),
            None => {
                if let Some(name) = node.child_by_field_name("name") {
                    let derived = names::spring_collection(cx.text(name));
                    cx.reference(&derived, name, Kind::Derived);
                }
            }
        }
        return;
    }
}
