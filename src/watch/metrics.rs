//! `--metrics-file`: the Prometheus text exposition format (version 0.0.4),
//! for node_exporter's textfile collector, written by the format's own rules
//! (HELP and TYPE lines, escaped label values, cumulative `le` buckets ending
//! in `+Inf`, `_sum` and `_count`), and replaced atomically: a temporary file
//! beside the target renamed over it, so the collector never reads half a file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::model::class::Class;

use super::histogram::PROMETHEUS_BOUNDS;
use super::stats::Stats;

/// The classes a watch round can end in when it fails: each has a counter
/// from the first write on, so a rate over it never starts from a missing series.
fn failure_classes() -> impl Iterator<Item = Class> {
    Class::ALL.into_iter().filter(|class| {
        !matches!(
            class,
            Class::Ok | Class::ChecksFailed | Class::Usage | Class::Unknown
        )
    })
}

/// A label value escaped as the format asks: backslash, double quote, newline.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A float as the format writes it (`+Inf` for the last bucket).
fn number(value: f64) -> String {
    if value.is_infinite() {
        "+Inf".to_string()
    } else {
        format!("{value}")
    }
}

/// The whole file's text.
pub fn render(stats: &Stats, names: &[String]) -> String {
    let mut out = String::new();
    let target = |index: usize| escape(names.get(index).map_or("", String::as_str));

    out.push_str("# HELP atlas_doctor_up 1 when the check passed on the host in the last round that ran it, else 0.\n");
    out.push_str("# TYPE atlas_doctor_up gauge\n");
    for (key, row) in &stats.rows {
        let _ = writeln!(
            out,
            "atlas_doctor_up{{target=\"{}\",host=\"{}\",layer=\"{}\"}} {}",
            target(key.target),
            escape(&key.host),
            key.check.as_str(),
            u8::from(row.up)
        );
    }

    out.push_str("# HELP atlas_doctor_round_trip_seconds How long each check took on the host when it passed.\n");
    out.push_str("# TYPE atlas_doctor_round_trip_seconds histogram\n");
    for (key, row) in &stats.rows {
        let labels = format!(
            "target=\"{}\",host=\"{}\",layer=\"{}\"",
            target(key.target),
            escape(&key.host),
            key.check.as_str()
        );
        let bounds = PROMETHEUS_BOUNDS.iter().copied().chain([f64::INFINITY]);
        for (bound, count) in bounds.zip(row.rtt.cumulative()) {
            let _ = writeln!(
                out,
                "atlas_doctor_round_trip_seconds_bucket{{{labels},le=\"{}\"}} {count}",
                number(bound)
            );
        }
        let _ = writeln!(
            out,
            "atlas_doctor_round_trip_seconds_sum{{{labels}}} {}",
            number(row.rtt.sum_secs())
        );
        let _ = writeln!(
            out,
            "atlas_doctor_round_trip_seconds_count{{{labels}}} {}",
            row.rtt.count()
        );
    }

    out.push_str(
        "# HELP atlas_doctor_failures_total Failed rounds by the class that decided them.\n",
    );
    out.push_str("# TYPE atlas_doctor_failures_total counter\n");
    for (index, failures) in stats.failures.iter().enumerate() {
        for class in failure_classes() {
            let _ = writeln!(
                out,
                "atlas_doctor_failures_total{{target=\"{}\",class=\"{class}\"}} {}",
                target(index),
                failures.get(&class).copied().unwrap_or(0)
            );
        }
    }

    out.push_str("# HELP atlas_doctor_rounds_total Rounds run.\n");
    out.push_str("# TYPE atlas_doctor_rounds_total counter\n");
    let _ = writeln!(out, "atlas_doctor_rounds_total {}", stats.rounds);
    out
}

/// Replaces `path` with `contents`: written beside it, then renamed over it.
pub fn write(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".atlas-doctor-metrics")
        .tempfile_in(dir)?;
    file.write_all(contents.as_bytes())?;
    file.flush()?;
    // The textfile collector runs as another user: readable like a plain file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn an_empty_run_still_has_every_failure_counter() {
        let text = render(&Stats::new(1), &["default".to_string()]);
        assert!(
            text.contains(
                "atlas_doctor_failures_total{target=\"default\",class=\"tcp_refused\"} 0"
            )
        );
        assert!(text.contains("atlas_doctor_rounds_total 0"));
    }

    #[test]
    fn the_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("atlas.prom");
        write(&path, "first\n").unwrap();
        write(&path, "second\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }
}
