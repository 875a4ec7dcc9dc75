//! The list in `src/hints/mod.rs` drives everything; this fails when a module
//! file, an example, a module's doc headings, a variant's doc or the README
//! fall out of step with it.

use std::collections::BTreeSet;
use std::path::Path;

use perf_hints::hints::{IDS, module_doc, variant_doc};

/// `(id, module source)` of every listed hint.
fn sources() -> Vec<(&'static str, &'static str)> {
    perf_hints::hints::all()
        .iter()
        .map(|e| (e.id(), e.source()))
        .collect()
}

const HEADINGS: &[&str] = &[
    "## Cost model",
    "## The fix",
    "## When it does not help",
    "## Finding it",
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
    // `cost_table` is the one example that is not a hint: the main source's cost table.
    let examples = rs_stems("examples", &["cost_table"]);
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
    let got: Vec<&str> = perf_hints::hints::all().iter().map(|e| e.id()).collect();
    assert_eq!(got, IDS);
}

#[test]
fn module_docs_have_the_headings_in_order() {
    for (id, src) in sources() {
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
    let mut missing = Vec::new();
    for e in perf_hints::hints::enabled() {
        for name in e.variants() {
            if variant_doc(e.source(), name).is_none() {
                missing.push(format!(
                    "src/hints/{}.rs: `pub fn {name}` has no `///` doc",
                    e.id()
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn readme_and_catalogue_list_every_hint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let catalogue = std::fs::read_to_string(root.join("docs/CATALOGUE.md")).unwrap();
    for id in IDS {
        assert!(
            readme.contains(&format!("[`{id}`](results/hints/{id}.md)")),
            "README.md does not list `{id}` with a link to its page: run `{}`",
            perf_hints::publish::report::REPORT_COMMAND
        );
        assert!(
            catalogue.contains(&format!("| `{id}` |")),
            "docs/CATALOGUE.md has no row for `{id}`"
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
    for (id, src) in sources() {
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
                    perf_hints::publish::report::REPORT_COMMAND
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

/// The top-level modules of `src/` and, for each, the top-level modules its
/// files name through `crate::` paths (in `use` lines, grouped or not, and
/// inline), from the source text.
fn module_imports() -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || name == "bin" {
            continue;
        }
        let files = if path.is_dir() {
            rs_files(&path)
        } else {
            vec![path.clone()]
        };
        let mut names = BTreeSet::new();
        for f in files {
            names.extend(crate_paths(&std::fs::read_to_string(&f).unwrap()));
        }
        modules.insert(name, names);
    }
    let tops: BTreeSet<String> = modules.keys().cloned().collect();
    for (name, names) in modules.iter_mut() {
        names.retain(|n| tops.contains(n) && n != name);
    }
    modules
}

fn rs_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(rs_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The first segment after every `crate::` in `text`, and every first
/// segment inside `use crate::{...}` groups (doc comments included, so a doc
/// link counts as a dependency too).
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group: split on commas at depth 0.
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.insert(ident(group[start..j].trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(group[start..j].trim()));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.remove("");
    out
}

#[test]
fn crate_paths_reads_plain_grouped_and_nested_uses() {
    let got = crate_paths(
        "use crate::model::Row;\nuse crate::{hint::{Hint, Variants}, judge::expect};\nlet x = crate::rng(1);",
    );
    let want: BTreeSet<String> = ["model", "hint", "judge", "rng"].map(String::from).into();
    assert_eq!(got, want);
}

/// The data model is a leaf: it imports nothing else from the crate.
#[test]
fn the_model_imports_nothing_from_the_crate() {
    let imports = module_imports();
    let model = imports.get("model").expect("src/model.rs exists");
    assert!(
        model.is_empty(),
        "src/model.rs must import nothing from the crate; it names {model:?}"
    );
}

/// The source documents' points are data, like the model: a leaf.
#[test]
fn the_source_points_import_nothing_from_the_crate() {
    let imports = module_imports();
    let sources = imports.get("sources").expect("src/sources.rs exists");
    assert!(
        sources.is_empty(),
        "src/sources.rs must import nothing from the crate; it names {sources:?}"
    );
}

/// The hints the crate adds itself; every other hint measures something a
/// source document claims, and says which point.
const OWN_HINTS: &[&str] = &["aa_control", "fast_hasher"];

#[test]
fn every_hint_names_the_source_points_it_measures() {
    let mut problems = Vec::new();
    for e in perf_hints::hints::all() {
        let own = OWN_HINTS.contains(&e.id());
        match (e.sources().is_empty(), own) {
            (true, false) => problems.push(format!(
                "src/hints/{}.rs: `const SOURCES` names no point of the source documents \
                 (src/sources.rs); say which claim the hint measures",
                e.id()
            )),
            (false, true) => problems.push(format!(
                "src/hints/{}.rs: the crate's own hint names source points; take it off \
                 OWN_HINTS in tests/tidy.rs",
                e.id()
            )),
            _ => {}
        }
        for (i, s) in e.sources().iter().enumerate() {
            if e.sources()[..i].contains(s) {
                problems.push(format!("{}: names {:?} twice", e.id(), s.point));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `sources::ALL` (the published table's order) holds exactly the points
/// the hints declare, so a point no hint measures moves to `UNMEASURED`.
#[test]
fn the_list_of_points_is_what_the_hints_declare() {
    use perf_hints::sources::{ALL, UNMEASURED};
    let declared: Vec<_> = perf_hints::hints::all()
        .iter()
        .flat_map(|e| e.sources().iter().copied())
        .collect();
    let mut problems = Vec::new();
    for s in &declared {
        if !ALL.contains(s) {
            problems.push(format!("{:?} is declared but not in sources::ALL", s.point));
        }
    }
    for (i, s) in ALL.iter().enumerate() {
        if !declared.contains(s) {
            problems.push(format!(
                "{:?} is in sources::ALL but no hint measures it: move it to UNMEASURED",
                s.point
            ));
        }
        if ALL[..i].iter().any(|o| o.point == s.point) {
            problems.push(format!("{:?} is listed twice", s.point));
        }
        if UNMEASURED.iter().any(|u| u.point == s.point) {
            problems.push(format!("{:?} is both measured and unmeasured", s.point));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Lessons import the contract, the model, the judging vocabulary and the
/// shared helpers, never the measuring, publishing, registry or tool code.
#[test]
fn lessons_import_only_the_contract_model_judging_and_support() {
    const ALLOWED: &[&str] = &["hint", "model", "judge", "support", "hints", "sources"];
    // Items of the crate root that are not modules.
    const ROOT_ITEMS: &[&str] = &["rng", "FixedState", "SEED"];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hints");
    let mut problems = Vec::new();
    for path in rs_files(&dir) {
        if path.file_stem().is_some_and(|s| s == "mod") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for name in crate_paths(&text) {
            if !ALLOWED.contains(&name.as_str()) && !ROOT_ITEMS.contains(&name.as_str()) {
                problems.push(format!(
                    "{}: imports crate::{name}; a lesson may import only {ALLOWED:?}",
                    path.strip_prefix(&dir).unwrap().display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No cycle between the top-level modules of `src/`: the folders are layers.
#[test]
fn no_import_cycle_between_top_level_modules() {
    let imports = module_imports();
    if let Some(cycle) = find_cycle(&imports) {
        panic!(
            "import cycle between top-level modules: {}\n(all imports: {imports:#?})",
            cycle.join(" -> ")
        );
    }
}

/// Every path a `use` tree or an inline path names, with groups expanded:
/// `a::{b, c::{d, e}}` is `[a, b]`, `[a, c, d]`, `[a, c, e]` (a glob or
/// `self` ends its path). `text` starts right after a `crate::` or `super::`.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i] as char).is_whitespace() {
            *i += 1;
        }
    };
    let mut prefix: Vec<String> = Vec::new();
    loop {
        skip_ws(&mut i);
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            let mut out = Vec::new();
            loop {
                skip_ws(&mut i);
                if i >= bytes.len() {
                    return (out, i);
                }
                if bytes[i] == b'}' {
                    return (out, i + 1);
                }
                if bytes[i] == b',' {
                    i += 1;
                    continue;
                }
                let (paths, used) = use_tree(&text[i..]);
                i += used.max(1);
                for p in paths {
                    let mut full = prefix.clone();
                    full.extend(p);
                    out.push(full);
                }
            }
        }
        let start = i;
        while i < bytes.len() && ((bytes[i] as char).is_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let ident = &text[start..i];
        if !ident.is_empty() && ident != "self" {
            prefix.push(ident.to_string());
        }
        if ident.is_empty() || !text[i..].starts_with("::") {
            return (vec![prefix], i);
        }
        i += 2;
    }
}

#[test]
fn use_tree_expands_nested_groups() {
    let (got, _) = use_tree("publish::{atlas, table::{Table, verdict}, self};");
    let want: Vec<Vec<String>> = [
        vec!["publish", "atlas"],
        vec!["publish", "table", "Table"],
        vec!["publish", "table", "verdict"],
        vec!["publish"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(got, want);
}

/// For the folder `dir` (a module path under `src/`, like `["publish"]`):
/// each file's stem (or sub-folder's name) and the siblings it names, through
/// `crate::<dir>::<sibling>` paths anywhere (doc links included) or, outside
/// `mod.rs`, `super::<sibling>` paths. `mod` stands for the folder's
/// `mod.rs` and the items it defines.
fn file_imports(
    dir: &Path,
    module: &[String],
) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let mut nodes = BTreeSet::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            files.push((stem.clone(), rs_files(&p)));
            nodes.insert(stem);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push((stem.clone(), vec![p.clone()]));
            nodes.insert(stem);
        }
    }
    let mut graph: std::collections::BTreeMap<String, BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for (stem, paths) in files {
        let mut names = BTreeSet::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut found = Vec::new();
            for (i, _) in text.match_indices("crate::") {
                let (paths, _) = use_tree(&text[i + "crate::".len()..]);
                for p in paths {
                    if p.len() > module.len() && p[..module.len()] == *module {
                        found.push(p[module.len()].clone());
                    }
                }
            }
            // `super::` in a file directly inside `dir` names `dir`'s items.
            let direct = path.parent() == Some(dir) && stem != "mod";
            if direct {
                for (i, _) in text.match_indices("super::") {
                    let (paths, _) = use_tree(&text[i + "super::".len()..]);
                    found.extend(paths.into_iter().filter_map(|p| p.first().cloned()));
                }
            }
            for name in found {
                if nodes.contains(&name) {
                    names.insert(name);
                } else if name.chars().next().is_some_and(|c| c.is_lowercase()) {
                    // An item of `mod.rs` (a function, a constant's module...).
                    names.insert("mod".to_string());
                }
            }
        }
        names.remove(&stem);
        // A file and the folder of its submodules (`x.rs`, `x/`) are one node.
        graph.entry(stem).or_default().extend(names);
    }
    graph
}

/// The first cycle in `graph` found by a depth-first search, as the path
/// that closes it.
fn find_cycle(graph: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &std::collections::BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// Imports between files of one folder that are known and waiting on another
/// change: `(folder, file, the sibling it imports)`. `publish/records.rs`
/// still offers `record` (save, then regenerate through `report`) because
/// `tool/bench.rs`, under rewrite elsewhere, calls it; once the bench calls
/// `tool::commands::record` instead, `records::record` goes and so does this.
const WAITING: &[(&str, &str, &str)] = &[];

/// No cycle between the files of any folder of `src/`: inside a folder the
/// files are layers too (in `publish/`, the storage of records under the
/// tables and charts, those under the atlas, `compare` and the cost table,
/// and all of them under `report`).
#[test]
fn no_import_cycle_between_files_of_a_folder() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![(src.clone(), Vec::<String>::new())];
    let mut problems = Vec::new();
    while let Some((dir, module)) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "bin") {
                let mut m = module.clone();
                m.push(p.file_name().unwrap().to_string_lossy().into_owned());
                dirs.push((p, m));
            }
        }
        if module.is_empty() {
            continue; // the top level has its own test
        }
        let mut graph = file_imports(&dir, &module);
        let rel = format!("src/{}", module.join("/"));
        for (folder, file, sibling) in WAITING {
            if *folder == rel {
                let names = graph
                    .get_mut(*file)
                    .expect("a waiting import's file exists");
                assert!(
                    names.remove(*sibling),
                    "{rel}/{file}.rs no longer imports {sibling}: drop it from WAITING"
                );
            }
        }
        if let Some(cycle) = find_cycle(&graph) {
            problems.push(format!("{rel}: {}", cycle.join(" -> ")));
        }
    }
    assert!(
        problems.is_empty(),
        "import cycles between the files of a folder:\n{}",
        problems.join("\n")
    );
}
