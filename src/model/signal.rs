//! The stop signals a run ends on (SIGINT, SIGTERM, SIGHUP) and the exit code
//! each one gives: 128 + its number, as a shell reports a process it killed.

/// A stop signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
    Hup,
}

impl Signal {
    /// `SIGINT`, `SIGTERM`, `SIGHUP`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
            Signal::Hup => "SIGHUP",
        }
    }

    /// 128 + the signal's number, as a shell reports a process it killed.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Int => super::exit::INTERRUPTED,
            Signal::Term => super::exit::TERMINATED,
            Signal::Hup => super::exit::HANGUP,
        }
    }

    /// A small number for an atomic (0 stands for none).
    pub fn code(self) -> u8 {
        match self {
            Signal::Int => 1,
            Signal::Term => 2,
            Signal::Hup => 3,
        }
    }

    /// The signal of [`Signal::code`].
    pub fn from_code(code: u8) -> Option<Signal> {
        match code {
            1 => Some(Signal::Int),
            2 => Some(Signal::Term),
            3 => Some(Signal::Hup),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_128_plus_the_signal_number() {
        assert_eq!(Signal::Int.exit_code(), 130);
        assert_eq!(Signal::Term.exit_code(), 143);
        assert_eq!(Signal::Hup.exit_code(), 129);
        for s in [Signal::Int, Signal::Term, Signal::Hup] {
            assert_eq!(Signal::from_code(s.code()), Some(s));
        }
    }
}
