//! Ruby: Mongoid models (a class that includes `Mongoid::Document`):
//! `store_in collection: "name"`, else the class name pluralised as Mongoid
//! does (ActiveSupport's `tableize`, modules joined by `__`).

use tree_sitter::Node;

use super::names;
use super::syntax::Cx;
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "method" | "singleton_method" => cx.definition(node.child_by_field_name("name")),
        "call" => {
            if let Some(method) = node.child_by_field_name("method") {
                let name = cx.text(method);
                cx.call_of(name, node);
            }
        }
        "class" if cx.source_mentions("Mongoid") => class(cx, node),
        _ => {}
    }
}

/// The calls directly in a class body, as (method name, call node).
fn body_calls<'t>(cx: &Cx, body: Node<'t>) -> Vec<(String, Node<'t>)> {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|c| c.kind() == "call")
        .filter_map(|c| {
            let method = c.child_by_field_name("method")?;
            Some((cx.text(method).to_string(), c))
        })
        .collect()
}

fn class(cx: &mut Cx, node: Node) {
    let (Some(name), Some(body)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("body"),
    ) else {
        return;
    };
    let calls = body_calls(cx, body);
    let is_model = calls.iter().any(|(method, call)| {
        method == "include"
            && call
                .child_by_field_name("arguments")
                .is_some_and(|a| cx.text(a).trim() == "Mongoid::Document")
    });
    if !is_model {
        return;
    }
    let store_in = calls
        .iter()
        .filter(|(method, _)| method == "store_in")
        .find_map(|(_, call)| {
            let args = call.child_by_field_name("arguments")?;
            let mut cursor = args.walk();
            args.named_children(&mut cursor)
                .filter(|p| p.kind() == "pair")
                .find(|p| {
                    p.child_by_field_name("key").is_some_and(|k| {
                        matches!(cx.text(k), "collection" | ":collection" | "collection:")
                    })
                })
                .and_then(|p| p.child_by_field_name("value"))
        });
    if let Some(value) = store_in {
        cx.argument(value, str::to_string, Kind::Declared);
        return;
    }
    // Modules the class is nested in are part of its name.
    let mut qualified = vec![cx.text(name).to_string()];
    let mut parent = node.parent();
    while let Some(p) = parent {
        if p.kind() == "module"
            && let Some(module) = p.child_by_field_name("name")
        {
            qualified.insert(0, cx.text(module).to_string());
        }
        parent = p.parent();
    }
    let collection = names::mongoid_collection(&qualified.join("::"));
    cx.reference(&collection, name, Kind::Derived);
}
