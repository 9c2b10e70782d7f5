//! Everything the Atlas API said in one run: the typed facts of
//! `model::atlas`, the calls that failed, and the atlas layer's steps. (Apart
//! from `model::atlas`, whose facts a step holds: `model::step` imports that.)

use super::atlas::{AccessList, CallError, Cluster, Error, ErrorKind, User};
use super::step::Step;

/// Everything the API said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub project_id: Option<String>,
    /// `service account` or `API key`: whose refusal a 401 or 403 is.
    pub credentials: Option<&'static str>,
    pub cluster: Option<Cluster>,
    pub access_list: Option<AccessList>,
    pub user: Option<User>,
    pub errors: Vec<CallError>,
    pub steps: Vec<Step>,
    /// HTTP requests sent.
    pub requests: u32,
}

impl Facts {
    /// The first error that means the API refused us altogether (credentials, its own
    /// access list), rather than one resource being missing.
    pub fn refused(&self) -> Option<&CallError> {
        self.errors.iter().find(|e| match &e.error {
            ErrorKind::Api(err) => {
                matches!(err.status(), Some(401 | 403)) || matches!(err, Error::Token { .. })
            }
            ErrorKind::Credentials(_) => true,
            ErrorKind::NoProject => false,
        })
    }
}
