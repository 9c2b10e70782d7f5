//! A fixed log-scale histogram of durations: constant memory however many
//! samples it takes (about 2% relative error on quantiles), and the fixed
//! Prometheus buckets beside it, so nothing keeps every sample.

use std::time::Duration;

/// Each bucket's upper bound is this factor times the one before: quantiles
/// come back within half of it (about 2%).
const GROWTH: f64 = 1.04;
/// The smallest time told apart (1 µs); anything below shares the first bucket.
const FLOOR_SECS: f64 = 1e-6;
/// Buckets from 1 µs up to about 1000 s (ln(1e9) / ln(1.04) = 529).
const BUCKETS: usize = 530;

/// The Prometheus histogram's upper bounds, in seconds (`le`), `+Inf` implied.
pub const PROMETHEUS_BOUNDS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Durations counted into log-spaced buckets.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Box<[u32; BUCKETS]>,
    /// Per `PROMETHEUS_BOUNDS`, not cumulative; the last is `+Inf`.
    prometheus: [u64; PROMETHEUS_BOUNDS.len() + 1],
    count: u64,
    sum_secs: f64,
    max: Duration,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: Box::new([0; BUCKETS]),
            prometheus: [0; PROMETHEUS_BOUNDS.len() + 1],
            count: 0,
            sum_secs: 0.0,
            max: Duration::ZERO,
        }
    }
}

/// p50, p95 and max of what a histogram holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    pub p50: Duration,
    pub p95: Duration,
    pub max: Duration,
}

fn bucket_of(secs: f64) -> usize {
    if secs <= FLOOR_SECS {
        return 0;
    }
    let index = ((secs / FLOOR_SECS).ln() / GROWTH.ln()).ceil();
    // In range by the clamp; the cast cannot truncate a meaningful value.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = index.clamp(0.0, (BUCKETS - 1) as f64) as usize;
    index
}

/// The value a bucket stands for: the geometric middle of its bounds.
fn value_of(bucket: usize) -> f64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let upper = FLOOR_SECS * GROWTH.powi(bucket as i32);
    if bucket == 0 {
        upper
    } else {
        upper / GROWTH.sqrt()
    }
}

impl Histogram {
    pub fn record(&mut self, took: Duration) {
        let secs = took.as_secs_f64();
        let bucket = &mut self.counts[bucket_of(secs)];
        *bucket = bucket.saturating_add(1);
        let le = PROMETHEUS_BOUNDS
            .iter()
            .position(|&bound| secs <= bound)
            .unwrap_or(PROMETHEUS_BOUNDS.len());
        self.prometheus[le] += 1;
        self.count += 1;
        self.sum_secs += secs;
        self.max = self.max.max(took);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn sum_secs(&self) -> f64 {
        self.sum_secs
    }

    /// Cumulative counts per `PROMETHEUS_BOUNDS`, then `+Inf` (= `count`).
    pub fn cumulative(&self) -> impl Iterator<Item = u64> + '_ {
        self.prometheus.iter().scan(0, |total, n| {
            *total += n;
            Some(*total)
        })
    }

    /// The value below which a share `q` (0..=1) of the samples fall.
    pub fn quantile(&self, q: f64) -> Option<Duration> {
        if self.count == 0 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0u64;
        for (bucket, &n) in self.counts.iter().enumerate() {
            seen += u64::from(n);
            if seen >= rank {
                let value = Duration::from_secs_f64(value_of(bucket));
                return Some(value.min(self.max));
            }
        }
        Some(self.max)
    }

    pub fn quantiles(&self) -> Option<Quantiles> {
        Some(Quantiles {
            p50: self.quantile(0.5)?,
            p95: self.quantile(0.95)?,
            max: self.max,
        })
    }

    /// Adds another histogram's samples (a summary over rows).
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts.iter()) {
            *mine = mine.saturating_add(*theirs);
        }
        for (mine, theirs) in self.prometheus.iter_mut().zip(other.prometheus) {
            *mine += theirs;
        }
        self.count += other.count;
        self.sum_secs += other.sum_secs;
        self.max = self.max.max(other.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: f64) -> Duration {
        Duration::from_secs_f64(n / 1000.0)
    }

    #[test]
    fn quantiles_are_within_two_percent() {
        let mut h = Histogram::default();
        for i in 1..=1000 {
            h.record(ms(f64::from(i)));
        }
        let q = h.quantiles().unwrap();
        let close = |got: Duration, want: f64| {
            let got = got.as_secs_f64() * 1000.0;
            assert!((got - want).abs() / want < 0.021, "{got} vs {want}");
        };
        close(q.p50, 500.0);
        close(q.p95, 950.0);
        assert_eq!(q.max, ms(1000.0));
    }

    #[test]
    fn one_sample_is_its_own_quantiles_and_nothing_is_none() {
        assert!(Histogram::default().quantiles().is_none());
        let mut h = Histogram::default();
        h.record(ms(0.42));
        let q = h.quantiles().unwrap();
        assert_eq!(q.max, ms(0.42));
        assert!((q.p50.as_secs_f64() * 1000.0 - 0.42).abs() < 0.01);
    }

    #[test]
    fn extremes_land_in_the_end_buckets() {
        let mut h = Histogram::default();
        h.record(Duration::ZERO);
        h.record(Duration::from_secs(100_000));
        assert_eq!(h.count(), 2);
        assert_eq!(h.cumulative().last(), Some(2));
        assert_eq!(h.cumulative().next(), Some(1));
    }

    #[test]
    fn prometheus_buckets_are_cumulative_and_inclusive() {
        let mut h = Histogram::default();
        h.record(ms(1.0));
        h.record(ms(3.0));
        h.record(ms(20_000.0));
        let cumulative: Vec<u64> = h.cumulative().collect();
        assert_eq!(cumulative[0], 0, "0.5 ms");
        assert_eq!(cumulative[1], 1, "1 ms is <= le=0.001");
        assert_eq!(cumulative[3], 2, "5 ms");
        assert_eq!(cumulative[13], 2, "10 s");
        assert_eq!(cumulative[14], 3, "+Inf");
    }
}
