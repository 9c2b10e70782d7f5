//! How a paged list from a peer ended: read to the end, or cut short by a page
//! or size limit (then an item not found in it is not known to be absent).

/// Why a paged list was not read to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutShort {
    /// The page limit reached (`pages` read) before `totalCount`.
    Pages { pages: usize, total: Option<u64> },
    /// The size limit reached (`bytes` read) before `totalCount`.
    Bytes { bytes: u64, total: Option<u64> },
}

impl std::fmt::Display for CutShort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = |t: &Option<u64>| {
            t.map(|t| format!(" of the {t} the API announced"))
                .unwrap_or_default()
        };
        match self {
            CutShort::Pages { pages, total: t } => {
                write!(f, "the list was cut short after {pages} pages{}", total(t))
            }
            CutShort::Bytes { bytes, total: t } => write!(
                f,
                "the list was cut short after {} MB{}",
                bytes / (1024 * 1024),
                total(t)
            ),
        }
    }
}
