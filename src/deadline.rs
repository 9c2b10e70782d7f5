//! Deadlines belong to layers, not calls: the one home of the time a layer has
//! left and of the grace our own bound on a driver call gives the driver's
//! timers. The pipeline sets each layer's deadline; probes only read it.

use std::time::Duration;

use tokio::time::Instant;

/// How long after a layer's deadline our own bound on a driver call fires: the
/// driver's timers (server selection, connect) end at the deadline itself, and
/// its error names the cause (an untrusted certificate, a refused host), so it
/// should win the race against our plain "no answer".
pub const GRACE: Duration = Duration::from_millis(500);

/// The instant a layer's one budget runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(Instant);

impl Deadline {
    /// A budget of `budget` from now.
    pub fn after(budget: Duration) -> Deadline {
        Deadline(Instant::now() + budget)
    }

    /// The deadline at `at`.
    pub fn at(at: Instant) -> Deadline {
        Deadline(at)
    }

    /// The instant itself, for `tokio::time::timeout_at`.
    pub fn instant(self) -> Instant {
        self.0
    }

    /// The time left (zero once past), for driver options that take a duration.
    pub fn remaining(self) -> Duration {
        remaining(self.0)
    }

    /// Where our own bound on a driver call fires: `GRACE` after the deadline.
    pub fn with_grace(self) -> Instant {
        self.0 + GRACE
    }
}

/// The time left before `deadline` (zero once past).
pub fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_past_deadline_has_nothing_left_and_grace_comes_after_it() {
        let past = Deadline::at(Instant::now() - Duration::from_secs(1));
        assert_eq!(past.remaining(), Duration::ZERO);
        assert_eq!(past.with_grace(), past.instant() + GRACE);
        assert!(Deadline::after(Duration::from_secs(60)).remaining() > Duration::from_secs(59));
    }
}
