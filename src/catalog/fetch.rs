//! The only network code: fetch the product's GitHub releases (the AksHci
//! line) and Azure Local's update manifest over HTTPS for `akspol catalog
//! update` (the face merges them with [`super::merge`] and
//! [`super::manifest`] and caches the result).
//!
//! Network hygiene, the same for both sources: a connect timeout and one
//! deadline for the whole update (every page, redirect and byte of it), one
//! cap on the bytes of all of a source's answers together, a `User-Agent`
//! naming akspol, the validators of the last answer (`If-None-Match`,
//! `If-Modified-Since`), proxies from the usual environment variables
//! (reqwest's default). `GITHUB_TOKEN` goes to the releases API as a bearer
//! token (never printed, never sent to another server than the one asked: a
//! redirect or a next-page link to another server is refused, one rule for
//! both) and never to the manifest. The manifest's short link redirects to
//! another server, so its redirects are followed to any `https` URL, never
//! to plain `http` (which is accepted on this machine's loopback only, for
//! tests). Every failure is one sentence and leaves the cache as it was.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, Response};
use reqwest::header::{
    HeaderMap, ACCEPT, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LINK, LOCATION,
};
use reqwest::{StatusCode, Url};

use super::merge::FetchedRelease;
use crate::base::sanitize::clean;

/// Following `rel="next"` stops here: the product has far fewer releases.
pub const MAX_PAGES: usize = 50;
const USER_AGENT: &str = concat!("akspol/", env!("CARGO_PKG_VERSION"));
/// The environment variable whose token is sent to the releases API.
pub const TOKEN_ENV: &str = "GITHUB_TOKEN";
/// How much of an error answer is read for GitHub's message.
const ERROR_BODY_BYTES: u64 = 64 * 1024;
/// Redirects followed for one page at most.
const MAX_REDIRECTS: usize = 10;
/// Releases an answer may list in all: ten catalogs' worth (the product has
/// about thirty; a catalog holds at most `validate::MAX_RELEASES`).
pub const MAX_FETCHED_RELEASES: usize = 10 * super::validate::MAX_RELEASES;

/// Why an update failed: one sentence, safe to print.
#[derive(Debug, thiserror::Error)]
#[error("catalog update failed: {0}")]
pub struct UpdateError(pub String);

// No `Debug`: it would print the token.
#[derive(Clone)]
pub struct FetchOptions<'a> {
    pub url: &'a str,
    pub connect_timeout: Duration,
    /// For the whole update: every page, redirect and byte.
    pub timeout: Duration,
    /// For all the answers together.
    pub max_bytes: u64,
    pub token: Option<&'a str>,
    /// The last answer's validators, for a conditional request.
    pub validators: Validators,
}

/// What identifies an answer for a conditional request: its `ETag` and
/// `Last-Modified` headers, sent back as `If-None-Match` and `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    fn of(headers: &HeaderMap) -> Self {
        let header = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Self {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        }
    }

    fn any(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

#[derive(Debug)]
pub enum Fetched {
    /// `304 Not Modified` to our validators.
    NotModified,
    Releases {
        releases: Vec<FetchedRelease>,
        validators: Validators,
        pages: usize,
    },
}

/// Which source a request is for: how it asks, and which redirects it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// GitHub's releases API: redirects on the same server only (the token goes along).
    Releases,
    /// Azure Local's manifest: redirects to `https` anywhere.
    Manifest,
}

/// Fetches every page of the releases list.
pub fn fetch(options: &FetchOptions) -> Result<Fetched, UpdateError> {
    let first = Url::parse(options.url)
        .map_err(|e| UpdateError(format!("`{}` is not a URL ({e})", clean(options.url))))?;
    if !matches!(first.scheme(), "http" | "https") {
        return Err(UpdateError(format!(
            "`{}` is not an http or https URL",
            shown(&first)
        )));
    }
    let client = client(options)?;
    let deadline = Instant::now() + options.timeout;
    let mut budget = Budget {
        left: options.max_bytes,
        total: options.max_bytes,
    };
    let mut url = first.clone();
    let mut seen = vec![url.clone()];
    let mut releases = Vec::new();
    let mut validators = Validators::default();
    let mut pages = 0;
    loop {
        pages += 1;
        let conditional = pages == 1 && options.validators.any();
        let response = get(
            &client,
            &url,
            &first,
            conditional,
            deadline,
            options,
            Source::Releases,
        )?;
        let url_now = response.url().clone();
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && conditional {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(status_error(response, &url_now, options.token.is_some()));
        }
        if pages == 1 {
            validators = Validators::of(response.headers());
        }
        let next = next_link(response.headers());
        let body = read_capped(response, &url_now, &mut budget, options)?;
        releases.extend(parse_page(&body, &url_now)?);
        drop(body);
        if releases.len() > MAX_FETCHED_RELEASES {
            return Err(UpdateError(format!(
                "the releases list at {} holds more than {MAX_FETCHED_RELEASES} releases: not the product's (it has a few dozen)",
                shown(&first)
            )));
        }
        let Some(next) = next else {
            break;
        };
        let next = url_now.join(&next).map_err(|e| {
            UpdateError(format!(
                "page {pages} at {} links to a next page that is not a URL ({e})",
                shown(&url_now)
            ))
        })?;
        if next.origin() != first.origin() {
            return Err(UpdateError(format!(
                "page {pages} at {} links to another server ({}); refusing to follow it",
                shown(&url_now),
                shown(&next)
            )));
        }
        if seen.contains(&next) || pages >= MAX_PAGES {
            return Err(UpdateError(format!(
                "the releases list at {} does not end after {pages} pages (its `Link: rel=\"next\"` headers loop or go on)",
                shown(&first)
            )));
        }
        seen.push(next.clone());
        url = next;
    }
    Ok(Fetched::Releases {
        releases,
        validators,
        pages,
    })
}

/// An HTTP client that follows no redirect itself (`get` does, by its rules).
fn client(options: &FetchOptions) -> Result<Client, UpdateError> {
    Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(options.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            UpdateError(format!(
                "cannot set up the HTTP client ({})",
                root_cause(&e)
            ))
        })
}

/// Azure Local's update manifest, as fetched.
#[derive(Debug)]
pub enum FetchedManifest {
    /// `304 Not Modified` to our validators.
    NotModified,
    Document {
        body: Vec<u8>,
        validators: Validators,
    },
}

/// Fetches Azure Local's update manifest: one document, redirects followed
/// to `https` URLs only, never with a token.
pub fn fetch_manifest(options: &FetchOptions) -> Result<FetchedManifest, UpdateError> {
    let first = Url::parse(options.url)
        .map_err(|e| UpdateError(format!("`{}` is not a URL ({e})", clean(options.url))))?;
    if !secure_or_local(&first, &first) {
        return Err(UpdateError(format!(
            "`{}` is not an https URL (plain http is accepted on this machine's loopback only, for tests)",
            shown(&first)
        )));
    }
    let options = FetchOptions {
        token: None,
        validators: options.validators.clone(),
        ..*options
    };
    let client = client(&options)?;
    let deadline = Instant::now() + options.timeout;
    let mut budget = Budget {
        left: options.max_bytes,
        total: options.max_bytes,
    };
    let conditional = options.validators.any();
    let response = get(
        &client,
        &first,
        &first,
        conditional,
        deadline,
        &options,
        Source::Manifest,
    )?;
    let url = response.url().clone();
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED && conditional {
        return Ok(FetchedManifest::NotModified);
    }
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("error");
        return Err(UpdateError(format!(
            "{} answered HTTP {} {reason}",
            shown(&url),
            status.as_u16()
        )));
    }
    let validators = Validators::of(response.headers());
    let body = read_capped(response, &url, &mut budget, &options)?;
    Ok(FetchedManifest::Document { body, validators })
}

/// `https`, or plain `http` to this machine's loopback from a URL that is
/// itself on it (the tests' servers): never a downgrade from `https`.
fn secure_or_local(url: &Url, from: &Url) -> bool {
    let local = |u: &Url| {
        u.host_str().is_some_and(|host| {
            host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        })
    };
    match url.scheme() {
        "https" => true,
        "http" => local(url) && from.scheme() == "http" && local(from),
        _ => false,
    }
}

/// What is left of `--max-response-bytes` for the answers still to read.
struct Budget {
    left: u64,
    total: u64,
}

/// One page: the request, and the redirects it answers with as long as they
/// stay on the first URL's server (scheme, host and port), within the deadline.
fn get(
    client: &Client,
    url: &Url,
    first: &Url,
    conditional: bool,
    deadline: Instant,
    options: &FetchOptions,
    source: Source,
) -> Result<Response, UpdateError> {
    let mut url = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out(&url, options));
        }
        let mut request = client.get(url.clone()).timeout(left);
        request = match source {
            Source::Releases => request
                .header(ACCEPT, "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28"),
            Source::Manifest => {
                request.header(ACCEPT, "application/xml, text/xml;q=0.9, */*;q=0.1")
            }
        };
        if let (Source::Releases, Some(token)) = (source, options.token) {
            request = request.bearer_auth(token);
        }
        if conditional {
            if let Some(tag) = &options.validators.etag {
                request = request.header(IF_NONE_MATCH, tag);
            }
            if let Some(day) = &options.validators.last_modified {
                request = request.header(IF_MODIFIED_SINCE, day);
            }
        }
        let response = request
            .send()
            .map_err(|e| request_error(&e, &url, options))?;
        if !response.status().is_redirection() || response.status() == StatusCode::NOT_MODIFIED {
            return Ok(response);
        }
        url = redirect_target(&response, &url, first, source)?;
    }
    Err(UpdateError(format!(
        "{} redirects more than {MAX_REDIRECTS} times",
        shown(first)
    )))
}

/// Where a 3xx answer points, if akspol may follow it there.
fn redirect_target(
    response: &Response,
    url: &Url,
    first: &Url,
    source: Source,
) -> Result<Url, UpdateError> {
    let status = response.status();
    let what = format!(
        "{} redirected (HTTP {} {})",
        shown(url),
        status.as_u16(),
        status.canonical_reason().unwrap_or("redirect")
    );
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            UpdateError(format!(
                "{what} without saying where (no usable Location header)"
            ))
        })?;
    let target = url.join(location).map_err(|e| {
        UpdateError(format!(
            "{what} to `{}`, which is not a URL ({e})",
            clean(location).chars().take(200).collect::<String>()
        ))
    })?;
    if !matches!(target.scheme(), "http" | "https") {
        return Err(UpdateError(format!(
            "{what} to {}, which is not an http or https URL; refusing to follow it",
            shown(&target)
        )));
    }
    if source == Source::Manifest {
        if !secure_or_local(&target, url) {
            return Err(UpdateError(format!(
                "{what} to {}, which is not an https URL; refusing to follow it",
                shown(&target)
            )));
        }
        return Ok(target);
    }
    if target.origin() != first.origin() {
        return Err(UpdateError(format!(
            "{what} to another server ({}); refusing to follow it (pass that URL with --url if you trust it)",
            shown(&target)
        )));
    }
    Ok(target)
}

fn timed_out(url: &Url, options: &FetchOptions) -> UpdateError {
    UpdateError(format!(
        "{} did not answer in time: the update took more than --timeout {}s in all (connect timeout {}s)",
        shown(url),
        options.timeout.as_secs(),
        options.connect_timeout.as_secs()
    ))
}

/// A URL as shown in messages: without any user name or password.
pub fn shown(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    clean(url.as_str()).into_owned()
}

/// The innermost error message: "Connection refused (os error 111)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    clean(&current.to_string()).into_owned()
}

fn is_dns(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.to_string().contains("dns error") {
            return true;
        }
        current = e.source();
    }
    false
}

fn request_error(error: &reqwest::Error, url: &Url, options: &FetchOptions) -> UpdateError {
    let host = clean(url.host_str().unwrap_or("?")).into_owned();
    let message = if error.is_timeout() {
        return timed_out(url, options);
    } else if let Some(why) = untrusted_certificate(error) {
        format!(
            "cannot connect securely to {host}: its TLS certificate is not trusted ({why}); akspol does not skip certificate checks"
        )
    } else if is_dns(error) {
        format!(
            "cannot resolve the host name {host} ({})",
            root_cause(error)
        )
    } else if error.is_connect() {
        format!(
            "cannot connect to {host}{} ({})",
            url.port().map(|p| format!(":{p}")).unwrap_or_default(),
            root_cause(error)
        )
    } else {
        format!(
            "the request to {} failed ({})",
            shown(url),
            root_cause(error)
        )
    };
    UpdateError(message)
}

/// Why rustls refused the server's certificate, in words, if that is what
/// failed (its own text is a debug name such as `UnknownIssuer`), from the
/// whole chain of errors.
fn untrusted_certificate(error: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    let mut chain = String::new();
    let mut current = Some(error);
    while let Some(e) = current {
        chain.push_str(&e.to_string());
        chain.push('\n');
        current = e.source();
    }
    if !chain.contains("certificate") {
        return None;
    }
    let why = [
        (
            "UnknownIssuer",
            "it is self-signed or issued by an unknown authority",
        ),
        (
            "self-signed",
            "it is self-signed or issued by an unknown authority",
        ),
        // What `openssl req -x509` makes: a self-signed CA serving itself.
        (
            "CaUsedAsEndEntity",
            "it is self-signed or issued by an unknown authority",
        ),
        ("Expired", "it has expired"),
        ("expired", "it has expired"),
        ("NotValidYet", "it is not valid yet"),
        ("NotValidForName", "it was issued for another host name"),
        ("not valid for name", "it was issued for another host name"),
        ("Revoked", "it was revoked"),
    ]
    .iter()
    .find(|(needle, _)| chain.contains(needle))
    .map_or("it does not verify", |(_, why)| why);
    Some(why)
}

/// An HTTP error status, with GitHub's message and, for a rate limit, when it resets.
fn status_error(response: Response, url: &Url, token_sent: bool) -> UpdateError {
    let status = response.status();
    let headers = response.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut body = Vec::new();
    let _ = response.take(ERROR_BODY_BYTES).read_to_end(&mut body);
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .map(|m| {
            let m: String = clean(m.trim()).chars().take(300).collect();
            format!(": \"{m}\"")
        })
        .unwrap_or_default();
    let reason = status.canonical_reason().unwrap_or("error");
    let rate_limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && header("x-ratelimit-remaining").as_deref() == Some("0"));
    if rate_limited {
        let reset = header("x-ratelimit-reset")
            .and_then(|r| r.trim().parse::<i64>().ok())
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map(|at| {
                format!(
                    "; the limit resets at {}",
                    at.format("%Y-%m-%d %H:%M:%S UTC")
                )
            })
            .or_else(|| {
                header("retry-after")
                    .filter(|r| r.trim().bytes().all(|b| b.is_ascii_digit()))
                    .map(|r| format!("; retry after {} seconds", r.trim()))
            })
            .unwrap_or_default();
        let hint = if token_sent {
            ""
        } else {
            "; set GITHUB_TOKEN for a higher limit"
        };
        return UpdateError(format!(
            "{} is rate-limiting requests (HTTP {} {reason}){message}{reset}{hint}",
            shown(url),
            status.as_u16()
        ));
    }
    UpdateError(format!(
        "{} answered HTTP {} {reason}{message}",
        shown(url),
        status.as_u16()
    ))
}

/// The target of `Link: <...>; rel="next"`, if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(value) = value.to_str() else {
            continue;
        };
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let target = pieces.next()?.trim();
            let is_next = pieces.any(|param| {
                let param = param.trim();
                param.strip_prefix("rel=").is_some_and(|rel| {
                    rel.trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
                })
            });
            if is_next {
                if let Some(inner) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
                    return Some(inner.to_string());
                }
            }
        }
    }
    None
}

/// Reads an answer within what is left of the budget for all answers.
fn read_capped(
    response: Response,
    url: &Url,
    budget: &mut Budget,
    options: &FetchOptions,
) -> Result<Vec<u8>, UpdateError> {
    let too_big = || {
        UpdateError(format!(
            "the answers from {} are larger than {} bytes in all (--max-response-bytes)",
            shown(url),
            budget.total
        ))
    };
    if response.content_length().is_some_and(|n| n > budget.left) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    response
        .take(budget.left.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || e.get_ref()
                    .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
                    .is_some_and(reqwest::Error::is_timeout);
            if timed_out {
                self::timed_out(url, options)
            } else {
                UpdateError(format!(
                    "reading the answer from {} failed ({})",
                    shown(url),
                    root_cause(&e)
                ))
            }
        })?;
    if body.len() as u64 > budget.left {
        return Err(too_big());
    }
    budget.left -= body.len() as u64;
    Ok(body)
}

/// One page: a JSON array of GitHub releases.
pub fn parse_page(body: &[u8], url: &Url) -> Result<Vec<FetchedRelease>, UpdateError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        UpdateError(format!(
            "the answer from {} is not valid JSON ({})",
            shown(url),
            clean(&e.to_string())
        ))
    })?;
    let kind = match &value {
        serde_json::Value::Array(_) => None,
        serde_json::Value::Object(map) => Some(match map.get("message").and_then(|m| m.as_str()) {
            Some(m) => format!(
                "a JSON object (\"{}\")",
                clean(m.trim()).chars().take(200).collect::<String>()
            ),
            None => "a JSON object".to_string(),
        }),
        serde_json::Value::Null => Some("null".to_string()),
        serde_json::Value::Bool(_) => Some("a boolean".to_string()),
        serde_json::Value::Number(_) => Some("a number".to_string()),
        serde_json::Value::String(_) => Some("a string".to_string()),
    };
    if let Some(kind) = kind {
        return Err(UpdateError(format!(
            "the answer from {} is {kind}, not a list of GitHub releases (is the URL a repository's /releases endpoint?)",
            shown(url)
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        UpdateError(format!(
            "the answer from {} is not a list of GitHub releases (at {}: {})",
            shown(url),
            clean(&e.path().to_string()),
            clean(&e.inner().to_string())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn finds_the_next_link() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last""#,
            ),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/x?page=3")
        );
        headers.insert(LINK, HeaderValue::from_static(r#"<a>; rel="last""#));
        assert_eq!(next_link(&headers), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn pages_that_are_not_release_lists() {
        let url = Url::parse("https://user:secret@example.test/releases").unwrap();
        let cases = [
            (
                &b"{\"message\": \"Not Found\"}"[..],
                "a JSON object (\"Not Found\")",
            ),
            (b"[{\"name\": 1}]", "not a list of GitHub releases (at [0]"),
            (b"[1, 2", "not valid JSON"),
            (b"\"x\"", "a string"),
        ];
        for (body, expected) in cases {
            let error = parse_page(body, &url).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("secret"), "{error}");
        }
        assert!(parse_page(b"[]", &url).unwrap().is_empty());
    }
}
