//! Fuzz target `uri`: `ConnectionString::parse`, its lints, `redacted()`,
//! `standard_equivalent()` and `redact_raw` on arbitrary text.
//!
//! Properties: nothing panics; a rejection is one line; `redacted()` does not
//! depend on the password at all, and never shows a decoded password of 4 or
//! more characters unless that same text stands elsewhere in the URI.
#![no_main]

use atlas_doctor::model::secret::SecretString;
use atlas_doctor::uri::{ConnectionString, redact_raw};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = redact_raw(&input);
    let cs = match ConnectionString::parse(&input) {
        Ok(cs) => cs,
        Err(err) => {
            let message = err.to_string();
            assert!(!message.contains('\n'), "multi-line error: {message:?}");
            return;
        }
    };
    for lint in cs.lints() {
        assert!(
            !lint.message.contains('\n'),
            "multi-line lint: {:?}",
            lint.message
        );
    }
    let _ = cs.standard_equivalent(
        &[("a.example.test".to_string(), 27017)],
        &[("authSource".to_string(), "admin".to_string())],
    );
    let shown = cs.redacted();
    let Some(password) = cs.password.as_ref().map(SecretString::expose) else {
        return;
    };
    let swapped = ConnectionString {
        password: Some(SecretString::new("x")),
        ..cs.clone()
    }
    .redacted();
    assert_eq!(shown, swapped, "redacted() depends on the password");
    if password.chars().count() >= 4 && shown.contains(password) {
        // Allowed only by coincidence: the same text in the user name, hosts,
        // database or options (the rendering without any password has it too),
        // or an occurrence that runs into the `:****@` mask itself.
        let without = ConnectionString {
            password: None,
            ..cs.clone()
        }
        .redacted();
        assert!(
            without.contains(password) || password.contains([':', '*', '@']),
            "redacted() shows the password: {shown:?}"
        );
    }
});
