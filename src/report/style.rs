//! Semantic styles for human output: pass, fail, warn, skip, dim, with a plain
//! variant. Colour is decided once in config; this only applies it.

use colored::Colorize;

/// The kind of status a line carries; always also written as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Pass,
    Fail,
    Warn,
    Skip,
    Dim,
    Bold,
}

/// Applies tones as colours, or not at all.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    color: bool,
}

impl Palette {
    /// A palette that colours (`colored` still obeys its global override).
    pub fn pretty() -> Self {
        Palette { color: true }
    }

    /// A palette that never colours.
    pub fn plain() -> Self {
        Palette { color: false }
    }

    /// `text` styled with `tone`, or unchanged for the plain palette.
    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        match tone {
            Tone::Pass => text.green().to_string(),
            Tone::Fail => text.red().bold().to_string(),
            Tone::Warn => text.yellow().to_string(),
            Tone::Skip | Tone::Dim => text.dimmed().to_string(),
            Tone::Bold => text.bold().to_string(),
        }
    }
}
