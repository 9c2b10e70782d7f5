//! The status layer's facts (checklist's database-status): what `hello`,
//! `dbStats`, `buildInfo` and `serverStatus` answered through the driver.

/// What `hello` said through the driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Hello {
    pub writable_primary: bool,
    pub set_name: Option<String>,
}

/// `dbStats` of the checklist's database.
#[derive(Debug, Clone, PartialEq)]
pub struct DbStats {
    pub collections: f64,
    pub objects: f64,
    pub data_bytes: f64,
}

/// The parts of `serverStatus` the checklist shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerStatus {
    pub uptime_secs: Option<f64>,
    /// `(current, available)` connections.
    pub connections: Option<(f64, f64)>,
}

/// Each command's answer, or its (redacted) error text.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub database: String,
    pub hello: Result<Hello, String>,
    pub db_stats: Result<DbStats, String>,
    /// `buildInfo.version`, where the user may run it.
    pub version: Option<String>,
    pub server_status: Result<ServerStatus, String>,
}
