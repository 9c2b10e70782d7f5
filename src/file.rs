//! Reading the files we are pointed at: one helper, with a size cap, that opens
//! only regular files (or symlinks to them). Config files, CA and key files,
//! scanned files and `explain`'s stdin all go through it, so `--config
//! /dev/zero`, a FIFO or `/proc/kmsg` end promptly with a clear error instead
//! of growing without bound or blocking forever.

use std::fs::{File, OpenOptions};
use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::Path;

/// The largest config file read (real ones are a few hundred bytes).
pub const CONFIG_MAX_BYTES: u64 = 1024 * 1024;
/// The largest CA or certificate-key file accepted (a full CA bundle is about 250 KB).
pub const PEM_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A directory, FIFO, socket or device: reading it would block or never end.
    #[error("is {kind}, not a regular file")]
    NotRegular { kind: &'static str },
    #[error("is larger than {cap} bytes")]
    TooLarge { cap: u64 },
    #[error("is not UTF-8 text")]
    NotText,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads a regular file (following symlinks) of at most `cap` bytes.
///
/// Opened non-blocking: opening a FIFO then returns at once (and it is refused
/// as not regular), and a file of a pseudo filesystem that would block a read
/// (`/proc/kmsg`) fails with `WouldBlock` instead. Files of such filesystems
/// report a size of 0 whatever they hold, so the cap is enforced while reading
/// too, not only from the metadata.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, Error> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    read_regular(file, cap)
}

/// `read_capped`, as UTF-8 text.
pub fn read_text(path: &Path, cap: u64) -> Result<String, Error> {
    String::from_utf8(read_capped(path, cap)?).map_err(|_| Error::NotText)
}

/// Checks that a file someone else will read (the driver reads tlsCAFile and
/// tlsCertificateKeyFile itself) is a regular file of at most `cap` bytes.
pub fn check(path: &Path, cap: u64) -> Result<(), Error> {
    let metadata = std::fs::metadata(path)?;
    refuse_special(metadata.file_type())?;
    if metadata.len() > cap {
        return Err(Error::TooLarge { cap });
    }
    Ok(())
}

/// Reads standard input, at most `cap` bytes (the rest is ignored): a pipe, a
/// terminal or a regular file are text; a directory (`explain < /tmp`) is not.
pub fn read_stdin(cap: u64) -> Result<Vec<u8>, Error> {
    use std::os::fd::AsFd as _;
    let stdin = std::io::stdin();
    let file = File::from(stdin.as_fd().try_clone_to_owned()?);
    let kind = file.metadata()?.file_type();
    if kind.is_dir() {
        return Err(Error::NotRegular {
            kind: "a directory",
        });
    }
    let mut bytes = Vec::new();
    stdin.lock().take(cap).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_regular(file: File, cap: u64) -> Result<Vec<u8>, Error> {
    let metadata = file.metadata()?;
    refuse_special(metadata.file_type())?;
    if metadata.len() > cap {
        return Err(Error::TooLarge { cap });
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(Error::TooLarge { cap });
    }
    Ok(bytes)
}

fn refuse_special(kind: std::fs::FileType) -> Result<(), Error> {
    let kind = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    };
    Err(Error::NotRegular { kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "x = 1\n").unwrap();
        assert_eq!(read_text(&path, 6).unwrap(), "x = 1\n");
        assert!(matches!(
            read_capped(&path, 5),
            Err(Error::TooLarge { cap: 5 })
        ));
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert_eq!(read_text(&link, 100).unwrap(), "x = 1\n");
        std::fs::write(&path, b"\xff\xfe").unwrap();
        assert!(matches!(read_text(&path, 100), Err(Error::NotText)));
    }

    /// Issue 15 item 10: `/dev/zero` grew to 19 GB, a FIFO blocked forever.
    #[test]
    fn r15_devices_fifos_and_directories_are_refused_at_once() {
        let err = read_capped(Path::new("/dev/zero"), CONFIG_MAX_BYTES).unwrap_err();
        assert_eq!(err.to_string(), "is a character device, not a regular file");
        assert!(check(Path::new("/dev/zero"), PEM_MAX_BYTES).is_err());
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_capped(&fifo, CONFIG_MAX_BYTES).unwrap_err();
        assert_eq!(
            err.to_string(),
            "is a FIFO (named pipe), not a regular file"
        );
        let err = read_capped(dir.path(), CONFIG_MAX_BYTES).unwrap_err();
        assert_eq!(err.to_string(), "is a directory, not a regular file");
        let missing = read_capped(&dir.path().join("nope"), 10).unwrap_err();
        assert!(missing.to_string().contains("No such file"), "{missing}");
    }
}
