//! What the process environment holds (variables, directories), behind a
//! trait so that config resolution and the Atlas credentials are testable.

use std::path::{Path, PathBuf};

/// What the environment holds, read once so resolution is testable.
pub trait Environment {
    /// The raw value: a variable may be set to bytes that are not UTF-8.
    fn var_os(&self, name: &str) -> Option<std::ffi::OsString>;
    fn current_dir(&self) -> Option<PathBuf>;
    fn user_config_dir(&self) -> Option<PathBuf>;
    /// The Atlas CLI's own config file (`--atlas-profile`).
    fn atlas_cli_config(&self) -> Option<PathBuf> {
        dirs::config_dir().map(|d| atlas_cli_config_in(&d))
    }
}

/// The real process environment.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var_os(&self, name: &str) -> Option<std::ffi::OsString> {
        std::env::var_os(name)
    }
    fn current_dir(&self) -> Option<PathBuf> {
        std::env::current_dir().ok()
    }
    fn user_config_dir(&self) -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("atlas-doctor").join("config.toml"))
    }
}

/// The Atlas CLI's config file in a config directory (`atlascli/config.toml`).
pub fn atlas_cli_config_in(config_dir: &Path) -> PathBuf {
    config_dir.join("atlascli").join("config.toml")
}
