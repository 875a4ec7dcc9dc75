//! `perf-hints site` in a real browser: builds the site from the committed
//! records into a temporary folder and opens every page in headless
//! Chromium, failing on any console message (the pages log nothing, so a
//! message is an error: Chromium prints `console.log`, `console.error` and
//! an uncaught exception alike, as `INFO:CONSOLE` lines on stderr) and on a
//! page whose chart is missing. It first opens a deliberately broken page and
//! checks that the same check fails it, so a Chromium that stops reporting
//! cannot make the test pass by saying nothing.
//!
//! Without `chromium` on PATH the test skips, saying so, unless
//! `PERF_HINTS_REQUIRE_CHROMIUM=1` (as `.ci/run` sets it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use perf_hints::publish::records::repo_root;
use perf_hints::publish::site;

/// The browser: `PERF_HINTS_CHROMIUM`, else `chromium` on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PERF_HINTS_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// The DOM after load and the console messages of one page, from a Chromium
/// with a profile of its own (so several can run at once).
fn open(browser: &Path, page: &Path, profile: &Path) -> (String, Vec<String>) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", browser.display()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    assert!(
        out.status.success(),
        "chromium failed on {}: {stderr}",
        page.display()
    );
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// What is wrong with a page as loaded: console messages, and a missing
/// chart (an `<svg>` or `<img>` in a `figure.chart`) unless the page says no
/// record has its hint.
fn problems(dom: &str, console: &[String]) -> Vec<String> {
    let mut out: Vec<String> = console.iter().map(|l| format!("console: {l}")).collect();
    let chart = dom
        .match_indices("<figure class=\"chart\">")
        .any(|(at, _)| {
            let inside = &dom[at..];
            let end = inside.find("</figure>").unwrap_or(inside.len());
            inside[..end].contains("<svg") || inside[..end].contains("<img")
        });
    if !chart && !dom.contains("class=\"no-record\"") {
        out.push("no chart (<svg> or <img> in a figure.chart)".into());
    }
    if !dom.contains("</main>") {
        out.push("no <main>: the page did not load".into());
    }
    out
}

#[test]
fn every_page_loads_in_chromium_without_console_errors_and_with_its_chart() {
    let Some(browser) = chromium() else {
        if std::env::var("PERF_HINTS_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("chromium is not on PATH and PERF_HINTS_REQUIRE_CHROMIUM=1");
        }
        eprintln!(
            "skipping: chromium is not on PATH (install Debian's `chromium`; \
             PERF_HINTS_REQUIRE_CHROMIUM=1 makes this a failure)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let start = Instant::now();
    let pages = site::build(&repo_root(), &out, &site::Links::default()).unwrap();
    eprintln!(
        "built {} pages in {:.1} s",
        pages.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(pages.len() > 40, "only {} pages", pages.len());

    // The check itself: a page with a script error and no chart must fail it.
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!doctype html><html><body><main><figure class=\"chart\"></figure></main>\
         <script>notAFunction();</script></body></html>",
    )
    .unwrap();
    let (dom, console) = open(&browser, &broken, &dir.path().join("profile-broken"));
    let found = problems(&dom, &console);
    assert!(
        found.iter().any(|p| p.contains("Uncaught ReferenceError")),
        "chromium did not report the broken page's script error: {found:?}"
    );
    assert!(found.iter().any(|p| p.starts_with("no chart")), "{found:?}");

    // Every page, on as many browsers at once as there are cores (at most 4).
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let queue = Mutex::new(pages.clone());
    let failures = Mutex::new(Vec::new());
    let index_dom = Mutex::new(String::new());
    std::thread::scope(|s| {
        for w in 0..workers {
            let (queue, failures, index_dom, browser, dir) =
                (&queue, &failures, &index_dom, &browser, dir.path());
            s.spawn(move || {
                loop {
                    let Some(page) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let (dom, console) = open(browser, &page, &dir.join(format!("profile-{w}")));
                    for p in problems(&dom, &console) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {p}", page.display()));
                    }
                    if page.ends_with("index.html") {
                        *index_dom.lock().unwrap() = dom;
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The index's script ran: it marks the filter the address names.
    let index = index_dom.into_inner().unwrap();
    assert!(
        index.contains("aria-current=\"true\""),
        "the index's script did not run"
    );
    // It links to every hint's page.
    for page in pages.iter().filter(|p| !p.ends_with("index.html")) {
        let name = page.file_name().unwrap().to_string_lossy();
        assert!(
            index.contains(&format!("href=\"{name}\"")),
            "the index does not link to {name}"
        );
    }
    eprintln!(
        "opened {} pages in {:.1} s",
        pages.len() + 1,
        start.elapsed().as_secs_f64()
    );
}
