//! The driver's verdict on a connection string, reached without any I/O: the
//! official driver decides what is valid, so a string it takes is never
//! refused here and a string it refuses never reaches the network.

use std::borrow::Cow;
use std::future::Future as _;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use mongodb::error::ErrorKind;
use mongodb::options::{ClientOptions, ConnectionString, HostInfo, ServerAddress};

use super::options::{DRIVER_LACKS, is_one_of};
use super::userinfo::{Reading, credentials_end};

#[cfg(test)]
thread_local! {
    /// How many times this thread had the driver parse a string (tests only).
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times this thread had the driver parse a connection string.
#[cfg(test)]
pub(crate) fn driver_parses() -> usize {
    PARSES.with(std::cell::Cell::get)
}

/// Parses `input` as the driver does: `ConnectionString::parse`, then the
/// checks `ClientOptions::parse` adds (seed list against `directConnection`
/// and `loadBalanced`, pool sizes, compressors, read preference), all without
/// a DNS lookup. Returns the driver's own message when it refuses.
pub(super) fn verdict(input: &str) -> Result<ConnectionString, String> {
    #[cfg(test)]
    PARSES.with(|n| n.set(n.get() + 1));
    if panics_the_driver(input) {
        return Err("a % in the credentials is not followed by two hex digits".to_string());
    }
    let judged = without_unsupported(input);
    let parsed = ConnectionString::parse(judged.as_ref()).map_err(|e| message(&e))?;
    let mut probe = parsed.clone();
    // `ClientOptions::parse` would look the SRV name up; its other checks do
    // not depend on the answer, so it judges the name as a plain seed instead.
    if let HostInfo::DnsRecord(name) = &probe.host_info {
        probe.host_info = HostInfo::HostIdentifiers(vec![ServerAddress::Tcp {
            host: name.clone(),
            port: None,
        }]);
    }
    match poll_once(ClientOptions::parse(probe)) {
        Some(Err(e)) => Err(message(&e)),
        // Pending cannot happen without an SRV lookup; the string parsed.
        Some(Ok(_)) | None => Ok(parsed),
    }
}

/// The driver (3.9) slices the two bytes after each `%` of the credentials
/// and panics when they split a multi-byte character; its panic message would
/// print that piece of the password. Such a string is invalid either way.
fn panics_the_driver(input: &str) -> bool {
    let Some((_, rest)) = input.split_once("://") else {
        return false;
    };
    let Some(at) = credentials_end(rest, Reading::Driver) else {
        return false;
    };
    rest[..at]
        .split('%')
        .skip(1)
        .any(|escape| escape.len() >= 2 && !escape.is_char_boundary(2))
}

/// `input` without the options this build of the Rust driver refuses although
/// the specification defines them (see `DRIVER_LACKS`): they say nothing about
/// validity, and the lints name them.
fn without_unsupported(input: &str) -> Cow<'_, str> {
    let Some((head, query)) = input.split_once("://").and_then(|(scheme, rest)| {
        rest.split_once('?')
            .map(|(_, q)| (scheme.len() + 3 + rest.len() - q.len(), q))
    }) else {
        return Cow::Borrowed(input);
    };
    let unsupported = |pair: &&str| {
        let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
        is_one_of(key, DRIVER_LACKS)
    };
    if !query.split('&').any(|pair| unsupported(&pair)) {
        return Cow::Borrowed(input);
    }
    let kept: Vec<&str> = query.split('&').filter(|pair| !unsupported(pair)).collect();
    Cow::Owned(format!("{}{}", &input[..head], kept.join("&")))
}

/// Polls a future once. With only seed addresses `ClientOptions::parse` has
/// nothing to wait for, so its answer is there on the first poll; this keeps
/// the uri layer synchronous and off the network.
fn poll_once<F: IntoFuture>(future: F) -> Option<F::Output> {
    let mut future = pin!(future.into_future());
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// The driver's reason without its "Kind: ..., labels: {}" wrapping.
fn message(error: &mongodb::error::Error) -> String {
    match &*error.kind {
        ErrorKind::InvalidArgument { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("mongodb://host/?appName=svc@team" ; "at sign in an option value")]
    #[test_case("mongodb+srv://cluster0.example.test/?retryWrites=true" ; "srv without a lookup")]
    #[test_case("mongodb://host/?socketTimeoutMS=1000" ; "socketTimeoutMS")]
    #[test_case("mongodb://u@host/?tlsCertificateKeyFilePassword=kp&tls=true" ; "key password")]
    #[test_case("mongodb://host/?proxyHost=p&proxyPort=1080" ; "socks5 proxy")]
    #[test_case("mongodb://u:p%40ss@a:1,b:2/app?replicaSet=rs0" ; "seed list")]
    fn accepted(input: &str) {
        verdict(input).unwrap();
    }

    #[test_case("mongodb://u:%x\u{e9}@host/", "hex digits" ; "a percent before a multi-byte character")]
    #[test_case("MONGODB://host/", "unsupported connection string scheme" ; "upper-case scheme")]
    #[test_case("mongodb://a,b/?directConnection=true", "multiple seeds" ; "direct with two seeds")]
    #[test_case("mongodb://host/?maxPoolSize=0", "maxPoolSize=0" ; "empty pool")]
    #[test_case("mongodb://host/?retryWrite=true", "retrywrite is an invalid option" ; "unknown option")]
    #[test_case("mongodb+srv://cluster0.example.test:27017/", "port" ; "srv with a port")]
    fn refused(input: &str, reason: &str) {
        let message = verdict(input).unwrap_err();
        assert!(message.contains(reason), "{input}: {message}");
    }
}
