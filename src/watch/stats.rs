//! What the rounds add up to, in bounded memory: per row (target, host, check)
//! the ok and failure counts, a fixed histogram of round trips and the last
//! failure; per run the rounds, failures by class and the summary's round
//! trips. Nothing here keeps a sample once counted.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::model::class::Class;

use super::histogram::Histogram;
use super::sample::{Check, Round};

/// Rows kept at most: hosts come from DNS answers, which could rotate through
/// many names over days; past this, new rows are counted but not kept.
pub const MAX_ROWS: usize = 512;

/// One row: a host's check on one target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    pub target: usize,
    pub host: String,
    pub check: Check,
}

/// A row's counts.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub ok: u64,
    pub failures: BTreeMap<Class, u64>,
    pub rtt: Histogram,
    /// When it last failed, and why.
    pub last_failure: Option<(SystemTime, Class)>,
    /// The last round's outcome.
    pub up: bool,
}

impl Row {
    pub fn total(&self) -> u64 {
        self.ok + self.failures.values().sum::<u64>()
    }

    /// The share of rounds that passed, 0..=1.
    pub fn ok_share(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        match self.total() {
            0 => 0.0,
            total => self.ok as f64 / total as f64,
        }
    }
}

/// Everything counted so far.
#[derive(Debug, Default)]
pub struct Stats {
    pub rows: BTreeMap<RowKey, Row>,
    /// Samples of rows past `MAX_ROWS`, counted and dropped.
    pub rows_dropped: u64,
    pub rounds: u64,
    /// Rounds in which every target passed.
    pub ok_rounds: u64,
    /// Failed target rounds by the class that decided them, per target.
    pub failures: Vec<BTreeMap<Class, u64>>,
    /// The handshake's round trip on every host: the summary's figures.
    pub rtt: Histogram,
    pub events: u64,
    /// The last round's class per target.
    pub last_class: Vec<Class>,
}

impl Stats {
    pub fn new(targets: usize) -> Stats {
        Stats {
            failures: vec![BTreeMap::new(); targets],
            last_class: vec![Class::Ok; targets],
            ..Stats::default()
        }
    }

    pub fn add(&mut self, round: &Round) {
        self.rounds += 1;
        if round.targets.iter().all(|t| t.class == Class::Ok) {
            self.ok_rounds += 1;
        }
        for (index, target) in round.targets.iter().enumerate() {
            if target.class != Class::Ok {
                *self.failures[index].entry(target.class).or_default() += 1;
            }
            self.last_class[index] = target.class;
            for sample in &target.samples {
                let key = RowKey {
                    target: index,
                    host: sample.host.clone(),
                    check: sample.check,
                };
                if !self.rows.contains_key(&key) && self.rows.len() >= MAX_ROWS {
                    self.rows_dropped += 1;
                    continue;
                }
                let row = self.rows.entry(key).or_default();
                match sample.outcome {
                    Ok(took) => {
                        row.ok += 1;
                        row.up = true;
                        row.rtt.record(took);
                        if sample.check == Check::Hello {
                            self.rtt.record(took);
                        }
                    }
                    Err(class) => {
                        row.up = false;
                        *row.failures.entry(class).or_default() += 1;
                        row.last_failure = Some((round.started + round.duration, class));
                    }
                }
            }
        }
    }

    /// Failed target rounds by class, over every target.
    pub fn failures_by_class(&self) -> BTreeMap<Class, u64> {
        let mut total = BTreeMap::new();
        for per_target in &self.failures {
            for (class, n) in per_target {
                *total.entry(*class).or_default() += n;
            }
        }
        total
    }

    /// The class that failed most often (the earlier layer on a tie); `Ok`
    /// when every round passed.
    pub fn worst(&self) -> Class {
        self.failures_by_class()
            .into_iter()
            .max_by(|(a, n), (b, m)| n.cmp(m).then(b.cmp(a)))
            .map_or(Class::Ok, |(class, _)| class)
    }

    /// The process exit code: 0 when every round passed.
    pub fn exit_code(&self) -> u8 {
        self.worst().exit_code()
    }
}

/// `how long ago` as the table shows it: 4s, 3m, 2h, 5d.
pub fn ago(since: Duration) -> String {
    let secs = since.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::sample::{Sample, TargetRound};

    fn round(number: u64, classes: &[(Class, Result<Duration, Class>)]) -> Round {
        Round {
            number,
            started: SystemTime::UNIX_EPOCH,
            duration: Duration::from_millis(3),
            targets: classes
                .iter()
                .map(|(class, outcome)| TargetRound {
                    class: *class,
                    degraded: false,
                    samples: vec![Sample {
                        host: "h:1".into(),
                        check: Check::Hello,
                        outcome: *outcome,
                    }],
                    hosts: Vec::new(),
                    primary_known: false,
                    primary: None,
                    dns: None,
                    certificates: Vec::new(),
                    egress_ip: None,
                })
                .collect(),
        }
    }

    #[test]
    fn counts_rounds_rows_and_the_worst_class() {
        let mut stats = Stats::new(1);
        let ok = (Class::Ok, Ok(Duration::from_millis(1)));
        let refused = (Class::TcpRefused, Err(Class::TcpRefused));
        let server = (Class::Server, Err(Class::Server));
        for (n, r) in [ok, refused, refused, server, server, ok]
            .iter()
            .enumerate()
        {
            stats.add(&round(n as u64 + 1, &[*r]));
        }
        assert_eq!((stats.rounds, stats.ok_rounds), (6, 2));
        // A tie goes to the earlier layer.
        assert_eq!(stats.worst(), Class::TcpRefused);
        assert_eq!(stats.exit_code(), 11);
        let row = stats.rows.values().next().unwrap();
        assert_eq!(row.total(), 6);
        assert!((row.ok_share() - 1.0 / 3.0).abs() < 1e-9);
        assert!(row.up);
        assert_eq!(row.last_failure.unwrap().1, Class::Server);
    }

    #[test]
    fn every_round_passed_is_exit_0() {
        let mut stats = Stats::new(2);
        let ok = (Class::Ok, Ok(Duration::from_millis(1)));
        stats.add(&round(1, &[ok, ok]));
        assert_eq!(stats.exit_code(), 0);
        assert_eq!(stats.ok_rounds, 1);
    }

    #[test]
    fn rows_are_bounded() {
        let mut stats = Stats::new(1);
        for n in 0..(MAX_ROWS as u64 + 10) {
            let mut r = round(n, &[(Class::Ok, Ok(Duration::from_millis(1)))]);
            r.targets[0].samples[0].host = format!("h{n}:1");
            stats.add(&r);
        }
        assert_eq!(stats.rows.len(), MAX_ROWS);
        assert_eq!(stats.rows_dropped, 10);
    }

    #[test]
    fn ago_picks_the_largest_unit() {
        assert_eq!(ago(Duration::from_secs(4)), "4s");
        assert_eq!(ago(Duration::from_secs(180)), "3m");
        assert_eq!(ago(Duration::from_secs(7300)), "2h");
        assert_eq!(ago(Duration::from_secs(200_000)), "2d");
    }
}
