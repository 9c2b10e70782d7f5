//! What `--from-code` spends on one tree, bounded: which files are parsed at
//! all, which parse one at a time, and how many facts are kept. The parser's
//! tree costs about 270 bytes per token (more when deeply nested), so memory is
//! bounded by tokens, not by files or bytes (a long string is one token; `[[[[`
//! is four).

use crate::model::code::{MAX_NESTING, MAX_PARSE_TOKENS, NotParsed};

/// Files of more tokens than this (a tree of a few MiB) are parsed one at a
/// time in the large-file lane (`code::read`).
pub const LARGE_TOKENS: usize = 10_000;

/// Facts (references, unresolved names, accessor calls) kept per file and in all.
pub const MAX_FACTS_PER_FILE: usize = 1_000;
pub const MAX_FACTS: usize = 20_000;

/// Files not parsed that the report names; the rest are counted.
pub const MAX_NOT_PARSED_LISTED: usize = 20;

/// Whether a file is parsed at all, from its bytes alone: `Err` says why not,
/// `Ok` carries its tokens (what it costs the gate).
pub fn admit(src: &[u8]) -> Result<usize, NotParsed> {
    let (tokens, deepest) = measure(src);
    if deepest > MAX_NESTING {
        return Err(NotParsed::TooDeep);
    }
    if tokens > MAX_PARSE_TOKENS {
        return Err(NotParsed::TooLarge);
    }
    Ok(tokens)
}

/// Tokens (each run of letters, digits and `_`, each other mark, each
/// non-ASCII run counted as a word) and the deepest nesting, in one pass.
pub fn measure(src: &[u8]) -> (usize, usize) {
    let (mut tokens, mut in_word) = (0usize, false);
    for &b in src {
        let word = b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii();
        if word {
            tokens += usize::from(!in_word);
        } else if !b.is_ascii_whitespace() {
            tokens += 1;
        }
        in_word = word;
    }
    (tokens, nesting(src))
}

/// The deepest nesting of `(`, `[` and `{`, counted over raw bytes. Brackets
/// inside strings and comments count too: that can only overstate the depth,
/// and no readable file has hundreds of unclosed brackets in its strings.
pub fn nesting(src: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for &b in src {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_the_deepest_bracket() {
        assert_eq!(nesting(b"f(a[1], {b: (c)})"), 3);
        assert_eq!(nesting(b"))) (("), 2, "stray closers never go below zero");
        assert_eq!(nesting(b""), 0);
    }

    #[test]
    fn tokens_are_words_and_marks() {
        assert_eq!(measure(b"db.users.find_one({})"), (9, 2));
        assert_eq!(measure(b"s = 'a long string of words'").0, 9);
        assert_eq!(measure("名前 = 1".as_bytes()).0, 3);
    }

    /// Issue 23 item 5: a file at the read cap of half a million `[` took
    /// 464 MiB to parse, and one of 116,000 collection calls 215 MiB.
    #[test]
    fn r23_5_deep_or_large_files_are_not_parsed() {
        let deep = format!("x = {}{}", "[".repeat(300), "]".repeat(300));
        assert_eq!(admit(deep.as_bytes()), Err(NotParsed::TooDeep));
        let dense = "db.c.f()\n".repeat(MAX_PARSE_TOKENS / 7 + 1);
        assert_eq!(admit(dense.as_bytes()), Err(NotParsed::TooLarge));
        // Half a megabyte of ordinary source (long lines of words) parses.
        let prose =
            "    total = compute_the_total(first_argument, second_argument)\n".repeat(8_000);
        assert!(prose.len() > 500_000);
        assert!(admit(prose.as_bytes()).is_ok());
        let fine = format!("x = {}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(admit(fine.as_bytes()), Ok(82));
    }
}
