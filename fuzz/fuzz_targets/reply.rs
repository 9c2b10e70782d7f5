//! Fuzz target `reply`: the probe's bounded reply decoder (`hello::decode_document`
//! and `hello::nesting_depth`) on arbitrary bytes, and on arbitrary bytes wrapped in
//! up to 65,535 levels of nesting (the first two bytes pick the depth).
//!
//! Properties: nothing panics and nothing overflows the stack, whatever the depth;
//! a reply deeper than `MAX_NESTING` is refused; one at most that deep that the walk
//! accepts is one the BSON decoder also accepts or refuses without crashing.
#![no_main]

use atlas_doctor::probe::hello::{MAX_NESTING, decode_document, nesting_depth};
use libfuzzer_sys::fuzz_target;

/// `{a: {a: ... inner}}` with `levels` documents around `inner` (a document's bytes).
fn wrap(inner: &[u8], levels: usize) -> Vec<u8> {
    let total = inner.len() + 8 * levels;
    let mut out = Vec::with_capacity(total);
    for level in 0..levels {
        let len = i32::try_from(total - 8 * level).unwrap_or(i32::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&[0x03, b'a', 0]);
    }
    out.extend_from_slice(inner);
    out.extend(std::iter::repeat_n(0u8, levels));
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = decode_document(data);
    if data.len() < 2 {
        return;
    }
    let levels = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let rest = &data[2..];
    // A well-formed inner document when the input is not one: the nesting is the point.
    let inner = if nesting_depth(rest).is_some() { rest.to_vec() } else { vec![5, 0, 0, 0, 0] };
    let deep = wrap(&inner, levels);
    let depth = nesting_depth(&deep);
    if let Some(depth) = depth {
        assert!(depth >= levels.min(MAX_NESTING + 1), "walk missed levels: {depth} < {levels}");
    }
    let decoded = decode_document(&deep);
    if levels >= MAX_NESTING {
        assert!(decoded.is_err(), "a reply {levels} levels deep was decoded");
    }
});
