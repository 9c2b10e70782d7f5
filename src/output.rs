//! `--report-file PATH` (repeatable): the report also written to files, each in
//! the format its extension names, while stdout keeps `--format` (the habit of
//! `pytest --junitxml`): `.json`, `.xml` (JUnit), `.md` (Markdown), `.sarif`
//! (the credential scan, SARIF 2.1.0). A path that cannot work is refused
//! before anything runs; a write that fails later never costs the stdout report.

use std::path::{Path, PathBuf};

/// The format of one report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Junit,
    Markdown,
    Sarif,
}

/// Why a report file cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "--report-file {}: unknown extension; use .json, .xml (JUnit), .md (Markdown) or .sarif (credential scan)",
        .path.display()
    )]
    UnknownExtension { path: PathBuf },
    #[error("--report-file {}: {command} has no {what} form; use {use_instead}", .path.display())]
    NotForCommand {
        path: PathBuf,
        command: &'static str,
        what: &'static str,
        use_instead: &'static str,
    },
    #[error("--report-file {}: the directory {} does not exist", .path.display(), .dir.display())]
    NoDirectory { path: PathBuf, dir: PathBuf },
    #[error("--report-file {}: is a directory, not a file", .path.display())]
    IsDirectory { path: PathBuf },
    /// A FIFO would hang the run after its verdict, a device would swallow or refuse it.
    #[error("--report-file {}: is {what}, not a regular file", .path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("--report-file {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Kind {
    /// The format the extension of `path` names (case-insensitive).
    pub fn of(path: &Path) -> Result<Kind, Error> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("json") => Ok(Kind::Json),
            Some("xml") => Ok(Kind::Junit),
            Some("md" | "markdown") => Ok(Kind::Markdown),
            Some("sarif") => Ok(Kind::Sarif),
            _ => Err(Error::UnknownExtension {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// Checks a `--report-file` before the run: a known extension that `command`
/// can produce, an existing parent directory, not a directory itself.
pub fn check(path: &Path, command: &'static str) -> Result<Kind, Error> {
    let kind = Kind::of(path)?;
    let refused = match (command, kind) {
        ("explain", Kind::Junit | Kind::Sarif) => Some((
            if kind == Kind::Junit {
                "JUnit"
            } else {
                "SARIF"
            },
            ".json or .md",
        )),
        ("completions" | "man", _) => {
            Some(("report", "none: it prints a script or a page, not a report"))
        }
        ("explain" | "checklist", _) => None,
        (_, Kind::Sarif) => Some((
            "SARIF",
            ".json, .xml or .md (SARIF is checklist's credential scan)",
        )),
        _ => None,
    };
    if let Some((what, use_instead)) = refused {
        return Err(Error::NotForCommand {
            path: path.to_path_buf(),
            command,
            what,
            use_instead,
        });
    }
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(Error::NotAFile {
            path: path.to_path_buf(),
            what: special_kind(&meta),
        });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::NoDirectory {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
        });
    }
    Ok(kind)
}

/// What a path that is not a regular file is, in words.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Writes one report file: into a temporary file beside it, then renamed over
/// it, so a reader never sees a half-written report (a full disk leaves the
/// old one in place, not a truncated new one).
pub fn write(path: &Path, contents: &str) -> Result<(), Error> {
    use std::io::Write as _;
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".atlas-doctor-report-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(contents.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_format() {
        assert_eq!(Kind::of(Path::new("out/r.JSON")).unwrap(), Kind::Json);
        assert_eq!(Kind::of(Path::new("junit.xml")).unwrap(), Kind::Junit);
        assert_eq!(Kind::of(Path::new("ticket.md")).unwrap(), Kind::Markdown);
        assert_eq!(Kind::of(Path::new("scan.sarif")).unwrap(), Kind::Sarif);
        assert!(Kind::of(Path::new("report.txt")).is_err());
        assert!(Kind::of(Path::new("report")).is_err());
    }

    #[test]
    fn bad_paths_are_refused_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/dir/r.json");
        assert!(matches!(
            check(&missing, "ping"),
            Err(Error::NoDirectory { .. })
        ));
        let as_dir = dir.path().join("d.json");
        std::fs::create_dir(&as_dir).unwrap();
        assert!(matches!(
            check(&as_dir, "ping"),
            Err(Error::IsDirectory { .. })
        ));
        assert!(matches!(
            check(&dir.path().join("s.sarif"), "ping"),
            Err(Error::NotForCommand { .. })
        ));
        assert!(check(&dir.path().join("s.sarif"), "checklist").is_ok());
        assert!(matches!(
            check(&dir.path().join("j.xml"), "explain"),
            Err(Error::NotForCommand { .. })
        ));
        assert!(check(Path::new("relative.json"), "ping").is_ok());
    }

    /// Issue 21 item 5: a FIFO as the report file hung the run after its verdict.
    #[cfg(unix)]
    #[test]
    fn r21_fifos_and_devices_are_refused_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("r.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            check(&fifo, "ping"),
            Err(Error::NotAFile { what: "a FIFO", .. })
        ));
        let device = dir.path().join("d.json");
        std::os::unix::fs::symlink("/dev/null", &device).unwrap();
        assert!(matches!(
            check(&device, "ping"),
            Err(Error::NotAFile {
                what: "a device",
                ..
            })
        ));
    }

    #[test]
    fn a_write_replaces_the_old_report_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "old").unwrap();
        write(&path, "new report").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new report");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }
}
