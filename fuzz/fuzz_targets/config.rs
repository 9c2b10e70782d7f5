//! Fuzz target `config`: `config::parse_file` on arbitrary bytes, decoded
//! lossily as the loader would see a damaged file. Properties: no panic (no
//! stack overflow on deep nesting either); a rejection is one line.
#![no_main]

use atlas_doctor::config::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(message) = parse_file(&text) {
        assert!(!message.contains('\n'), "multi-line error: {message:?}");
    }
});
