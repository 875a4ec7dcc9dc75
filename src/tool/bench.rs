//! A full `cargo bench` run around criterion: its options, the layouts and
//! processes it measures in, the figures it assembles, and what it prints
//! and records. The bench target (`benches/hints.rs`) keeps the criterion
//! wiring only and calls these in order.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::measure::layouts::{self, Build};
use crate::measure::runner::{self, Measured};
use crate::model::{self, HintRun, Method, Run};
use crate::publish::{compare, records, summary, table};
use crate::tool::replicate;

/// Samples criterion takes per benchmark in every process.
pub const SAMPLES: usize = 10;

/// How many differently laid-out builds a full run measures, the first
/// layout seed, and the processes on each build. A build costs a link of a
/// second or two and a process about a minute and a quarter, so the design
/// follows Kalibera and Jones's rule for a level that costs almost nothing
/// to repeat: spend on builds, one process each (the README's "How a
/// speedup is measured" gives the variance at each level behind it). Nine
/// builds are the fewest whose median has an exact interval of at least
/// 95 % that leaves out the lowest and the highest build (96.1 %, between
/// the second lowest and the second highest): with six to eight it spans
/// them all, so one disturbed process widens every row it touches.
pub const BUILDS: u32 = 9;
pub const FIRST_SEED: u64 = 1;
pub const PER_BUILD: u32 = 1;
/// Layouts added when a row's interval crosses a line (0: none).
pub const CONFIRM: u32 = 0;

/// How this invocation runs, from its command line and environment.
pub struct Options {
    /// Criterion's filter, the first argument that is not a flag.
    pub filter: Option<String>,
    /// Criterion measures (`--bench`, not test, list or profile mode).
    pub measuring: bool,
    pub list: bool,
    pub quick: bool,
    pub record: bool,
    /// This is one of a full run's measuring processes.
    pub child: bool,
    pub builds: u32,
    pub per_build: u32,
    pub first_seed: u64,
    pub confirm: u32,
    pub verbose: bool,
}

pub fn env_on(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v != "0")
}

/// `name`'s value as a number of at least `min`, or `default` when unset.
fn env_number<T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display>(
    name: &str,
    min: T,
    default: T,
) -> Result<T, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => match v.parse::<T>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(format!("{name}={v:?} is not a number of at least {min}")),
        },
    }
}

impl Options {
    pub fn read() -> Result<Options, String> {
        // Criterion parses its own command line; these are for choosing how to run.
        let args: Vec<String> = std::env::args().skip(1).collect();
        let has = |flag: &str| {
            args.iter()
                .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
        };
        let quick = env_on("PERF_HINTS_QUICK");
        let one = |n: u32| if quick { 1 } else { n };
        Ok(Options {
            filter: args.iter().find(|a| !a.starts_with('-')).cloned(),
            // Criterion's rule: without `--bench` (as `cargo test --benches`
            // runs it), or with `--test`, each benchmark runs once as a test.
            measuring: has("--bench") && !has("--test") && !has("--list") && !has("--profile-time"),
            list: has("--list") || has("--load-baseline"),
            quick,
            record: env_on("PERF_HINTS_RECORD"),
            child: std::env::var_os(runner::env::PROCESS).is_some(),
            builds: env_number("PERF_HINTS_BUILDS", 1, one(BUILDS))?,
            per_build: env_number("PERF_HINTS_PROCESSES", 1, PER_BUILD)?,
            first_seed: env_number("PERF_HINTS_LAYOUT_SEED", 1, FIRST_SEED)?,
            confirm: env_number("PERF_HINTS_CONFIRM", 0, CONFIRM)?,
            verbose: env_on("PERF_HINTS_VERBOSE"),
        })
    }

    /// Why this invocation may not record, if it may not: checked before
    /// the run rather than after it (`records::save` refuses both too).
    pub fn refuse_record(&self) -> Option<&'static str> {
        if !self.record || self.child {
            None
        } else if self.filter.is_some() || self.quick {
            Some("a filtered or quick run")
        } else if !self.measuring {
            Some("a test-mode, list or profile run")
        } else {
            None
        }
    }

    /// The command that reproduces this run, as the table's run line gives it.
    pub fn command(&self) -> String {
        let mut command = String::from("cargo bench");
        let features = crate::hints::features_on();
        if !features.is_empty() {
            command.push_str(&format!(" --features {}", features.join(",")));
        }
        if let Some(f) = &self.filter {
            command.push_str(&format!(" -- {f}"));
        }
        for (set, var) in [
            (
                self.builds != BUILDS && !self.quick,
                format!("PERF_HINTS_BUILDS={} ", self.builds),
            ),
            (
                self.per_build != PER_BUILD,
                format!("PERF_HINTS_PROCESSES={} ", self.per_build),
            ),
            (
                self.first_seed != FIRST_SEED,
                format!("PERF_HINTS_LAYOUT_SEED={} ", self.first_seed),
            ),
            (self.quick, "PERF_HINTS_QUICK=1 ".to_string()),
            (self.record, "PERF_HINTS_RECORD=1 ".to_string()),
        ] {
            if set {
                command.insert_str(0, &var);
            }
        }
        command
    }
}

/// Paired benchmarks of one unfiltered process.
pub fn planned() -> usize {
    crate::hints::enabled()
        .map(|e| e.sizes().len() * e.variants().len().saturating_sub(1))
        .sum()
}

/// What a full run's processes measured, and how its builds came about.
pub struct Measuring {
    pub processes: Vec<Measured>,
    /// Seconds spent linking the layouts.
    pub linking: f64,
    /// Why the run has one build only, where it has.
    pub one_build: Option<String>,
    /// A binary the processes timed (the first build's): callgrind counts
    /// instructions in it, so the counts are of the code that was timed.
    pub timed: PathBuf,
}

/// A full run: the layouts linked, then the processes over them, then,
/// where rows cross a line and `PERF_HINTS_CONFIRM` asks, more layouts.
pub fn measure_builds(opts: &Options, out_dir: &Path) -> Result<Measuring, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this bench binary: {e}"))?;
    let dir = out_dir.join("layouts");
    let seeds = layouts::seeds(opts.first_seed, opts.builds);
    let clock = Instant::now();
    eprintln!(
        "perf-hints: linking {} layouts of this bench (rust-lld --shuffle-sections, seeds {}-{})",
        seeds.len(),
        seeds[0],
        seeds[seeds.len() - 1]
    );
    let (builds, one_build) = match layouts::prepare(&exe, &dir, &seeds) {
        Ok(b) => (b, None),
        Err(why) => {
            eprintln!("perf-hints: measuring one build only: {why}");
            (
                vec![Build {
                    seed: 0,
                    exe: exe.clone(),
                }],
                Some(why),
            )
        }
    };
    let linking = clock.elapsed().as_secs_f64();
    // One build: its processes stand in for the builds.
    let per_build = match one_build {
        Some(_) => opts.builds * opts.per_build,
        None => opts.per_build,
    };
    let total = builds.len() as u32 * per_build;
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let slots = runner::plan(&builds, per_build, 1, total);
    let mut processes = runner::run(&slots, &args, out_dir, None, opts.verbose)?;
    if opts.confirm > 0 && one_build.is_none() {
        let crossing = replicate::crossing(&replicate::combine(&processes));
        if !crossing.is_empty() {
            eprintln!(
                "perf-hints: {} benchmarks have an interval across a line a verdict is drawn at; \
                 measuring every benchmark in {} more layouts",
                crossing.len(),
                opts.confirm
            );
            let more = layouts::seeds(opts.first_seed + u64::from(opts.builds), opts.confirm);
            let more = layouts::prepare(&exe, &dir, &more)?;
            let all = total + more.len() as u32 * per_build;
            let slots = runner::plan(&more, per_build, total + 1, all);
            processes.extend(runner::run(&slots, &args, out_dir, None, opts.verbose)?);
        }
    }
    Ok(Measuring {
        processes,
        linking,
        one_build,
        timed: builds[0].exe.clone(),
    })
}

/// How the run measured, in words, for the table's header.
pub fn method(m: &Measuring) -> Method {
    let n = m.processes.len() as u32;
    let layouts = replicate::layouts(&m.processes);
    let builds = layouts.len();
    let spread = if builds > 1 {
        format!(
            "{n} fresh processes over {builds} builds of the same code laid out differently \
             (rust-lld --shuffle-sections, seeds {}), each build's processes combined; the \
             median across builds, with an order-statistic interval (an exact binomial \
             interval for their median)",
            layouts
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "{n} fresh process{} of one build{}; the median across them with an \
             order-statistic interval (the mean and Student's t under five)",
            if n == 1 { "" } else { "es" },
            m.one_build
                .as_ref()
                .map_or(String::new(), |why| format!(" ({why})"))
        )
    };
    Method {
        processes: n,
        text: format!(
            "paired: each sample times bad and the variant back to back, in alternating \
             order, both arms compiled alike in the library; {SAMPLES} samples per \
             benchmark, in {spread}"
        ),
        layouts: if builds > 1 { layouts } else { vec![0] },
    }
}

/// The seeds' cost table, in this process (it has no counting allocator
/// either), after the timing processes and before the counts.
pub fn cost_table(quick: bool) -> Vec<model::CostRow> {
    let budget = if quick {
        crate::costs::Budget::QUICK
    } else {
        crate::costs::Budget::FULL
    };
    let clock = Instant::now();
    let rows = crate::costs::measure(&budget, &mut |id| {
        eprintln!("perf-hints: the seeds' cost table: {id}");
    });
    eprintln!(
        "perf-hints: the seeds' cost table: {} rows in {:.0} s",
        rows.len(),
        clock.elapsed().as_secs_f64()
    );
    rows
}

/// Deterministic counts: allocations and counters from `exe`, the
/// `perf-hints` binary, which has the counting allocator; instructions from
/// callgrind running `timed`, a binary the processes timed, which answers
/// `exec ID VARIANT SIZE` as `perf-hints exec` does (kept for an unchanged
/// pair of binaries in `out_dir`).
pub fn counts(
    exe: &Path,
    timed: &Path,
    ran: &[(String, Vec<String>)],
    out_dir: &Path,
) -> Result<Vec<HintRun>, String> {
    let pairs: Vec<String> = ran
        .iter()
        .flat_map(|(id, sizes)| sizes.iter().map(move |s| format!("{id}:{s}")))
        .collect();
    crate::measure::counts::from_binary(exe, timed, &pairs, &out_dir.join("counts-cache.txt"))
}

/// What did not run: a hint whose feature is off, said where the filter
/// names it; a filter that matched nothing is an error (`Some` exit code).
pub fn check_ran(opts: &Options, measured: &[Measured]) -> Option<ExitCode> {
    for (id, feature) in crate::hints::disabled() {
        let named =
            |f: &String| f.contains(id) || regex::Regex::new(f).is_ok_and(|r| r.is_match(id));
        if opts.filter.as_ref().is_none_or(named) {
            eprintln!("perf-hints: {id} skipped: it needs `cargo bench --features {feature}`");
        }
    }
    if !measured.iter().all(|m| m.ran.is_empty()) {
        return None;
    }
    if opts.list {
        return Some(ExitCode::SUCCESS);
    }
    eprintln!(
        "perf-hints: no benchmark matches the filter {:?}; ids are hint/variant/size for every \
         variant but `bad` (each is timed paired with `bad`), and `cargo run --release -- list` \
         shows the hints",
        opts.filter.as_deref().unwrap_or("")
    );
    Some(ExitCode::FAILURE)
}

/// The run's record: the figures combined across builds, the cost table
/// (unfiltered runs), the counts from `counter` (the `perf-hints` binary;
/// instructions from the timed binary), the control's gate.
pub fn assemble(
    opts: &Options,
    measuring: &Measuring,
    counter: &Path,
    out_dir: &Path,
    started: chrono::DateTime<chrono::Utc>,
    clock: Instant,
) -> Run {
    let measured = &measuring.processes;
    let figures = replicate::combine(measured);
    let costs = if opts.filter.is_none() {
        cost_table(opts.quick)
    } else {
        Vec::new()
    };
    let hints = replicate::merge(
        figures,
        counts(counter, &measuring.timed, &measured[0].ran, out_dir),
    );
    let noise = replicate::gate(&hints);
    let disassembly = disassembly(&measuring.timed, &hints);
    Run {
        schema: model::SCHEMA,
        started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: opts.command(),
        filter: opts.filter.clone(),
        quick: opts.quick,
        seconds: clock.elapsed().as_secs_f64(),
        machine: crate::measure::machine::detect(),
        method: Some(method(measuring)),
        noise,
        costs,
        origin: None,
        hints,
        disassembly,
    }
}

/// The hot loops of the lessons about generated code among `hints`, from
/// `timed` (`measure::disasm`); none, said on stderr, where they cannot be
/// had (no `objdump`, say).
fn disassembly(timed: &Path, hints: &[model::HintRun]) -> Vec<model::Disassembly> {
    let ids: Vec<&str> = crate::measure::disasm::LESSONS
        .into_iter()
        .filter(|id| hints.iter().any(|h| h.id == *id))
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    crate::tool::commands::lessons(&ids)
        .and_then(|lessons| crate::measure::disasm::capture(timed, &lessons))
        .unwrap_or_else(|e| {
            eprintln!("perf-hints: no disassembly in the record: {e}");
            Vec::new()
        })
}

/// One paragraph on how this run's verdicts compare with the published
/// record's (the reference machine's newest), and the command that records
/// this run as a record of this machine; `None` without a published record.
fn against_published(run: &Run, recording: bool) -> Option<String> {
    let root = records::repo_root();
    let published = records::published(&root).ok()?;
    let a = compare::agreement(&published.run, run);
    if a.rows == 0 {
        return None;
    }
    let same = published.run.machine_key() == run.machine_key();
    let file = published
        .path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let mut s = format!(
        "{} agrees with the published record (`results/records/{file}`, {}) on {} of {} verdicts",
        if same {
            "This run, on the reference machine itself,"
        } else {
            "Your machine"
        },
        published.run.machine.cpu,
        a.agree,
        a.rows
    );
    if a.differ.is_empty() {
        s.push('.');
    } else {
        const SHOWN: usize = 12;
        let list: Vec<String> = a
            .differ
            .iter()
            .take(SHOWN)
            .map(|(id, size, o, n)| {
                format!(
                    "{id} {} ({} there, {} here)",
                    table::size_label(id, size),
                    o.label(),
                    n.label()
                )
            })
            .collect();
        s.push_str(&format!("; differs on: {}", list.join(", ")));
        if a.differ.len() > SHOWN {
            s.push_str(&format!(" and {} more", a.differ.len() - SHOWN));
        }
        s.push_str(&format!(
            ". `cargo run --release -- compare results/records/{file} target/perf-hints/last-run.json` shows every row."
        ));
    }
    if !recording && !same {
        s.push_str(&format!(
            " To add this machine to the atlas (`results/atlas.md`), record a full run: `{}`.",
            records::RECORD_COMMAND
        ));
    }
    Some(s)
}

/// Prints and saves the table, says how long the run took and how it
/// compares with the published record, and records it when asked.
pub fn report(run: &Run, measuring: &Measuring, out_dir: &Path, record: bool) -> ExitCode {
    let table = table::render(run, "cargo bench");
    let table_path = out_dir.join("table.md");
    let saved = records::write_atomic(&table_path, &table).and_then(|()| {
        let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
        records::write_atomic(&out_dir.join("last-run.json"), &json)
    });
    if let Err(e) = saved {
        eprintln!("perf-hints: {e}");
    }
    let width = summary::width();
    println!();
    print!(
        "{}",
        summary::render(
            run,
            width,
            &format!(
                "Full table (every size, interval and count): {}. Results site: `cargo run \
                 --release -- site`.",
                table_path
                    .strip_prefix(records::repo_root())
                    .unwrap_or(&table_path)
                    .display()
            )
        )
    );
    let measured = &measuring.processes;
    let time_line = measured
        .iter()
        .map(|m| format!("{:.0}", m.seconds))
        .collect::<Vec<_>>()
        .join(" + ");
    let builds = replicate::layouts(measured).len();
    let timing: f64 = measured.iter().map(|m| m.seconds).sum();
    print!(
        "{}",
        summary::wrap(
            &format!(
                "Measured in {} process{} over {builds} build{} ({time_line} s), layouts linked \
                 in {:.0} s, the cost table, counts and disassembly in {:.0} s, {:.0} s in all.",
                measured.len(),
                if measured.len() == 1 { "" } else { "es" },
                if builds == 1 { "" } else { "s" },
                measuring.linking,
                (run.seconds - timing - measuring.linking).max(0.0),
                run.seconds
            ),
            width
        )
    );
    if let Some(line) = against_published(run, record) {
        print!("{}", summary::wrap(&line, width));
    }
    if record {
        // A run that left a benchmark of the list without a time of this run
        // (filtered in effect) is refused there, naming them.
        match crate::tool::commands::record(run) {
            Ok((path, changed)) => println!(
                "Recorded {}; {changed} generated files under results/ changed (`git status \
                 results/` lists them)",
                path.display()
            ),
            Err(e) => {
                eprintln!("perf-hints: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
