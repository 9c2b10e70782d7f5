//! A small read-only client of the Atlas Administration API (v2) on `ureq`:
//! service-account OAuth (client credentials, Bearer) or API-key HTTP Digest,
//! the versioned `Accept` header on every API call, paging, the API's error
//! body (`errorCode`, `detail`) as a typed error, and one deadline for all calls.
//! Secrets never leave this module: every text it returns is scrubbed of them.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

pub use crate::model::atlas::Error;

use super::credentials::Credentials;
use crate::uri::SecretString;

/// How many entries one page asks for (the API allows up to 500).
pub const PAGE_SIZE: usize = 100;
/// A project with more pages than this is cut short rather than read forever.
const MAX_PAGES: usize = 50;
/// The largest answer body read (a page of 100 clusters is far below this).
const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

enum Auth {
    Digest {
        public_key: String,
        private_key: SecretString,
        /// The last challenge, reused (with a growing nonce count) until the server refuses it.
        challenge: Option<digest_auth::WwwAuthenticateHeader>,
    },
    Bearer {
        client_id: String,
        client_secret: SecretString,
        token: Option<SecretString>,
    },
}

/// One client per run; not shared between threads.
pub struct Client {
    agent: ureq::Agent,
    /// `https://cloud.mongodb.com` without a trailing slash.
    base: String,
    auth: Auth,
    deadline: Instant,
    /// Every secret value, to scrub from texts the server or transport return.
    secrets: Vec<String>,
    /// How many HTTP requests were sent (a test counts round trips, not time).
    pub requests: u32,
}

impl Client {
    /// A client whose calls all end before `deadline`.
    pub fn new(base: &str, credentials: &Credentials, deadline: Instant) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // An Authorization header must never follow a redirect to another host.
            .max_redirects(0)
            .user_agent(concat!("atlas-doctor/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let (auth, secrets) = match credentials {
            Credentials::ApiKey {
                public_key,
                private_key,
            } => (
                Auth::Digest {
                    public_key: public_key.clone(),
                    private_key: private_key.clone(),
                    challenge: None,
                },
                vec![private_key.expose().to_string()],
            ),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => (
                Auth::Bearer {
                    client_id: client_id.clone(),
                    client_secret: client_secret.clone(),
                    token: None,
                },
                vec![client_secret.expose().to_string()],
            ),
        };
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            auth,
            deadline,
            secrets,
            requests: 0,
        }
    }

    /// Masks every secret (and the bearer token) in `text` through the one
    /// secret masker, so its percent-encoded, base64 and hex forms go too.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let token = match &self.auth {
            Auth::Bearer {
                token: Some(token), ..
            } => Some(token.expose()),
            _ => None,
        };
        for secret in self.secrets.iter().map(String::as_str).chain(token) {
            if secret.len() >= 4 {
                out = crate::redact::redact_secret(&out, secret);
            }
        }
        out
    }

    fn remaining(&self) -> Result<Duration, Error> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(Error::Timeout)
    }

    /// GET `path` (starting with `/`) with `Accept: accept`; the status and body.
    fn send(
        &mut self,
        path: &str,
        accept: &str,
        authorization: Option<String>,
    ) -> Result<(u16, Option<String>, String), Error> {
        let timeout = self.remaining()?;
        let mut request = self
            .agent
            .get(format!("{}{path}", self.base))
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", accept);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        self.requests += 1;
        let response = request.call().map_err(|e| self.transport(&e))?;
        self.read(response)
    }

    fn read(
        &self,
        mut response: ureq::http::Response<ureq::Body>,
    ) -> Result<(u16, Option<String>, String), Error> {
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
            .map_err(|e| self.transport(&e))?;
        Ok((status, challenge, body))
    }

    fn transport(&self, error: &ureq::Error) -> Error {
        match error {
            ureq::Error::Timeout(_) => Error::Timeout,
            other => Error::Transport {
                message: self.scrub(&other.to_string()),
            },
        }
    }

    /// A service account's access token: `POST /api/oauth/token`, client credentials
    /// in HTTP Basic, as the Atlas CLI and the reference do it.
    fn token(&mut self) -> Result<String, Error> {
        let Auth::Bearer {
            client_id,
            client_secret,
            token,
        } = &self.auth
        else {
            return Err(Error::Decode {
                message: "no service account".into(),
            });
        };
        if let Some(token) = token {
            return Ok(token.expose().to_string());
        }
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{client_id}:{}", client_secret.expose()));
        let timeout = self.remaining()?;
        self.requests += 1;
        let response = self
            .agent
            .post(format!("{}/api/oauth/token", self.base))
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", "application/json")
            .header("Authorization", format!("Basic {basic}"))
            .send_form([("grant_type", "client_credentials")])
            .map_err(|e| self.transport(&e))?;
        let (status, _, body) = self.read(response)?;
        if status != 200 {
            let detail = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| {
                    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
                    text("error_description")
                        .or_else(|| text("error"))
                        .or_else(|| text("detail"))
                })
                .unwrap_or_else(|| "no detail".to_string());
            return Err(Error::Token {
                status,
                detail: self.scrub(&detail),
            });
        }
        let value: Value = serde_json::from_str(&body).map_err(|e| Error::Decode {
            message: format!("token answer: {e}"),
        })?;
        let access = value
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::Decode {
                message: "token answer without access_token".into(),
            })?
            .to_string();
        if let Auth::Bearer { token, .. } = &mut self.auth {
            *token = Some(SecretString::new(access.clone()));
        }
        Ok(access)
    }

    /// GET `path` with `Accept: accept`, authenticated; the JSON body of a 200.
    pub fn get(&mut self, path: &str, accept: &str) -> Result<Value, Error> {
        let (status, _, body) = match &self.auth {
            Auth::Bearer { .. } => {
                let token = self.token()?;
                self.send(path, accept, Some(format!("Bearer {token}")))?
            }
            Auth::Digest { .. } => {
                let authorization = self.digest_answer(path)?;
                let first = self.send(path, accept, authorization)?;
                match first {
                    (401, Some(challenge), _)
                        if challenge
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("digest") =>
                    {
                        self.set_challenge(&challenge)?;
                        let authorization = self.digest_answer(path)?;
                        self.send(path, accept, authorization)?
                    }
                    other => other,
                }
            }
        };
        if status == 200 {
            return serde_json::from_str(&body).map_err(|e| Error::Decode {
                message: format!("{path}: {e}"),
            });
        }
        Err(self.api_error(status, &body))
    }

    fn set_challenge(&mut self, header: &str) -> Result<(), Error> {
        let parsed = digest_auth::parse(header).map_err(|e| Error::Decode {
            message: format!("Digest challenge: {e}"),
        })?;
        if let Auth::Digest { challenge, .. } = &mut self.auth {
            *challenge = Some(parsed);
        }
        Ok(())
    }

    /// The Digest `Authorization` for `path`, when a challenge is known.
    fn digest_answer(&mut self, path: &str) -> Result<Option<String>, Error> {
        let Auth::Digest {
            public_key,
            private_key,
            challenge: Some(challenge),
        } = &mut self.auth
        else {
            return Ok(None);
        };
        let context =
            digest_auth::AuthContext::new(public_key.as_str(), private_key.expose(), path);
        let answer = challenge.respond(&context).map_err(|e| Error::Decode {
            message: format!("Digest challenge: {e}"),
        })?;
        Ok(Some(answer.to_header_string()))
    }

    fn api_error(&self, status: u16, body: &str) -> Error {
        let value: Option<Value> = serde_json::from_str(body).ok();
        let text = |k: &str| {
            value
                .as_ref()
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let detail = text("detail")
            .or_else(|| text("reason"))
            .unwrap_or_else(|| format!("HTTP {status} without an error body"));
        Error::Api {
            status,
            code: text("errorCode"),
            detail: self.scrub(&detail),
        }
    }

    /// Every item of a paged list (`results`, `totalCount`), page by page.
    pub fn get_all(&mut self, path: &str, accept: &str) -> Result<Vec<Value>, Error> {
        let mut items = Vec::new();
        for page in 1..=MAX_PAGES {
            let separator = if path.contains('?') { '&' } else { '?' };
            let value = self.get(
                &format!("{path}{separator}itemsPerPage={PAGE_SIZE}&pageNum={page}"),
                accept,
            )?;
            let results = value
                .get("results")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::Decode {
                    message: format!("{path}: no results array"),
                })?;
            let got = results.len();
            items.extend(results.iter().cloned());
            let total = value
                .get("totalCount")
                .and_then(Value::as_u64)
                .and_then(|t| usize::try_from(t).ok());
            let done = match total {
                Some(total) => items.len() >= total,
                None => got < PAGE_SIZE,
            };
            if done || got == 0 {
                break;
            }
        }
        Ok(items)
    }
}

/// `Accept: application/vnd.atlas.YYYY-MM-DD+json`: the API version a resource is read with.
pub fn versioned(date: &str) -> String {
    format!("application/vnd.atlas.{date}+json")
}

/// A path segment with everything but unreserved characters percent-encoded
/// (`$external`, a CIDR block's `/`, a user name with `@`).
pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("$external"), "%24external");
        assert_eq!(segment("10.0.0.0/8"), "10.0.0.0%2F8");
        assert_eq!(segment("CN=a,O=b"), "CN%3Da%2CO%3Db");
        assert_eq!(segment("app-user_1.x~"), "app-user_1.x~");
    }

    #[test]
    fn scrub_removes_secrets() {
        let client = Client::new(
            "https://cloud.mongodb.com/",
            &Credentials::ApiKey {
                public_key: "pub".into(),
                private_key: SecretString::new("priv-123456"),
            },
            Instant::now(),
        );
        assert_eq!(client.scrub("key priv-123456 refused"), "key **** refused");
        assert_eq!(client.base, "https://cloud.mongodb.com");
    }

    #[test]
    fn a_passed_deadline_sends_nothing() {
        let mut client = Client::new(
            "http://127.0.0.1:9",
            &Credentials::ApiKey {
                public_key: "pub".into(),
                private_key: SecretString::new("priv"),
            },
            Instant::now(),
        );
        assert_eq!(
            client.get("/x", &versioned("2023-01-01")),
            Err(Error::Timeout)
        );
        assert_eq!(client.requests, 0);
    }
}
