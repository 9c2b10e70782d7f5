//! The one sanitiser for untrusted text (server error messages, set names,
//! versions, certificate subjects, TXT records, scanned file names) on its way
//! to a person: a length cap for every format, control characters made visible
//! for the terminal and Markdown, and Markdown's own escaping.
//!
//! A peer controls these strings: a 47 MB error message must not reach stdout
//! whole, and `\x1b]0;title\x07`, `\x1b[2J` or a `\r` before "OK" must not set
//! the window title, clear the screen or overwrite a FAIL.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The most bytes of one string that any report shows. Long enough for a
/// driver's error with its server address list, far short of a flood.
pub const MAX_BYTES: usize = 4096;

/// `text` cut to [`MAX_BYTES`] at a character boundary, saying how much was cut.
pub fn cap(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_BYTES {
        return Cow::Borrowed(text);
    }
    let mut end = MAX_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!(
        "{}... ({} more bytes cut)",
        &text[..end],
        text.len() - end
    ))
}

/// Caps `text` in place (for the typed report, before any renderer sees it).
pub fn cap_in_place(text: &mut String) {
    if let Cow::Owned(capped) = cap(text) {
        *text = capped;
    }
}

/// True for characters a terminal acts on instead of showing: C0 and C1
/// controls, DEL, and the Unicode line/paragraph separators and bidi overrides
/// that reorder what is shown (a "trojan source" line).
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` for a terminal: capped, a newline kept (renderers indent what follows
/// it), a tab as a space, and every other control character written as a
/// visible escape (`\x1b`, `\r`, `\u{202e}`), so nothing a peer sends can move
/// the cursor, clear the screen or set the title.
pub fn terminal(text: &str) -> Cow<'_, str> {
    let text = cap(text);
    if !text.chars().any(|c| is_hostile(c) && c != '\n') {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if is_hostile(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The one visible spelling of a control character.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `text` as Markdown inline text that renders to exactly these characters in
/// both readers a ticket meets: CommonMark (GitHub, GitLab, Jira's importers)
/// and Python-Markdown (MkDocs, Trac). Capped, controls made visible, newlines
/// as spaces; a character either reads as markup is backslash-escaped where
/// both honour the escape (`*.host` keeps its `*`), else written as a character
/// reference: Python-Markdown shows `\<`, `\|`, `\~`, `\&` and `\$` as typed.
pub fn markdown(text: &str) -> String {
    let mut out = inline(&cap(text));
    escape_line_start(&mut out);
    out
}

/// Escapes one run of inline text (see [`markdown`]), without the line-start rule.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '>' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("&#124;"),
            '~' => out.push_str("&#126;"),
            '$' => out.push_str("&#36;"),
            c if is_hostile(c) => {
                // The escape's backslash must itself survive Markdown.
                let mut escaped = String::new();
                push_escaped(&mut escaped, c);
                out.push_str(&escaped.replace('\\', "\\\\"));
            }
            c => out.push(c),
        }
    }
    out
}

/// At the start of a line (a list item's text, a paragraph) `-`, `+`, `=` or
/// digits and `.` or `)` would open a list or underline a heading: the first one
/// is escaped, in a way both readers honour.
fn escape_line_start(out: &mut String) {
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    } else if out.starts_with('=') {
        out.replace_range(..1, "&#61;");
    } else if let Some(i) = out.find(|c: char| !c.is_ascii_digit())
        && i > 0
        && out[i..].starts_with(['.', ')'])
    {
        out.insert(i, '\\');
    }
}

/// Our own sentences (summaries, causes, fixes) as Markdown: a span between
/// two backticks is a command or a name to copy and becomes a code span (shown
/// as code, its backticks gone); the rest is escaped as [`markdown`]. A span
/// holding a `|` stays escaped text: a table cell would end at it.
pub fn markdown_with_code(text: &str) -> String {
    let text = cap(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest: &str = &text;
    loop {
        let span = rest.find('`').and_then(|open| {
            let close = open + 1 + rest[open + 1..].find('`')?;
            let inside = &rest[open + 1..close];
            (!inside.trim().is_empty() && !inside.contains('|')).then_some((open, close))
        });
        let Some((open, close)) = span else {
            out.push_str(&inline(rest));
            break;
        };
        out.push_str(&inline(&rest[..open]));
        out.push_str(&markdown_code(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !text.starts_with('`') {
        escape_line_start(&mut out);
    }
    out
}

/// `text` as HTML text, for the evidence inside a report's `<details>`: both
/// readers pass an HTML block through untouched (Python-Markdown reads no
/// Markdown inside it), so it is written in HTML, not Markdown. Capped,
/// controls made visible, newlines as spaces.
pub fn html(text: &str) -> String {
    let text = terminal(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a fenced Markdown code block (a quoted error): every line kept,
/// controls made visible, and a fence longer than any backtick run inside.
pub fn markdown_block(text: &str) -> String {
    let text = terminal(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{}\n{fence}\n", text.trim_end_matches('\n'))
}

/// `text` as a Markdown code span: the fence is longer than any run of
/// backticks inside, so no content can close it early.
pub fn markdown_code(text: &str) -> String {
    let text = cap(text);
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\t' => ' '.to_string(),
            c if is_hostile(c) => {
                let mut escaped = String::new();
                push_escaped(&mut escaped, c);
                escaped
            }
            c => c.to_string(),
        })
        .collect();
    let longest = cleaned.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A space on each side when the content touches a backtick or a space,
    // which CommonMark then strips.
    if cleaned.starts_with(['`', ' ']) || cleaned.ends_with(['`', ' ']) {
        format!("{fence} {cleaned} {fence}")
    } else {
        format!("{fence}{cleaned}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_BYTES);
        let capped = cap(&long);
        assert!(capped.len() < MAX_BYTES + 40, "{}", capped.len());
        assert!(capped.ends_with(&format!("... ({MAX_BYTES} more bytes cut)")));
        assert_eq!(cap("short"), "short");
    }

    #[test]
    fn terminal_controls_become_visible() {
        let hostile = "\u{1b}]0;title\u{7}\u{1b}[2Jboom\rOK\u{202e}x\ty\nnext";
        let shown = terminal(hostile);
        assert_eq!(
            shown,
            "\\x1b]0;title\\x07\\x1b[2Jboom\\rOK\\u{202e}x y\nnext"
        );
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'));
        assert!(matches!(terminal("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_escapes_markup_and_line_starts() {
        assert_eq!(
            markdown("*.cluster0.mongodb.net"),
            "\\*.cluster0.mongodb.net"
        );
        assert_eq!(markdown("<monitor>"), "&lt;monitor\\>");
        assert_eq!(
            markdown("a|b ~~c~~ $d & e"),
            "a&#124;b &#126;&#126;c&#126;&#126; &#36;d &amp; e"
        );
        assert_eq!(markdown("=="), "&#61;=");
        assert_eq!(markdown("- not a list"), "\\- not a list");
        assert_eq!(markdown("1. not a list"), "1\\. not a list");
        assert_eq!(markdown("a\u{1b}[2Jb"), "a\\\\x1b\\[2Jb");
    }

    #[test]
    fn code_spans_outlast_backticks_inside() {
        assert_eq!(markdown_code("plain"), "`plain`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x`"), "`` `x` ``");
    }
}
