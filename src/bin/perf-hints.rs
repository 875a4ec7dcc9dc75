//! The `perf-hints` tool: deterministic counts for the bench, and the
//! published tables under `results/`.
//!
//! ```text
//! perf-hints counts ID:SIZE...   counts per call, as JSON (the bench calls this)
//! perf-hints report [--check]    regenerate results/README.md from the newest record
//! perf-hints list                the hint ids and their sizes
//! ```

perf_hints::count_allocations!();

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("counts") => counts(&args[1..]),
        Some("report") => perf_hints::results::report(args.iter().any(|a| a == "--check")),
        Some("list") => {
            list();
            Ok(())
        }
        _ => Err(
            "usage: perf-hints counts ID:SIZE... | report [--check] | list\n\
             (run it as `cargo run --release -- <command>`)"
                .to_string(),
        ),
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
    impl perf_hints::EachHint for List {
        fn hint<H: perf_hints::Hint>(&mut self) {
            let sizes: Vec<String> = H::sizes().iter().map(usize::to_string).collect();
            let variants = perf_hints::hint::variant_names::<H>().join(", ");
            println!(
                "{:<22} {}: {}  [{}]",
                H::ID,
                H::SIZE,
                sizes.join(", "),
                variants
            );
        }
    }
    perf_hints::hints::for_each(&mut List);
}

/// `counts ID:SIZE...`: one JSON array of hint runs (counts only) on stdout.
fn counts(args: &[String]) -> Result<(), String> {
    let mut wanted: Vec<(String, usize)> = Vec::new();
    for a in args {
        let (id, size) = a
            .split_once(':')
            .ok_or_else(|| format!("expected ID:SIZE, got {a:?}"))?;
        let size = size
            .parse()
            .map_err(|_| format!("size in {a:?} is not a whole number"))?;
        if !perf_hints::hints::IDS.contains(&id) {
            return Err(format!(
                "unknown hint id {id:?}; `cargo run --release -- list` shows the ids"
            ));
        }
        wanted.push((id.to_string(), size));
    }
    struct Count<'a>(&'a [(String, usize)], Vec<perf_hints::report::HintRun>);
    impl perf_hints::EachHint for Count<'_> {
        fn hint<H: perf_hints::Hint>(&mut self) {
            let sizes: Vec<usize> = self
                .0
                .iter()
                .filter(|(id, _)| id == H::ID)
                .map(|(_, s)| *s)
                .collect();
            if !sizes.is_empty() {
                eprintln!("counting {} at {} sizes", H::ID, sizes.len());
                self.1.push(perf_hints::counts::count::<H>(&sizes));
            }
        }
    }
    let mut c = Count(&wanted, Vec::new());
    perf_hints::hints::for_each(&mut c);
    let json = serde_json::to_string(&c.1).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}
