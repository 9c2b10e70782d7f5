//! JavaScript and TypeScript: the Node driver (`db.collection("name")`, also
//! with a type argument) and Mongoose (`model("Invoice", schema)` pluralised by
//! Mongoose's rules, the schema's `collection` option, `model`'s third
//! argument). `model(name)` with one argument looks a model up and names no
//! collection of its own. Mongoose forms are read only in files that mention
//! mongoose; `.collection(...)` only in files that mention MongoDB, since
//! Firestore spells its calls the same way.

use tree_sitter::Node;

use super::names;
use super::syntax::{Cx, Literal, argument_count, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "function_declaration"
        | "generator_function_declaration"
        | "method_definition"
        | "method_signature"
        | "abstract_method_signature"
        | "function_signature" => cx.definition(node.child_by_field_name("name")),
        "public_field_definition" | "field_definition" => {
            cx.definition(
                node.child_by_field_name("name")
                    .or_else(|| node.child_by_field_name("property")),
            );
        }
        "pair" => cx.definition(node.child_by_field_name("key")),
        "variable_declarator" => declarator(cx, node),
        "call_expression" => call(cx, node),
        _ => {}
    }
}

/// `const getX = () => ...`, and `const s = new Schema({...}, {collection: "x"})`.
fn declarator(cx: &mut Cx, node: Node) {
    let name = node.child_by_field_name("name");
    cx.definition(name);
    if let (Some(name), Some(value)) = (name, node.child_by_field_name("value"))
        && let Some(schema) = schema_option(cx, value)
    {
        let name = cx.text(name).to_string();
        cx.schemas.push((name, schema.collection));
    }
}

/// A Mongoose schema written in the file.
struct Schema {
    /// Its `collection` option, if it has one.
    collection: Option<Literal>,
}

/// `new Schema(definition, options)`; `None` when the node is no schema.
fn schema_option(cx: &Cx, node: Node) -> Option<Schema> {
    if node.kind() != "new_expression" || !cx.source_mentions("mongoose") {
        return None;
    }
    let constructor = node.child_by_field_name("constructor")?;
    let name = match constructor.kind() {
        "member_expression" => constructor.child_by_field_name("property")?,
        _ => constructor,
    };
    if cx.text(name) != "Schema" {
        return None;
    }
    let Some(options) = node
        .child_by_field_name("arguments")
        .and_then(|a| nth_argument(a, 1))
        .filter(|o| o.kind() == "object")
    else {
        return Some(Schema { collection: None });
    };
    let mut cursor = options.walk();
    let option = options
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "pair")
        .find(|p| {
            p.child_by_field_name("key").is_some_and(|k| {
                cx.text(k) == "collection"
                    || cx.literal(k) == Some(Literal::Text("collection".into()))
            })
        })
        .and_then(|p| p.child_by_field_name("value"))
        .map(|v| cx.literal(v).unwrap_or(Literal::Built));
    Some(Schema { collection: option })
}

fn call(cx: &mut Cx, node: Node) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    let name_node = match function.kind() {
        "member_expression" => function.child_by_field_name("property"),
        "identifier" => Some(function),
        _ => None,
    };
    let Some(name_node) = name_node else {
        return;
    };
    let name = cx.text(name_node);
    cx.call_of(name, node);
    let Some(args) = node.child_by_field_name("arguments") else {
        return;
    };
    match name {
        "collection" if function.kind() == "member_expression" && cx.mentions.mongo => {
            if let Some(arg) = nth_argument(args, 0) {
                cx.argument(arg, str::to_string, Kind::Call);
            }
        }
        "model" if argument_count(args) >= 2 && cx.source_mentions("mongoose") => {
            model(cx, args);
        }
        _ => {}
    }
}

/// `model(name, schema[, collection])`: the third argument, else the schema's
/// option, else the pluralised name.
fn model(cx: &mut Cx, args: Node) {
    let (Some(name), Some(schema)) = (nth_argument(args, 0), nth_argument(args, 1)) else {
        return;
    };
    if let Some(collection) = nth_argument(args, 2) {
        cx.argument(collection, str::to_string, Kind::Declared);
        return;
    }
    let option = if schema.kind() == "identifier" {
        let bound = cx.text(schema);
        cx.schemas
            .iter()
            .rev()
            .find(|(n, _)| n == bound)
            .and_then(|(_, option)| option.clone())
    } else {
        schema_option(cx, schema).and_then(|s| s.collection)
    };
    match option {
        Some(Literal::Text(collection)) => cx.reference(&collection, schema, Kind::Declared),
        Some(Literal::Built) => cx.unresolved(schema),
        None => cx.argument(name, names::mongoose_collection, Kind::Derived),
    }
}
