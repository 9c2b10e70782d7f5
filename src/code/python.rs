//! Python: PyMongo and Motor (`db.name`, `db["name"]`, `db.get_collection("name")`,
//! `client[db][coll]`, `client.db.coll`), Beanie (`class Settings: name = ...`,
//! else the class name) and MongoEngine (`meta = {"collection": ...}`, else the
//! class name in snake case).
//!
//! A database handle is a name this file binds to one (`db = client["app"]`,
//! `client.get_database(...)`), or one named `db`, `database`, `*_db`,
//! `*_database`; a client is a name bound to a `*Client(...)` call or named
//! `client`, `*_client`, `mongo`. Attribute and subscript forms are read only
//! in files that mention MongoDB, since `db.session` is SQLAlchemy's.

use tree_sitter::Node;

use super::names;
use super::syntax::{Cx, Literal, nth_argument};
use crate::model::code::Kind;

/// PyMongo's and Motor's `Database` attributes and methods: never collections.
const DATABASE_ATTRIBUTES: &[&str] = &[
    "name",
    "client",
    "codec_options",
    "read_preference",
    "write_concern",
    "read_concern",
    "command",
    "cursor_command",
    "list_collection_names",
    "list_collections",
    "get_collection",
    "create_collection",
    "drop_collection",
    "validate_collection",
    "aggregate",
    "watch",
    "with_options",
    "dereference",
    "delegate",
];

/// What a framework alias stands for.
const BEANIE: &str = "beanie";
const MONGOENGINE: &str = "mongoengine";

pub fn visit(cx: &mut Cx, node: Node) {
    match node.kind() {
        "import_from_statement" => imports_from(cx, node),
        "import_statement" => imports(cx, node),
        "assignment" => assignment(cx, node),
        "function_definition" => cx.definition(node.child_by_field_name("name")),
        "call" => call(cx, node),
        "attribute" if cx.mentions.mongo => attribute(cx, node),
        "subscript" if cx.mentions.mongo => subscript(cx, node),
        "class_definition" if cx.mentions.mongo => class(cx, node),
        _ => {}
    }
}

/// `from beanie import Document as D`, `from mongoengine import Document`.
fn imports_from(cx: &mut Cx, node: Node) {
    let Some(module) = node.child_by_field_name("module_name") else {
        return;
    };
    let framework = match cx.text(module) {
        "beanie" => BEANIE,
        "mongoengine" => MONGOENGINE,
        _ => return,
    };
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let bound = match name.kind() {
            "aliased_import" => name.child_by_field_name("alias"),
            _ => Some(name),
        };
        let original = match name.kind() {
            "aliased_import" => name.child_by_field_name("name"),
            _ => Some(name),
        };
        if let (Some(bound), Some(original)) = (bound, original)
            && matches!(cx.text(original), "Document" | "DynamicDocument")
        {
            let bound = cx.text(bound).to_string();
            cx.aliases.push((bound, framework));
        }
    }
}

/// `import mongoengine as me`: `me.Document` is MongoEngine's.
fn imports(cx: &mut Cx, node: Node) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (module, bound) = match name.kind() {
            "aliased_import" => (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ),
            _ => (Some(name), Some(name)),
        };
        let (Some(module), Some(bound)) = (module, bound) else {
            continue;
        };
        let framework = match cx.text(module) {
            "beanie" => BEANIE,
            "mongoengine" => MONGOENGINE,
            _ => continue,
        };
        let bound = format!("{}.", cx.text(bound));
        cx.aliases.push((bound, framework));
    }
}

/// `db = client["app"]`, `client = MongoClient(...)`, and accessors bound to a name.
fn assignment(cx: &mut Cx, node: Node) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    if left.kind() != "identifier" {
        return;
    }
    cx.definition(Some(left));
    let name = cx.text(left).to_string();
    if is_database(cx, right) {
        cx.databases.push(name);
    } else if is_client(cx, right) {
        cx.clients.push(name);
    }
}

/// The last name of an identifier or attribute (`self.db` -> `db`).
fn last_name<'a>(cx: &Cx<'a>, node: Node) -> Option<&'a str> {
    match node.kind() {
        "identifier" => Some(cx.text(node)),
        "attribute" => node.child_by_field_name("attribute").map(|n| cx.text(n)),
        _ => None,
    }
}

fn is_client(cx: &Cx, node: Node) -> bool {
    if node.kind() == "call" {
        return node
            .child_by_field_name("function")
            .and_then(|f| last_name(cx, f))
            .is_some_and(|f| f.ends_with("Client"));
    }
    last_name(cx, node).is_some_and(|n| {
        n == "client" || n == "mongo" || n.ends_with("_client") || cx.clients.iter().any(|c| c == n)
    })
}

/// A database handle: a name for one, a client subscripted or its attribute,
/// or `client.get_database(...)`.
fn is_database(cx: &Cx, node: Node) -> bool {
    match node.kind() {
        "identifier" | "attribute" => {
            if node.kind() == "attribute"
                && let Some(object) = node.child_by_field_name("object")
                && is_client(cx, object)
            {
                let attribute = last_name(cx, node).unwrap_or("");
                return !attribute.starts_with('_') && !is_client(cx, node);
            }
            last_name(cx, node).is_some_and(|n| {
                n == "db"
                    || n == "database"
                    || n.ends_with("_db")
                    || n.ends_with("_database")
                    || cx.databases.iter().any(|d| d == n)
            })
        }
        "subscript" => node
            .child_by_field_name("value")
            .is_some_and(|v| is_client(cx, v)),
        "call" => node
            .child_by_field_name("function")
            .filter(|f| f.kind() == "attribute")
            .is_some_and(|f| {
                matches!(
                    last_name(cx, f),
                    Some("get_database" | "get_default_database")
                )
            }),
        _ => false,
    }
}

/// `db.users`: a database's attribute that is not one of its own, and not called.
fn attribute(cx: &mut Cx, node: Node) {
    let (Some(object), Some(attr)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("attribute"),
    ) else {
        return;
    };
    let name = cx.text(attr);
    if name.starts_with('_') || DATABASE_ATTRIBUTES.contains(&name) || !is_database(cx, object) {
        return;
    }
    let called = node
        .parent()
        .filter(|p| p.kind() == "call")
        .and_then(|p| p.child_by_field_name("function"))
        .is_some_and(|f| f.id() == node.id());
    if !called {
        cx.reference(name, attr, Kind::Attribute);
    }
}

/// `db["users"]`, `client["app"]["users"]`.
fn subscript(cx: &mut Cx, node: Node) {
    let (Some(value), Some(key)) = (
        node.child_by_field_name("value"),
        node.child_by_field_name("subscript"),
    ) else {
        return;
    };
    if is_database(cx, value) {
        cx.argument(key, str::to_string, Kind::Subscript);
    }
}

/// `db.get_collection("users")` and accessor calls.
fn call(cx: &mut Cx, node: Node) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    let Some(name) = last_name(cx, function) else {
        return;
    };
    cx.call_of(name, node);
    if name == "get_collection"
        && cx.mentions.mongo
        && let Some(arg) = node
            .child_by_field_name("arguments")
            .and_then(|a| first_or_keyword(cx, a, "name"))
    {
        cx.argument(arg, str::to_string, Kind::Call);
    }
}

/// The first positional argument, or the keyword argument `keyword`.
fn first_or_keyword<'t>(cx: &Cx, args: Node<'t>, keyword: &str) -> Option<Node<'t>> {
    let first = nth_argument(args, 0)?;
    if first.kind() != "keyword_argument" {
        return Some(first);
    }
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|a| a.kind() == "keyword_argument")
        .find(|a| {
            a.child_by_field_name("name")
                .is_some_and(|n| cx.text(n) == keyword)
        })
        .and_then(|a| a.child_by_field_name("value"))
}

/// Which framework's `Document` a class derives from directly, if any.
fn framework_of(cx: &Cx, class: Node) -> Option<&'static str> {
    let bases = class.child_by_field_name("superclasses")?;
    let mut cursor = bases.walk();
    for base in bases.named_children(&mut cursor) {
        let text = cx.text(base);
        for (alias, framework) in &cx.aliases {
            let hit = if let Some(module) = alias.strip_suffix('.') {
                text.strip_prefix(module)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|rest| matches!(rest, "Document" | "DynamicDocument"))
            } else {
                text == alias
            };
            if hit {
                return Some(framework);
            }
        }
    }
    None
}

/// Beanie and MongoEngine models.
fn class(cx: &mut Cx, node: Node) {
    let Some(framework) = framework_of(cx, node) else {
        return;
    };
    let (Some(name), Some(body)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("body"),
    ) else {
        return;
    };
    let class_name = cx.text(name).to_string();
    let declared = if framework == BEANIE {
        beanie_settings(cx, body)
    } else {
        match mongoengine_meta(cx, body) {
            Meta::Abstract => return,
            Meta::Collection(value) => Some(value),
            Meta::None => None,
        }
    };
    match declared {
        Some(value) => cx.argument(value, str::to_string, Kind::Declared),
        None if framework == BEANIE => cx.reference(&class_name, name, Kind::Derived),
        None => cx.reference(
            &names::mongoengine_collection(&class_name),
            name,
            Kind::Derived,
        ),
    }
}

/// `class Settings: name = "..."` (also the older `class Collection:`).
fn beanie_settings<'t>(cx: &Cx, body: Node<'t>) -> Option<Node<'t>> {
    let mut cursor = body.walk();
    let inner = body.named_children(&mut cursor).find(|c| {
        c.kind() == "class_definition"
            && c.child_by_field_name("name")
                .is_some_and(|n| matches!(cx.text(n), "Settings" | "Collection"))
    })?;
    let inner_body = inner.child_by_field_name("body")?;
    class_assignment(cx, inner_body, "name")
}

/// The value of `target = value` directly in a class body.
fn class_assignment<'t>(cx: &Cx, body: Node<'t>, target: &str) -> Option<Node<'t>> {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0))
        .filter(|a| a.kind() == "assignment")
        .find(|a| {
            a.child_by_field_name("left")
                .is_some_and(|l| cx.text(l) == target)
        })
        .and_then(|a| a.child_by_field_name("right"))
}

enum Meta<'t> {
    Abstract,
    Collection(Node<'t>),
    None,
}

/// MongoEngine's `meta = {"collection": ..., "abstract": True}`.
fn mongoengine_meta<'t>(cx: &Cx, body: Node<'t>) -> Meta<'t> {
    let Some(meta) = class_assignment(cx, body, "meta").filter(|m| m.kind() == "dictionary") else {
        return Meta::None;
    };
    let mut cursor = meta.walk();
    let mut found = Meta::None;
    for pair in meta
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "pair")
    {
        let (Some(key), Some(value)) = (
            pair.child_by_field_name("key"),
            pair.child_by_field_name("value"),
        ) else {
            continue;
        };
        match cx.literal(key) {
            Some(Literal::Text(k)) if k == "abstract" && cx.text(value) == "True" => {
                return Meta::Abstract;
            }
            Some(Literal::Text(k)) if k == "collection" => found = Meta::Collection(value),
            _ => {}
        }
    }
    found
}
