//! From nothing to a working `atlas-doctor ping` without cargo: `scripts/release package`
//! packs the binary as a release archive, `scripts/release installers` writes the
//! installer, the installer fetches the archive from a local URL into a temporary
//! prefix, and the installed binary pings the test bed; the GitHub Action's run step
//! gates on it. The release configuration (binstall, Homebrew, Action, installers)
//! is checked against what the packaging actually produced.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = "atlas-doctor";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// This machine's target triple as the installer and the archives spell it.
fn host_target() -> String {
    assert_eq!(
        std::env::consts::OS,
        "linux",
        "the release tests run on Linux"
    );
    format!("{}-unknown-linux-gnu", std::env::consts::ARCH)
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn run_ok(command: &mut Command) -> Output {
    let output = command.output().expect("run");
    assert!(output.status.success(), "{command:?}\n{}", text(&output));
    output
}

/// A release directory as the workflow publishes it, made from the test build.
struct Release {
    dir: tempfile::TempDir,
    target: String,
}

impl Release {
    fn pack() -> Release {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = host_target();
        run_ok(
            Command::new(repo().join("scripts/release"))
                .args(["package", &target, env!("CARGO_BIN_EXE_atlas-doctor")])
                .arg(dir.path()),
        );
        run_ok(
            Command::new(repo().join("scripts/release"))
                .arg("installers")
                .arg(dir.path()),
        );
        Release { dir, target }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn archive_name(&self) -> String {
        format!("{BIN}-{}.tar.gz", self.target)
    }

    fn url(&self) -> String {
        format!("file://{}", self.dir.path().display())
    }

    /// Runs the published installer, as `curl ... | sh` would, with nothing but PATH and HOME.
    fn install(&self, prefix: &Path, home: &Path) -> Output {
        let installer = std::fs::read(self.path("atlas-doctor-installer.sh")).expect("installer");
        let mut child = Command::new("sh")
            .args(["-s", "--", "--from", &self.url(), "--prefix"])
            .arg(prefix)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run sh");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &installer)
            .expect("pipe the installer");
        child.wait_with_output().expect("installer")
    }
}

fn cargo_toml() -> toml::Table {
    std::fs::read_to_string(repo().join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("Cargo.toml is TOML")
}

fn package_str(key: &str) -> String {
    cargo_toml()["package"][key]
        .as_str()
        .unwrap_or_else(|| panic!("Cargo.toml [package] {key}"))
        .to_string()
}

/// The value of a `name=value` (or `$Name = 'value'`) line of a script.
fn script_value(script: &str, name: &str) -> String {
    let text = std::fs::read_to_string(repo().join(script)).expect("script");
    text.lines()
        .find_map(|line| {
            line.strip_prefix(name)?
                .trim_start()
                .strip_prefix('=')
                .map(|v| v.trim().trim_matches('\'').to_string())
        })
        .unwrap_or_else(|| panic!("no {name}= line in {script}"))
}

#[test]
fn the_installer_installs_a_release_archive_that_pings_the_bed_and_gates_through_the_action() {
    let bed = support::Bed::load();
    let release = Release::pack();
    let work = tempfile::tempdir().expect("temp dir");
    let prefix = work.path().join("prefix");
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).expect("mkdir home");

    let output = release.install(&prefix, &home);
    assert!(output.status.success(), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "installed atlas-doctor {}",
            package_str("version")
        )),
        "{stderr}"
    );
    for file in [
        "bin/atlas-doctor",
        "share/bash-completion/completions/atlas-doctor",
        "share/zsh/site-functions/_atlas-doctor",
        "share/fish/vendor_completions.d/atlas-doctor.fish",
        "share/man/man1/atlas-doctor.1",
    ] {
        assert!(prefix.join(file).is_file(), "{file} not installed");
    }

    // The installed binary, from an empty environment: the done-when of issue 14.
    let output = Command::new(prefix.join("bin/atlas-doctor"))
        .args(["--uri", &bed.plain_uri(), "--format", "json", "ping"])
        .env_clear()
        .env("HOME", &home)
        .current_dir(work.path())
        .output()
        .expect("run the installed atlas-doctor");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(report["verdict"], "ok", "{report:#}");

    // The Action's install step: the repository's install.sh, steered only by the
    // variables action.yml sets (version pinned, download URL, install dir).
    let action_dir = work.path().join("runner-temp/atlas-doctor");
    let output = Command::new("sh")
        .arg(repo().join("scripts/install.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("ATLAS_DOCTOR_VERSION", package_str("version"))
        .env("ATLAS_DOCTOR_DOWNLOAD_URL", release.url())
        .env("ATLAS_DOCTOR_INSTALL_DIR", &action_dir)
        .output()
        .expect("run the action's install step");
    assert!(output.status.success(), "{}", text(&output));
    let installed = action_dir.join("bin/atlas-doctor");
    assert!(installed.is_file(), "{}", text(&output));
    let action_yml = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    for variable in [
        "ATLAS_DOCTOR_VERSION",
        "ATLAS_DOCTOR_DOWNLOAD_URL",
        "ATLAS_DOCTOR_INSTALL_DIR",
        "ATLAS_DOCTOR_BIN",
        "INPUT_COMMAND",
        "INPUT_ARGS",
        "INPUT_REPORT_FILES",
    ] {
        assert!(
            action_yml.contains(&format!("{variable}: ${{{{")),
            "action.yml does not set {variable}"
        );
    }

    // The Action's run step with that binary: the exit code is the step's and its output.
    let action = |command: &str, args: &str, report_files: &str| {
        let outputs = work.path().join("github_output");
        std::fs::write(&outputs, "").expect("GITHUB_OUTPUT");
        let output = Command::new("bash")
            .arg(repo().join("scripts/action-run"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("INPUT_COMMAND", command)
            .env("INPUT_ARGS", args)
            .env("INPUT_REPORT_FILES", report_files)
            .env("ATLAS_DOCTOR_BIN", &installed)
            .env("GITHUB_OUTPUT", &outputs)
            .current_dir(work.path())
            .output()
            .expect("run scripts/action-run");
        (output, std::fs::read_to_string(&outputs).expect("outputs"))
    };
    let (output, outputs) = action("ping", &format!("--uri {}", bed.plain_uri()), "");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(outputs, "exit-code=0\n");
    let refused = format!(
        "--uri mongodb://127.0.0.1:{}/\n--timeout 2",
        support::refusing_port()
    );
    // The report files are written on failure too, each in its extension's format.
    let (output, outputs) = action("ping --count 2", &refused, "doctor.json\n doctor.xml");
    assert_eq!(
        output.status.code(),
        Some(i32::from(atlas_doctor::exit::TCP_REFUSED)),
        "{}",
        text(&output)
    );
    assert_eq!(outputs, "exit-code=11\n");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("::error title=atlas-doctor ping::"),
        "{}",
        text(&output)
    );
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(work.path().join("doctor.json")).expect("doctor.json written"),
    )
    .expect("doctor.json is JSON");
    assert_eq!(json["class"], "tcp_refused", "{json:#}");
    support::schema_errors(&json).unwrap_or_else(|e| panic!("{e}"));
    let junit =
        std::fs::read_to_string(work.path().join("doctor.xml")).expect("doctor.xml written");
    assert!(
        junit.starts_with("<?xml") && junit.contains("<failure"),
        "{junit}"
    );
}

#[test]
fn a_tampered_archive_is_not_installed() {
    let release = Release::pack();
    let sum_file = release.path(&format!("{}.sha256", release.archive_name()));
    let sum = std::fs::read_to_string(&sum_file).expect("sha256 file");
    // Another archive's checksum: what a truncated or replaced download looks like.
    let wrong = format!("{}{}", "0".repeat(64), &sum[64..]);
    std::fs::write(&sum_file, wrong).expect("write sha256");

    let work = tempfile::tempdir().expect("temp dir");
    let prefix = work.path().join("prefix");
    let output = release.install(&prefix, work.path());
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("checksum mismatch"),
        "{}",
        text(&output)
    );
    assert!(!prefix.join("bin/atlas-doctor").exists());
}

#[test]
fn a_missing_release_is_a_clear_error() {
    let work = tempfile::tempdir().expect("temp dir");
    let output = Command::new("sh")
        .arg(repo().join("scripts/install.sh"))
        .args(["--from"])
        .arg(format!("file://{}", work.path().display()))
        .arg("--prefix")
        .arg(work.path().join("prefix"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run install.sh");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("could not download"), "{stderr}");
    // From the repository (its vendored, patched bson), not crates.io (which ignores
    // `[patch]`, see vendor/README.md).
    assert!(
        stderr.contains(
            "cargo install --locked --git https://github.com/atlas-doctor/atlas-doctor atlas-doctor"
        ),
        "{stderr}"
    );
}

/// cargo-binstall, Homebrew, the installers and the Action all name the archive that
/// `scripts/release package` makes, at the release URL derived from Cargo.toml.
#[test]
fn the_release_config_names_what_the_packaging_produces() {
    let release = Release::pack();
    let version = package_str("version");
    let repository = package_str("repository");
    let archive = release.archive_name();
    let release_url = format!("{repository}/releases/download/v{version}");

    // cargo-binstall's templates, expanded the way binstall does for this target.
    let cargo = cargo_toml();
    let binstall = &cargo["package"]["metadata"]["binstall"];
    let expand = |template: &str| {
        template
            .replace("{ repo }", &repository)
            .replace("{ version }", &version)
            .replace("{ name }", BIN)
            .replace("{ target }", &release.target)
            .replace("{ archive-suffix }", ".tar.gz")
            .replace("{ bin }", BIN)
            .replace("{ binary-ext }", "")
    };
    assert_eq!(binstall["pkg-fmt"].as_str(), Some("tgz"));
    assert_eq!(
        expand(binstall["pkg-url"].as_str().expect("pkg-url")),
        format!("{release_url}/{archive}")
    );
    let listing = run_ok(Command::new("tar").arg("-tzf").arg(release.path(&archive)));
    let listing = String::from_utf8_lossy(&listing.stdout);
    let bin_dir = expand(binstall["bin-dir"].as_str().expect("bin-dir"));
    assert!(
        listing.lines().any(|l| l == bin_dir),
        "{bin_dir} not in the archive:\n{listing}"
    );

    // The checksum file is sha256sum's format for the archive.
    let sum = run_ok(
        Command::new("sha256sum")
            .arg(&archive)
            .current_dir(release.dir.path()),
    );
    assert_eq!(
        std::fs::read_to_string(release.path(&format!("{archive}.sha256"))).expect("sha256"),
        String::from_utf8_lossy(&sum.stdout)
    );

    // Homebrew: this platform's url and checksum, and the files its install block names.
    let formula = std::fs::read_to_string(release.path("atlas-doctor.rb")).expect("formula");
    let digest = String::from_utf8_lossy(&sum.stdout)[..64].to_string();
    assert!(
        formula.contains(&format!("url \"{release_url}/{archive}\"")),
        "{formula}"
    );
    assert!(
        formula.contains(&format!("sha256 \"{digest}\"")),
        "{formula}"
    );
    assert!(
        formula.contains(&format!("version \"{version}\"")),
        "{formula}"
    );
    for file in [
        "completions/atlas-doctor.bash",
        "completions/_atlas-doctor",
        "completions/atlas-doctor.fish",
        "man/atlas-doctor.1",
    ] {
        assert!(formula.contains(file), "{file}: {formula}");
        let packed = format!("{BIN}-{}/{file}", release.target);
        assert!(listing.lines().any(|l| l == packed), "{packed} not packed");
    }

    // The installers: the same repository, and the published copies pinned to this version.
    assert_eq!(script_value("scripts/install.sh", "repository"), repository);
    assert_eq!(
        script_value("scripts/install.ps1", "$Repository"),
        repository
    );
    let published = std::fs::read_to_string(release.path("atlas-doctor-installer.sh"))
        .expect("published installer");
    assert!(
        published.contains(&format!("\ndefault_version={version}\n")),
        "the published installer is not pinned to {version}"
    );
    let published_ps1 = std::fs::read_to_string(release.path("atlas-doctor-installer.ps1"))
        .expect("published PowerShell installer");
    assert!(
        published_ps1.contains(&format!("\n$DefaultVersion = '{version}'\n")),
        "the published PowerShell installer is not pinned to {version}"
    );

    // The Action installs the release it belongs to.
    let action = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    let default_version = action
        .split("\n  version:")
        .nth(1)
        .and_then(|rest| rest.lines().find_map(|l| l.trim().strip_prefix("default:")))
        .map(|v| v.trim().trim_matches('"').to_string());
    assert_eq!(default_version.as_deref(), Some(version.as_str()));
}

/// Issue 20 item 9: the CI examples did not work as written. The action's script
/// expanded possibly empty arrays as `"${a[@]}"` under `set -u` (unbound in bash 3.2,
/// macOS runners' /bin/bash); a report file listed twice was accepted silently; the
/// JUnit example uploaded SARIF twice with one category and its exit-code comment
/// left out 3 (what fork pull requests get: an empty secret).
#[test]
fn r20_9_ci_examples_and_the_action_script_work_as_written() {
    let script: String = std::fs::read_to_string(repo().join("scripts/action-run"))
        .expect("action-run")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    // Every array expansion is the form bash 3.2 accepts empty under set -u,
    // except the command (checked non-empty first).
    for (at, _) in script.match_indices("\"${") {
        let rest = &script[at..];
        let expansion = &rest[..rest.find('}').map_or(rest.len(), |e| e + 2)];
        if expansion.contains("[@]") && !expansion.starts_with("\"${command[@]}") {
            assert!(
                script[..at].ends_with("[@]+"),
                "unguarded array expansion {expansion} in scripts/action-run"
            );
        }
    }

    // Run with empty inputs, and with a report file listed twice, against a stand-in
    // binary that prints its arguments.
    let work = tempfile::tempdir().expect("temp dir");
    let fake = work.path().join("fake-doctor");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\nexit 11\n",
    )
    .expect("write fake");
    run_ok(Command::new("chmod").arg("+x").arg(&fake));
    let run = |args: &str, files: &str| {
        let output = Command::new("bash")
            .arg(repo().join("scripts/action-run"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("INPUT_ARGS", args)
            .env("INPUT_REPORT_FILES", files)
            .env("ATLAS_DOCTOR_BIN", &fake)
            .current_dir(work.path())
            .output()
            .expect("run scripts/action-run");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run("", "");
    assert_eq!((code, stdout.as_str()), (Some(11), "[ping]\n"), "{stderr}");
    assert!(!stderr.contains("unbound"), "{stderr}");
    let (code, stdout, stderr) = run("", "a.sarif a.json a.sarif");
    assert_eq!(code, Some(11), "{stderr}");
    assert_eq!(
        stdout, "[ping]\n[--report-file]\n[a.sarif]\n[--report-file]\n[a.json]\n",
        "{stderr}"
    );
    assert!(stderr.contains("a.sarif is listed twice"), "{stderr}");

    // The JUnit example: each SARIF category uploaded once, each report file listed
    // once, and the exit-code comment names 3.
    let example =
        std::fs::read_to_string(repo().join("examples/ci-checklist-junit.yml")).expect("example");
    let categories: Vec<&str> = example
        .lines()
        .filter_map(|l| l.trim().strip_prefix("category:"))
        .map(str::trim)
        .collect();
    let mut unique = categories.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        categories.len(),
        unique.len(),
        "SARIF categories {categories:?}"
    );
    for line in example
        .lines()
        .filter(|l| l.trim().starts_with("report-files:"))
    {
        let files: Vec<&str> = line.split(':').nth(1).unwrap().split_whitespace().collect();
        let mut unique = files.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(files.len(), unique.len(), "{line}");
    }
    let comment = example
        .lines()
        .skip_while(|l| !l.contains("Exit codes"))
        .take_while(|l| l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(comment.contains(" 3 "), "{comment}");
}
