//! Wire versions: which MongoDB release speaks each one, and the range the
//! bundled driver speaks. The one home of both facts: the hello layer, the
//! diagnosis and `explain` all ask here.

/// The lowest wire version the bundled driver speaks (MongoDB 4.4); the
/// driver's own `DRIVER_MIN_WIRE_VERSION` (mongodb 3.9, `sdam/description/server.rs`).
pub const DRIVER_MIN: i32 = 9;
/// The highest wire version the bundled driver speaks (its `DRIVER_MAX_WIRE_VERSION`).
pub const DRIVER_MAX: i32 = 29;

/// The release that introduced each wire version, indexed by wire version: the
/// drivers' specification "Server Wire version and Feature List"
/// (mongodb/specifications, source/wireversion-featurelist), with the rapid
/// releases it leaves out (4.7 to 4.9 were 10 to 12, 6.3 was 20; since 5.1 the
/// server derives the wire version from its release count, so 8.1 is 26, 8.2 is 27).
const RELEASES: [&str; 28] = [
    "2.4", "2.6", "2.6", "3.0", "3.2", "3.4", "3.6", "4.0", "4.2", "4.4", "4.7", "4.8", "4.9",
    "5.0", "5.1", "5.2", "5.3", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3", "8.0",
    "8.1", "8.2",
];

/// The MongoDB release of a wire version (`None` for a negative one or one
/// newer than this table).
pub fn release(wire: i32) -> Option<&'static str> {
    usize::try_from(wire)
        .ok()
        .and_then(|i| RELEASES.get(i))
        .copied()
}

/// The release in words, for any wire version: `2.4 or earlier`, `8.2 or later`.
pub fn release_words(wire: i32) -> String {
    match release(wire) {
        Some(_) if wire == 0 => "2.4 or earlier".to_string(),
        Some(release) => release.to_string(),
        None if wire < 0 => "2.4 or earlier".to_string(),
        None => format!("later than {}", RELEASES[RELEASES.len() - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19 item 4: probe/hello.rs and explain.rs disagreed on wire 10-12, 14
    /// and 18 (hello said 5.0, 5.x, 6.x/7.0); one table now, checked against the
    /// specification's rows.
    #[test]
    fn r19_wire_versions_name_their_release() {
        let spec = [
            (1, "2.6"),
            (2, "2.6"),
            (3, "3.0"),
            (4, "3.2"),
            (5, "3.4"),
            (6, "3.6"),
            (7, "4.0"),
            (8, "4.2"),
            (9, "4.4"),
            (10, "4.7"),
            (12, "4.9"),
            (13, "5.0"),
            (14, "5.1"),
            (16, "5.3"),
            (17, "6.0"),
            (18, "6.1"),
            (19, "6.2"),
            (21, "7.0"),
            (22, "7.1"),
            (24, "7.3"),
            (25, "8.0"),
            (27, "8.2"),
        ];
        for (wire, release) in spec {
            assert_eq!(super::release(wire), Some(release), "wire {wire}");
        }
        assert_eq!(release_words(0), "2.4 or earlier");
        assert_eq!(release_words(-1), "2.4 or earlier");
        assert_eq!(release_words(40), "later than 8.2");
        assert_eq!(release_words(DRIVER_MIN), "4.4");
    }
}
