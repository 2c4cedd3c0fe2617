//! `akspol catalog update` against a real HTTP server on 127.0.0.1 started by
//! each test (std only): paging, ETag/304, every failure mode (which must exit
//! 2 with one sentence and leave the cache byte-for-byte intact), and `check`
//! then judging against the cached catalog. Nothing here reaches the internet.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, run, Run};

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use akspol::base::dates::{add_days, Day};
use akspol::catalog::Catalog;
use assert_cmd::Command;
use common::repo;

#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

enum Reply {
    Send {
        status: &'static str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        /// Leave out Content-Length: the body ends when the connection closes.
        no_length: bool,
    },
    /// Accept, read the request, and never answer.
    Hang,
    /// Send the headers, then the body one byte every `every`.
    Drip { body: Vec<u8>, every: Duration },
}

fn ok(body: impl Into<Vec<u8>>) -> Reply {
    reply("200 OK", vec![], body)
}

fn reply(status: &'static str, headers: Vec<(&str, String)>, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Send {
        status,
        headers: headers
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
        body: body.into(),
        no_length: false,
    }
}

type Handler = dyn Fn(&Request, &str) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server: one thread per connection, `Connection: close`.
struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start(handler: impl Fn(&Request, &str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || serve(stream, addr, &*handler, &seen));
            }
        });
        Server { addr, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, addr: SocketAddr, handler: &Handler, seen: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let request = Request { path, headers };
    seen.lock().unwrap().push(request.clone());
    let mut stream = stream;
    match handler(&request, &format!("http://{addr}")) {
        Reply::Hang => std::thread::sleep(Duration::from_secs(30)),
        Reply::Drip { body, every } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            for byte in body {
                if stream
                    .write_all(&[byte])
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
                std::thread::sleep(every);
            }
        }
        Reply::Send {
            status,
            headers,
            body,
            no_length,
        } => {
            let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
            if !no_length {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
        }
    }
}

fn embedded_generated() -> Day {
    Catalog::embedded().unwrap().generated
}

/// The day the tests' updates record: after the embedded catalog, so the
/// cache is preferred, whatever today is.
fn update_day() -> String {
    add_days(embedded_generated(), 3).to_string()
}

fn akspol(cache: &Path) -> Command {
    let mut cmd = Command::cargo_bin("akspol").unwrap();
    cmd.current_dir(repo())
        .env("AKSPOL_CACHE_DIR", cache)
        .env_remove("GITHUB_TOKEN");
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.env("NO_PROXY", "*");
    cmd
}

/// `catalog update` of the AksHci line alone, from `url` (the Azure Local
/// manifest is left out: no test reaches the real one).
fn update(cache: &Path, url: &str, extra: &[&str]) -> Run {
    let day = update_day();
    let mut args = vec![
        "catalog",
        "update",
        "--product",
        "aks-hybrid",
        "--url",
        url,
        "--as-of",
        day.as_str(),
    ];
    args.extend_from_slice(extra);
    run(akspol(cache).args(&args))
}

fn check_json(cache: &Path, extra: &[&str]) -> (serde_json::Value, Run) {
    let mut args = vec![
        "check",
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
        "fixtures/examples/contoso.json",
    ];
    args.extend_from_slice(extra);
    let result = run(akspol(cache).args(&args));
    assert_eq!(result.code, 1, "{}", result.stderr);
    (serde_json::from_str(&result.stdout).unwrap(), result)
}

/// Page 1 of the two-page releases list.
fn page_one(base: &str) -> Reply {
    let body = serde_json::json!([
        {
            "tag_name": "AKS-arc-2607",
            "name": "July 2026",
            "published_at": "2026-07-15T17:00:00Z",
            "body": "AKS Arc version 1.3.0.10712 is now available.\r\n\r\nSupported Kubernetes versions:\r\n\r\n- v1.30.4\r\n- v1.31.2\r\n",
            "draft": false,
            "prerelease": false,
            "html_url": "https://github.com/Azure/aksArc/releases/tag/AKS-arc-2607",
            "assets": []
        },
        {
            "tag_name": "AKS-arc-2411",
            "name": "November 2024",
            "published_at": "2024-11-04T10:00:00Z",
            "body": "Release 1.0.24.11029.\n\nKubernetes versions: 1.27.7, 1.28.5, 1.29.4\n"
        }
    ]);
    reply(
        "200 OK",
        vec![
            ("ETag", "\"v1-releases\"".to_string()),
            ("Content-Type", "application/json".to_string()),
            (
                "Link",
                format!("<{base}/releases?page=2>; rel=\"next\", <{base}/releases?page=2>; rel=\"last\""),
            ),
        ],
        body.to_string(),
    )
}

fn page_two() -> Reply {
    ok(serde_json::json!([
        {
            "tag_name": "AKS-arc-2506",
            "name": "June 2026 (1.0.26.10621)",
            "published_at": "2025-06-10T09:00:00Z",
            "body": "Bug fixes."
        },
        {
            "tag_name": "docs-2025-01",
            "name": "Documentation refresh",
            "published_at": "2025-01-02T00:00:00Z",
            "body": "No product changes."
        }
    ])
    .to_string())
}

fn github(request: &Request, base: &str) -> Reply {
    if request.path.ends_with("page=2") {
        return page_two();
    }
    if request.header("if-none-match") == Some("\"v1-releases\"") {
        return reply(
            "304 Not Modified",
            vec![("ETag", "\"v1-releases\"".into())],
            "",
        );
    }
    page_one(base)
}

fn cache_bytes(cache: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn updates_over_two_pages_and_check_uses_the_cache() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/releases?per_page=100");
    let mut cmd = akspol(cache.path());
    cmd.env("GITHUB_TOKEN", "ghp_secret_token_123");
    let day = update_day();
    let result = run(cmd.args([
        "catalog",
        "update",
        "--product",
        "aks-hybrid",
        "--url",
        &url,
        "--as-of",
        &day,
    ]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("fetched 4 releases (2 pages)"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("added 1 release: 1.3.0.10712"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("kept out 1 release: docs-2025-01 (names no AKS hybrid version)"),
        "{}",
        result.stdout
    );
    assert!(!result.stdout.contains("ghp_secret") && !result.stderr.contains("ghp_secret"));

    // Both pages were asked for, with the token, a User-Agent and no If-None-Match.
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[1].path, "/releases?page=2");
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer ghp_secret_token_123")
        );
        assert!(request
            .header("user-agent")
            .unwrap()
            .starts_with(concat!("akspol/", env!("CARGO_PKG_VERSION"))));
        assert!(request.header("if-none-match").is_none());
    }

    // The cached catalog is a valid catalog file with the merged facts.
    let path = cache.path().join("catalog.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let cached: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cached["generated"], day.as_str());
    let releases = cached["releases"].as_array().unwrap();
    let find = |v: &str| releases.iter().find(|r| r["version"] == v).unwrap().clone();
    let july = find("1.3.0.10712");
    assert_eq!(july["released"], "2026-07-15");
    assert_eq!(july["dateBasis"], "published");
    assert_eq!(
        july["kubernetesVersions"],
        serde_json::json!(["1.30.4", "1.31.2"])
    );
    assert_eq!(
        july["source"],
        "https://github.com/Azure/aksArc/releases/tag/AKS-arc-2607"
    );
    let november = find("1.0.24.11029");
    assert_eq!(november["released"], "2024-11-04");
    assert_eq!(november["dateBasis"], "published");
    assert_eq!(
        november["kubernetesVersions"],
        serde_json::json!(["1.27.7", "1.28.5", "1.29.4"])
    );
    let june = find("1.0.26.10621");
    assert_eq!(june["released"], "2025-06-10");
    let meta = std::fs::read_to_string(cache.path().join("catalog.meta.json")).unwrap();
    assert!(
        meta.contains("v1-releases") && !meta.contains("ghp_secret"),
        "{meta}"
    );

    // `catalog path` names it.
    let shown = run(akspol(cache.path()).args(["catalog", "path"]));
    assert_eq!(shown.code, 0);
    assert_eq!(shown.stdout.trim(), path.display().to_string());

    // check judges against the cache and says so.
    let (report, _) = check_json(cache.path(), &[]);
    let source = format!("cache:{}", path.display());
    assert_eq!(report["catalog"]["source"], source.as_str());
    assert_eq!(report["catalog"]["latest"], "1.3.0.10712");
    let table = run(akspol(cache.path()).args([
        "check",
        "--as-of",
        "2026-11-23",
        "fixtures/examples/contoso.json",
    ]));
    assert!(
        table.stdout.contains(&format!(
            "catalog {source}, latest 1.3.0.10712, known through {}",
            update_day()
        )),
        "{}",
        table.stdout
    );
    // --cache-dir names the cache as AKSPOL_CACHE_DIR does.
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = cache.path().display().to_string();
    let (chosen, _) = check_json(elsewhere.path(), &["--cache-dir", &dir]);
    assert_eq!(chosen["catalog"]["source"], source.as_str());
    let (empty, _) = check_json(elsewhere.path(), &[]);
    assert_eq!(empty["catalog"]["source"], "embedded");
    // --offline and --catalog FILE bypass it.
    let (offline, _) = check_json(cache.path(), &["--offline"]);
    assert_eq!(offline["catalog"]["source"], "embedded");
    let (file, _) = check_json(cache.path(), &["--catalog", "fixtures/catalogs/test.json"]);
    assert_eq!(
        file["catalog"]["source"],
        "file:fixtures/catalogs/test.json"
    );
    // catalog show too.
    let show = run(akspol(cache.path()).args(["catalog", "show", "--format", "json"]));
    assert_eq!(show.code, 0);
    assert!(show.stdout.contains("1.3.0.10712"));
}

#[test]
fn not_modified_keeps_the_cache() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/releases");
    assert_eq!(update(cache.path(), &url, &[]).code, 0);
    let before = cache_bytes(cache.path());
    let again = update(cache.path(), &url, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("have not changed"),
        "{}",
        again.stdout
    );
    assert_eq!(cache_bytes(cache.path()), before);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("if-none-match"), Some("\"v1-releases\""));
}

/// Every failure: exit 2, one sentence on stderr, the cache untouched.
#[test]
fn failures_exit_2_and_leave_the_cache_intact() {
    let reset = "1798761600"; // 2027-01-01 00:00:00 UTC
    let server = Server::start(move |request, base| {
        let path = request.path.as_str();
        match path {
            "/ok" => page_one(base),
            "/releases?page=2" => page_two(),
            "/rate-limited" => reply(
                "403 Forbidden",
                vec![
                    ("x-ratelimit-remaining", "0".into()),
                    ("x-ratelimit-reset", reset.into()),
                ],
                r#"{"message": "API rate limit exceeded for 127.0.0.1.", "documentation_url": "https://docs.github.com"}"#,
            ),
            "/too-many" => reply(
                "429 Too Many Requests",
                vec![("retry-after", "60".into())],
                "",
            ),
            "/forbidden" => reply(
                "403 Forbidden",
                vec![],
                r#"{"message": "Resource not accessible"}"#,
            ),
            "/broken" => reply("500 Internal Server Error", vec![], "oops"),
            "/hang" => Reply::Hang,
            "/huge" => ok(format!(
                "[{}]",
                "{\"tag_name\": \"x\"},".repeat(200) + "{\"tag_name\": \"x\"}"
            )),
            "/huge-unannounced" => Reply::Send {
                status: "200 OK",
                headers: vec![],
                body: format!(
                    "[{}]",
                    "{\"tag_name\": \"x\"},".repeat(200) + "{\"tag_name\": \"x\"}"
                )
                .into_bytes(),
                no_length: true,
            },
            "/malformed" => ok("[{\"tag_name\": \"AKS-arc-2607\", "),
            "/object" => {
                ok(r#"{"message": "Not Found", "documentation_url": "https://docs.github.com"}"#)
            }
            "/not-releases" => ok(r#"[{"id": 1, "title": "an issue"}]"#),
            "/second-page-fails" => reply(
                "200 OK",
                vec![("Link", format!("<{base}/broken>; rel=\"next\""))],
                "[]",
            ),
            "/elsewhere" => reply(
                "200 OK",
                vec![("Link", "<http://198.51.100.1/page2>; rel=\"next\"".into())],
                "[]",
            ),
            "/empty" => ok("[]"),
            "/drip" => Reply::Drip {
                body: b"[{\"tag_name\": \"AKS-arc-2607\"}]".to_vec(),
                every: Duration::from_secs(1),
            },
            "/redirect-file" => reply(
                "302 Found",
                vec![("Location", "file:///etc/passwd".into())],
                "",
            ),
            "/redirect-bad" => reply("302 Found", vec![("Location", "http://[::1".into())], ""),
            "/redirect-nowhere" => reply("302 Found", vec![], ""),
            "/redirect-elsewhere" => reply(
                "301 Moved Permanently",
                vec![("Location", "http://198.51.100.1/releases".into())],
                "",
            ),
            "/redirect-loop" => reply("302 Found", vec![("Location", "/redirect-loop".into())], ""),
            "/too-many-releases" => ok(format!(
                "[{}]",
                vec!["{\"tag_name\": \"x\"}"; 10_001].join(",")
            )),
            _ => reply("404 Not Found", vec![], r#"{"message": "Not Found"}"#),
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let first = update(cache.path(), &server.url("/ok"), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = cache_bytes(cache.path());
    // catalog.json, catalog.meta.json and the (empty) update.lock.
    assert_eq!(
        before.len(),
        3,
        "{:?}",
        before.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );

    let refused = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{addr}/releases")
    };
    // More than the first page, less than both pages.
    let first_page_and_a_bit = match page_one("") {
        Reply::Send { body, .. } => (body.len() + 10).to_string(),
        _ => unreachable!(),
    };
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            server.url("/rate-limited"),
            vec![],
            "is rate-limiting requests (HTTP 403 Forbidden): \"API rate limit exceeded for 127.0.0.1.\"; the limit resets at 2027-01-01 00:00:00 UTC; set GITHUB_TOKEN",
        ),
        (server.url("/too-many"), vec![], "(HTTP 429 Too Many Requests); retry after 60 seconds"),
        (server.url("/forbidden"), vec![], "answered HTTP 403 Forbidden: \"Resource not accessible\""),
        (server.url("/broken"), vec![], "answered HTTP 500 Internal Server Error"),
        (server.url("/missing"), vec![], "answered HTTP 404 Not Found: \"Not Found\""),
        (server.url("/hang"), vec!["--timeout", "1"], "did not answer in time"),
        // Item 6: one byte a second went on for 90 s under --timeout 8.
        (server.url("/drip"), vec!["--timeout", "3"], "did not answer in time: the update took more than --timeout 3s in all"),
        (server.url("/huge"), vec!["--max-response-bytes", "1000"], "are larger than 1000 bytes in all (--max-response-bytes)"),
        (
            server.url("/huge-unannounced"),
            vec!["--max-response-bytes", "1000"],
            "are larger than 1000 bytes in all",
        ),
        // Item 8: the budget is for every page together.
        (server.url("/ok"), vec!["--max-response-bytes", &first_page_and_a_bit], "bytes in all"),
        (server.url("/malformed"), vec![], "is not valid JSON"),
        (server.url("/object"), vec![], "is a JSON object (\"Not Found\"), not a list of GitHub releases"),
        (server.url("/not-releases"), vec![], "is not a list of GitHub releases (at [0]: missing field `tag_name`"),
        (server.url("/second-page-fails"), vec![], "/broken answered HTTP 500"),
        (server.url("/elsewhere"), vec![], "links to another server"),
        // Item 5: an empty answer dropped what earlier updates had learned.
        (server.url("/empty"), vec![], "/empty is empty; kept"),
        // Item 16: one sentence for every redirect akspol will not follow;
        // a redirect to another server is refused like a next-page link.
        (server.url("/redirect-file"), vec![], "/redirect-file redirected (HTTP 302 Found) to file:///etc/passwd, which is not an http or https URL; refusing to follow it"),
        (server.url("/redirect-bad"), vec![], "redirected (HTTP 302 Found) to `http://[::1`, which is not a URL"),
        (server.url("/redirect-nowhere"), vec![], "redirected (HTTP 302 Found) without saying where"),
        (server.url("/redirect-elsewhere"), vec![], "redirected (HTTP 301 Moved Permanently) to another server (http://198.51.100.1/releases); refusing to follow it"),
        (server.url("/redirect-loop"), vec![], "redirects more than 10 times"),
        (server.url("/too-many-releases"), vec![], "holds more than 10000 releases"),
        (refused, vec![], "cannot connect to 127.0.0.1:"),
        ("ftp://127.0.0.1/releases".to_string(), vec![], "is not an http or https URL"),
    ];
    for (url, extra, expected) in cases {
        let started = std::time::Instant::now();
        let result = update(cache.path(), &url, &extra);
        assert_eq!(result.code, 2, "{url}: {}", result.stderr);
        assert!(result.stdout.is_empty(), "{url}: {}", result.stdout);
        assert_eq!(result.stderr.lines().count(), 1, "{url}: {}", result.stderr);
        assert!(
            result.stderr.starts_with("error: catalog update failed: "),
            "{url}: {}",
            result.stderr
        );
        assert!(result.stderr.contains(expected), "{url}: {}", result.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{url} took too long"
        );
        assert_eq!(cache_bytes(cache.path()), before, "{url} changed the cache");
    }
}

#[test]
fn a_corrupt_cache_is_reported_and_ignored() {
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        cache.path().join("catalog.json"),
        "{\"catalogVersion\": 1, \"gen",
    )
    .unwrap();
    let (report, result) = check_json(cache.path(), &[]);
    assert_eq!(report["catalog"]["source"], "embedded");
    assert!(
        result
            .stderr
            .contains("warning: ignoring the cached catalog, which is not valid"),
        "{}",
        result.stderr
    );
    // An update replaces it.
    let server = Server::start(github);
    let updated = update(cache.path(), &server.url("/releases"), &[]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    let (report, result) = check_json(cache.path(), &[]);
    assert!(report["catalog"]["source"]
        .as_str()
        .unwrap()
        .starts_with("cache:"));
    assert!(!result.stderr.contains("warning"), "{}", result.stderr);
}

/// The one-line inventory of issue 14, on the embedded catalog's latest AKS
/// hybrid release, judged with `extra` arguments as of `as_of`.
fn latest_release(cache: &Path, as_of: &str, extra: &[&str]) -> (serde_json::Value, Run) {
    let embedded = Catalog::embedded().unwrap();
    let latest = embedded.releases.last().unwrap().version.to_string();
    let inventory =
        format!(r#"{{"schemaVersion":1,"deployment":{{"name":"e","version":"{latest}"}}}}"#);
    let mut args = vec!["check", "--as-of", as_of, "--format", "json", "-"];
    args.extend_from_slice(extra);
    let result = run(akspol(cache).args(&args).write_stdin(inventory));
    let report =
        serde_json::from_str(&result.stdout).unwrap_or_else(|_| panic!("{}", result.stderr));
    (report, result)
}

fn status_of(report: &serde_json::Value, rule: &str) -> String {
    report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .map(|f| f["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn a_catalog_older_than_the_cadence_cannot_vouch_for_the_latest_release() {
    let cache = tempfile::tempdir().unwrap();
    let known = Catalog::embedded()
        .unwrap()
        .known_through(akspol::base::product::Product::AksHybrid)
        .unwrap()
        .date
        .earliest;
    // Day 120 after the newest fact: still vouched for, no warning.
    let day_n = add_days(known, 120).to_string();
    let (report, result) = latest_release(cache.path(), &day_n, &["--offline"]);
    assert_eq!(report["inventories"][0]["catalog"]["ageDays"], 120);
    assert_eq!(report["inventories"][0]["catalog"]["tooOld"], false);
    for rule in ["V002", "V003", "V004", "V005"] {
        assert_eq!(status_of(&report, rule), "pass", "{rule} on day 120");
    }
    assert!(!result.stderr.contains("warning"), "{}", result.stderr);
    // Day 121: the release-age checks are unknown, and say why.
    let day_after = add_days(known, 121).to_string();
    let (report, result) = latest_release(cache.path(), &day_after, &["--offline"]);
    for rule in ["V002", "V003", "V004", "V005"] {
        assert_eq!(status_of(&report, rule), "unknown", "{rule} on day 121");
    }
    let v002 = &report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "V002")
        .unwrap()
        .clone();
    assert!(
        v002["message"]
            .as_str()
            .unwrap()
            .contains("the catalog knows AKS hybrid releases up to ~2025-10-08"),
        "{v002}"
    );
    assert_eq!(v002["evidence"]["catalogTooOld"]["wouldBe"], "pass");
    assert_eq!(v002["evidence"]["catalogTooOld"]["ageDays"], 121);
    assert!(
        result
            .stderr
            .contains("warning: the catalog in use (embedded) knows AKS hybrid releases up to ~2025-10-08, 121 days before"),
        "{}",
        result.stderr
    );
    // --max-catalog-age moves the threshold; 0 turns it off.
    let (report, _) = latest_release(
        cache.path(),
        &day_after,
        &["--offline", "--max-catalog-age", "121"],
    );
    assert_eq!(status_of(&report, "V002"), "pass");
    let (report, _) = latest_release(
        cache.path(),
        &day_after,
        &["--offline", "--max-catalog-age", "0"],
    );
    assert_eq!(status_of(&report, "V002"), "pass");
    assert_eq!(
        report["inventories"][0]["catalog"]["maxAgeDays"],
        serde_json::Value::Null
    );
}

#[test]
fn an_update_brings_the_facts_up_to_its_day() {
    let cache = tempfile::tempdir().unwrap();
    let server = Server::start(github);
    let updated = update(cache.path(), &server.url("/releases"), &[]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    // The cached catalog knows the AKS hybrid line through the update day, so
    // on that day the latest release is vouched for again.
    let (report, result) = latest_release(cache.path(), &update_day(), &[]);
    let line = &report["inventories"][0]["catalog"];
    assert_eq!(line["knownThrough"], update_day().as_str());
    assert_eq!(line["knownThroughEstimated"], false);
    assert_eq!(line["ageDays"], 0);
    assert!(report["catalog"]["source"]
        .as_str()
        .unwrap()
        .starts_with("cache:"));
    assert!(!result.stderr.contains("warning"), "{}", result.stderr);
    // The Azure Local line is not fetched: its facts keep their own date.
    let arc = report["catalog"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product"] == "aks-arc")
        .unwrap();
    assert_eq!(arc["knownThrough"], "2026-10");
}

/// Item 6: `--timeout 18446744073709551615` panicked (overflow); clap
/// refuses what is out of range.
#[test]
fn overflowing_timeouts_are_usage_errors() {
    let cache = tempfile::tempdir().unwrap();
    for flag in ["--timeout", "--connect-timeout"] {
        for value in ["18446744073709551615", "0", "86401"] {
            let result = update(cache.path(), "http://127.0.0.1:9/releases", &[flag, value]);
            assert_eq!(result.code, 2, "{flag} {value}: {}", result.stderr);
            assert!(
                result.stderr.contains("is not in 1..=86400"),
                "{}",
                result.stderr
            );
            assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
        }
    }
}

/// Item 5: two updates at once could leave the catalog of one and the
/// metadata of the other; a killed update left its temporary file forever.
#[test]
fn one_update_at_a_time_and_no_leftovers() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/releases");
    // Leftovers of updates killed before they renamed their files.
    for name in [
        ".catalog.json.Xy12ab34cd56.akspol-tmp",
        ".catalog.meta.json.Qw98er76ty54.akspol-tmp",
        ".catalog.json.4242.tmp",
    ] {
        std::fs::write(cache.path().join(name), "half a catalog").unwrap();
    }
    std::fs::write(cache.path().join("notes.txt"), "mine").unwrap();
    assert_eq!(update(cache.path(), &url, &[]).code, 0);
    let names: Vec<String> = cache_bytes(cache.path())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "catalog.json",
            "catalog.meta.json",
            "notes.txt",
            "update.lock"
        ]
    );

    // While another update holds the lock, an update waits, then gives up.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(cache.path().join("update.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = cache_bytes(cache.path());
    let started = std::time::Instant::now();
    let blocked = update(cache.path(), &url, &["--timeout", "1"]);
    assert_eq!(blocked.code, 2, "{}", blocked.stderr);
    assert!(
        blocked.stderr.contains("another catalog update has held")
            && blocked.stderr.contains("update.lock"),
        "{}",
        blocked.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(cache_bytes(cache.path()), before);
    lock.unlock().unwrap();
    assert_eq!(update(cache.path(), &url, &[]).code, 0);
}

/// Item 5: metadata is trusted only for the catalog it was written with, so
/// a 304 cannot keep a catalog that is not the one the ETag stands for.
#[test]
fn metadata_of_another_catalog_is_not_trusted() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/releases");
    assert_eq!(update(cache.path(), &url, &[]).code, 0);
    // Another writer's catalog (still valid) beside this update's metadata.
    let path = cache.path().join("catalog.json");
    let mut other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    other["about"] = "written by another update".into();
    std::fs::write(&path, serde_json::to_string_pretty(&other).unwrap()).unwrap();
    let again = update(cache.path(), &url, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("fetched 4 releases"),
        "{}",
        again.stdout
    );
    let requests = server.requests();
    let last_first_page = requests
        .iter()
        .rev()
        .find(|r| !r.path.ends_with("page=2"))
        .unwrap();
    assert_eq!(
        last_first_page.header("if-none-match"),
        None,
        "{requests:?}"
    );
}

/// Item 16: a cache directory that is a file was "File exists (os error 17)".
#[test]
fn a_cache_directory_that_is_a_file_is_one_sentence() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("cache");
    std::fs::write(&file, "not a directory").unwrap();
    let result = update(&file, "http://127.0.0.1:9/releases", &[]);
    assert_eq!(result.code, 2);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "exists but is not a directory (choose another with --cache-dir or AKSPOL_CACHE_DIR)"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
}

/// A redirect on the same server is followed (GitHub redirects renamed
/// repositories that way); the token goes with it, since the server is the same.
#[test]
fn a_redirect_on_the_same_server_is_followed() {
    let server = Server::start(|request, base| {
        if request.path == "/old" {
            reply(
                "301 Moved Permanently",
                vec![("Location", "/releases".into())],
                "",
            )
        } else {
            github(request, base)
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let result = update(cache.path(), &server.url("/old"), &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("fetched 4 releases (2 pages)"),
        "{}",
        result.stdout
    );
}

/// Item 10: a feed's release dated 0001-01-01 (or against the version order)
/// made a deployment on the newest release fail "739946 days behind". Such
/// dates are set aside, said so, and `check` judges as before.
#[test]
fn a_hostile_feed_cannot_poison_the_verdict() {
    let server = Server::start(|request, base| {
        if request.path.ends_with("page=2") {
            return page_two();
        }
        let Reply::Send { headers, .. } = page_one(base) else {
            unreachable!()
        };
        let body = serde_json::json!([
            { "tag_name": "AKS-arc-2607", "name": "July 2026", "published_at": "2026-07-15T17:00:00Z",
              "body": "AKS Arc version 1.3.0.10712." },
            { "tag_name": "AKS-arc-2411", "name": "November 2024", "published_at": "0001-01-01T00:00:00Z",
              "body": "Release 1.0.24.11029." },
            { "tag_name": "AKS-arc-2609", "name": "Backdated", "published_at": "2021-01-01T00:00:00Z",
              "body": "AKS Arc version 1.3.1.10101." }
        ]);
        Reply::Send {
            status: "200 OK",
            headers,
            body: body.to_string().into_bytes(),
            no_length: false,
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let result = update(cache.path(), &server.url("/releases"), &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stdout
            .contains("AKS-arc-2411 (its publication date is before 2020"),
        "{}",
        result.stdout
    );
    // The backdated release does not bring its date in: kept out, or its
    // date set aside.
    assert!(
        result
            .stdout
            .contains("AKS-arc-2609 (its publication date contradicts the version order"),
        "{}",
        result.stdout
    );
    let cached = std::fs::read_to_string(cache.path().join("catalog.json")).unwrap();
    assert!(!cached.contains("2021-01-01"), "{cached}");
    let inventory =
        r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.3.0.10712"}}"#;
    let output = akspol(cache.path())
        .args([
            "check",
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
            "--select",
            "V003,V004",
            "-",
        ])
        .write_stdin(inventory)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for finding in report["inventories"][0]["findings"].as_array().unwrap() {
        assert_eq!(finding["status"], "pass", "{finding}");
    }
}

/// Item 16: a self-signed certificate was a rustls debug string; now one sentence.
#[test]
fn an_untrusted_certificate_is_one_sentence() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let tls = repo().join("tests/tls");
    let certs = CertificateDer::pem_file_iter(tls.join("cert.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls.join("key.pem")).unwrap();
    let config = std::sync::Arc::new(
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = std::sync::Arc::clone(&config);
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut connection = rustls::ServerConnection::new(config).unwrap();
                // The client gives up during the handshake.
                let _ = connection.complete_io(&mut stream);
            });
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let result = update(
        cache.path(),
        &format!("https://127.0.0.1:{}/releases", addr.port()),
        &[],
    );
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "cannot connect securely to 127.0.0.1: its TLS certificate is not trusted (it is self-signed or issued by an unknown authority); akspol does not skip certificate checks"
        ),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("UnknownIssuer"),
        "{}",
        result.stderr
    );
}

/// Item 8: a sparse 3 GB `catalog.meta.json` was read whole (3.1 GB).
#[test]
fn a_huge_metadata_file_is_not_read() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/releases");
    assert_eq!(update(cache.path(), &url, &[]).code, 0);
    let meta = std::fs::OpenOptions::new()
        .write(true)
        .open(cache.path().join("catalog.meta.json"))
        .unwrap();
    meta.set_len(3 << 30).unwrap();
    drop(meta);
    let started = std::time::Instant::now();
    let again = update(cache.path(), &url, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("fetched 4 releases"),
        "{}",
        again.stdout
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Issue 22, item 3: the cache's `catalog.json` and `catalog.meta.json`
/// were written through any link, by reading it and renaming over its
/// target. In a sticky world-writable cache directory, a link another user
/// owns is refused now; the user's own link is written through.
#[cfg(unix)]
#[test]
fn the_cache_is_not_written_through_another_user_s_link() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start(github);
    let url = server.url("/releases");
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o1777)).unwrap();
    for name in ["catalog.json", "catalog.meta.json"] {
        // The user's own link: the file it points to is the cache's.
        let mine = dir.path().join(format!("mine-{name}"));
        let link = cache.join(name);
        std::os::unix::fs::symlink(&mine, &link).unwrap();
        let done = update(&cache, &url, &[]);
        assert_eq!(done.code, 0, "{}", done.stderr);
        assert!(std::fs::read_to_string(&mine).unwrap().starts_with('{'));
        // Another user's link: refused, the file it points to untouched.
        let precious = dir.path().join("precious");
        std::fs::write(&precious, "precious\n").unwrap();
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(&precious, &link).unwrap();
        if let Err(error) = std::os::unix::fs::lchown(&link, Some(65534), Some(65534)) {
            eprintln!("skipped another user's link: giving a link away needs root ({error})");
            return;
        }
        let refused = update(&cache, &url, &["--timeout", "20"]);
        assert_eq!(refused.code, 2, "{name}: {}", refused.stderr);
        assert!(
            refused.stderr.contains("akspol does not follow it"),
            "{name}: {}",
            refused.stderr
        );
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious\n");
        std::fs::remove_file(&link).unwrap();
        for file in ["catalog.json", "catalog.meta.json"] {
            let _ = std::fs::remove_file(cache.join(file));
        }
    }
}

// ---------------------------------------------------------------------------
// Azure Local's update manifest (issue 23, item 5) and the cache's files
// (issue 22, items 6 and 17).

/// A manifest in the shape the public scripts read: `Version` as an
/// attribute of `ApplicableUpdate` and of its `UpdateInfo`, and as a child
/// element under `PackageMetadata/ServicesUpdates/Update/UpdateInfo`.
const MANIFEST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ASZSolutionBundleUpdates>
  <ApplicableUpdate Version="Solution12.2611.1004.7">
    <UpdateInfo Version="Solution12.2611.1004.7">
      <UpdateName>Solution12.2611.1004.7</UpdateName>
      <PackageSizeInMb>7200</PackageSizeInMb>
    </UpdateInfo>
    <BillOfMaterials>
      <BomItem Id="PlatformUpdate" Version="12.2611.0.3">
        <BomItem Id="OSColdpatchVersion" Version="26100.9999"/>
      </BomItem>
    </BillOfMaterials>
  </ApplicableUpdate>
  <PackageMetadata>
    <ServicesUpdates>
      <Update>
        <UpdateInfo>
          <UpdateName>Solution12.2603.1002.15</UpdateName>
          <Version>Solution12.2603.1002.15</Version>
        </UpdateInfo>
      </Update>
    </ServicesUpdates>
  </PackageMetadata>
</ASZSolutionBundleUpdates>
"#;

/// The day of the manifest updates: 2611 has begun.
const MANIFEST_DAY: &str = "2026-12-07";

/// `catalog update` of the Azure Local line alone, from `url`.
fn update_local(cache: &Path, url: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "catalog",
        "update",
        "--product",
        "aks-arc",
        "--azure-local-url",
        url,
        "--as-of",
        MANIFEST_DAY,
    ];
    args.extend_from_slice(extra);
    run(akspol(cache).args(&args))
}

/// Serves [`MANIFEST`] with validators, answering 304 to them; and the GitHub
/// releases under `/releases`.
fn edge(request: &Request, base: &str) -> Reply {
    if request.path.starts_with("/releases") {
        return github(request, base);
    }
    let etag = "\"manifest-v1\"";
    let modified = "Mon, 30 Nov 2026 10:00:00 GMT";
    if request.header("if-none-match") == Some(etag) {
        return reply("304 Not Modified", vec![("ETag", etag.into())], "");
    }
    reply(
        "200 OK",
        vec![
            ("ETag", etag.into()),
            ("Last-Modified", modified.into()),
            ("Content-Type", "application/xml".into()),
        ],
        MANIFEST,
    )
}

fn aks_arc_releases(cache: &Path) -> serde_json::Value {
    let shown = run(akspol(cache).args(["catalog", "show", "--format", "json"]));
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let catalog: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    catalog
}

fn local_release(catalog: &serde_json::Value, release: &str) -> Option<serde_json::Value> {
    catalog["azureLocalReleases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["release"] == release)
        .cloned()
}

/// Item 5's "done when": a manifest listing `Solution12.2611.1004.7` adds
/// release 2611, by name, to the cached catalog.
#[test]
fn the_manifest_adds_release_2611_to_the_cached_catalog() {
    let server = Server::start(edge);
    let cache = tempfile::tempdir().unwrap();
    let before = aks_arc_releases(cache.path());
    assert!(local_release(&before, "2611").is_none());
    let result = update_local(cache.path(), &server.url("/AzureEdgeUpdates"), &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stderr, "", "{}", result.stderr);
    let expected = [
        format!(
            "read 3 versions (2 solution builds) from Azure Local's update manifest {}",
            server.url("/AzureEdgeUpdates")
        ),
        "Azure Local: 1 build already in the catalog; added 1 release known by name only (no day is published): 2611; added 1 build: 12.2611.1004.7".to_string(),
        "Azure Local facts now reach release 2611: known through 2026-11 (to the month; its day is not published)".to_string(),
    ];
    for line in &expected {
        assert!(
            result.stdout.contains(line.as_str()),
            "{line}\n{}",
            result.stdout
        );
    }
    assert!(
        result
            .stdout
            .contains("(7 known by name only, dated by their month), generated 2026-12-07"),
        "{}",
        result.stdout
    );

    // The cached catalog lists it as a release known by name only (like
    // 2605), dated by its month, its build citing the manifest; the AksHci
    // line is untouched.
    let cached = aks_arc_releases(cache.path());
    let r2611 = local_release(&cached, "2611").unwrap();
    assert_eq!(r2611["released"], serde_json::Value::Null, "{r2611}");
    assert_eq!(r2611["dateBasis"], "month", "{r2611}");
    assert_eq!(
        r2611["releasedWindow"],
        serde_json::json!({"notBefore": "2026-11-01", "notAfter": "2026-11-30"})
    );
    assert_eq!(r2611["name"], "Azure Local 2611");
    assert_eq!(r2611["builds"][0]["version"], "12.2611.1004.7");
    assert!(r2611["builds"][0].get("available").is_none(), "{r2611}");
    let cited = format!(
        "Azure Local's update manifest {}, read on 2026-12-07",
        server.url("/AzureEdgeUpdates")
    );
    assert_eq!(r2611["builds"][0]["source"], cited.as_str());
    assert_eq!(r2611["source"], cited.as_str());
    let embedded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("data/catalog.json")).unwrap())
            .unwrap();
    assert_eq!(cached["releases"], embedded["releases"]);
    assert_eq!(
        local_release(&cached, "2603"),
        local_release(&embedded, "2603"),
        "a build the catalog has changes nothing"
    );
    let known: Vec<_> = cached["knownThrough"].as_array().unwrap().clone();
    let arc = known.iter().find(|k| k["product"] == "aks-arc").unwrap();
    assert_eq!(arc["date"], "2026-11-01");
    assert_eq!(arc["dateBasis"], "month");

    // The table shows it.
    let table = run(akspol(cache.path()).args(["catalog", "show", "--product", "aks-arc"]));
    assert_eq!(table.code, 0, "{}", table.stderr);
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("2611 "))
        .unwrap_or_else(|| panic!("{}", table.stdout));
    assert!(
        row.contains("2026-11 (month)") && row.contains("12.2611.1004.7"),
        "{row}"
    );

    // Asked again: the validators go back, a 304 keeps the cache as it is.
    let bytes = cache_bytes(cache.path());
    let again = update_local(cache.path(), &server.url("/AzureEdgeUpdates"), &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains("has not changed since the last update"),
        "{}",
        again.stdout
    );
    assert_eq!(cache_bytes(cache.path()), bytes);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("if-none-match"), Some("\"manifest-v1\""));
    assert_eq!(
        last.header("if-modified-since"),
        Some("Mon, 30 Nov 2026 10:00:00 GMT")
    );
    assert!(last.header("authorization").is_none());
}

/// A plain `catalog update` refreshes both lines; the manifest gets no token.
#[test]
fn a_plain_update_refreshes_both_lines() {
    let server = Server::start(edge);
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = akspol(cache.path());
    cmd.env("GITHUB_TOKEN", "ghp_secret_token_123");
    let result = run(cmd.args([
        "catalog",
        "update",
        "--url",
        &server.url("/releases"),
        "--azure-local-url",
        &server.url("/AzureEdgeUpdates"),
        "--as-of",
        MANIFEST_DAY,
    ]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("fetched 4 releases (2 pages)"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("added 1 release known by name only"),
        "{}",
        result.stdout
    );
    let cached = aks_arc_releases(cache.path());
    assert!(local_release(&cached, "2611").is_some());
    assert!(cached["releases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["version"] == "1.3.0.10712"));
    for request in server.requests() {
        let to_github = request.path.starts_with("/releases");
        assert_eq!(
            request.header("authorization").is_some(),
            to_github,
            "{request:?}"
        );
    }
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cache.path().join("catalog.meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["github"]["etag"], "\"v1-releases\"");
    assert_eq!(meta["azureLocal"]["etag"], "\"manifest-v1\"");

    // Once one line has nothing new, the other's news is still written, and
    // the unchanged line keeps its facts.
    let later = "2026-12-20";
    let again = run(akspol(cache.path()).args([
        "catalog",
        "update",
        "--url",
        &server.url("/releases"),
        "--azure-local-url",
        &server.url("/AzureEdgeUpdates"),
        "--as-of",
        later,
    ]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("the releases at") && again.stdout.contains("have not changed"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("Azure Local's update manifest at")
            && again.stdout.contains("has not changed"),
        "{}",
        again.stdout
    );
}

/// One source failing keeps the other's facts and names the failure: exit 1.
/// Both failing is exit 2 with the cache as it was.
#[test]
fn one_source_failing_keeps_the_others_facts() {
    let server = Server::start(|request, base| match request.path.as_str() {
        "/broken" => reply("500 Internal Server Error", vec![], "oops"),
        _ => edge(request, base),
    });
    let cache = tempfile::tempdir().unwrap();
    let both = |github: &str, manifest: &str| {
        run(akspol(cache.path()).args([
            "catalog",
            "update",
            "--url",
            &server.url(github),
            "--azure-local-url",
            &server.url(manifest),
            "--as-of",
            MANIFEST_DAY,
        ]))
    };
    // The manifest fails: the GitHub releases are written, the failure named.
    let result = both("/releases", "/broken");
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.starts_with(&format!(
            "error: catalog update failed for the Azure Local line (update manifest): {} answered HTTP 500 Internal Server Error; its facts are the embedded catalog's",
            server.url("/broken")
        )),
        "{}",
        result.stderr
    );
    assert!(
        result.stdout.contains("fetched 4 releases"),
        "{}",
        result.stdout
    );
    let cached = aks_arc_releases(cache.path());
    assert!(local_release(&cached, "2611").is_none());
    assert!(cached["releases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["version"] == "1.3.0.10712"));

    // Then GitHub fails: the manifest's facts are written, and what the
    // GitHub releases brought last time stays.
    let result = both("/broken", "/AzureEdgeUpdates");
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("catalog update failed for the AksHci line (GitHub releases):")
            && result.stderr.contains("its facts are those the cache had"),
        "{}",
        result.stderr
    );
    let cached = aks_arc_releases(cache.path());
    assert!(local_release(&cached, "2611").is_some());
    assert!(cached["releases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["version"] == "1.3.0.10712"));

    // Both fail: exit 2, one line, the cache as it was.
    let before = cache_bytes(cache.path());
    let result = both("/broken", "/broken");
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.starts_with("error: catalog update failed: ")
            && result.stderr.contains("; and "),
        "{}",
        result.stderr
    );
    assert!(result.stdout.is_empty(), "{}", result.stdout);
    assert_eq!(cache_bytes(cache.path()), before);
}

/// Every hostile or broken manifest: exit 2, one sentence, the cache as it was.
#[test]
fn hostile_manifests_are_one_sentence_and_leave_the_cache_intact() {
    let hundred_thousand = {
        let mut text = String::from("<ASZSolutionBundleUpdates>");
        for i in 0..100_000 {
            text.push_str(&format!(
                "<ApplicableUpdate Version=\"Solution12.2611.1004.{i}\"/>"
            ));
        }
        text.push_str("</ASZSolutionBundleUpdates>");
        text
    };
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ASZSolutionBundleUpdates><ApplicableUpdate Version="&lol9;"/></ASZSolutionBundleUpdates>"#;
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ASZSolutionBundleUpdates><ApplicableUpdate><Version>&xxe;</Version></ApplicableUpdate></ASZSolutionBundleUpdates>"#;
    // Cut between elements, and inside an attribute.
    let truncated = &MANIFEST[..MANIFEST.find("  <PackageMetadata>").unwrap()];
    let cut = &MANIFEST[..MANIFEST.find("Version=").unwrap() + 12];
    let server = Server::start(move |request, _| {
        match request.path.as_str() {
            "/empty" => ok("<?xml version=\"1.0\"?>\n<ASZSolutionBundleUpdates/>\n"),
            "/hundred-thousand" => ok(hundred_thousand.clone()),
            "/truncated" => ok(truncated),
            "/truncated-unannounced" => Reply::Send {
                status: "200 OK",
                headers: vec![],
                body: cut.as_bytes().to_vec(),
                no_length: true,
            },
            "/billion-laughs" => ok(billion_laughs),
            "/external-entity" => ok(external),
            "/undeclared-entity" => ok("<ASZSolutionBundleUpdates><ApplicableUpdate Version=\"&xxe;\"/></ASZSolutionBundleUpdates>"),
            "/html" => ok("<html><body>Service unavailable</body></html>"),
            "/not-xml" => ok("{\"value\": []}"),
            "/redirect-loop" => reply("302 Found", vec![("Location", "/redirect-loop".into())], ""),
            "/redirect-http" => reply(
                "302 Found",
                vec![("Location", "http://198.51.100.1/AzureEdgeUpdates".into())],
                "",
            ),
            "/redirect-file" => reply("302 Found", vec![("Location", "file:///etc/passwd".into())], ""),
            "/drip" => Reply::Drip {
                body: MANIFEST.as_bytes().to_vec(),
                every: Duration::from_secs(1),
            },
            "/hang" => Reply::Hang,
            "/ok" => ok(MANIFEST),
            _ => reply("404 Not Found", vec![], "<html>not here</html>"),
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let first = update_local(cache.path(), &server.url("/ok"), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = cache_bytes(cache.path());
    let url = |path: &str| server.url(path);
    let cases: Vec<(String, Vec<&str>, String)> = vec![
        (url("/empty"), vec![], format!("Azure Local's update manifest from {} lists no solution builds; kept the line's facts as they were", url("/empty"))),
        (url("/hundred-thousand"), vec![], "lists more than 1000 different versions: far more than Azure Local's manifest, not read".into()),
        (url("/truncated"), vec![], "ends inside the element <ASZSolutionBundleUpdates>: the document is truncated (line 14, column 1)".into()),
        (url("/truncated-unannounced"), vec![], "is not well-formed XML (syntax error: attribute value not closed".into()),
        (url("/billion-laughs"), vec![], "has a document type declaration (<!DOCTYPE ...>), which akspol refuses: one can define entities that expand to gigabytes or name files and URLs to load, and Azure Local's manifest has none (line 2, column 1)".into()),
        (url("/external-entity"), vec![], "has a document type declaration".into()),
        (url("/undeclared-entity"), vec![], "has an attribute value akspol does not read".into()),
        (url("/html"), vec![], "is not Azure Local's update manifest: its root element is <html>, not <ASZSolutionBundleUpdates>".into()),
        (url("/not-xml"), vec![], "has text outside its root element".into()),
        (url("/redirect-loop"), vec![], "redirects more than 10 times".into()),
        (url("/redirect-http"), vec![], "redirected (HTTP 302 Found) to http://198.51.100.1/AzureEdgeUpdates, which is not an https URL; refusing to follow it".into()),
        (url("/redirect-file"), vec![], "which is not an http or https URL; refusing to follow it".into()),
        (url("/drip"), vec!["--timeout", "3"], "did not answer in time: the update took more than --timeout 3s in all".into()),
        (url("/hang"), vec!["--timeout", "2"], "did not answer in time".into()),
        (url("/ok"), vec!["--max-response-bytes", "100"], "are larger than 100 bytes in all (--max-response-bytes)".into()),
        (url("/missing"), vec![], format!("{} answered HTTP 404 Not Found", url("/missing"))),
        ("http://example.test/AzureEdgeUpdates".into(), vec![], "`http://example.test/AzureEdgeUpdates` is not an https URL (plain http is accepted on this machine's loopback only, for tests)".into()),
        ("ftp://127.0.0.1/x".into(), vec![], "is not an https URL".into()),
    ];
    for (url, extra, expected) in cases {
        let started = std::time::Instant::now();
        let result = update_local(cache.path(), &url, &extra);
        assert_eq!(result.code, 2, "{url}: {}", result.stderr);
        assert!(result.stdout.is_empty(), "{url}: {}", result.stdout);
        assert_eq!(result.stderr.lines().count(), 1, "{url}: {}", result.stderr);
        assert!(
            result.stderr.starts_with("error: catalog update failed: "),
            "{url}: {}",
            result.stderr
        );
        assert!(
            result.stderr.contains(&expected),
            "{url}: {expected}\n{}",
            result.stderr
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{url} took too long"
        );
        assert_eq!(cache_bytes(cache.path()), before, "{url} changed the cache");
    }
}

/// The short link redirects to another server: followed when it is https
/// (here a server whose certificate is not trusted, so the connection is the
/// proof that the redirect was followed).
#[test]
fn the_manifest_follows_a_redirect_to_https_on_another_server() {
    let tls = tls_server();
    let server = Server::start(move |_, _| {
        reply(
            "301 Moved Permanently",
            vec![("Location", format!("https://127.0.0.1:{tls}/manifest.xml"))],
            "",
        )
    });
    let cache = tempfile::tempdir().unwrap();
    let result = update_local(cache.path(), &server.url("/AzureEdgeUpdates"), &[]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("cannot connect securely to 127.0.0.1: its TLS certificate is not trusted"),
        "{}",
        result.stderr
    );
}

/// A disconnected site: the manifest saved on a connected machine, read
/// from a file. A FIFO, a directory or a hostile file is one sentence.
#[test]
fn a_saved_manifest_is_read_from_a_file() {
    let cache = tempfile::tempdir().unwrap();
    let saved = tempfile::tempdir().unwrap();
    let file = saved.path().join("AzureEdgeUpdates.xml");
    std::fs::write(&file, MANIFEST).unwrap();
    let read = |path: &Path, extra: &[&str]| {
        let mut args = vec![
            "catalog".to_string(),
            "update".into(),
            "--product".into(),
            "aks-arc".into(),
            "--azure-local-file".into(),
            path.display().to_string(),
            "--as-of".into(),
            MANIFEST_DAY.into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        run(akspol(cache.path()).args(&args))
    };
    let result = read(&file, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains(&format!(
            "read 3 versions (2 solution builds) from Azure Local's update manifest {}",
            file.display()
        )),
        "{}",
        result.stdout
    );
    let r2611 = local_release(&aks_arc_releases(cache.path()), "2611").unwrap();
    assert_eq!(
        r2611["builds"][0]["source"],
        "Azure Local's update manifest (https://aka.ms/AzureEdgeUpdates), saved as AzureEdgeUpdates.xml, read on 2026-12-07"
    );
    let meta = std::fs::read_to_string(cache.path().join("catalog.meta.json")).unwrap();
    assert!(!meta.contains("azureLocal"), "{meta}");

    // --azure-local-file with --product aks-hybrid contradicts itself.
    let contradiction = run(akspol(cache.path()).args([
        "catalog",
        "update",
        "--product",
        "aks-hybrid",
        "--azure-local-file",
        &file.display().to_string(),
    ]));
    assert_eq!(contradiction.code, 2);
    assert!(
        contradiction.stderr.contains(
            "--azure-local-file names a source of the line that --product aks-hybrid leaves out"
        ),
        "{}",
        contradiction.stderr
    );
    let contradiction = run(akspol(cache.path()).args([
        "catalog",
        "update",
        "--product",
        "aks-arc",
        "--url",
        "http://127.0.0.1:9/releases",
    ]));
    assert_eq!(contradiction.code, 2);
    assert!(
        contradiction
            .stderr
            .contains("--url names a source of the line that --product aks-arc leaves out"),
        "{}",
        contradiction.stderr
    );

    let before = cache_bytes(cache.path());
    let hostile = saved.path().join("hostile.xml");
    std::fs::write(
        &hostile,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]><ASZSolutionBundleUpdates/>",
    )
    .unwrap();
    let fifo = saved.path().join("fifo.xml");
    let fifo_made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![
        (
            hostile.clone(),
            vec![],
            format!(
                "{}:2:1: Azure Local's update manifest has a document type declaration",
                hostile.display()
            ),
        ),
        (
            saved.path().join("missing.xml"),
            vec![],
            "cannot read Azure Local's update manifest".to_string(),
        ),
        (
            saved.path().to_path_buf(),
            vec![],
            "it is a directory".to_string(),
        ),
        (
            file.clone(),
            vec!["--max-response-bytes", "100"],
            "it is larger than 100 bytes (--max-response-bytes)".to_string(),
        ),
    ];
    if fifo_made {
        cases.push((
            fifo.clone(),
            vec![],
            "it is not a regular file (a FIFO, a device or a socket): not read".to_string(),
        ));
    }
    for (path, extra, expected) in cases {
        let started = std::time::Instant::now();
        let result = read(&path, &extra);
        assert_eq!(result.code, 2, "{}: {}", path.display(), result.stderr);
        assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
        assert!(
            result.stderr.contains(&expected),
            "{expected}\n{}",
            result.stderr
        );
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_eq!(cache_bytes(cache.path()), before);
    }
}

/// Issue 22, item 6: a FIFO named catalog.json, catalog.meta.json or
/// update.lock kept `catalog update --timeout 20` running past 60 s. Each is
/// now refused at once, naming the file, and nothing is written.
#[test]
fn a_fifo_in_the_cache_is_refused_at_once() {
    let server = Server::start(github);
    for name in ["catalog.json", "catalog.meta.json", "update.lock"] {
        let cache = tempfile::tempdir().unwrap();
        let first = update(cache.path(), &server.url("/releases"), &[]);
        assert_eq!(first.code, 0, "{}", first.stderr);
        let fifo = cache.path().join(name);
        std::fs::remove_file(&fifo).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return; // no mkfifo on this system
        }
        let before: Vec<String> = cache_names(cache.path());
        let started = std::time::Instant::now();
        let result = update(cache.path(), &server.url("/releases"), &["--timeout", "20"]);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{name}: {:?}",
            started.elapsed()
        );
        assert_eq!(result.code, 2, "{name}: {}", result.stderr);
        assert!(
            result.stderr.contains(&fifo.display().to_string())
                && result.stderr.contains("not a regular file"),
            "{name}: {}",
            result.stderr
        );
        assert_eq!(cache_names(cache.path()), before, "{name}");
        // check's cache load does not wait on it either.
        let started = std::time::Instant::now();
        let (report, _) = check_json(cache.path(), &[]);
        assert!(started.elapsed() < Duration::from_secs(15));
        assert!(report["catalog"]["source"].is_string());
    }
}

/// The names in the cache (a FIFO cannot be read to compare bytes).
fn cache_names(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Issue 22, item 17: a directory named catalog.meta.json was reported as
/// "cannot write …/catalog.json", with exit 2 after catalog.json had been
/// replaced. Now the right file is named and catalog.json stays as it was.
#[test]
fn the_catalog_and_its_metadata_land_together_or_not_at_all() {
    let server = Server::start(github);
    let cache = tempfile::tempdir().unwrap();
    let first = update(cache.path(), &server.url("/releases"), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let meta = cache.path().join("catalog.meta.json");
    std::fs::remove_file(&meta).unwrap();
    std::fs::create_dir(&meta).unwrap();
    // Another day's update: it would change catalog.json.
    let catalog = std::fs::read(cache.path().join("catalog.json")).unwrap();
    let result = run(akspol(cache.path()).args([
        "catalog",
        "update",
        "--product",
        "aks-hybrid",
        "--url",
        &server.url("/releases"),
        "--as-of",
        &add_days(embedded_generated(), 9).to_string(),
    ]));
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(&format!(
            "cannot write {}: it is a directory, not a file akspol wrote; the cache is as it was",
            meta.display()
        )),
        "{}",
        result.stderr
    );
    assert_eq!(
        std::fs::read(cache.path().join("catalog.json")).unwrap(),
        catalog
    );
    assert_eq!(
        cache_names(cache.path()),
        ["catalog.json", "catalog.meta.json", "update.lock"]
    );
}

/// A local HTTPS server whose certificate (tests/tls) no client trusts; its port.
fn tls_server() -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let tls = repo().join("tests/tls");
    let certs = CertificateDer::pem_file_iter(tls.join("cert.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls.join("key.pem")).unwrap();
    let config = std::sync::Arc::new(
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = std::sync::Arc::clone(&config);
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut connection = rustls::ServerConnection::new(config).unwrap();
                let _ = connection.complete_io(&mut stream);
            });
        }
    });
    port
}
