//! The list in `src/hints/mod.rs` drives everything; this fails when a module
//! file, an example, a module's doc headings, a variant's doc or the README
//! fall out of step with it.

use std::collections::BTreeSet;
use std::path::Path;

use perf_hints::hints::{IDS, SOURCES, module_doc, variant_doc};
use perf_hints::{EachHint, Hint};

const HEADINGS: &[&str] = &[
    "## Cost model",
    "## The fix",
    "## When it does not help",
    "## Claim",
    "## Measured",
];

fn rs_stems(dir: &str, skip: &[&str]) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|s| !skip.contains(&s.as_str()))
        .collect()
}

fn ids() -> BTreeSet<String> {
    IDS.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_listed_hint_has_a_module_and_every_module_is_listed() {
    let files = rs_stems("src/hints", &["mod"]);
    assert_eq!(
        files,
        ids(),
        "src/hints/*.rs and the list in src/hints/mod.rs differ"
    );
}

#[test]
fn every_listed_hint_has_an_example_that_runs_it() {
    let examples = rs_stems("examples", &[]);
    assert_eq!(examples, ids(), "examples/*.rs and the hint list differ");
    for id in IDS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{id}.rs"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(&format!("hints::{id}::")) && text.contains("example::run::<Case>"),
            "{} does not run perf_hints::example::run::<hints::{id}::Case>",
            path.display()
        );
    }
}

#[test]
fn each_case_id_is_its_module_name() {
    struct Ids(Vec<&'static str>);
    impl EachHint for Ids {
        fn hint<H: Hint>(&mut self) {
            self.0.push(H::ID);
        }
    }
    let mut got = Ids(Vec::new());
    perf_hints::hints::for_each_listed(&mut got);
    assert_eq!(got.0, IDS);
}

#[test]
fn module_docs_have_the_headings_in_order() {
    for (id, src) in SOURCES {
        let doc = module_doc(src);
        let title = doc.lines().next().unwrap_or("");
        assert!(
            title.starts_with("# ") && title.contains(&format!("(`{id}`)")),
            "src/hints/{id}.rs: the doc must open with `# <title> (`{id}`)`, found {title:?}"
        );
        let found: Vec<&str> = doc.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            found, HEADINGS,
            "src/hints/{id}.rs: doc headings out of order"
        );
        for h in HEADINGS {
            let body = doc.split(h).nth(1).unwrap_or("");
            let body = body.split("\n## ").next().unwrap_or("");
            assert!(body.trim().len() > 20, "src/hints/{id}.rs: `{h}` is empty");
        }
    }
}

#[test]
fn every_variant_has_a_one_line_doc() {
    struct Docs(Vec<String>);
    impl EachHint for Docs {
        fn hint<H: Hint>(&mut self) {
            let src = perf_hints::hints::source(H::ID).unwrap();
            for name in perf_hints::hint::variant_names::<H>() {
                if variant_doc(src, name).is_none() {
                    self.0.push(format!(
                        "src/hints/{}.rs: `pub fn {name}` has no `///` doc",
                        H::ID
                    ));
                }
            }
        }
    }
    let mut d = Docs(Vec::new());
    perf_hints::hints::for_each_listed(&mut d);
    assert!(d.0.is_empty(), "{}", d.0.join("\n"));
}

#[test]
fn readme_lists_every_hint() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for id in IDS {
        assert!(
            readme.contains(&format!("`{id}`")),
            "README.md does not list `{id}`"
        );
    }
}

#[test]
fn every_module_page_ends_with_its_latest_table() {
    // An outer `#[doc]` on `pub mod` would come before the module's own `//!`
    // text and move its intra-doc links to the parent's scope, so each module
    // appends the generated table itself, right after its `//!` doc.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for (id, src) in SOURCES {
        let line =
            format!("#![cfg_attr(doc, doc = include_str!(\"../../results/rustdoc/{id}.md\"))]");
        let after_doc = src.lines().find(|l| !l.starts_with("//!"));
        if after_doc != Some(line.as_str()) {
            problems.push(format!(
                "src/hints/{id}.rs: put `{line}` on the line right after the `//!` doc"
            ));
        }
        for file in [
            format!("results/rustdoc/{id}.md"),
            format!("results/hints/{id}.md"),
        ] {
            if !root.join(&file).exists() {
                problems.push(format!(
                    "{file} is missing: run `{}`",
                    perf_hints::results::REPORT_COMMAND
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// An id this build cannot run gets an error naming the id and the fix: the
/// list for an unknown id, the cargo feature for a feature-gated one.
#[test]
fn ids_this_build_cannot_run_name_the_fix() {
    let unknown = perf_hints::hints::runnable("no_such_hint").unwrap_err();
    assert!(
        unknown.contains("\"no_such_hint\"") && unknown.contains("-- list"),
        "{unknown}"
    );
    for id in perf_hints::hints::IDS {
        let gated = perf_hints::hints::disabled().iter().any(|(d, _)| d == id);
        match perf_hints::hints::runnable(id) {
            Ok(()) => assert!(!gated, "{id} is off in this build but runnable"),
            Err(e) => assert!(gated && e.contains("--features"), "{id}: {e}"),
        }
    }
    if !cfg!(feature = "python") {
        let e = perf_hints::hints::runnable("python_batching").unwrap_err();
        assert!(e.contains("--features python"), "{e}");
    }
}
