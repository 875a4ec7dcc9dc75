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

use perf_hints::{EachHint, Hint, callgrind, counts, hints, validate};

const USAGE: &str = "usage: perf-hints list | validate [ID...] | report [--check] | compare [OLD NEW] [--only-moved] | counts ID:SIZE... | exec ID VARIANT SIZE\n\
                     (run it as `cargo run --release -- <command>`)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("counts") => counts_cmd(&args[1..]),
        Some("validate") => validate::run(&args[1..]),
        Some("exec") => exec(&args[1..]),
        Some("report") => perf_hints::results::report(args.iter().any(|a| a == "--check")),
        Some("compare") => perf_hints::compare::run(&perf_hints::results::repo_root(), &args[1..])
            .map(|md| print!("{md}")),
        Some("list") => {
            list();
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

fn list() {
    struct List;
    impl EachHint for List {
        fn hint<H: Hint>(&mut self) {
            let sizes: Vec<String> = H::sizes().iter().map(|&s| H::label(s)).collect();
            let variants = perf_hints::hint::variant_names::<H>().join(", ");
            println!(
                "{:<22} {}: {}  [{}]",
                H::ID,
                H::SIZE,
                sizes.join("; "),
                variants
            );
        }
    }
    hints::for_each(&mut List);
    for (id, feature) in hints::disabled() {
        println!("{id:<22} (not in this build: add `--features {feature}`)");
    }
}

/// `counts ID:SIZE...`: one JSON array of hint runs (counts only) on stdout,
/// with instruction counts when valgrind is there and `PERF_HINTS_NO_VALGRIND` is not set.
fn counts_cmd(args: &[String]) -> Result<(), String> {
    let mut wanted: Vec<(String, usize)> = Vec::new();
    for a in args {
        let (id, size) = a
            .split_once(':')
            .ok_or_else(|| format!("expected ID:SIZE, got {a:?}"))?;
        let size = size
            .parse()
            .map_err(|_| format!("size in {a:?} is not a whole number"))?;
        wanted.push((id.to_string(), size));
    }
    let skip = std::env::var_os("PERF_HINTS_NO_VALGRIND").is_some_and(|v| v != "0");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
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
    let runs = counts::collect(&wanted, cg)?;
    let json = serde_json::to_string(&runs).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// `exec ID VARIANT SIZE`: one call of one variant, for callgrind.
fn exec(args: &[String]) -> Result<(), String> {
    let [id, variant, size] = args else {
        return Err(USAGE.to_string());
    };
    let size: usize = size
        .parse()
        .map_err(|_| format!("size {size:?} is not a whole number"))?;
    struct Exec<'a>(&'a str, &'a str, usize, Option<Result<(), String>>);
    impl EachHint for Exec<'_> {
        fn hint<H: Hint>(&mut self) {
            if H::ID == self.0 {
                self.3 = Some(callgrind::exec::<H>(self.1, self.2));
            }
        }
    }
    let mut e = Exec(id, variant, size, None);
    hints::for_each(&mut e);
    e.3.unwrap_or_else(|| hints::runnable(id))
}
