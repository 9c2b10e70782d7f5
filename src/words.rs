//! Counted nouns for sentences: "1 host", "3 hosts", never "1 host(s)".

/// `n` and the noun in the right number: `count(1, "host")` is "1 host",
/// `count(3, "host")` is "3 hosts". Nouns with an irregular plural use `count_as`.
pub fn count(n: usize, noun: &str) -> String {
    count_as(n, noun, &format!("{noun}s"))
}

/// `n` and `one` or `many`: `count_as(2, "binary file", "binary files")`.
pub fn count_as(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(count(0, "host"), "0 hosts");
        assert_eq!(count(1, "host"), "1 host");
        assert_eq!(count(3, "privilege"), "3 privileges");
        assert_eq!(count_as(2, "warning", "warnings"), "2 warnings");
    }
}
