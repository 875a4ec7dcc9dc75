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
//!
//! In one process (`PERF_HINTS_QUICK=1`)
//! criterion prints to this process's stdout, outlier lines included
//! ("1 (10.00%) low severe"). Criterion 0.8 sets its verbosity only from its
//! command line (`CliReport` is built in `configure_from_args`; no builder
//! method reaches it), so the bench does not hide them itself: add
//! `-- --quiet` (`PERF_HINTS_QUICK=1 cargo bench -- --quiet aa_control/`) to
//! keep only each benchmark's time line.

use std::cell::{Cell, OnceCell, RefCell};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use perf_hints::hint::check_agreement;
use perf_hints::measure::paired::Sample;
use perf_hints::measure::runner::{self, Measured, Progress};
use perf_hints::model::Param;
use perf_hints::publish::records as results;
use perf_hints::tool::bench::{self, Measuring, Options, SAMPLES};
use perf_hints::tool::timed;
use perf_hints::{EachHint, Hint, Variants};

/// Criterion's warm-up and measurement for every paired benchmark (each
/// sample runs both arms, so the wall time of a benchmark is about their
/// sum), and the samples it takes.
const WARM_UP: Duration = Duration::from_millis(10);
const MEASUREMENT: Duration = Duration::from_millis(40);
/// The same in quick mode (`PERF_HINTS_QUICK=1`).
const QUICK_WARM_UP: Duration = Duration::from_millis(10);
const QUICK_MEASUREMENT: Duration = Duration::from_millis(50);

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
                let input = (H::INPUT)(size);
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

/// One of a full run's measuring processes: measure, write, exit.
fn child(opts: &Options, target: &Path) -> ExitCode {
    let progress = Progress::from_env(opts.filter.is_some(), bench::planned());
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

fn main() -> ExitCode {
    // 0. Under callgrind, for the record's instruction counts: one call of
    // one variant, in this binary, so what is counted is the timed code.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [cmd, id, variant, size] = args.as_slice()
        && cmd == "exec"
    {
        return match perf_hints::tool::commands::exec(id, variant, size) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("perf-hints: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // Where the function `exec` calls is, for the record's disassembly.
    if let [cmd, id, variant] = args.as_slice()
        && cmd == "locate"
    {
        return match perf_hints::tool::commands::locate(id, variant) {
            Ok(offset) => {
                println!("{offset}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("perf-hints: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let started = chrono::Utc::now();
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

    // 2. Measure: a full run in the layouts' processes, anything else here.
    let measuring = if opts.measuring && opts.builds * opts.per_build > 1 {
        match bench::measure_builds(&opts, &out_dir) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("perf-hints: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        measure_in_process(&opts, &target)
    };

    // 3. What did not run; test mode ends here.
    if let Some(code) = bench::check_ran(&opts, &measuring.processes) {
        return code;
    }
    if !opts.measuring {
        return ExitCode::SUCCESS;
    }

    // 4. The record: figures across builds, cost table, counts, the gate.
    let counter = Path::new(env!("CARGO_BIN_EXE_perf-hints"));
    let run = bench::assemble(&opts, &measuring, counter, &out_dir, started, clock);

    // 5. The table, the time it took, the published record, the record.
    bench::report(&run, &measuring, &out_dir, opts.record)
}

/// Measures in this process: a test run, a filtered or quick run, or a
/// full run of one build and one process.
fn measure_in_process(opts: &Options, target: &Path) -> Measuring {
    let mut progress = Progress::new(
        (1, 1),
        (opts.measuring && opts.filter.is_none()).then(bench::planned),
        Vec::new(),
    );
    progress.terminal &= opts.measuring;
    let mut c = criterion(target, opts.quick);
    let m = measure(&mut c, opts.quick, progress);
    c.final_summary();
    Measuring {
        processes: vec![m],
        linking: 0.0,
        one_build: Some("a single process".into()),
        timed: std::env::current_exe().expect("this bench binary has a path"),
    }
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
