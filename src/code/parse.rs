//! One file's source to its facts: the grammar of its language, the parse,
//! and the walk of the tree with that language's reader.

use std::path::Path;

use crate::model::code::Language;

use super::facts::{FileFacts, Mentions};
use super::{csharp, go, java, javascript, kotlin, php, python, ruby, rust, syntax};

/// The grammar; TSX files get TypeScript's TSX variant.
pub fn grammar(language: Language, path: &Path) -> tree_sitter::Language {
    match language {
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Language::TypeScript if path.extension().is_some_and(|e| e == "tsx") => {
            tree_sitter_typescript::LANGUAGE_TSX.into()
        }
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
        Language::Go => tree_sitter_go::LANGUAGE.into(),
        Language::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
        Language::Rust => tree_sitter_rust::LANGUAGE.into(),
        Language::Ruby => tree_sitter_ruby::LANGUAGE.into(),
        Language::Php => tree_sitter_php::LANGUAGE_PHP.into(),
    }
}

/// The facts of one file's source (the byte search already passed).
pub fn extract(language: Language, path: &Path, src: &[u8], mentions: Mentions) -> FileFacts {
    extract_with(
        &mut tree_sitter::Parser::new(),
        language,
        path,
        src,
        mentions,
    )
}

pub fn extract_with(
    parser: &mut tree_sitter::Parser,
    language: Language,
    path: &Path,
    src: &[u8],
    mentions: Mentions,
) -> FileFacts {
    if parser.set_language(&grammar(language, path)).is_err() {
        // Only an ABI mismatch between the grammar and the library fails here,
        // which `every_grammar_loads` rules out.
        return FileFacts::default();
    }
    let Some(tree) = parser.parse(src, None) else {
        return FileFacts::default();
    };
    let mut cx = syntax::Cx::new(src, mentions);
    let visit: fn(&mut syntax::Cx, tree_sitter::Node) = match language {
        Language::Python => python::visit,
        Language::JavaScript | Language::TypeScript => javascript::visit,
        Language::Java => java::visit,
        Language::Kotlin => kotlin::visit,
        Language::Go => go::visit,
        Language::CSharp => csharp::visit,
        Language::Rust => rust::visit,
        Language::Ruby => ruby::visit,
        Language::Php => php::visit,
    };
    syntax::preorder(tree.root_node(), |node| visit(&mut cx, node));
    cx.facts
}
