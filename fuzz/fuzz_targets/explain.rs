//! Fuzz target `explain`: `explain::explain` and `redact::redact_text` on
//! arbitrary bytes decoded the way the CLI decodes stdin. Property: no panic.
#![no_main]

use atlas_doctor::explain::{decode_input, explain};
use atlas_doctor::redact::redact_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = decode_input(data);
    let _ = redact_text(&text);
    let _ = explain(&text);
});
