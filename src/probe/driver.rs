//! The driver's errors, cut to size where they enter atlas-doctor: a server
//! writes its own error messages, up to a whole reply (16 MiB). Cut before the
//! first copy (`Display`, redaction, classification each made one or more), a
//! 47 MB message cost 550 MB; cut here, the rest of the run handles 2 KiB.

use mongodb::error::{Error as DriverError, ErrorKind, WriteFailure};

/// The most bytes of a server's message kept. Under the reports' own cap on a
/// string (4096 bytes), with room for the words around it, so that the count
/// of bytes cut said here is the one a person reads.
pub const MESSAGE_MAX_BYTES: usize = 2048;

/// `error` with every message a server wrote in it (a command error, a write
/// error, an authentication or reply error's text) cut to [`MESSAGE_MAX_BYTES`].
pub fn cut(mut error: DriverError) -> DriverError {
    match error.kind.as_mut() {
        ErrorKind::Command(command) => cut_in_place(&mut command.message),
        ErrorKind::Write(WriteFailure::WriteError(write)) => cut_in_place(&mut write.message),
        ErrorKind::Write(WriteFailure::WriteConcernError(concern)) => {
            cut_in_place(&mut concern.message);
        }
        ErrorKind::InvalidResponse { message, .. }
        | ErrorKind::Authentication { message, .. }
        | ErrorKind::Internal { message, .. }
        | ErrorKind::InvalidArgument { message, .. } => cut_in_place(message),
        _ => {}
    }
    error
}

/// The bytes of a longer message kept before the words saying how many were cut:
/// with them, at most [`MESSAGE_MAX_BYTES`], so a message cut twice is cut once.
pub const KEPT_BYTES: usize = MESSAGE_MAX_BYTES - 48;

/// `text` cut to [`KEPT_BYTES`] at a character boundary when it is longer than
/// [`MESSAGE_MAX_BYTES`], saying how many bytes were cut: a copy of at most
/// `MESSAGE_MAX_BYTES`, whatever `text`'s length.
pub fn cut_str(text: &str) -> String {
    if text.len() <= MESSAGE_MAX_BYTES {
        return text.to_string();
    }
    let mut end = KEPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} more bytes cut)", &text[..end], text.len() - end)
}

fn cut_in_place(text: &mut String) {
    if text.len() > MESSAGE_MAX_BYTES {
        *text = cut_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r21_2_a_server_message_is_cut_with_the_count() {
        let flood = "é".repeat(3 * MESSAGE_MAX_BYTES);
        let cut_text = cut_str(&flood);
        assert!(cut_text.len() <= MESSAGE_MAX_BYTES, "{}", cut_text.len());
        assert!(cut_text.ends_with(&format!(
            "... ({} more bytes cut)",
            flood.len() - KEPT_BYTES
        )));
        assert_eq!(cut_str(&cut_text), cut_text, "cut once");
        assert_eq!(cut_str("short"), "short");

        let command: mongodb::error::CommandError =
            mongodb::bson::from_document(mongodb::bson::doc! {
                "code": 2, "codeName": "BadValue", "errmsg": flood.as_str()
            })
            .expect("a command error");
        let error = cut(DriverError::from(ErrorKind::Command(command)));
        let ErrorKind::Command(command) = *error.kind else {
            panic!("still a command error")
        };
        assert_eq!(command.message, cut_text);
        assert_eq!(command.code, 2);
    }
}
