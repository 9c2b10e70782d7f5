//! Fuzz target `reply`: the two decoders a reply from a peer goes through, on
//! arbitrary bytes and on arbitrary bytes wrapped in up to 65,535 levels of nesting
//! (the first two bytes pick the depth, the third which levels are arrays):
//! - the probe's own bounded decoder (`hello::decode_document`, `hello::nesting_depth`);
//! - the patched bson the driver decodes every reply with (`vendor/bson`, the crate
//!   the driver re-exports as `mongodb::bson`): `from_slice::<Document>`,
//!   `Document::try_from(&RawDocument)`, `Document::from_reader`, and a typed reply
//!   with one known field, whose unknown fields go through serde's `IgnoredAny` as
//!   the driver's typed replies do.
//!
//! Properties: nothing panics and nothing overflows the stack, whatever the depth;
//! the walk measures the depth exactly (up to `MAX_NESTING + 1`); the probe refuses a
//! reply deeper than `MAX_NESTING`; bson refuses one deeper than 200 levels in each
//! of the four ways, and at or below that it decodes the wrapped reply whenever it
//! decodes the inner document alone (so it never fails because of the depth); a
//! refusal leaves no level open (a reply exactly 200 deep still decodes after it).
#![no_main]

use atlas_doctor::probe::hello::{MAX_NESTING, decode_document, nesting_depth};
use bson::{Document, RawDocument};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

/// The deepest nesting the patched bson decodes (`vendor/bson/src/depth.rs`, not
/// public there): the limit of libbson and the server.
const BSON_MAX_DEPTH: usize = 200;

/// The smallest BSON document, `{}`.
const EMPTY: [u8; 5] = [5, 0, 0, 0, 0];

/// A driver reply type in miniature: one known field, everything else ignored.
#[derive(Deserialize)]
struct Reply {
    #[serde(rename = "ok")]
    _ok: Option<f64>,
}

/// `{a: {a: ... inner}}` with `levels` documents or arrays (bit `level % 8` of
/// `arrays` set: an array) around `inner` (a document's bytes, kept a document).
fn wrap(inner: &[u8], levels: usize, arrays: u8) -> Vec<u8> {
    let total = inner.len() + 8 * levels;
    let mut out = Vec::with_capacity(total);
    for level in 0..levels {
        let len = i32::try_from(total - 8 * level).unwrap_or(i32::MAX);
        let array = level + 1 < levels && arrays & (1 << (level % 8)) != 0;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&[if array { 0x04 } else { 0x03 }, b'a', 0]);
    }
    out.extend_from_slice(inner);
    out.extend(std::iter::repeat_n(0u8, levels));
    out
}

/// Whether each of the four ways the driver's bson decodes a reply accepts `bytes`:
/// `from_slice::<Document>`, `Document::try_from(&RawDocument)`,
/// `Document::from_reader`, `from_slice::<Reply>`.
fn bson_decodes(bytes: &[u8]) -> [bool; 4] {
    let raw = RawDocument::from_bytes(bytes).and_then(Document::try_from);
    [
        bson::from_slice::<Document>(bytes).is_ok(),
        raw.is_ok(),
        Document::from_reader(bytes).is_ok(),
        bson::from_slice::<Reply>(bytes).is_ok(),
    ]
}

fuzz_target!(|data: &[u8]| {
    let _ = decode_document(data);
    let _ = bson_decodes(data);
    if data.len() < 3 {
        return;
    }
    let levels = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let arrays = data[2];
    let rest = &data[3..];
    // A well-formed inner document when the input is not one: the nesting is the
    // point. Only the document itself, not the bytes after it, goes inside.
    let (inner, inner_depth) = match nesting_depth(rest) {
        Some(depth) => {
            let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
            (&rest[..len as usize], depth)
        }
        None => (&EMPTY[..], 1),
    };
    // Exact when the inner walk was not cut short at `MAX_NESTING + 1`, else a floor.
    let depth = levels + inner_depth;
    let exact = inner_depth <= MAX_NESTING;
    let deep = wrap(inner, levels, arrays);

    let walked = nesting_depth(&deep);
    assert_eq!(
        walked,
        Some(depth.min(MAX_NESTING + 1)),
        "walk of {levels} levels"
    );
    let decoded = decode_document(&deep);
    if depth > MAX_NESTING {
        assert!(
            decoded.is_err(),
            "the probe decoded a reply {depth} levels deep"
        );
    }

    let wrapped = bson_decodes(&deep);
    if depth > BSON_MAX_DEPTH {
        assert_eq!(
            wrapped, [false; 4],
            "bson decoded a reply {depth} levels deep"
        );
    } else if exact {
        // The wrappers are well-formed, so only depth could make bson refuse the
        // wrapped reply when it accepts the inner document alone. At no wrapping the
        // typed reply is the inner document itself, whose `ok` may have another type.
        let alone = bson_decodes(inner);
        let reference = [alone[0], alone[1], alone[2], levels > 0 && alone[0]];
        for (way, (&inner_ok, &wrapped_ok)) in reference.iter().zip(&wrapped).enumerate() {
            assert!(
                !inner_ok || wrapped_ok,
                "way {way}: bson refused a reply {depth} levels deep whose inner document it decodes"
            );
        }
    }

    // A refusal must close every level it opened: the limit itself still decodes.
    let limit = wrap(&EMPTY, BSON_MAX_DEPTH - 1, arrays);
    assert_eq!(
        bson_decodes(&limit),
        [true; 4],
        "bson refused {BSON_MAX_DEPTH} levels"
    );
});
