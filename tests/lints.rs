//! Proves every hint's "Finding it" section: runs clippy on this crate's
//! library (the same `bad` and `good` code the bench measures), reads the
//! diagnostics as JSON, and checks, per hint:
//!
//! - every lint under "Caught by:" fires inside `bad`'s own code (`bad` and
//!   the functions of its file that only `bad` calls) and not inside `good`'s;
//! - every lint under "Fires on both:" fires inside both (it flags
//!   something, but not the difference between them);
//! - every lint under "Checked and silent:" does not fire inside `bad`, and
//!   for a hint no lint catches, no lint of clippy's `perf` group does;
//! - a lint said to be on by default fires among clippy's default lints
//!   (`clippy::all`), and a lint said to be opt-in does not.
//!
//! The hints keep their bad code free of warnings for the crate's own
//! `cargo clippy -- -D warnings` with an `#[allow]` on the lint they
//! demonstrate; this test forces the lints (`--force-warn`) so that the
//! `#[allow]` does not hide them.
//!
//! Needs clippy. Without it (`cargo clippy` missing, as on a minimal
//! toolchain) the test says so and passes, unless `PERF_HINTS_REQUIRE_CLIPPY=1`
//! (`.ci/run` sets it, and CI installs clippy). It builds in
//! `target/lint-check`, so it never waits on the build that runs it; no
//! network is needed.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use perf_hints::publish::lints::{Finding, finding};

/// One clippy diagnostic: the lint (without `clippy::`), the file and the
/// line of its primary span.
type Hit = (String, String, usize);

/// Runs `cargo clippy --lib` with `flags` after `--`; `None` when clippy is
/// not installed.
fn clippy(flags: &[String]) -> Option<Vec<Hit>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let probe = Command::new(&cargo)
        .args(["clippy", "--version"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let out = Command::new(&cargo)
        .args([
            "clippy",
            "--lib",
            "--quiet",
            "--message-format=json",
            "--target-dir",
        ])
        .arg(Path::new(root).join("target").join("lint-check"))
        .arg("--")
        .args(flags)
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo clippy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut hits = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" {
            continue;
        }
        let msg = &v["message"];
        let Some(code) = msg["code"]["code"].as_str() else {
            continue;
        };
        let Some(name) = code.strip_prefix("clippy::") else {
            continue;
        };
        for span in msg["spans"].as_array().into_iter().flatten() {
            if span["is_primary"] == true {
                hits.push((
                    name.to_string(),
                    span["file_name"].as_str().unwrap_or("").replace('\\', "/"),
                    span["line_start"].as_u64().unwrap_or(0) as usize,
                ));
            }
        }
    }
    Some(hits)
}

/// The top-level functions of `source` (`fn`, `pub fn`, `pub(crate) fn`,
/// `async` or not): name, and the lines (1-based, inclusive) from the
/// signature to the first line that is a lone `}`, with the body's text
/// without comments.
fn functions(source: &str) -> Vec<(String, (usize, usize), String)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let rest = l
            .strip_prefix("pub(crate) ")
            .or_else(|| l.strip_prefix("pub "))
            .unwrap_or(l);
        let rest = rest.strip_prefix("async ").unwrap_or(rest);
        let Some(rest) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(end) = (i..lines.len()).find(|&j| lines[j] == "}") else {
            continue;
        };
        let body = lines[i + 1..end]
            .iter()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        out.push((name, (i + 1, end + 1), body));
    }
    out
}

/// Whether `word` appears in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// The line spans of `root` and of every function of the file it calls,
/// directly or through others.
fn reach(fns: &[(String, (usize, usize), String)], root: &str) -> Vec<(String, (usize, usize))> {
    let mut seen = vec![root.to_string()];
    let mut todo = vec![root.to_string()];
    while let Some(n) = todo.pop() {
        let Some((_, _, body)) = fns.iter().find(|(name, _, _)| *name == n) else {
            continue;
        };
        for (m, _, _) in fns {
            if !seen.contains(m) && mentions(body, m) {
                seen.push(m.clone());
                todo.push(m.clone());
            }
        }
    }
    fns.iter()
        .filter(|(n, _, _)| seen.contains(n))
        .map(|(n, span, _)| (n.clone(), *span))
        .collect()
}

fn fires(hits: &[Hit], lint: &str, file: &str, spans: &[(usize, usize)]) -> bool {
    hits.iter().any(|(l, f, line)| {
        l == lint && f == file && spans.iter().any(|(a, b)| (a..=b).contains(&line))
    })
}

/// The lints of `hits` that fire inside `spans` of `file`.
fn firing<'a>(hits: &'a [Hit], file: &str, spans: &[(usize, usize)]) -> BTreeSet<&'a str> {
    hits.iter()
        .filter(|(_, f, line)| f == file && spans.iter().any(|(a, b)| (*a..=*b).contains(line)))
        .map(|(l, _, _)| l.as_str())
        .collect()
}

#[test]
fn every_lint_a_hint_names_fires_where_its_doc_says() {
    let findings: Vec<(&str, &str, Finding)> = perf_hints::hints::all()
        .iter()
        .filter_map(|e| Some((e.id(), e.source(), finding(e.source())?)))
        .collect();
    let named: BTreeSet<String> = findings
        .iter()
        .flat_map(|(_, _, f)| {
            f.caught_by
                .iter()
                .chain(&f.both)
                .chain(&f.silent)
                .map(|l| l.name.clone())
        })
        .collect();
    // `--force-warn` overrides an `#[allow]` in the source: the hints keep
    // their bad code free of warnings for the crate's own clippy run, and
    // the lint is still asked whether it would fire.
    let mut flags = vec!["-A".to_string(), "clippy::all".to_string()];
    for n in &named {
        flags.push("--force-warn".into());
        flags.push(format!("clippy::{n}"));
    }
    let Some(all) = clippy(&flags) else {
        assert!(
            std::env::var_os("PERF_HINTS_REQUIRE_CLIPPY").is_none(),
            "PERF_HINTS_REQUIRE_CLIPPY is set but `cargo clippy` is not installed \
             (`rustup component add clippy`)"
        );
        eprintln!(
            "clippy is not installed: the lint claims were not checked (`rustup component add clippy`)"
        );
        return;
    };
    // Clippy's default lints are the `clippy::all` group; forced, so that
    // an `#[allow]` does not hide one.
    let plain =
        clippy(&["--force-warn".into(), "clippy::all".into()]).expect("clippy ran once already");
    // The perf group alone, for the hints no lint catches: none of it may
    // fire on their `bad` code either.
    let perf = clippy(&[
        "-A".into(),
        "clippy::all".into(),
        "--force-warn".into(),
        "clippy::perf".into(),
    ])
    .expect("clippy ran once already");
    let mut wrong = Vec::new();
    for (id, source, f) in &findings {
        let file = format!("src/hints/{id}.rs");
        let fns = functions(source);
        if !fns.iter().any(|(n, _, _)| n == "bad") || !fns.iter().any(|(n, _, _)| n == "good") {
            wrong.push(format!("{file}: no top-level `fn bad` and `fn good`"));
            continue;
        }
        // `bad`'s own code: `bad` and the functions of the file only it
        // calls; `good`'s: everything `good` calls.
        let good: Vec<(String, (usize, usize))> = reach(&fns, "good");
        let bad: Vec<(usize, usize)> = reach(&fns, "bad")
            .into_iter()
            .filter(|(n, _)| !good.iter().any(|(g, _)| g == n))
            .map(|(_, s)| s)
            .collect();
        let good: Vec<(usize, usize)> = good.into_iter().map(|(_, s)| s).collect();
        for l in &f.caught_by {
            if !fires(&all, &l.name, &file, &bad) {
                wrong.push(format!(
                    "{id}: clippy::{} does not fire inside `bad`",
                    l.name
                ));
            }
            if fires(&all, &l.name, &file, &good) {
                wrong.push(format!("{id}: clippy::{} also fires inside `good`", l.name));
            }
            if l.default != fires(&plain, &l.name, &file, &bad) {
                wrong.push(format!(
                    "{id}: clippy::{} is said to be {} but {} with clippy's default lints",
                    l.name,
                    if l.default { "on by default" } else { "opt-in" },
                    if l.default { "does not fire" } else { "fires" }
                ));
            }
        }
        for l in &f.both {
            if !(fires(&all, &l.name, &file, &bad) && fires(&all, &l.name, &file, &good)) {
                wrong.push(format!(
                    "{id}: clippy::{} is said to fire on both `bad` and `good` but does not",
                    l.name
                ));
            }
        }
        for l in &f.silent {
            if fires(&all, &l.name, &file, &bad) {
                wrong.push(format!(
                    "{id}: clippy::{} is said to be silent on `bad` but fires there",
                    l.name
                ));
            }
        }
        if f.caught_by.is_empty() {
            let loud = firing(&perf, &file, &bad);
            if !loud.is_empty() {
                wrong.push(format!(
                    "{id}: said to be caught by no lint, but clippy's perf lints fire inside `bad`: {loud:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_hint_says_how_to_find_it() {
    let missing: Vec<&str> = perf_hints::hints::all()
        .iter()
        .filter(|e| finding(e.source()).is_none())
        .map(|e| e.id())
        .collect();
    assert!(
        missing.is_empty(),
        "no \"Caught by:\" paragraph under \"## Finding it\" in: {missing:?}"
    );
}

#[test]
fn the_readme_list_names_the_same_lints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut wrong = Vec::new();
    for e in perf_hints::hints::all() {
        let Some(f) = finding(e.source()) else {
            continue;
        };
        let Some(row) = readme
            .lines()
            .find(|l| l.starts_with(&format!("| [`{id}`](results/hints/{id}.md) ", id = e.id())))
        else {
            wrong.push(format!("{}: no row in the README's list", e.id()));
            continue;
        };
        let cell = row
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .unwrap_or("")
            .trim();
        let want: Vec<String> = f
            .caught_by
            .iter()
            .map(|l| format!("`{}` ({})", l.name, l.group))
            .collect();
        let want = if want.is_empty() {
            "none".to_string()
        } else {
            want.join(", ")
        };
        if cell != want {
            wrong.push(format!(
                "{}: README says {cell:?}, the doc {want:?}",
                e.id()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the README's \"caught by\" column:\n{}",
        wrong.join("\n")
    );
}
