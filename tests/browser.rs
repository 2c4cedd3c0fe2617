//! The HTML report in a real browser: Debian's Chromium, headless, opens
//! the page from disk (`file://`, no server, no network) for the bundled
//! example and for a generated fleet; `--dump-dom` gives the DOM after the
//! page's script ran, `--screenshot` a picture of it.
//!
//! Without `chromium` on the PATH these tests say so and pass, unless
//! `AKSPOL_REQUIRE_BROWSER` is set (`.ci/run` installs Chromium and sets
//! it), when its absence is a failure.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a slow CI machine to start Chromium and lay out a fleet.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// The browser, or `None` (with a message) when it is absent and not required.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromium"))
            .find(|path| path.is_file())
    });
    let required = std::env::var_os("AKSPOL_REQUIRE_BROWSER").is_some_and(|v| !v.is_empty());
    match found {
        Some(path) => Some(path),
        None if required => {
            panic!("AKSPOL_REQUIRE_BROWSER is set but `chromium` is not on the PATH (apt-get install -y chromium)")
        }
        None => {
            eprintln!(
                "SKIPPED: `chromium` is not on the PATH, so the HTML report was not opened in a browser \
                 (apt-get install -y chromium; AKSPOL_REQUIRE_BROWSER=1 makes its absence a failure)"
            );
            None
        }
    }
}

/// Runs headless Chromium on `page` with `args`; returns its standard output.
fn run_chromium(browser: &Path, page: &Path, args: &[String]) -> String {
    run_chromium_at(browser, &format!("file://{}", page.display()), args)
}

/// [`run_chromium`] on a URL (a page with a `#fragment`).
fn run_chromium_at(browser: &Path, url: &str, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on their own threads, so a large DOM cannot fill one
    // and stall the browser while this thread waits.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().unwrap().unwrap();
    let stderr = err.join().unwrap();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");
    stdout
}

/// Writes the HTML report of `inputs` to `dir/name` and returns its path.
fn write_report(dir: &Path, name: &str, as_of: &str, inputs: &[&Path]) -> PathBuf {
    let page = dir.join(name);
    let output = common::akspol()
        .args(["check", "--as-of", as_of, "--format", "html", "--output"])
        .arg(&page)
        .args(inputs)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    page
}

fn count(dom: &str, needle: &str) -> usize {
    dom.matches(needle).count()
}

/// The DOM after the script ran, and a screenshot that is a real picture.
fn open(browser: &Path, page: &Path, height: u32) -> String {
    let dom = run_chromium(browser, page, &["--dump-dom".to_string()]);
    // The script ran under the page's Content-Security-Policy (so its hash
    // is right): it marks the page, turns headers into sort buttons and
    // shows the filters.
    assert!(
        dom.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" class=\"js\">"),
        "the script did not run: {}",
        dom.get(..300).unwrap_or(&dom)
    );
    assert!(dom.contains("<th data-key=\"name\"><button type=\"button\">Deployment</button></th>"));
    assert!(dom.contains("<p id=\"filters\">"), "filters still hidden");
    let shot = page.with_extension("png");
    run_chromium(
        browser,
        page,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size=1280,{height}"),
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 20_000, "a blank page? {} bytes", png.len());
    dom
}

#[test]
fn the_example_opens_in_a_browser_with_tiles_timeline_and_findings() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = write_report(
        dir.path(),
        "contoso.html",
        "2026-11-23",
        &[&common::repo().join("fixtures/examples/contoso.json")],
    );
    let dom = open(&browser, &page, 2400);
    assert_eq!(count(&dom, "<li class=\"tile "), 4, "the tiles");
    assert!(dom.contains("<li class=\"tile unsupported\"><a href=\"#deployments\"><span class=\"n\">1</span></a> unsupported</li>"));
    assert_eq!(count(&dom, "class=\"mark\""), 4, "the timeline's marks");
    assert_eq!(count(&dom, "<details class=\"finding f-fail\""), 7);
    assert!(dom.contains("id=\"d1-f1\""), "the first finding");
    if let Ok(keep) = std::env::var("AKSPOL_KEEP_SCREENSHOTS") {
        std::fs::copy(
            page.with_extension("png"),
            Path::new(&keep).join("contoso.png"),
        )
        .unwrap();
    }
}

#[test]
fn a_generated_fleet_opens_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites");
    let shape = akspol_tools::fleetgen::Shape {
        deployments: 200,
        ..Default::default()
    };
    akspol_tools::fleetgen::write(&shape, Some(&sites), None).unwrap();
    let page = write_report(dir.path(), "fleet.html", "2025-07-01", &[&sites]);
    let dom = open(&browser, &page, 3000);
    assert_eq!(count(&dom, "<tr data-order="), 200, "a row per deployment");
    assert_eq!(count(&dom, "<section class=\"deployment\""), 200);
    assert!(count(&dom, "class=\"mark\"") >= 3, "the timeline's marks");
    assert!(count(&dom, "<details class=\"finding ") >= 200);
    if let Ok(keep) = std::env::var("AKSPOL_KEEP_SCREENSHOTS") {
        std::fs::copy(
            page.with_extension("png"),
            Path::new(&keep).join("fleet.png"),
        )
        .unwrap();
    }
}

#[test]
fn the_address_sorts_and_filters_the_deployments_table() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites");
    let shape = akspol_tools::fleetgen::Shape {
        deployments: 60,
        ..Default::default()
    };
    akspol_tools::fleetgen::write(&shape, Some(&sites), None).unwrap();
    let page = write_report(dir.path(), "fleet.html", "2025-07-01", &[&sites]);
    // What the script does on a click is what it does for the address: it
    // sorts by the column, filters, and says how many rows it shows.
    let rows_of = |fragment: &str| {
        let dom = run_chromium_at(
            &browser,
            &format!("file://{}#{fragment}", page.display()),
            &["--dump-dom".to_string()],
        );
        // The DOM Chromium prints is HTML: read the rows by their attributes.
        let mut rows = Vec::new();
        for tr in dom.split("<tr data-order=").skip(1) {
            let tag = tr.split('>').next().unwrap();
            let attr = |name: &str| {
                tag.split(&format!(" {name}=\""))
                    .nth(1)
                    .map(|rest| rest.split('"').next().unwrap().to_string())
            };
            rows.push((
                attr("data-name").unwrap(),
                attr("data-verdict").unwrap(),
                tag.contains(" hidden"),
            ));
        }
        let shown = dom
            .split("id=\"filter-count\" class=\"small\">")
            .nth(1)
            .map(|rest| rest.split('<').next().unwrap().to_string());
        (rows, shown)
    };
    let (all, _) = rows_of("");
    assert_eq!(all.len(), 60);
    // No view in the address (nothing, or parts without `=`): every row
    // shows, and the count says so.
    for fragment in ["", "east", "sort&q", "&&"] {
        let (rows, shown) = rows_of(fragment);
        assert!(rows.iter().all(|r| !r.2), "#{fragment}: {rows:?}");
        assert_eq!(shown.as_deref(), Some("60 of 60 shown"), "#{fragment}");
    }
    let unsupported = all.iter().filter(|r| r.1 == "unsupported").count();
    assert!(unsupported > 0 && unsupported < 60, "{all:?}");
    // A part without `=` beside a view: the view holds.
    let (_, shown) = rows_of("east&verdict=unsupported");
    assert_eq!(shown, Some(format!("{unsupported} of 60 shown")));
    let (rows, shown) = rows_of("sort=name-desc&verdict=unsupported&q=site-000");
    let visible: Vec<&(String, String, bool)> = rows.iter().filter(|r| !r.2).collect();
    assert!(!visible.is_empty(), "{rows:?}");
    assert!(
        visible
            .iter()
            .all(|r| r.1 == "unsupported" && r.0.contains("site-000")),
        "{visible:?}"
    );
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted, "every row, by name, descending");
    let expected_count = all
        .iter()
        .filter(|r| r.1 == "unsupported" && r.0.contains("site-000"))
        .count();
    assert_eq!(visible.len(), expected_count);
    assert_eq!(shown, Some(format!("{expected_count} of 60 shown")));
    // A verdict the page does not offer is ignored, not applied.
    let (rows, _) = rows_of("verdict=%3Cscript%3E&q=%E0%A4%A");
    assert!(rows.iter().all(|r| !r.2), "nothing hidden by a bad address");
}
