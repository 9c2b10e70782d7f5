//! A small read-only client of the Atlas Administration API (v2) on `ureq`:
//! service-account OAuth (client credentials, Bearer) or API-key HTTP Digest,
//! the versioned `Accept` header on every API call, paging, the API's error
//! body (`errorCode`, `detail`) as a typed error, and one deadline for all calls.
//! Secrets never leave this module: every text it returns is scrubbed of them.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

use crate::model::atlas::{Credentials, Error};

use crate::model::secret::SecretString;

/// How many entries one page asks for (the API allows up to 500).
pub const PAGE_SIZE: usize = 100;
/// A project with more pages than this is cut short rather than read forever.
pub const MAX_PAGES: usize = 50;
/// The largest answer body read (a page of 100 clusters is far below this).
/// Parsed JSON takes about 16 times its text: 4 MB stays far under the 200 MB
/// the whole run may use.
pub const MAX_BODY_BYTES: u64 = 4 * 1024 * 1024;
/// The most bytes one paged list is read for, all its pages together: past it
/// the list is cut short, whatever `totalCount` says.
pub const MAX_LIST_BYTES: u64 = 16 * 1024 * 1024;

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

/// How a paged list ended: how many items were seen, and whether it was read to
/// the end (a list cut short cannot tell that something is absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paged {
    pub items: usize,
    pub cut_short: Option<CutShort>,
}

use crate::model::paging::CutShort;

/// One answer: status, the headers that matter, the body.
struct Answer {
    status: u16,
    challenge: Option<String>,
    location: Option<String>,
    body: String,
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
    /// The secrets (and the token, once known) in any case, spaced out.
    loose: Vec<regex::Regex>,
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
        let loose = secrets
            .iter()
            .filter_map(|s| crate::redact::loose_secret_pattern(s))
            .collect();
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            auth,
            deadline,
            secrets,
            loose,
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
        for pattern in &self.loose {
            if let std::borrow::Cow::Owned(masked) = pattern.replace_all(&out, crate::redact::MASK)
            {
                out = masked;
            }
        }
        one_line(&out)
    }

    /// Scrubs every string of an answer (keys too) through [`Client::scrub`].
    fn scrub_value(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.scrub(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut v) in entries {
                    self.scrub_value(&mut v);
                    map.insert(self.scrub(&key), v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// The time the calls have left; none left is a timeout.
    fn remaining(&self) -> Result<Duration, Error> {
        Some(crate::deadline::remaining(self.deadline.into()))
            .filter(|d| !d.is_zero())
            .ok_or(Error::Timeout)
    }

    /// GET `path` (starting with `/`) with `Accept: accept`; the status and body.
    fn send(
        &mut self,
        path: &str,
        accept: &str,
        authorization: Option<String>,
        limit: u64,
    ) -> Result<Answer, Error> {
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
        self.read(response, limit)
    }

    /// The answer, its body read up to `limit` bytes. Past the status line the
    /// API has answered: what goes wrong from there is the answer's fault (too
    /// large, not UTF-8, cut off), never "could not reach".
    fn read(
        &self,
        mut response: ureq::http::Response<ureq::Body>,
        limit: u64,
    ) -> Result<Answer, Error> {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let (challenge, location) = (header("www-authenticate"), header("location"));
        let bytes = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => Error::Timeout,
                ureq::Error::BodyExceedsLimit(_) => Error::Decode {
                    message: format!(
                        "HTTP {status}: the answer is larger than {} MB",
                        limit.div_ceil(1024 * 1024)
                    ),
                },
                other => Error::Decode {
                    message: format!(
                        "HTTP {status}: the answer broke off: {}",
                        self.scrub(&other.to_string())
                    ),
                },
            })?;
        let body = String::from_utf8(bytes).map_err(|_| Error::Decode {
            message: format!("HTTP {status}: the answer is not UTF-8 text"),
        })?;
        Ok(Answer {
            status,
            challenge,
            location,
            body,
        })
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
        let Answer { status, body, .. } = self.read(response, MAX_BODY_BYTES)?;
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
        self.loose
            .extend(crate::redact::loose_secret_pattern(&access));
        if let Auth::Bearer { token, .. } = &mut self.auth {
            *token = Some(SecretString::new(access.clone()));
        }
        Ok(access)
    }

    /// GET `path` with `Accept: accept`, authenticated; the JSON body of a 200,
    /// every string in it scrubbed of the secrets.
    pub fn get(&mut self, path: &str, accept: &str) -> Result<Value, Error> {
        self.get_limited(path, accept, MAX_BODY_BYTES, true)
            .map(|(value, _)| value)
    }

    /// [`Client::get`] with a body limit, scrubbed or not (a page's items are
    /// scrubbed once kept); also the body's size.
    fn get_limited(
        &mut self,
        path: &str,
        accept: &str,
        limit: u64,
        scrub: bool,
    ) -> Result<(Value, u64), Error> {
        let answer = match &self.auth {
            Auth::Bearer { .. } => {
                let token = self.token()?;
                self.send(path, accept, Some(format!("Bearer {token}")), limit)?
            }
            Auth::Digest { .. } => {
                let authorization = self.digest_answer(path)?;
                let first = self.send(path, accept, authorization, limit)?;
                match first {
                    Answer {
                        status: 401,
                        challenge: Some(challenge),
                        ..
                    } if challenge
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("digest") =>
                    {
                        self.set_challenge(&challenge)?;
                        let authorization = self.digest_answer(path)?;
                        self.send(path, accept, authorization, limit)?
                    }
                    other => other,
                }
            }
        };
        if answer.status == 200 {
            let mut value: Value =
                serde_json::from_str(&answer.body).map_err(|e| Error::Decode {
                    message: format!("{path}: {e}"),
                })?;
            if scrub {
                self.scrub_value(&mut value);
            }
            let size = u64::try_from(answer.body.len()).unwrap_or(u64::MAX);
            return Ok((value, size));
        }
        Err(self.api_error(&answer))
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

    /// The API's error body as a typed error, every string scrubbed; a redirect
    /// names where it pointed (never followed: credentials stay here).
    fn api_error(&self, answer: &Answer) -> Error {
        let status = answer.status;
        let value: Option<Value> = serde_json::from_str(&answer.body).ok();
        let text = |k: &str| {
            value
                .as_ref()
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .map(|t| self.scrub(t))
        };
        let redirect = (300..400)
            .contains(&status)
            .then_some(answer.location.as_deref())
            .flatten()
            .map(|to| {
                format!(
                    "a redirect to {}, not followed (credentials are never sent on)",
                    self.scrub(to)
                )
            });
        let detail = redirect
            .or_else(|| text("detail"))
            .or_else(|| text("reason"))
            .unwrap_or_else(|| format!("HTTP {status} without an error body"));
        Error::Api {
            status,
            code: text("errorCode"),
            detail,
        }
    }

    /// Every item of a paged list (`results`, `totalCount`), page by page, shown
    /// to `keep`: only the items it keeps stay in memory, scrubbed as every answer
    /// is (scrubbing a whole page of entries nobody reads would cost more than
    /// reading it). The pages
    /// together are read for at most [`MAX_LIST_BYTES`] (plus the one answer that
    /// passes it) and [`MAX_PAGES`]; past either, the list is cut short and
    /// [`Paged`] says so.
    pub fn for_each(
        &mut self,
        path: &str,
        accept: &str,
        mut keep: impl FnMut(&Value) -> bool,
    ) -> Result<(Paged, Vec<Value>), Error> {
        let mut kept = Vec::new();
        let paged = self.pages(path, accept, |item| {
            if keep(item) {
                kept.push(item.clone());
            }
        })?;
        for item in &mut kept {
            self.scrub_value(item);
        }
        Ok((paged, kept))
    }

    fn pages(
        &mut self,
        path: &str,
        accept: &str,
        mut each: impl FnMut(&Value),
    ) -> Result<Paged, Error> {
        let mut seen = 0usize;
        let mut budget = MAX_LIST_BYTES;
        let mut total = None;
        for page in 1..=MAX_PAGES {
            if budget == 0 {
                return Ok(Paged {
                    items: seen,
                    cut_short: Some(CutShort::Bytes {
                        bytes: MAX_LIST_BYTES,
                        total,
                    }),
                });
            }
            let separator = if path.contains('?') { '&' } else { '?' };
            // The last page read may pass the budget by up to one answer.
            let (value, size) = self.get_limited(
                &format!("{path}{separator}itemsPerPage={PAGE_SIZE}&pageNum={page}"),
                accept,
                MAX_BODY_BYTES,
                false,
            )?;
            budget = budget.saturating_sub(size);
            let results = value
                .get("results")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::Decode {
                    message: format!("{path}: no results array"),
                })?;
            let got = results.len();
            results.iter().for_each(&mut each);
            seen += got;
            total = value.get("totalCount").and_then(Value::as_u64);
            let done = match total {
                Some(total) => u64::try_from(seen).unwrap_or(u64::MAX) >= total,
                None => got < PAGE_SIZE,
            };
            if done || got == 0 {
                return Ok(Paged {
                    items: seen,
                    cut_short: (!done).then_some(CutShort::Pages { pages: page, total }),
                });
            }
        }
        Ok(Paged {
            items: seen,
            cut_short: Some(CutShort::Pages {
                pages: MAX_PAGES,
                total,
            }),
        })
    }
}

/// `text` on one line: line breaks, carriage returns, escapes and every other
/// control character written as a visible `\u{..}`, so no string from the API
/// can start a line of its own or move a terminal's cursor in any format.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
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
