//! PHP: the library's `selectCollection('name')` (on a database) and
//! `selectCollection('db', 'name')` (on a client), and a database's property
//! `$db->name`: a variable named `$db`, `$database`, `*Db`, `*_db`, or bound in
//! the file to `selectDatabase(...)`; `$client->app->name` on a client (`$client`,
//! `*Client`, `*_client`, `$mongo`). Only in files that mention MongoDB.

use tree_sitter::Node;

use super::syntax::{Cx, argument_count, nth_argument};
use crate::model::code::Kind;

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "function_definition" | "method_declaration" => {
            cx.definition(node.child_by_field_name("name"));
        }
        "assignment_expression" => assignment(cx, node),
        "member_call_expression" | "function_call_expression" | "scoped_call_expression" => {
            call(cx, node);
        }
        "member_access_expression" if cx.mentions.mongo => property(cx, node),
        _ => {}
    }
}

/// `$db = $client->selectDatabase('app')` or `$client->app`.
fn assignment(cx: &mut Cx, node: Node) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    if left.kind() != "variable_name" {
        return;
    }
    let database = match right.kind() {
        "member_call_expression" => right
            .child_by_field_name("name")
            .is_some_and(|n| cx.text(n) == "selectDatabase"),
        "member_access_expression" => is_database(cx, right),
        _ => false,
    };
    if database {
        let name = cx.text(left).to_string();
        cx.databases.push(name);
    }
}

fn is_client(cx: &Cx, node: Node) -> bool {
    node.kind() == "variable_name" && {
        let name = cx.text(node).trim_start_matches('$');
        name == "client" || name == "mongo" || name.ends_with("Client") || name.ends_with("_client")
    }
}

fn is_database(cx: &Cx, node: Node) -> bool {
    match node.kind() {
        "variable_name" => {
            let text = cx.text(node);
            let name = text.trim_start_matches('$');
            name == "db"
                || name == "database"
                || name.ends_with("Db")
                || name.ends_with("_db")
                || cx.databases.iter().any(|d| d == text)
        }
        // `$client->app` is a database.
        "member_access_expression" => node
            .child_by_field_name("object")
            .is_some_and(|o| is_client(cx, o)),
        _ => false,
    }
}

fn call(cx: &mut Cx, node: Node) {
    let name = node
        .child_by_field_name("name")
        .or_else(|| node.child_by_field_name("function"));
    let Some(name) = name.map(|n| cx.text(n)) else {
        return;
    };
    cx.call_of(name, node);
    if name != "selectCollection" || !cx.mentions.mongo {
        return;
    }
    let Some(args) = node.child_by_field_name("arguments") else {
        return;
    };
    let index = usize::from(argument_count(args) >= 2);
    if let Some(arg) = nth_argument(args, index).and_then(|a| a.named_child(0)) {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}

/// `$db->users`.
fn property(cx: &mut Cx, node: Node) {
    let (Some(object), Some(name)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("name"),
    ) else {
        return;
    };
    if name.kind() == "name" && is_database(cx, object) {
        let text = cx.text(name);
        cx.reference(text, name, Kind::Attribute);
    }
}
