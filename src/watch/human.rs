//! `watch` for people: the live table (one row per host and check), event
//! lines, one line per round when piped, and the summary. Renders only; every
//! figure comes from the stats, the rounds and the events. Lines fit `width`
//! (80 columns when piped).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use unicode_width::UnicodeWidthStr as _;

use crate::model::class::Class;
use crate::report::style::{Palette, Tone};

use super::events::{Event, Kind};
use super::sample::Round;
use super::stats::{Row, Stats, ago};

/// The width of piped lines.
pub const PIPED_WIDTH: usize = 80;

/// Who the lines are about: the targets' names and shown URIs.
pub struct Targets<'a> {
    pub names: &'a [String],
    pub shown: &'a [String],
}

impl Targets<'_> {
    fn fleet(&self) -> bool {
        self.names.len() > 1
    }

    /// `[name] ` before a line when several targets are watched.
    fn prefix(&self, index: usize) -> String {
        if self.fleet() {
            format!("[{}] ", self.names.get(index).map_or("?", String::as_str))
        } else {
            String::new()
        }
    }
}

/// `HH:MM:SS` (UTC).
fn clock(at: SystemTime) -> String {
    let secs = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let full = crate::report::rfc3339(i64::try_from(secs).unwrap_or(0));
    full.get(11..19).unwrap_or(&full).to_string()
}

/// A round trip as the table shows it: 0.41ms, 12.3ms, 1.20s.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2}ms")
    } else if ms < 1000.0 {
        format!("{ms:.1}ms")
    } else {
        format!("{:.2}s", ms / 1000.0)
    }
}

/// The interval as it was likely typed: 10s, 500ms, 2m.
fn interval(d: Duration) -> String {
    match (d.as_secs(), d.subsec_millis()) {
        (secs, 0) if secs % 60 == 0 && secs > 0 => format!("{}m", secs / 60),
        (secs, 0) => format!("{secs}s"),
        (0, ms) => format!("{ms}ms"),
        _ => format!("{:.1}s", d.as_secs_f64()),
    }
}

/// Cuts `text` to `width` columns, marking the cut with `~`.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + 2 > width {
            break;
        }
        out.push(c);
    }
    out.push('~');
    out
}

/// A host in at most `width` columns, keeping its port: `cluster0-shard-0~:27017`.
fn host_in(host: &str, width: usize) -> String {
    if host.width() <= width {
        return host.to_string();
    }
    match host.rfind(':') {
        Some(colon) if host.len() - colon < width / 2 => {
            let port = &host[colon..];
            format!("{}{port}", fit(&host[..colon], width - port.width()))
        }
        _ => fit(host, width),
    }
}

fn status_word(class: Class, degraded: bool) -> (&'static str, Tone) {
    match (class, degraded) {
        (Class::Ok, false) => ("PASS", Tone::Pass),
        (Class::Ok, true) => ("WARN", Tone::Warn),
        _ => ("FAIL", Tone::Fail),
    }
}

/// Piped: one line per target of the round.
pub fn round_lines(round: &Round, targets: &Targets, palette: Palette) -> String {
    let mut out = String::new();
    for (index, target) in round.targets.iter().enumerate() {
        let (word, tone) = status_word(target.class, target.degraded);
        let mut line = format!(
            "{} round {} {}",
            clock(round.started),
            round.number,
            targets.prefix(index)
        );
        let mut rest = String::new();
        if target.class != Class::Ok {
            let _ = write!(rest, " {}", target.class);
        }
        let _ = write!(rest, " in {}:", duration(round.duration));
        // The kept connection's ping failing while fresh ones pass is the
        // drop a long-lived connection sees: say it, or the line reads PASS-like.
        if let Some(Err(class)) = target.kept().map(|k| k.outcome) {
            let _ = write!(rest, " kept: {class};");
        }
        let hosts: Vec<String> = target
            .hosts
            .iter()
            .map(|h| match (h.class, h.rtt) {
                (Class::Ok, Some(rtt)) => format!("{} {}", h.host, duration(rtt)),
                (Class::Ok, None) => format!("{} {}", h.host, h.check.as_str()),
                (class, _) => format!("{} {} {class}", h.host, h.check.as_str()),
            })
            .collect();
        if hosts.is_empty() {
            rest.push_str(" no host reached");
        }
        let budget = PIPED_WIDTH.saturating_sub(line.width() + word.len() + rest.width());
        let mut listed = String::new();
        for (shown, host) in hosts.iter().enumerate() {
            let more = hosts.len() - shown - 1;
            let tail = if more > 0 {
                format!(" +{more}")
            } else {
                String::new()
            };
            let part = format!(" {host}{}", if more > 0 { "," } else { "" });
            if listed.width() + part.width() + tail.width() > budget {
                let _ = write!(listed, " +{} more", hosts.len() - shown);
                break;
            }
            listed.push_str(&part);
        }
        line.push_str(&palette.paint(tone, word));
        line.push_str(&rest);
        line.push_str(&listed);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn kind_tone(kind: Kind) -> Tone {
    match kind {
        Kind::Failing | Kind::NoPrimary => Tone::Fail,
        Kind::Recovered => Tone::Pass,
        _ => Tone::Warn,
    }
}

/// One event as a line: time, kind (a word), host, what changed.
pub fn event_line(event: &Event, targets: &Targets, palette: Palette, width: usize) -> String {
    let head = format!("{} event {}", clock(event.at), targets.prefix(event.target));
    let kind = event.kind.as_str();
    let rest = match &event.host {
        Some(host) => format!(" {host} {}", event.detail),
        None => format!(" {}", event.detail),
    };
    let rest = fit(&rest, width.saturating_sub(head.width() + kind.len()));
    format!(
        "{head}{}{rest}\n",
        palette.paint(kind_tone(event.kind), kind)
    )
}

/// Column widths of the table, host last (it takes what is left).
const CHECK_W: usize = 5;
const OK_W: usize = 6;
const FAIL_W: usize = 17;
const RTT_W: usize = 7;
const LAST_W: usize = 8;

fn failures_cell(row: &Row) -> String {
    let mut classes: Vec<(&Class, &u64)> = row.failures.iter().collect();
    classes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    match classes.as_slice() {
        [] => "-".to_string(),
        [(class, n)] => format!("{class}:{n}"),
        [(class, n), rest @ ..] => fit(&format!("{class}:{n} +{}", rest.len()), FAIL_W),
    }
}

/// The live table: a header, then a group of rows per target.
pub fn table(
    stats: &Stats,
    targets: &Targets,
    now: SystemTime,
    interval: Duration,
    palette: Palette,
    width: usize,
) -> Vec<String> {
    let fixed = CHECK_W + OK_W + FAIL_W + 3 * RTT_W + LAST_W + 7;
    let host_w = width.saturating_sub(fixed).max(12);
    let mut lines = vec![fit(
        &format!(
            "watch: {} of {} rounds passed, every {}; {} events",
            stats.ok_rounds,
            stats.rounds,
            self::interval(interval),
            stats.events
        ),
        width,
    )];
    lines.push(palette.paint(
        Tone::Dim,
        &fit(
            &format!(
                "{:<host_w$} {:<CHECK_W$} {:>OK_W$} {:<FAIL_W$} {:>RTT_W$} {:>RTT_W$} {:>RTT_W$} {:>LAST_W$}",
                "host", "check", "ok", "failures", "p50", "p95", "max", "failed"
            ),
            width,
        ),
    ));
    let mut current = None;
    for (key, row) in &stats.rows {
        if current != Some(key.target) {
            current = Some(key.target);
            if targets.fleet() || targets.shown.len() == 1 {
                let name = targets.names.get(key.target).map_or("?", String::as_str);
                let shown = targets.shown.get(key.target).map_or("", String::as_str);
                let label = if targets.fleet() {
                    format!("[{name}] {shown}")
                } else {
                    shown.to_string()
                };
                lines.push(palette.paint(Tone::Bold, &fit(&label, width)));
            }
        }
        let q = row.rtt.quantiles();
        let cell = |pick: fn(&super::histogram::Quantiles) -> Duration| {
            q.as_ref()
                .map_or_else(|| "-".to_string(), |q| duration(pick(q)))
        };
        let last = row.last_failure.map_or_else(
            || "-".to_string(),
            |(at, _)| format!("{} ago", ago(now.duration_since(at).unwrap_or_default())),
        );
        #[allow(clippy::cast_precision_loss)]
        let share = format!("{:.1}%", row.ok_share() * 100.0);
        let tone = if row.up { Tone::Pass } else { Tone::Fail };
        let share = palette.paint(tone, &format!("{share:>OK_W$}"));
        let line = format!(
            "{:<host_w$} {:<CHECK_W$} {share} {:<FAIL_W$} {:>RTT_W$} {:>RTT_W$} {:>RTT_W$} {:>LAST_W$}",
            host_in(&key.host, host_w),
            key.check.as_str(),
            failures_cell(row),
            cell(|q| q.p50),
            cell(|q| q.p95),
            cell(|q| q.max),
            last,
        );
        lines.push(line);
    }
    if stats.rows_dropped > 0 {
        lines.push(fit(
            &format!(
                "({} samples of rows past the first {} not shown)",
                stats.rows_dropped,
                super::stats::MAX_ROWS
            ),
            width,
        ));
    }
    lines
}

/// The summary at the end: the verdict word, rounds, failures by class, round trips.
pub fn summary(stats: &Stats, interrupted: bool, palette: Palette, width: usize) -> String {
    let worst = stats.worst();
    let (word, tone) = status_word(worst, false);
    let mut first = format!("{} of {} rounds passed", stats.ok_rounds, stats.rounds);
    let failures = stats.failures_by_class();
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = write!(first, "; failed: {}", listed.join(", "));
    }
    if interrupted {
        first.push_str("; stopped by a signal");
    }
    let _ = write!(first, "; {} events", stats.events);
    let second = match stats.rtt.quantiles() {
        Some(q) => format!(
            "hello round trip: p50 {}, p95 {}, max {}",
            duration(q.p50),
            duration(q.p95),
            duration(q.max)
        ),
        None => "no host answered the handshake".to_string(),
    };
    // Wrapped, not cut: the summary is what a CI log keeps of the whole watch.
    let mut out = format!(
        "{} {}\n{}\n",
        palette.paint(tone, word),
        crate::report::human::wrap(&first, Some(width), word.len() + 1, word.len() + 1),
        fit(&second, width)
    );
    // The last line as every command ends: the class and its exit code.
    if worst != Class::Ok {
        let _ = writeln!(
            out,
            "{} {worst} (exit {}, the class that failed most often)",
            palette.paint(tone, word),
            worst.exit_code()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CI log keeps only the summary of a watch: it was cut at 80 columns
    /// with `~` ("...; stopped by a signal; 4 even~"), losing the end.
    #[test]
    fn the_summary_wraps_and_loses_nothing() {
        let mut stats = Stats::new(1);
        stats.rounds = 18;
        stats.ok_rounds = 12;
        stats.events = 4;
        stats.failures[0].insert(Class::TcpRefused, 4);
        stats.failures[0].insert(Class::NetworkTimeout, 2);
        let text = summary(&stats, true, Palette::plain(), PIPED_WIDTH);
        assert!(!text.contains('~'), "{text}");
        assert!(text.lines().all(|l| l.width() <= PIPED_WIDTH), "{text}");
        let words: Vec<&str> = text.split_whitespace().collect();
        for phrase in [
            "12 of 18 rounds passed;",
            "tcp_refused 4,",
            "network_timeout 2;",
            "stopped by a signal;",
            "4 events",
        ] {
            let want: Vec<&str> = phrase.split_whitespace().collect();
            assert!(
                words.windows(want.len()).any(|w| w == want.as_slice()),
                "{phrase:?} missing from\n{text}"
            );
        }
    }
}
