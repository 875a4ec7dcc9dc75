//! The one bench target: every hint of the list as criterion benchmarks,
//! then the before/after table for the hints that ran.
//!
//! `cargo bench` runs everything; `cargo bench -- with_capacity/` runs one hint.
//!
//! How a speedup is measured (`perf_hints::measure`): there is one
//! criterion benchmark per variant other than `bad`, with id
//! `hint/variant/size`, and each of its samples times `bad` and that variant
//! back to back, in an order that alternates from sample to sample (ABBA),
//! through `timed::time_sample`, which compiles every arm in the library
//! alike. Criterion drives the warm-up and the samples and prints the
//! pair's time (one call of each); the table takes each sample's two arms.
//! A full run links the bench again in several layouts (`layouts`: the same
//! code, its sections shuffled), measures every benchmark in a fresh
//! process of each (`runner`), and takes each figure across the builds
//! (`replicate`): the median, with an order-statistic interval. A row
//! whose builds disagree across a line a verdict is drawn at is named
//! layout-sensitive rather than judged.
//!
//! Before any timing, each size's input is built once per process and every
//! variant's output is checked against `bad`'s. After the timings, the
//! allocation and instruction counts come from a separate process
//! (`perf-hints counts`), which has the counting allocator that this binary
//! deliberately lacks.
//!
//! Criterion alone reads its command line: every benchmark is registered, and
//! criterion calls the routine of those its filter and mode select. Test mode
//! (`cargo bench -- --test`, `cargo test --benches`), `--list` and
//! `--profile-time` run in this one process and make no table.
//!
//! Environment: `PERF_HINTS_QUICK=1` shortens every measurement and uses one
//! process (smoke runs); `PERF_HINTS_RECORD=1` saves a full run under
//! `results/` as a new record; `PERF_HINTS_BUILDS=n` measures `n` layouts;
//! `PERF_HINTS_PROCESSES=n` runs `n` processes of each;
//! `PERF_HINTS_LAYOUT_SEED=s` numbers the layouts from `s` (a second record
//! with other layouts); `PERF_HINTS_CONFIRM=n` adds `n` more layouts when a
//! row's interval crosses a line (0: none); `PERF_HINTS_VERBOSE=1` shows
//! criterion's own lines.

use std::cell::{Cell, OnceCell, RefCell};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use perf_hints::hint::check_agreement;
use perf_hints::measure::layouts::{self, Build};
use perf_hints::measure::paired::Sample;
use perf_hints::measure::runner::{self, Measured, Progress};
use perf_hints::model::{self, HintRun, Method, Param, Run};
use perf_hints::publish::{compare, records as results, table};
use perf_hints::tool::{replicate, timed};
use perf_hints::{EachHint, Hint, Variants};

/// Criterion's warm-up and measurement for every paired benchmark (each
/// sample runs both arms, so the wall time of a benchmark is about their
/// sum), and the samples it takes.
const WARM_UP: Duration = Duration::from_millis(15);
const MEASUREMENT: Duration = Duration::from_millis(60);
const SAMPLES: usize = 10;
/// The same in quick mode (`PERF_HINTS_QUICK=1`).
const QUICK_WARM_UP: Duration = Duration::from_millis(10);
const QUICK_MEASUREMENT: Duration = Duration::from_millis(50);

/// How many differently laid-out builds a full run measures, the first
/// layout seed, and the processes on each build. Builds cost a link of a
/// second or two and processes about a minute and a half each, and the
/// spread between builds is the larger (see `results/method.md`), so a run
/// buys builds: one process on each of six (Kalibera and Jones's rule for
/// a level that costs almost nothing to repeat).
const BUILDS: u32 = 6;
const FIRST_SEED: u64 = 1;
const PER_BUILD: u32 = 1;
/// Layouts added when a row's interval crosses a line (0: none).
const CONFIRM: u32 = 0;

struct Bench<'a> {
    c: &'a mut Criterion,
    quick: bool,
    measured: Measured,
    progress: Progress,
}

struct Register<'g, 'c, 'p, H: Hint> {
    group: &'g mut BenchmarkGroup<'c, WallTime>,
    /// The size's key.
    size: &'g str,
    /// The size's input, shared by its variants, built on the first call of any.
    input: &'g OnceCell<H::Input>,
    /// Builds the input and checks the variants' agreement (panics if they disagree).
    build: &'g dyn Fn() -> H::Input,
    progress: &'p RefCell<&'p mut Progress>,
    /// Each paired benchmark that ran, with its samples (the warm-up's too).
    ran: Vec<(&'static str, Vec<Sample>)>,
}

impl<H: Hint> Variants<H> for Register<'_, '_, '_, H> {
    type Probe = perf_hints::hint::NoProbe;
    /// Registers the variant by name only: its code is timed by
    /// `timed::time_sample`, compiled in the library, never here.
    fn variant<F>(&mut self, name: &'static str, _f: F) {
        if name == "bad" {
            return;
        }
        let (input, build) = (self.input, self.build);
        let samples = RefCell::new(Vec::new());
        let called = Cell::new(false);
        let flip = Cell::new(false);
        let progress = self.progress;
        let what = format!("{} {} {name}", H::ID, self.size);
        self.group
            .bench_function(BenchmarkId::new(name, self.size), |b| {
                if !called.replace(true) {
                    progress.borrow().show(&what);
                }
                let i: &H::Input = input.get_or_init(build);
                b.iter_custom(|iters| {
                    let flipped = flip.replace(!flip.get());
                    let (bad, other) = timed::time_sample(H::ID, name, i, iters, flipped)
                        .unwrap_or_else(|e| panic!("{e}"));
                    samples.borrow_mut().push(Sample {
                        iters,
                        bad_ns: bad.as_nanos() as f64,
                        other_ns: other.as_nanos() as f64,
                    });
                    bad + other
                })
            });
        if called.get() {
            self.progress.borrow_mut().done += 1;
            self.ran.push((name, samples.into_inner()));
        }
    }
}

impl EachHint for Bench<'_> {
    fn hint<H: Hint>(&mut self) {
        let mut group = self.c.benchmark_group(H::ID);
        let (warm_up, measurement) = if self.quick {
            (QUICK_WARM_UP, QUICK_MEASUREMENT)
        } else {
            (WARM_UP, MEASUREMENT)
        };
        group
            .warm_up_time(warm_up)
            .measurement_time(measurement)
            .sample_size(SAMPLES)
            .sampling_mode(SamplingMode::Flat);
        let mut sizes = Vec::new();
        let progress = RefCell::new(&mut self.progress);
        for &size in H::sizes() {
            let key = size.key();
            let build = || {
                progress.borrow().show(&format!(
                    "{} {}: building the input and checking that the variants agree",
                    H::ID,
                    size.label()
                ));
                let input = H::input(size);
                if let Err(e) = check_agreement::<H>(size, &input) {
                    panic!("variants disagree, so there is nothing fair to time: {e}");
                }
                input
            };
            // Criterion runs each benchmark inside `bench_function`, so the
            // input is dropped here, once the size's variants are done.
            let input = OnceCell::new();
            let mut register = Register::<H> {
                group: &mut group,
                size: &key,
                input: &input,
                build: &build,
                progress: &progress,
                ran: Vec::new(),
            };
            H::variants(&mut register);
            for (name, samples) in register.ran {
                // Criterion's measurement is its last `SAMPLES` calls; the
                // ones before were its warm-up.
                let keep = samples.len().saturating_sub(SAMPLES);
                self.measured
                    .samples
                    .insert(format!("{}/{name}/{key}", H::ID), samples[keep..].to_vec());
                if !sizes.contains(&key) {
                    sizes.push(key.clone());
                }
            }
        }
        group.finish();
        if !sizes.is_empty() {
            self.measured.ran.push((H::ID.to_string(), sizes));
        }
    }
}

/// Runs the benchmarks criterion's command line selects, in this process.
fn measure(c: &mut Criterion, quick: bool, progress: Progress) -> Measured {
    let clock = Instant::now();
    let mut bench = Bench {
        c,
        quick,
        measured: Measured::default(),
        progress,
    };
    perf_hints::hints::for_each(&mut bench);
    bench.progress.finish();
    let mut measured = bench.measured;
    measured.seconds = clock.elapsed().as_secs_f64();
    measured
}

/// Deterministic counts from the `perf-hints` binary, which has the
/// counting allocator (kept for an unchanged build in `out_dir`).
fn counts(ran: &[(String, Vec<String>)], out_dir: &Path) -> Result<Vec<HintRun>, String> {
    let pairs: Vec<String> = ran
        .iter()
        .flat_map(|(id, sizes)| sizes.iter().map(move |s| format!("{id}:{s}")))
        .collect();
    perf_hints::measure::counts::from_binary(
        Path::new(env!("CARGO_BIN_EXE_perf-hints")),
        &pairs,
        &out_dir.join("counts-cache.txt"),
    )
}

/// One paragraph on how this run's verdicts compare with the published
/// record's (the reference machine's newest), and the command that records
/// this run as a record of this machine; `None` without a published record.
fn against_published(run: &Run, recording: bool) -> Option<String> {
    let root = results::repo_root();
    let published = results::published(&root).ok()?;
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
            results::RECORD_COMMAND
        ));
    }
    Some(s)
}

/// How this invocation runs, from its command line and environment.
struct Options {
    /// Criterion's filter, the first argument that is not a flag.
    filter: Option<String>,
    /// Criterion measures (`--bench`, not test, list or profile mode).
    measuring: bool,
    list: bool,
    quick: bool,
    record: bool,
    /// This is one of a full run's measuring processes.
    child: bool,
    builds: u32,
    per_build: u32,
    first_seed: u64,
    confirm: u32,
    verbose: bool,
}

fn env_on(name: &str) -> bool {
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
    fn read() -> Result<Options, String> {
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
    /// the run rather than after it (`results::record` refuses both too).
    fn refuse_record(&self) -> Option<&'static str> {
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
    fn command(&self) -> String {
        let mut command = String::from("cargo bench");
        let features = perf_hints::hints::features_on();
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
fn planned() -> usize {
    perf_hints::hints::enabled()
        .map(|e| e.sizes().len() * e.variants().len().saturating_sub(1))
        .sum()
}

/// What a full run's processes measured, and how its builds came about.
struct Measuring {
    processes: Vec<Measured>,
    /// Seconds spent linking the layouts.
    linking: f64,
    /// Why the run has one build only, where it has.
    one_build: Option<String>,
}

/// A full run: the layouts linked, then the processes over them, then,
/// where rows cross a line and `PERF_HINTS_CONFIRM` asks, more layouts.
fn measure_builds(opts: &Options, out_dir: &Path) -> Result<Measuring, String> {
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
    })
}

/// How the run measured, in words, for the table's header.
fn method(m: &Measuring) -> Method {
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

/// One of a full run's measuring processes: measure, write, exit.
fn child(opts: &Options, target: &Path) -> ExitCode {
    let progress = Progress::from_env(opts.filter.is_some(), planned());
    let mut c = criterion(target, opts.quick);
    let mut m = measure(&mut c, opts.quick, progress);
    m.layout = std::env::var(runner::env::LAYOUT)
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let out = PathBuf::from(std::env::var_os(runner::env::OUT).expect("set by the parent"));
    let json = serde_json::to_string(&m).expect("plain data serialises");
    match results::write_atomic(&out, &json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perf-hints: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The seeds' cost table, in this process (it has no counting allocator
/// either), after the timing processes and before the counts.
fn cost_table(quick: bool) -> Vec<model::CostRow> {
    let budget = if quick {
        perf_hints::costs::Budget::QUICK
    } else {
        perf_hints::costs::Budget::FULL
    };
    let clock = Instant::now();
    let rows = perf_hints::costs::measure(&budget, &mut |id| {
        eprintln!("perf-hints: the seeds' cost table: {id}");
    });
    eprintln!(
        "perf-hints: the seeds' cost table: {} rows in {:.0} s",
        rows.len(),
        clock.elapsed().as_secs_f64()
    );
    rows
}

fn main() -> ExitCode {
    let started_at = chrono::Utc::now();
    let clock = Instant::now();
    let opts = match Options::read() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("perf-hints: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(why) = opts.refuse_record() {
        eprintln!(
            "perf-hints: refusing to record {why}; nothing under results/ was touched. Run `{}` alone.",
            results::RECORD_COMMAND
        );
        return ExitCode::FAILURE;
    }
    // The target directory this bench was built in: CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf();
    let out_dir = target.join("perf-hints");

    // 1. A measuring process of a full run measures, writes and exits.
    if opts.child {
        return child(&opts, &target);
    }

    // 2. Measure: a full run in layouts' processes, anything else here.
    let measuring = if opts.measuring && opts.builds * opts.per_build > 1 {
        match measure_builds(&opts, &out_dir) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("perf-hints: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let mut progress = Progress::new(
            (1, 1),
            (opts.measuring && opts.filter.is_none()).then(planned),
            Vec::new(),
        );
        progress.terminal &= opts.measuring;
        let mut c = criterion(&target, opts.quick);
        let m = measure(&mut c, opts.quick, progress);
        c.final_summary();
        Measuring {
            processes: vec![m],
            linking: 0.0,
            one_build: Some("a single process".into()),
        }
    };
    let measured = &measuring.processes;

    // 3. What did not run; test mode ends here.
    for (id, feature) in perf_hints::hints::disabled() {
        let named =
            |f: &String| f.contains(id) || regex::Regex::new(f).is_ok_and(|r| r.is_match(id));
        if opts.filter.as_ref().is_none_or(named) {
            eprintln!("perf-hints: {id} skipped: it needs `cargo bench --features {feature}`");
        }
    }
    if measured.iter().all(|m| m.ran.is_empty()) {
        if opts.list {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "perf-hints: no benchmark matches the filter {:?}; ids are hint/variant/size for every \
             variant but `bad` (each is timed paired with `bad`), and `cargo run --release -- list` \
             shows the hints",
            opts.filter.as_deref().unwrap_or("")
        );
        return ExitCode::FAILURE;
    }
    if !opts.measuring {
        // Test mode ran every selected benchmark once: nothing was measured.
        return ExitCode::SUCCESS;
    }

    // 4. The figures: combined across builds, the cost table (unfiltered
    // runs), the counts, the control's gate.
    let figures = replicate::combine(measured);
    let costs = if opts.filter.is_none() {
        cost_table(opts.quick)
    } else {
        Vec::new()
    };
    let hints = replicate::merge(figures, counts(&measured[0].ran, &out_dir));
    let noise = replicate::gate(&hints);
    let run = Run {
        schema: model::SCHEMA,
        started: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: opts.command(),
        filter: opts.filter.clone(),
        quick: opts.quick,
        seconds: clock.elapsed().as_secs_f64(),
        machine: perf_hints::measure::machine::detect(),
        method: Some(method(&measuring)),
        noise,
        costs,
        origin: None,
        hints,
    };

    // 5. The table, the time it took, the published record, the record.
    report(&run, &measuring, &out_dir, opts.record)
}

/// Prints and saves the table, says how long the run took and how it
/// compares with the published record, and records it when asked.
fn report(run: &Run, measuring: &Measuring, out_dir: &Path, record: bool) -> ExitCode {
    let table = table::render(run, "cargo bench");
    println!("\n{table}");
    let saved = results::write_atomic(&out_dir.join("table.md"), &table).and_then(|()| {
        let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
        results::write_atomic(&out_dir.join("last-run.json"), &json)
    });
    match saved {
        Ok(()) => println!("Table saved to {}", out_dir.join("table.md").display()),
        Err(e) => eprintln!("perf-hints: {e}"),
    }
    let measured = &measuring.processes;
    let time_line = measured
        .iter()
        .map(|m| format!("{:.0}", m.seconds))
        .collect::<Vec<_>>()
        .join(" + ");
    let builds = replicate::layouts(measured).len();
    println!(
        "Measured in {} process{} over {builds} build{} ({time_line} s), layouts linked in {:.0} s, \
         {:.0} s in all.",
        measured.len(),
        if measured.len() == 1 { "" } else { "es" },
        if builds == 1 { "" } else { "s" },
        measuring.linking,
        run.seconds
    );
    if let Some(why) = run.too_noisy() {
        println!(
            "\nToo noisy to judge: the A/A control gate failed ({why}). The verdicts above are \
             printed but should not be trusted; rerun on a quieter machine."
        );
    }
    if let Some(line) = against_published(run, record) {
        println!("\n{line}");
    }
    if record {
        // A run that left a benchmark of the list without a time of this run
        // (filtered in effect) is refused there, naming them.
        match results::record(run) {
            Ok(path) => println!(
                "Recorded {} and regenerated results/README.md",
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

/// Criterion as every process of a run configures it; its own output goes
/// under `target/criterion`.
fn criterion(target: &Path, quick: bool) -> Criterion {
    let dir = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"));
    // Criterion's own statistics are on the pair's time, which the table
    // does not use: a small bootstrap keeps them cheap.
    let c = Criterion::default()
        .nresamples(if quick { 100 } else { 1_000 })
        .output_directory(&dir)
        .without_plots();
    c.configure_from_args()
}
