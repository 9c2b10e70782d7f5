//! A duration in the words of a report.

use std::time::Duration;

/// A duration in the words of a report: seconds rounded to a tenth, `1.6 s`,
/// `5 s` (never the float's own digits, `1.5546790609999999s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secs(pub Duration);

impl std::fmt::Display for Secs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0.as_millis() + 50) / 100;
        if tenths.is_multiple_of(10) {
            write!(f, "{} s", tenths / 10)
        } else {
            write!(f, "{}.{} s", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 5: a deadline was said with the float's own digits ("the
    /// auth layer's deadline (1.5546790609999999s)"); it is said rounded.
    #[test]
    fn r19_a_duration_is_said_rounded_to_a_tenth() {
        let said = |ms: u64| Secs(Duration::from_millis(ms)).to_string();
        assert_eq!(said(1_554), "1.6 s");
        assert_eq!(said(5_000), "5 s");
        assert_eq!(said(1_949), "1.9 s");
        assert_eq!(said(1_950), "2 s");
        assert_eq!(said(250), "0.3 s");
        let error = crate::model::auth::Failure::Silent {
            command: "connectionStatus".into(),
            after: Duration::from_nanos(1_554_679_060),
        };
        assert_eq!(
            error.to_string(),
            "no answer to connectionStatus within the auth layer's deadline (1.6 s)"
        );
    }
}
