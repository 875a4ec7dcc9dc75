//! The `perf-hints` tool: deterministic counts for the bench, the validation
//! gate, and the published tables under `results/`. Run it as
//! `cargo run --release -- <command>`; `--help` (also after a command) says more.
//!
//! ```text
//! perf-hints list                              the hint ids, sizes and variants
//! perf-hints validate [ID...]                  check every hint's expectations from deterministic figures
//! perf-hints report [--check]                  regenerate results/ and the README's results section from the newest record
//! perf-hints compare [OLD NEW] [--only-moved]  two records' speedups side by side, flagging what moved beyond the spread
//! perf-hints machines                          the machines the records come from
//! perf-hints site [--out DIR]                  the results as a static site (target/perf-hints/site/)
//! perf-hints import FILE... [--lscpu F]        add a record from runs made on another machine
//! perf-hints counts ID:SIZE...                 internal: counts per call as JSON (the bench calls this)
//! perf-hints exec ID VARIANT SIZE              internal: one call, for callgrind to count (validate calls this)
//! ```
//!
//! The command line is clap's: an unknown command or option is an error naming
//! it (exit code 2); a command that fails says why on stderr (exit code 1).

perf_hints::count_allocations!();

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use perf_hints::publish::{compare, records, report};
use perf_hints::tool::{commands, validate};

/// The tool behind `cargo bench` in perf-hints: hint list, validation, published tables.
///
/// `cargo bench` times the hints; this tool gives the deterministic figures
/// (allocations, instruction counts), checks the hints' expectations against
/// them, and turns recorded runs into the tables under `results/`.
/// Run it as `cargo run --release -- <command>`.
#[derive(Parser)]
#[command(name = "perf-hints", arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The hint ids, their sizes and variants
    List,
    /// Check every hint's expectations from deterministic figures (needs valgrind)
    Validate {
        /// Hint ids to check (default: all)
        #[arg(value_name = "ID")]
        ids: Vec<String>,
    },
    /// Regenerate results/ and the README's results section from the newest record
    Report {
        /// Write nothing; fail naming every generated file that is missing, differs or is stale
        #[arg(long)]
        check: bool,
    },
    /// Two records' speedups side by side, flagging what moved beyond the spread
    Compare {
        /// The older record: a path, or a file name under results/records/ (default: the second newest)
        #[arg(requires = "new")]
        old: Option<String>,
        /// The newer record, named the same way (default: the newest)
        new: Option<String>,
        /// Show only the rows that moved beyond the spread
        #[arg(long)]
        only_moved: bool,
    },
    /// The summary `cargo bench` ends with, for a record: one line per hint
    Summary {
        /// A record: a path, or a file name under results/records/ (default: the published
        /// record; target/perf-hints/last-run.json is your last `cargo bench`)
        record: Option<String>,
    },
    /// The machines the records come from, the reference machine first
    Machines,
    /// The hot loop of each variant of the lessons about generated code, from a bench binary
    ///
    /// What a recorded run keeps in its record, without timing anything: the
    /// binary (`cargo bench --no-run` names it, target/release/deps/hints-*)
    /// answers `locate`, `nm` and `objdump` do the rest.
    Disasm {
        /// The bench binary
        binary: std::path::PathBuf,
        /// Hint ids (default: bounds_checks, simd_reduction, inlining, branch_predictability)
        ids: Vec<String>,
    },
    /// The results as a static site: an index and a page per hint with its code, chart, table and history
    ///
    /// Built from the same records as `report`; every page is one HTML file
    /// with its style and charts inline, viewable without a server.
    Site {
        /// Where to write it (default: target/perf-hints/site under the repository)
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
        /// The repository on the web, for links to the source and the records' commits
        /// (default: the one GitHub Actions names in GITHUB_SERVER_URL and GITHUB_REPOSITORY, if set)
        #[arg(long, value_name = "URL")]
        repo_url: Option<String>,
    },
    /// Add a record from runs made on another machine (raw last-run.json files or records)
    ///
    /// Several files are combined into one record, marked as assembled from
    /// filtered runs; they must come from one machine and measure each hint
    /// once. The files are only read. Records of schema 1 (before the
    /// redesign) are migrated in the copy.
    Import {
        /// The run files
        #[arg(value_name = "FILE", required = true)]
        files: Vec<std::path::PathBuf>,
        /// `lscpu` output of that machine, for the CPU family, model, stepping and caches
        /// the runs did not record
        #[arg(long, value_name = "FILE")]
        lscpu: Option<std::path::PathBuf>,
        /// What to say about the runs in the record (the commit they were built from, say)
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Internal (the bench calls it): counts per call as JSON
    #[command(hide = true)]
    Counts {
        /// A hint id and the key of one of its sizes, as `list` shows it
        #[arg(value_name = "ID:SIZE", required = true, value_parser = id_size)]
        wanted: Vec<String>,
    },
    /// Internal (validate calls it): one call of one variant, for callgrind to count
    #[command(hide = true)]
    Exec {
        /// The hint id
        id: String,
        /// The variant's name
        variant: String,
        /// The key of the size, as `list` shows it
        size: String,
    },
}

/// `ID:SIZE` as given, once it has the colon; the registry checks the rest.
fn id_size(a: &str) -> Result<String, String> {
    match a.split_once(':') {
        Some((id, size)) if !id.is_empty() && !size.is_empty() => Ok(a.to_string()),
        _ => Err(format!("expected ID:SIZE, got {a:?}")),
    }
}

fn main() -> ExitCode {
    // `exec` is the process callgrind counts, and its counts depend on the
    // heap's state at the measured call: clap's parsing would leave allocations
    // behind and shift them (validate gates on them), and parsing on a thread of
    // its own would put glibc in its multi-threaded mode, shifting them too. So
    // its well-formed calls (callgrind's) skip clap; `exec --help` and any
    // malformed call go through clap.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [cmd, id, variant, size] = args.as_slice()
        && cmd == "exec"
        && ![id, variant, size].iter().any(|a| a.starts_with('-'))
    {
        return finish(commands::exec(id, variant, size));
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::List => {
            print!("{}", commands::list());
            Ok(())
        }
        Command::Validate { ids } => validate::run(&ids),
        Command::Report { check } => report::report(check),
        Command::Compare {
            old,
            new,
            only_moved,
        } => {
            let old_new = old.as_deref().zip(new.as_deref());
            compare::run(&records::repo_root(), old_new, only_moved).map(|md| print!("{md}"))
        }
        Command::Summary { record } => {
            commands::summary(&records::repo_root(), record.as_deref()).map(|t| print!("{t}"))
        }
        Command::Machines => commands::machines(&records::repo_root()).map(|t| print!("{t}")),
        Command::Disasm { binary, ids } => commands::disasm(&binary, &ids).map(|t| print!("{t}")),
        Command::Site { out, repo_url } => {
            commands::site(&records::repo_root(), out.as_deref(), repo_url).map(|t| println!("{t}"))
        }
        Command::Import { files, lscpu, note } => {
            records::import(&records::repo_root(), &files, lscpu.as_deref(), &note).and_then(|p| {
                println!("Imported as {}", p.display());
                report::report(false)
            })
        }
        Command::Counts { wanted } => commands::counts(&wanted).map(|json| println!("{json}")),
        Command::Exec { id, variant, size } => commands::exec(&id, &variant, &size),
    };
    finish(result)
}

/// Success, or the error on stderr and a failure (exit code 1).
fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perf-hints: {e}");
            ExitCode::FAILURE
        }
    }
}
