//! The README and docs/ say what is true: the README is for the tool's three users
//! (a short page linking the reference and maintainer material in docs/), and what
//! it and docs/ claim about publishing, commands and outputs matches the project.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The line (1-based) of the first line starting with `prefix`, if any.
fn line_of(text: &str, prefix: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
}

/// Every relative `](docs/...)` link of a Markdown text.
fn doc_links(text: &str) -> Vec<String> {
    text.match_indices("](docs/")
        .map(|(i, _)| {
            let rest = &text[i + 2..];
            rest[..rest.find(')').expect("closed link")].to_string()
        })
        .collect()
}

/// Issue 20 item 13: the README serves its three users first: what it is, install
/// (what works today first), a two-command quick start (the main job and the whole
/// test suite), then one short section per user task, exit codes and JSON near the
/// top; reference and maintainer material lives in docs/, one file per topic, each
/// linked from the README.
#[test]
fn r20_13_readme_is_for_its_three_users() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README is {lines} lines: move reference to docs/"
    );

    let order = [
        "## Install",
        "## Quick start",
        "## My app cannot connect",
        "## Gate a deploy",
        "## Triage a pasted error",
        "## Confirm with the Atlas API",
    ];
    let mut last = 0;
    for heading in order {
        let at = line_of(&readme, heading).unwrap_or_else(|| panic!("no {heading:?}"));
        assert!(at > last, "{heading:?} out of order");
        last = at;
    }
    for gone in [
        "## Benchmarks",
        "## Architecture",
        "## Releasing",
        "## Testing",
        "#### Accuracy",
    ] {
        assert!(
            line_of(&readme, gone).is_none(),
            "{gone} is maintainer material"
        );
    }

    // What works today comes first: building from the repository, before any
    // release download.
    let install =
        &readme[readme.find("## Install").unwrap()..readme.find("## Quick start").unwrap()];
    let from_source = install
        .find("cargo install --locked --git")
        .expect("from source");
    if let Some(download) = install.find("releases/latest/download") {
        assert!(from_source < download, "install leads with a release");
    }

    // The quick start: exactly two commands, the main job and the whole suite,
    // which is what .ci/run runs.
    let quick = &readme
        [readme.find("## Quick start").unwrap()..readme.find("## My app cannot connect").unwrap()];
    let block = quick.split("```sh\n").nth(1).expect("a sh block");
    let commands: Vec<&str> = block[..block.find("```").unwrap()]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("atlas-doctor ping"), "{commands:?}");
    assert!(commands[1].starts_with("scripts/test"), "{commands:?}");
    assert!(read(".ci/run").contains("scripts/test"));

    // Exit codes and JSON near the top of "Gate a deploy".
    let gate = line_of(&readme, "## Gate a deploy").unwrap();
    let table = line_of(&readme, "| 0 | `ok` |").expect("exit-code table");
    let json = line_of(&readme, "```json").expect("a JSON example");
    assert!(
        table > gate && table < gate + 10,
        "exit codes at line {table}"
    );
    assert!(json > gate && json < gate + 40, "JSON at line {json}");
    for code in [0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 70] {
        assert!(readme.contains(&format!("| {code} | ")), "exit {code}");
    }

    // Every docs/ file is linked from the README, and every link resolves.
    let links = doc_links(&readme);
    for link in &links {
        let path = link.split('#').next().unwrap();
        assert!(repo().join(path).is_file(), "README links {link}");
    }
    for entry in std::fs::read_dir(repo().join("docs")).expect("docs/") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(
                links.iter().any(|l| l == &format!("docs/{name}")),
                "docs/{name} is not linked from the README"
            );
        }
    }
}

/// Issue 20 item 13: links between docs/ files resolve (the moved sections used to
/// link to README anchors).
#[test]
fn r20_13_docs_links_resolve() {
    for entry in std::fs::read_dir(repo().join("docs")).expect("docs/") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let target = &rest[..rest.find(')').expect("closed link")];
            if target.starts_with("http") {
                continue;
            }
            assert!(
                !target.starts_with('#'),
                "{}: in-page anchor {target} (the section moved?)",
                path.display()
            );
            let file = target.split('#').next().unwrap();
            assert!(
                path.parent().unwrap().join(file).exists(),
                "{}: broken link {target}",
                path.display()
            );
        }
    }
}

/// Issue 20 item 14: no crates.io build until the driver's bson carries the nesting
/// bound: `publish = false`, no `cargo publish` step, and no document offering a
/// crates.io install (binstall goes through `--git`).
#[test]
fn r20_14_not_published_to_crates_io() {
    let cargo: toml::Table = read("Cargo.toml").parse().expect("Cargo.toml");
    assert_eq!(
        cargo["package"]
            .get("publish")
            .and_then(toml::Value::as_bool),
        Some(false),
        "Cargo.toml must say publish = false"
    );
    let workflow = read(".github/workflows/release.yml");
    for line in workflow
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
    {
        assert!(!line.contains("cargo publish"), "release.yml: {line}");
        assert!(
            !line.contains("CARGO_REGISTRY_TOKEN"),
            "release.yml: {line}"
        );
    }
    let mut texts = vec![("README.md".to_string(), read("README.md"))];
    for entry in std::fs::read_dir(repo().join("docs")).expect("docs/") {
        let path = entry.unwrap().path();
        texts.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    for (name, text) in texts {
        assert!(!text.contains("`cargo publish` runs"), "{name}");
        assert!(!text.contains("cargo binstall atlas-doctor"), "{name}");
        assert!(!text.contains("cargo install atlas-doctor"), "{name}");
    }
}
