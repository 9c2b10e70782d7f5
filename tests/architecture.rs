//! The shape of `src/`, checked (issue 19, item 5): reads every `crate::`,
//! `super::` and `self::` path of the library (and a parent's paths into its
//! own child modules), builds the graph of module imports, and fails on a
//! cycle between modules or on an import that breaks a layer rule. The rules
//! are the table in `RULES`; docs/architecture.md explains them. The way
//! cargo-deny guards dependencies, so the shape cannot drift again.
//!
//! `ARCH_PRINT=1 cargo test --test architecture -- --nocapture` prints the
//! graph, its cycles and the broken rules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, bottom first, each with the module paths it holds (a prefix:
/// `probe` holds `probe::tls`). A module matches the longest prefix listed.
const LAYERS: &[(&str, &[&str])] = &[
    // The types that cross layers: imports nothing of ours.
    ("model", &["model"]),
    // Small helpers every layer may use: they know no layer.
    (
        "helper",
        &[
            "words",
            "file",
            "output",
            "stop",
            "walk",
            "deadline",
            "environment",
            "address",
        ],
    ),
    // What the connection string and the driver's words mean; scrubbing secrets.
    ("knowledge", &["uri", "wording", "redact", "panic"]),
    // Raw flags (clap), then the resolved settings.
    ("cli", &["cli"]),
    ("config", &["config"]),
    // The probes of each layer, the Atlas control plane, the static scans.
    ("probe", &["probe", "atlas", "scan", "code"]),
    // The one run: the layers in order, each under its deadline.
    ("pipeline", &["pipeline"]),
    // The judge, the checklists, offline explanation.
    ("judge", &["diagnose", "checklist", "explain"]),
    // Renderers only.
    ("report", &["report"]),
    // The glue: command plans, generated scripts, the crate root.
    ("glue", &["commands", "generate", "crate", "watch"]),
];

/// Which layers each layer may import (its own always).
const RULES: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("helper", &["model"]),
    ("knowledge", &["model", "helper"]),
    ("cli", &["model", "helper", "knowledge"]),
    ("config", &["model", "helper", "knowledge", "cli"]),
    ("probe", &["model", "helper", "knowledge"]),
    (
        "pipeline",
        &["model", "helper", "knowledge", "config", "probe"],
    ),
    ("judge", &["model", "helper", "knowledge", "config"]),
    ("report", &["model", "helper", "knowledge", "judge"]),
    (
        "glue",
        &[
            "model",
            "helper",
            "knowledge",
            "cli",
            "config",
            "probe",
            "pipeline",
            "judge",
            "report",
        ],
    ),
];

/// Imports the layout still has that break a rule or close a cycle: debts
/// being paid off while issue 19 reshapes the code, not rules. Both checks
/// ignore them; the list only shrinks, and is empty when the shape is clean.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn r19_no_module_cycle() {
    let graph = Graph::of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    graph.print_if_asked();
    let cycles = graph.without_known().cycles();
    assert!(
        cycles.is_empty(),
        "module cycles (each line is one strongly connected set; break each by moving the shared types down):\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", c.join(" <-> ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn r19_every_import_looks_down() {
    let graph = Graph::of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let broken: Vec<String> = graph
        .without_known()
        .broken_rules()
        .into_iter()
        .map(|(from, to, why)| format!("  {from} -> {to}: {why}"))
        .collect();
    assert!(
        broken.is_empty(),
        "imports that break a layer rule:\n{}",
        broken.join("\n")
    );
}

/// A debt paid off leaves the list: each `KNOWN` entry is an import src/ still has.
#[test]
fn r19_known_debts_are_still_owed() {
    let graph = Graph::of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let paid: Vec<String> = KNOWN
        .iter()
        .filter(|(from, to)| !graph.edges.get(*from).is_some_and(|t| t.contains(*to)))
        .map(|(from, to)| format!("  (\"{from}\", \"{to}\")"))
        .collect();
    assert!(
        paid.is_empty(),
        "no longer imported: remove from KNOWN in tests/architecture.rs:\n{}",
        paid.join("\n")
    );
}

#[test]
fn r19_the_layer_table_covers_every_module() {
    let graph = Graph::of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let unplaced: Vec<&String> = graph
        .modules
        .iter()
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules in no layer (add them to LAYERS): {unplaced:?}"
    );
}

/// One path per type: no module re-exports another module's items
/// (`pub use crate::model::step::Step` in `probe` made `probe::Step` a second
/// name for it). A module may still re-export its own private children.
#[test]
fn r19_one_path_per_type() {
    let mut files = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let again: Vec<String> = files
        .iter()
        .flat_map(|(module, text)| {
            text.lines()
                .filter(|l| {
                    let l = l.trim_start();
                    l.starts_with("pub use crate::") || l.starts_with("pub(crate) use crate::")
                })
                .map(move |l| format!("  {module}: {}", l.trim()))
        })
        .collect();
    assert!(
        again.is_empty(),
        "re-exports of another module's items (name them at their home instead):\n{}",
        again.join("\n")
    );
}

/// The reader itself, on a planted source tree: a cycle and an upward import
/// are found, through `use` groups, `super::`, inline test modules and a
/// parent's paths into its child.
#[test]
fn r19_the_reader_sees_planted_violations() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "pub mod model;\npub mod probe;\npub mod report;\n",
    );
    write(
        "model/mod.rs",
        "//! \"crate::report\" in a string and // crate::report in a comment are no import.\n\
         pub mod step;\nlet s = \"crate::report::x\"; let c = '\"'; fn f<'a>(x: &'a str) {}\n",
    );
    write("model/step.rs", "use super::super::report::Thing;\n");
    write("probe/mod.rs", "mod tls;\npub use tls::X;\n");
    write(
        "probe/tls.rs",
        "use crate::{model::step::{self, Step}, probe};\nmod inline { use super::super::tls::Z; }\n\
         #[cfg(test)]\nmod tests { use crate::report::Thing; }\n",
    );
    write("report/mod.rs", "pub struct Thing;\n");
    let graph = Graph::of(src);
    let edges = |from: &str| graph.edges.get(from).cloned().unwrap_or_default();
    assert_eq!(
        edges("model"),
        BTreeSet::new(),
        "strings and comments are no import"
    );
    assert_eq!(edges("model::step"), BTreeSet::from(["report".to_string()]));
    assert_eq!(edges("probe"), BTreeSet::from(["probe::tls".to_string()]));
    assert_eq!(
        edges("probe::tls"),
        BTreeSet::from(["model::step".to_string(), "probe".to_string()]),
        "`super` inside an inline module is the file's own module; test modules are skipped"
    );
    assert_eq!(
        graph.cycles(),
        vec![vec!["probe".to_string(), "probe::tls".to_string()]]
    );
    let broken = graph.broken_rules();
    assert!(
        broken
            .iter()
            .any(|(f, t, _)| f == "model::step" && t == "report"),
        "{broken:?}"
    );
}

/// Module paths (`probe::tls`; `crate` is lib.rs) and who imports whom.
struct Graph {
    modules: BTreeSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn of(src: &Path) -> Graph {
        let mut files = Vec::new();
        collect(src, src, &mut files);
        let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (module, text) in &files {
            let tokens = lex(text);
            let targets = imports(module, &tokens, &modules);
            edges
                .entry(module.clone())
                .or_default()
                .extend(targets.into_iter().filter(|t| t != module));
        }
        Graph { modules, edges }
    }

    /// The graph without the `KNOWN` debts.
    fn without_known(&self) -> Graph {
        let mut edges = self.edges.clone();
        for (from, to) in KNOWN {
            if let Some(targets) = edges.get_mut(*from) {
                targets.remove(*to);
            }
        }
        Graph {
            modules: self.modules.clone(),
            edges,
        }
    }

    /// Every set of modules that import each other, directly or not.
    fn cycles(&self) -> Vec<Vec<String>> {
        let mut sets = strongly_connected(&self.modules, &self.edges);
        sets.retain(|s| s.len() > 1);
        sets.sort();
        sets
    }

    /// Each import whose layer may not import the target's: (from, to, why).
    fn broken_rules(&self) -> Vec<(String, String, String)> {
        let mut broken = Vec::new();
        for (from, targets) in &self.edges {
            for to in targets {
                let (Some(lf), Some(lt)) = (layer_of(from), layer_of(to)) else {
                    continue;
                };
                if lf == lt {
                    continue;
                }
                let allowed = RULES
                    .iter()
                    .find(|(l, _)| *l == lf)
                    .map_or(&[][..], |(_, a)| *a);
                if !allowed.contains(&lt) {
                    broken.push((
                        from.clone(),
                        to.clone(),
                        format!("{lf} may not import {lt}"),
                    ));
                }
            }
        }
        broken
    }

    fn print_if_asked(&self) {
        if std::env::var_os("ARCH_PRINT").is_none() {
            return;
        }
        for (from, targets) in &self.edges {
            let layer = layer_of(from).unwrap_or("?");
            let list: Vec<&str> = targets.iter().map(String::as_str).collect();
            println!("{from} [{layer}] -> {}", list.join(", "));
        }
        println!("\ncycles:");
        for c in self.cycles() {
            println!("  {}", c.join(" <-> "));
        }
        println!("\nbroken rules:");
        for (f, t, why) in self.broken_rules() {
            println!("  {f} -> {t}: {why}");
        }
    }
}

/// The layer of a module: the longest prefix in `LAYERS` it falls under.
fn layer_of(module: &str) -> Option<&'static str> {
    let mut best: Option<(&str, usize)> = None;
    for (layer, prefixes) in LAYERS {
        for prefix in *prefixes {
            let under = module == *prefix || module.starts_with(&format!("{prefix}::"));
            if under && best.is_none_or(|(_, len)| prefix.len() > len) {
                best = Some((layer, prefix.len()));
            }
        }
    }
    best.map(|(l, _)| l)
}

/// Every `.rs` file under `dir` as (module path, text); main.rs is the binary.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts == ["main"] {
            continue;
        }
        if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
            parts.pop();
        }
        let module = if parts.is_empty() {
            "crate".to_string()
        } else {
            parts.join("::")
        };
        out.push((module, fs::read_to_string(&path).unwrap()));
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Identifiers, `::` and punctuation; comments, strings and chars dropped.
fn lex(text: &str) -> Vec<Token> {
    let s: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('#') || next == Some('"'))
            && raw_string_end(&s, i).is_some()
        {
            i = raw_string_end(&s, i).unwrap();
        } else if c == 'b' && next == Some('"') {
            i = string_end(&s, i + 1);
        } else if c == '"' {
            i = string_end(&s, i);
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if s.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(s[start..i].iter().collect()));
        } else if c == ':' && next == Some(':') {
            out.push(Token::Path);
            i += 2;
        } else if c.is_whitespace() || c.is_ascii_digit() {
            i += 1;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// The index after a `"..."` string starting at `i`.
fn string_end(s: &[char], mut i: usize) -> usize {
    i += 1;
    while i < s.len() && s[i] != '"' {
        if s[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

/// The index after a raw string `r#"..."#` starting at `i`, if it is one.
fn raw_string_end(s: &[char], i: usize) -> Option<usize> {
    if i > 0 && (s[i - 1].is_alphanumeric() || s[i - 1] == '_') {
        return None;
    }
    let mut j = i + 1;
    let mut hashes = 0;
    while s.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if s.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < s.len() {
        if s[j] == '"' && (0..hashes).all(|k| s.get(j + 1 + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(j)
}

/// The modules that `module`'s tokens name: `crate::`, `super::`, `self::`
/// paths (with `use` groups), and paths through the file's own child modules.
fn imports(module: &str, tokens: &[Token], modules: &BTreeSet<String>) -> BTreeSet<String> {
    let own: Vec<String> = if module == "crate" {
        Vec::new()
    } else {
        module.split("::").map(String::from).collect()
    };
    // Child modules declared in this file (`mod x;`), reachable by a bare path.
    let mut children = BTreeSet::new();
    for w in tokens.windows(3) {
        if let [Token::Ident(m), Token::Ident(name), Token::Punct(';')] = w
            && m == "mod"
        {
            children.insert(name.clone());
        }
    }
    let mut found = BTreeSet::new();
    // Inline modules (`mod tests { .. }`) open at a brace depth: `super` inside
    // one first leaves the inline module, still in this file's module.
    let mut depth = 0usize;
    let mut inline: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(end) = test_module_end(tokens, i) {
            i = end;
            continue;
        }
        match &tokens[i] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth = depth.saturating_sub(1);
                while inline.last().is_some_and(|&d| d > depth) {
                    inline.pop();
                }
            }
            Token::Ident(word)
                if word == "mod"
                    && matches!(tokens.get(i + 1), Some(Token::Ident(_)))
                    && tokens.get(i + 2) == Some(&Token::Punct('{')) =>
            {
                inline.push(depth + 1);
            }
            Token::Ident(word) if i == 0 || tokens[i - 1] != Token::Path => {
                let starts =
                    matches!(word.as_str(), "crate" | "super" | "self") || children.contains(word);
                let not_decl = i == 0 || tokens[i - 1] != Token::Ident("mod".into());
                if starts && not_decl && tokens.get(i + 1) == Some(&Token::Path) {
                    let mut paths = Vec::new();
                    let end = path_tree(tokens, i, Vec::new(), &mut paths);
                    for path in paths {
                        found.insert(resolve(&own, inline.len(), &path, modules));
                    }
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index after a `#[cfg(test)] mod name { .. }` starting at `i`: test code
/// may look anywhere (the way ArchUnit imports production classes only).
fn test_module_end(tokens: &[Token], i: usize) -> Option<usize> {
    let head = [
        Token::Punct('#'),
        Token::Punct('['),
        Token::Ident("cfg".into()),
        Token::Punct('('),
        Token::Ident("test".into()),
        Token::Punct(')'),
        Token::Punct(']'),
        Token::Ident("mod".into()),
    ];
    if tokens.get(i..i + head.len())? != head {
        return None;
    }
    let mut j = i + head.len() + 1;
    if tokens.get(j) != Some(&Token::Punct('{')) {
        return None;
    }
    let mut depth = 0usize;
    while j < tokens.len() {
        match tokens[j] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
        j += 1;
    }
    Some(j)
}

/// Reads a path from `i` (segments, `{..}` groups, `*`), pushing each full
/// path onto `out`; returns the index after it.
fn path_tree(
    tokens: &[Token],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(i) {
            Some(Token::Ident(seg)) => {
                prefix.push(seg.clone());
                i += 1;
            }
            Some(Token::Punct('*')) => {
                i += 1;
                break;
            }
            Some(Token::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i) {
                        Some(Token::Punct('}')) => {
                            i += 1;
                            break;
                        }
                        Some(Token::Punct(',')) => i += 1,
                        None => break,
                        Some(_) => i = path_tree(tokens, i, prefix.clone(), out),
                    }
                }
                return i;
            }
            _ => break,
        }
        if tokens.get(i) == Some(&Token::Path) {
            i += 1;
        } else {
            break;
        }
    }
    out.push(prefix);
    i
}

/// The deepest module a path names, from `own` (the file's module) with
/// `inline` inline modules open around the path.
fn resolve(
    own: &[String],
    mut inline: usize,
    path: &[String],
    modules: &BTreeSet<String>,
) -> String {
    let mut at: Vec<String> = own.to_vec();
    let name = |at: &[String]| {
        if at.is_empty() {
            "crate".to_string()
        } else {
            at.join("::")
        }
    };
    for (n, seg) in path.iter().enumerate() {
        match seg.as_str() {
            "crate" if n == 0 => at.clear(),
            "self" => {}
            "super" if inline > 0 => inline -= 1,
            "super" => {
                at.pop();
            }
            _ => {
                let mut deeper = at.clone();
                deeper.push(seg.clone());
                if modules.contains(&name(&deeper)) {
                    at = deeper;
                } else {
                    break;
                }
            }
        }
    }
    name(&at)
}

/// Tarjan's strongly connected components, each sorted.
fn strongly_connected(
    nodes: &BTreeSet<String>,
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a str) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        if let Some(targets) = st.edges.get(v) {
            for w in targets {
                let w = w.as_str();
                if !st.index.contains_key(w) {
                    visit(st, w);
                    let lw = st.low[w];
                    let lv = st.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if st.on_stack.contains(w) {
                    let iw = st.index[w];
                    let lv = st.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if st.low[v] == st.index[v] {
            let mut set = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                set.push(w.to_string());
                if w == v {
                    break;
                }
            }
            set.sort();
            st.out.push(set);
        }
    }
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in nodes {
        if !st.index.contains_key(v.as_str()) {
            visit(&mut st, v);
        }
    }
    st.out
}
