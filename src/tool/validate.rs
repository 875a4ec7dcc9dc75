//! `perf-hints validate`: every hint's expectations (`Hint::expect`) checked
//! against deterministic figures only — allocations and peak live bytes,
//! instruction counts and simulated cache misses from callgrind, the hints'
//! own counters, `size_of`.
//! The same binary and inputs give the same figures on every run, so this is
//! what CI gates on; wall time never decides anything here.

use std::fmt::Write as _;

use crate::model::HintRun;
use crate::publish::table::Table;

/// What to run it as, in messages.
pub const COMMAND: &str = "cargo run --release -- validate";

/// Validates the hints `ids` (all when empty); `Err` lists every failure.
pub fn run(ids: &[String]) -> Result<(), String> {
    for a in ids {
        crate::hints::runnable(a)?;
    }
    if !crate::measure::callgrind::available() {
        return Err(format!(
            "validate needs valgrind for instruction counts and none was found on PATH; \
             install it (Debian: `apt-get install valgrind`) and rerun `{COMMAND}`"
        ));
    }
    let wanted: Vec<(String, String)> = crate::hints::enabled()
        .filter(|e| ids.is_empty() || ids.iter().any(|a| a == e.id()))
        .flat_map(|e| {
            e.sizes()
                .into_iter()
                .map(move |p| (e.id().to_string(), p.key))
        })
        .collect();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let runs = crate::tool::commands::collect(&wanted, Some(&exe))?;

    let mut out = String::new();
    let mut failures = Vec::new();
    let mut checks = 0;
    let mut failing = 0;
    for run in &runs {
        let results = crate::hints::get(&run.id).map_or_else(Vec::new, |e| e.check(run));
        checks += results.len();
        let mut held = 0;
        for checked in &results {
            if checked.holds() {
                held += 1;
            } else {
                failing += 1;
                failures.extend(checked.failures.iter().cloned());
            }
        }
        render(run, &mut out);
        let _ = writeln!(
            out,
            "{}: {held} of {} expectations hold\n",
            run.id,
            results.len()
        );
    }
    println!("{out}");
    if let Some(target) = exe.parent().and_then(|p| p.parent()) {
        let path = target.join("perf-hints").join("validate.json");
        let json = serde_json::to_string_pretty(&runs).map_err(|e| e.to_string())?;
        crate::publish::records::write_atomic(&path, &json)?;
        println!("Figures saved to {}", path.display());
    }
    if failures.is_empty() {
        println!(
            "validate: all {checks} expectations hold for {} hint{}",
            runs.len(),
            if runs.len() == 1 { "" } else { "s" }
        );
        Ok(())
    } else {
        for f in &failures {
            eprintln!("FAIL {f}");
        }
        Err(format!(
            "{failing} of {checks} expectations failed; each FAIL line above names the hint, \
             variant, size, figure and expectation (declared in `fn expect` of src/hints/<id>.rs)"
        ))
    }
}

/// One row per size and variant: the deterministic figures validate reads.
fn render(run: &HintRun, out: &mut String) {
    let _ = writeln!(out, "### {}\n", run.id);
    if !run.layout.is_empty() {
        let l: Vec<String> = run
            .layout
            .iter()
            .map(|(n, s)| format!("{n} {s} B"))
            .collect();
        let _ = writeln!(out, "size_of: {}\n", l.join(", "));
    }
    let mut counters: Vec<&String> = run
        .rows
        .iter()
        .flat_map(|r| r.variants.iter().flat_map(|v| v.counters.keys()))
        .collect();
    counters.sort();
    counters.dedup();
    let mut header: Vec<String> = [
        "size",
        "variant",
        "allocs",
        "peak bytes",
        "instructions",
        "D1 misses",
        "LL misses",
        "mispredicts",
    ]
    .map(String::from)
    .to_vec();
    header.extend(counters.iter().map(|c| c.to_string()));
    let dash = || "—".to_string();
    let mut rows = Vec::new();
    for r in &run.rows {
        for v in &r.variants {
            // Sizes whose key is not their label also show the label.
            let label = crate::publish::table::size_label(&run.id, &r.param);
            let size = if label == r.param {
                label
            } else {
                format!("{} ({label})", r.param)
            };
            let mut cells = vec![
                size,
                v.name.clone(),
                v.allocs.map_or_else(dash, |a| a.total().to_string()),
                v.allocs
                    .and_then(|a| a.peak_bytes)
                    .map_or_else(dash, |n| n.to_string()),
                v.cg.map_or_else(dash, |c| c.instructions.to_string()),
                v.cg.and_then(|c| c.d1_misses)
                    .map_or_else(dash, |n| n.to_string()),
                v.cg.and_then(|c| c.ll_misses)
                    .map_or_else(dash, |n| n.to_string()),
                v.cg.and_then(|c| c.mispredicts)
                    .map_or_else(dash, |n| n.to_string()),
            ];
            cells.extend(
                counters
                    .iter()
                    .map(|c| v.counters.get(*c).map_or_else(dash, u64::to_string)),
            );
            rows.push(cells);
        }
    }
    Table { header, rows }.render(out);
    out.push('\n');
}
