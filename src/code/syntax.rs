//! What every language's reader shares: the walk over a syntax tree (a loop,
//! not recursion, so a hostile file nested a million levels deep cannot
//! overflow the stack), string literals told apart from names built at run
//! time, and the facts gathered for one file.

use tree_sitter::Node;

use crate::model::code::Kind;

use super::facts::{FileFacts, MAX_EXPRESSION_CHARS, Mentions};
use super::names;

/// Calls `visit` on every node of the tree, parents before children, in source order.
pub fn preorder(root: Node, mut visit: impl FnMut(Node)) {
    let mut cursor = root.walk();
    loop {
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// A collection argument as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A plain string: the name.
    Text(String),
    /// Anything else: a variable, an interpolated string, a concatenation.
    Built,
}

/// Node kinds that hold a string literal, across the grammars.
const STRING_KINDS: &[&str] = &[
    "string",
    "string_literal",
    "template_string",
    "interpreted_string_literal",
    "raw_string_literal",
    "verbatim_string_literal",
    "encapsed_string",
];

/// Children of a string literal that are its delimiters, not its content.
const DELIMITER_KINDS: &[&str] = &["string_start", "string_end", "\"", "'", "`"];

/// The state of one file's reading.
pub struct Cx<'a> {
    pub src: &'a [u8],
    pub mentions: Mentions,
    pub facts: FileFacts,
    /// Names this file binds to a database handle (`db = client["app"]`).
    pub databases: Vec<String>,
    /// Names this file binds to a client (`client = MongoClient(...)`).
    pub clients: Vec<String>,
    /// Framework names this file imports under an alias, as the reader wants them.
    pub aliases: Vec<(String, &'static str)>,
    /// Mongoose schemas bound to a name, with their `collection` option.
    pub schemas: Vec<(String, Option<Literal>)>,
}

impl<'a> Cx<'a> {
    pub fn new(src: &'a [u8], mentions: Mentions) -> Self {
        Cx {
            src,
            mentions,
            facts: FileFacts::default(),
            databases: Vec::new(),
            clients: Vec::new(),
            aliases: Vec::new(),
            schemas: Vec::new(),
        }
    }

    pub fn text(&self, node: Node) -> &'a str {
        std::str::from_utf8(&self.src[node.byte_range()]).unwrap_or("")
    }

    /// Whether the source holds `needle` anywhere (a framework's import).
    pub fn source_mentions(&self, needle: &str) -> bool {
        memchr::memmem::find(self.src, needle.as_bytes()).is_some()
    }

    pub fn reference(&mut self, name: &str, node: Node, kind: Kind) {
        if !name.is_empty() {
            self.facts
                .references
                .push((name.to_string(), line(node), kind));
        }
    }

    pub fn unresolved(&mut self, node: Node) {
        // A scanned file's text: one line, no control characters, no password.
        let expression = self
            .text(node)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let expression: String = expression
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let expression = crate::redact::redact_text(&expression);
        let expression = truncate(&expression, MAX_EXPRESSION_CHARS);
        self.facts.unresolved.push((line(node), expression));
    }

    /// A collection call's argument: a reference when a plain string, else unresolved.
    pub fn argument(&mut self, arg: Node, name_of: impl Fn(&str) -> String, kind: Kind) {
        match self.literal(arg) {
            Some(Literal::Text(name)) => self.reference(&name_of(&name), arg, kind),
            Some(Literal::Built) | None => self.unresolved(arg),
        }
    }

    /// A string literal's text, or `Built` when it interpolates; `None` when
    /// the node is no string at all (a variable, a call, a concatenation).
    pub fn literal(&self, node: Node) -> Option<Literal> {
        if node.kind() == "simple_symbol" {
            // Ruby's `:users`.
            return Some(Literal::Text(
                self.text(node).trim_start_matches(':').to_string(),
            ));
        }
        if !STRING_KINDS.contains(&node.kind()) {
            return None;
        }
        let mut text = String::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            let kind = child.kind();
            if DELIMITER_KINDS.contains(&kind) {
                continue;
            }
            if kind.ends_with("content") || kind == "string_fragment" {
                text.push_str(self.text(child));
            } else {
                // An interpolation, a substitution, a variable, an escape.
                return Some(Literal::Built);
            }
        }
        if node.named_child_count() == 0 && node.child_count() == 0 {
            // A grammar that keeps the quotes in one token.
            text = unquote(self.text(node)).to_string();
        }
        // A collection name never holds `$` (MongoDB refuses it): a `$` is an
        // interpolation the grammar did not mark (Kotlin's `"a_$b"`), and
        // Spring's SpEL (`#{...}`) is evaluated at run time too.
        if text.contains('$') || text.contains("#{") {
            return Some(Literal::Built);
        }
        Some(Literal::Text(text))
    }

    /// A call of a function named `name`: an accessor call when it is one.
    pub fn call_of(&mut self, name: &str, node: Node) {
        if names::is_accessor(name) {
            self.facts
                .accessor_calls
                .push((name.to_string(), line(node)));
        }
    }

    /// A definition (function, method, binding) named by `name_node`.
    pub fn definition(&mut self, name_node: Option<Node>) {
        if let Some(n) = name_node {
            let name = self.text(n);
            if names::is_accessor(name) {
                self.facts.accessor_definitions.push(name.to_string());
            }
        }
    }
}

/// 1-based line of a node.
pub fn line(node: Node) -> usize {
    node.start_position().row + 1
}

/// The first argument node of an argument list (skipping punctuation), and
/// the `n`th.
pub fn nth_argument(args: Node, n: usize) -> Option<Node> {
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .nth(n)
}

/// The number of arguments in a list.
pub fn argument_count(args: Node) -> usize {
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .count()
}

/// At most `max` characters, with `...` when cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_string(),
    }
}

/// A string token's text without its prefix and quotes.
fn unquote(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '@' || c == '#');
    let text = text.trim_end_matches('#');
    let Some(quote) = text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))
    else {
        return text;
    };
    text.trim_start_matches(quote).trim_end_matches(quote)
}

/// The last named child of a node (a navigation's member name).
pub fn last_named_child(node: Node) -> Option<Node> {
    let count = node.named_child_count();
    if count == 0 {
        return None;
    }
    node.named_child(u32::try_from(count - 1).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_strips_prefixes_and_quotes() {
        assert_eq!(unquote("\"users\""), "users");
        assert_eq!(unquote("r#\"users\"#"), "users");
        assert_eq!(unquote("@\"users\""), "users");
        assert_eq!(unquote("'''users'''"), "users");
    }
}
