//! The `perf-hints` tool: deterministic counts for the bench, the validation
//! gate, and the published tables under `results/`.
//!
//! ```text
//! perf-hints list                  the hint ids, sizes and variants
//! perf-hints validate [ID...]      check every hint's expectations from deterministic figures
//! perf-hints report [--check]      regenerate results/ and the README's results section from the newest record
//! perf-hints compare [OLD NEW]     two records' speedups side by side, flagging what moved beyond the spread
//! perf-hints counts ID:SIZE...     counts per call as JSON (the bench calls this)
//! perf-hints exec ID VARIANT SIZE  one call, for callgrind to count (validate calls this)
//! ```

perf_hints::count_allocations!();

use std::process::ExitCode;

use perf_hints::publish::{compare, records, report};
use perf_hints::tool::{commands, validate};

const USAGE: &str = "usage: perf-hints list | validate [ID...] | report [--check] | compare [OLD NEW] [--only-moved] | counts ID:SIZE... | exec ID VARIANT SIZE\n\
                     (run it as `cargo run --release -- <command>`)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("counts") => commands::counts(&args[1..]).map(|json| println!("{json}")),
        Some("validate") => validate::run(&args[1..]),
        Some("exec") => match &args[1..] {
            [id, variant, size] => commands::exec(id, variant, size),
            _ => Err(USAGE.to_string()),
        },
        Some("report") => report::report(args.iter().any(|a| a == "--check")),
        Some("compare") => compare::run(&records::repo_root(), &args[1..]).map(|md| print!("{md}")),
        Some("list") => {
            print!("{}", commands::list());
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perf-hints: {e}");
            ExitCode::FAILURE
        }
    }
}
