//! Java: the driver's `getCollection("name")` and Spring Data's
//! `@Document(collection = "name")` (also `@Document("name")` and `value =`),
//! else the class name with its first letter lower-cased, as Spring derives it.
//! `@Document` counts only in files importing Spring Data MongoDB, since
//! other libraries have a `Document` annotation too.

use tree_sitter::Node;

use super::names;
use super::syntax::{Cx, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "method_declaration" => cx.definition(node.child_by_field_name("name")),
        "method_invocation" => invocation(cx, node),
        "class_declaration" | "record_declaration" if cx.source_mentions("data.mongodb") => {
            class(cx, node);
        }
        _ => {}
    }
}

fn invocation(cx: &mut Cx, node: Node) {
    let Some(name) = node.child_by_field_name("name") else {
        return;
    };
    let name = cx.text(name);
    cx.call_of(name, node);
    if name == "getCollection"
        && cx.mentions.mongo
        && let Some(arg) = node
            .child_by_field_name("arguments")
            .and_then(|a| nth_argument(a, 0))
    {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}

/// A class annotated `@Document`.
fn class(cx: &mut Cx, node: Node) {
    let Some(modifiers) = node.named_child(0).filter(|m| m.kind() == "modifiers") else {
        return;
    };
    let mut cursor = modifiers.walk();
    let Some(annotation) = modifiers.named_children(&mut cursor).find(|a| {
        matches!(a.kind(), "annotation" | "marker_annotation")
            && a.child_by_field_name("name").is_some_and(|n| {
                let name = cx.text(n);
                name == "Document" || name.ends_with(".Document")
            })
    }) else {
        return;
    };
    let value = annotation
        .child_by_field_name("arguments")
        .and_then(|args| {
            let mut cursor = args.walk();
            args.named_children(&mut cursor)
                .find_map(|arg| match arg.kind() {
                    "element_value_pair" => arg
                        .child_by_field_name("key")
                        .filter(|k| matches!(cx.text(*k), "collection" | "value"))
                        .and_then(|_| arg.child_by_field_name("value")),
                    _ => Some(arg),
                })
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
}
