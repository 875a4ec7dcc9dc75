//! The `perf-hints` commands other than `validate` and `report`: `list`,
//! `summary`, `machines`, `site`, and the two the bench and `validate` run in a child
//! process (`counts`, `exec`).

use crate::measure::callgrind::{self, Job};
use crate::model::{HintRun, Run};
use crate::publish::{records, report};

/// `perf-hints list`: every hint with its sizes (as labelled) and variants.
pub fn list() -> String {
    let mut out = String::new();
    for e in crate::hints::all() {
        if !e.enabled() {
            out.push_str(&format!(
                "{:<22} (not in this build: add `--features {}`)\n",
                e.id(),
                e.feature().unwrap_or("?")
            ));
            continue;
        }
        let sizes: Vec<String> = e
            .sizes()
            .into_iter()
            .map(|p| {
                if p.label == p.key {
                    p.key
                } else {
                    format!("{} ({})", p.label, p.key)
                }
            })
            .collect();
        out.push_str(&format!(
            "{:<22} {}: {}  [{}]\n",
            e.id(),
            e.axis(),
            sizes.join("; "),
            e.variants().join(", ")
        ));
    }
    out
}

/// Deterministic figures for the hints and sizes in `wanted` (`id`, size key):
/// allocations, counters and layout in this process, and, when
/// `instructions` is set, callgrind counts from `exe exec ...` children.
pub fn collect(
    wanted: &[(String, String)],
    instructions: Option<&std::path::Path>,
) -> Result<Vec<HintRun>, String> {
    for (id, _) in wanted {
        crate::hints::runnable(id)?;
    }
    let mut runs = Vec::new();
    let mut jobs = Vec::new();
    for e in crate::hints::enabled() {
        let sizes: Vec<String> = wanted
            .iter()
            .filter(|(id, _)| id == e.id())
            .map(|(_, s)| s.clone())
            .collect();
        if sizes.is_empty() {
            continue;
        }
        eprintln!("perf-hints: counting {} at {} sizes", e.id(), sizes.len());
        runs.push(e.count(&sizes)?);
        if e.deterministic() {
            for size in &sizes {
                jobs.push(Job {
                    id: e.id(),
                    variants: e.variants(),
                    size: size.clone(),
                    cache_sim: e.cache_sim(),
                    branch_sim: e.branch_sim(),
                });
            }
        }
    }
    let Some(exe) = instructions else {
        return Ok(runs);
    };
    // `<target>/perf-hints/callgrind`, from this binary's `<target>/<profile>/`
    // (the binary counted may sit deeper, in `deps/` or a layout's folder).
    let dir = std::env::current_exe()
        .ok()
        .and_then(|me| Some(me.parent()?.parent()?.join("perf-hints").join("callgrind")))
        .unwrap_or_else(std::env::temp_dir);
    let results = callgrind::count_all(exe, &dir, &jobs);
    for (job, result) in jobs.iter().zip(results) {
        for (variant, cg) in job.variants.iter().zip(result?) {
            let v = runs
                .iter_mut()
                .find(|r| r.id == job.id)
                .and_then(|r| r.rows.iter_mut().find(|row| row.param == job.size))
                .and_then(|row| row.variants.iter_mut().find(|v| v.name == *variant))
                .expect("every job comes from a counted row");
            v.cg = Some(cg);
        }
    }
    Ok(runs)
}

/// `perf-hints counts ID:SIZE...` (SIZE a size's key, as `list` shows it):
/// the figures of [`collect`] as JSON, with instruction counts when valgrind
/// is there and `PERF_HINTS_NO_VALGRIND` is not set, counted in the binary
/// `PERF_HINTS_CALLGRIND_EXE` names (the bench's timed one) or in this one.
pub fn counts(args: &[String]) -> Result<String, String> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for a in args {
        let (id, size) = a
            .split_once(':')
            .ok_or_else(|| format!("expected ID:SIZE, got {a:?}"))?;
        wanted.push((id.to_string(), size.to_string()));
    }
    let skip = std::env::var_os("PERF_HINTS_NO_VALGRIND").is_some_and(|v| v != "0");
    // The bench names the binary it timed, so the instructions counted are
    // those of the timed code; `validate` and a plain call count this one.
    let exe = match std::env::var_os(crate::measure::counts::CALLGRIND_EXE) {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe().map_err(|e| e.to_string())?,
    };
    let cg = if skip {
        None
    } else if callgrind::available() {
        Some(exe.as_path())
    } else {
        eprintln!(
            "perf-hints: valgrind not found: the table has no instruction counts (install valgrind)"
        );
        None
    };
    let runs = collect(&wanted, cg)?;
    serde_json::to_string(&runs).map_err(|e| e.to_string())
}

/// `perf-hints exec ID VARIANT SIZE`: one call of one variant, for callgrind.
/// `VARIANT` may list several, comma-separated: each is then called in a
/// child forked from this process ([`callgrind::fork_each`]), so every call
/// starts from the same heap and simulated cache, and one valgrind start
/// serves them all; the children's pids are printed in order, one a line.
pub fn exec(id: &str, variant: &str, size: &str) -> Result<(), String> {
    crate::hints::runnable(id)?;
    let entry = crate::hints::get(id).expect("runnable checked the id");
    if !variant.contains(',') {
        return entry.exec(variant, size);
    }
    let variants: Vec<&str> = variant.split(',').filter(|v| !v.is_empty()).collect();
    let pids = callgrind::fork_each(&variants, |v| entry.exec(v, size))?;
    for pid in pids {
        println!("{pid}");
    }
    Ok(())
}

/// The timed binary's `locate ID VARIANT`: where the copy of
/// `perf_hints_measured_call` that `exec` runs for the variant is, as an
/// offset from [`exec`] (so the same in every process of a
/// position-independent binary; `measure::disasm` adds it to `exec`'s
/// address in the symbol table).
pub fn locate(id: &str, variant: &str) -> Result<String, String> {
    crate::hints::runnable(id)?;
    let entry = crate::hints::get(id).expect("runnable checked the id");
    let at = entry.locate(variant)?;
    let base = exec as fn(&str, &str, &str) -> Result<(), String> as usize;
    Ok(format!("{}", at as i128 - base as i128))
}

/// Each hint of `ids` with its variants, for [`crate::measure::disasm::capture`];
/// an error naming an id no hint has.
pub fn lessons<'a>(ids: &[&'a str]) -> Result<Vec<(&'a str, Vec<&'static str>)>, String> {
    ids.iter()
        .map(|&id| {
            crate::hints::runnable(id)?;
            let entry = crate::hints::get(id).ok_or_else(|| format!("no hint {id:?}"))?;
            Ok((id, entry.variants()))
        })
        .collect()
}

/// `perf-hints disasm BINARY [ID...]`: the hot loops a record would keep
/// (`measure::disasm`), from the bench binary `binary`, as text.
pub fn disasm(binary: &std::path::Path, ids: &[String]) -> Result<String, String> {
    use std::fmt::Write as _;
    let ids: Vec<&str> = if ids.is_empty() {
        crate::measure::disasm::LESSONS.to_vec()
    } else {
        ids.iter().map(String::as_str).collect()
    };
    let mut out = String::new();
    for d in crate::measure::disasm::capture(binary, &lessons(&ids)?)? {
        let _ = writeln!(
            out,
            "{}/{} ({} of {} instructions):",
            d.hint,
            d.variant,
            d.lines.len(),
            d.instructions
        );
        for l in &d.lines {
            let _ = writeln!(out, "  {l}");
        }
    }
    Ok(out)
}

/// `perf-hints machines`: one line per machine the records come from, the
/// reference machine (whose newest record the published tables use) first.
pub fn machines(root: &std::path::Path) -> Result<String, String> {
    use std::fmt::Write as _;
    let machines = crate::publish::records::machines(root)?;
    let mut out = String::new();
    for m in &machines {
        let newest = m.newest();
        let name = newest
            .path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let _ = writeln!(
            out,
            "{}{}\n    {} record{}, newest {}{}",
            if m.reference { "reference: " } else { "" },
            m.key,
            m.records.len(),
            if m.records.len() == 1 { "" } else { "s" },
            name,
            if newest.run.origin.is_some() {
                " (imported)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "\nThe reference machine is named in {}; write another machine's line there to publish its records instead.",
        crate::publish::records::REFERENCE_FILE
    );
    Ok(out)
}

/// `perf-hints summary [RECORD]`: the summary `cargo bench` ends with, for a
/// record (a path, or a file name under `results/records/`; by default the
/// published one), laid out for this terminal.
pub fn summary(root: &std::path::Path, record: Option<&str>) -> Result<String, String> {
    use crate::publish::{compare, summary};
    let (run, path) = match record {
        Some(arg) => {
            let path = compare::resolve(root, arg);
            (records::load(&path)?, path)
        }
        None => {
            let stored = records::published(root)?;
            (stored.run, stored.path)
        }
    };
    let published = records::published(root).ok().map(|p| p.path);
    let more = if published.as_deref() == Some(path.as_path()) {
        "Full table (every size, interval and count): results/README.md. Results site: \
         `cargo run --release -- site`."
    } else {
        "Results site, with the published record's full tables: `cargo run --release -- site`."
    };
    let shown = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .display()
        .to_string();
    Ok(format!(
        "{shown}\n\n{}",
        summary::render(&run, summary::width(), more)
    ))
}

/// Saves a complete run as a new record, then regenerates `results/` and the
/// README's results section from it: the storage ([`records::save`]) and the
/// rendering ([`report::report`]) do not know of each other.
/// Returns the record's path and how many generated files changed.
pub fn record(run: &Run) -> Result<(std::path::PathBuf, usize), String> {
    let path = records::save(run)?;
    let changed = report::report_at(&records::repo_root(), false)?
        .iter()
        .filter(|l| l.starts_with("wrote ") || l.starts_with("removed "))
        .count();
    Ok((path, changed))
}

/// `perf-hints site [--out DIR] [--repo-url URL]`: the results as a static
/// site, built from the records under `root` (see [`crate::publish::site`]).
/// Links to the source and commits go under `repo_url`, or under the
/// repository GitHub Actions names in the environment, or nowhere.
pub fn site(
    root: &std::path::Path,
    out: Option<&std::path::Path>,
    repo_url: Option<String>,
) -> Result<String, String> {
    use crate::publish::site;
    let links = match repo_url {
        Some(url) => site::Links {
            repo: Some(url.trim_end_matches('/').to_string()),
            rev: site::Links::from_env().rev,
        },
        None => site::Links::from_env(),
    };
    site::run(root, out, &links)
}
