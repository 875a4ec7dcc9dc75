//! The one bench target: every hint of the list as criterion benchmarks with
//! ids `hint_id/variant/size`, then the before/after table for the hints that ran.
//!
//! `cargo bench` runs everything; `cargo bench -- with_capacity/` runs one hint.
//! Before any timing, each size's input is built once and every variant's
//! output is checked against `bad`'s. After the timings, the allocation counts
//! come from a separate process (`perf-hints counts`), which has the counting
//! allocator that this binary deliberately lacks.
//!
//! Criterion alone reads its command line: every benchmark is registered, and
//! criterion calls the routine of those its filter and mode select, which builds
//! the size's input on first use and marks the benchmark as run. So no parser of
//! ours can drift from criterion's. The table takes a time only from the
//! `estimates.json` of a benchmark that ran in this process and that was written
//! after its first run here: test, list and profile modes, `--load-baseline`,
//! `--discard-baseline` or a failed measurement leave a previous run's files,
//! and those are never shown as this run's.
//!
//! Environment: `PERF_HINTS_QUICK=1` shortens every measurement (smoke runs);
//! `PERF_HINTS_RECORD=1` saves a full run under `results/` as a new record;
//! `PERF_HINTS_HTML=1` adds criterion's HTML report.

use std::cell::{Cell, OnceCell};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion};
use perf_hints::hint::{NoProbe, check_agreement};
use perf_hints::model::{self, Estimate, HintRun, Param, Run};
use perf_hints::publish::{records as results, table};
use perf_hints::{EachHint, Hint, Settings, Variants};

/// Registers every hint's benchmarks with criterion, which runs those its
/// command line selects, one after the other, inside `bench_function`.
struct Bench<'a> {
    c: &'a mut Criterion,
    quick: bool,
    /// Hints that ran, with the keys of the sizes that ran.
    ran: Vec<(&'static str, Vec<String>)>,
    /// Benchmarks (`hint/variant/size`) whose routine criterion called, with
    /// when it first did.
    first_run: BTreeMap<String, SystemTime>,
    /// For the time left of an unfiltered run: the warm-up and measurement
    /// time criterion is set to spend on every benchmark of the run, and on
    /// those done so far; `None` when a filter makes the total unknown.
    plan: Option<(Duration, Duration)>,
    clock: Instant,
}

impl Bench<'_> {
    /// `(warm-up + measurement) × benchmarks` of a hint's settings.
    fn planned(s: &Settings, quick: bool, benchmarks: usize) -> Duration {
        let each = if quick {
            Duration::from_millis(250)
        } else {
            s.warm_up + s.measurement
        };
        each * benchmarks as u32
    }

    /// "about 7 min left", scaled from how long the planned time so far took.
    fn time_left(&self) -> String {
        match self.plan {
            Some((total, done)) if !done.is_zero() => {
                let rate = self.clock.elapsed().as_secs_f64() / done.as_secs_f64();
                let left = (total.saturating_sub(done)).as_secs_f64() * rate;
                if left >= 90.0 {
                    format!(", about {:.0} min left", left / 60.0)
                } else {
                    format!(", about {left:.0} s left")
                }
            }
            _ => String::new(),
        }
    }
}

struct Register<'g, 'c, H: Hint> {
    group: &'g mut BenchmarkGroup<'c, WallTime>,
    /// The size's key.
    size: &'g str,
    /// The size's input, shared by its variants, built on the first call of any.
    input: &'g OnceCell<H::Input>,
    /// Builds the input and checks the variants' agreement (panics if they disagree).
    build: &'g dyn Fn() -> H::Input,
    /// The variants whose routine criterion called, with when it first did.
    ran: Vec<(&'static str, SystemTime)>,
}

impl<H: Hint> Variants<H> for Register<'_, '_, H> {
    type Probe = NoProbe;
    fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
        let (input, build) = (self.input, self.build);
        let first = Cell::new(None);
        self.group
            .bench_function(BenchmarkId::new(name, self.size), |b| {
                if first.get().is_none() {
                    first.set(Some(SystemTime::now()));
                }
                let i = input.get_or_init(build);
                b.iter(|| f(black_box(i), &NoProbe))
            });
        if let Some(t) = first.get() {
            self.ran.push((name, t));
        }
    }
}

impl EachHint for Bench<'_> {
    fn hint<H: Hint>(&mut self) {
        let left = self.time_left();
        let settings = H::settings();
        let mut group = self.c.benchmark_group(H::ID);
        if self.quick {
            group
                .warm_up_time(Duration::from_millis(50))
                .measurement_time(Duration::from_millis(200))
                .sample_size(10);
        } else {
            group
                .warm_up_time(settings.warm_up)
                .measurement_time(settings.measurement)
                .sample_size(settings.sample_size);
        }
        let k = self.ran.len() + 1;
        let mut sizes = Vec::new();
        for &size in H::sizes() {
            let key = size.key();
            let build = || {
                eprintln!(
                    "perf-hints: [{k} of {}{left}] {} {}: building the input and checking that the variants agree",
                    perf_hints::hints::IDS.len(),
                    H::ID,
                    size.label()
                );
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
                ran: Vec::new(),
            };
            H::variants(&mut register);
            for (name, t) in register.ran {
                self.first_run.insert(format!("{}/{name}/{key}", H::ID), t);
                if !sizes.contains(&key) {
                    sizes.push(key.clone());
                }
            }
        }
        group.finish();
        if let Some((_, done)) = &mut self.plan {
            let benchmarks = H::sizes().len() * perf_hints::hint::variant_names::<H>().len();
            *done += Self::planned(&settings, self.quick, benchmarks);
        }
        if !sizes.is_empty() {
            self.ran.push((H::ID, sizes));
        }
    }
}

/// Where criterion writes, chosen the way criterion itself would.
fn criterion_dir(target: &Path) -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"))
}

/// Why criterion left no estimate of this run, for messages.
const NOT_MEASURED: &str = "not measured in this run: criterion ran it in test or profile mode, \
                            discarded the result (--discard-baseline) or rejected the measurement";

/// Reads criterion's estimate for one benchmark (`hint/variant/size`): the
/// slope where criterion fitted one, otherwise the mean; an error when the
/// file is older than `since`, the benchmark's first run in this process.
fn estimate(dir: &Path, bench: &str, since: SystemTime) -> Result<Estimate, String> {
    #[derive(serde::Deserialize)]
    struct Ci {
        lower_bound: f64,
        upper_bound: f64,
    }
    #[derive(serde::Deserialize)]
    struct E {
        point_estimate: f64,
        confidence_interval: Ci,
    }
    #[derive(serde::Deserialize)]
    struct Estimates {
        mean: E,
        slope: Option<E>,
    }
    let path = dir.join(bench).join("new").join("estimates.json");
    let modified = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(NOT_MEASURED.into()),
        Err(e) => return Err(format!("cannot read the age of {}: {e}", path.display())),
    };
    if modified < since {
        return Err(format!(
            "{NOT_MEASURED} ({} is a previous run's)",
            path.display()
        ));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let est: Estimates = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not criterion's estimates: {e}", path.display()))?;
    let e = est.slope.unwrap_or(est.mean);
    Ok(Estimate {
        point: e.point_estimate,
        lo: e.confidence_interval.lower_bound,
        hi: e.confidence_interval.upper_bound,
    })
}

/// Deterministic counts from the `perf-hints` binary, which has the counting allocator.
fn counts(ran: &[(&'static str, Vec<String>)]) -> Result<Vec<HintRun>, String> {
    let exe = env!("CARGO_BIN_EXE_perf-hints");
    let pairs: Vec<String> = ran
        .iter()
        .flat_map(|(id, sizes)| sizes.iter().map(move |s| format!("{id}:{s}")))
        .collect();
    eprintln!("perf-hints: counting allocations per call in a separate process");
    let out = Command::new(exe)
        .arg("counts")
        .args(&pairs)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {exe}: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{exe} counts` failed ({})", out.status));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("`{exe} counts` printed bad JSON: {e}"))
}

fn main() -> ExitCode {
    let started_at = chrono::Utc::now();
    let clock = Instant::now();
    // Criterion parses its own command line; these two are for messages only.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args.iter().find(|a| !a.starts_with('-')).cloned();
    let quick = std::env::var_os("PERF_HINTS_QUICK").is_some_and(|v| v != "0");
    let record = std::env::var_os("PERF_HINTS_RECORD").is_some_and(|v| v != "0");
    let refuse = || {
        eprintln!(
            "perf-hints: refusing to record a filtered, quick or test-mode run; \
             nothing under results/ was touched. Run `{}` alone.",
            results::RECORD_COMMAND
        );
        ExitCode::FAILURE
    };
    // Refused now rather than after the run: `results::record` refuses both.
    if record && (filter.is_some() || quick) {
        return refuse();
    }
    // The target directory this bench was built in: CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf();
    let crit_dir = criterion_dir(&target);
    // Criterion's HTML report (plots per benchmark) adds close to half again
    // to the run's wall time, so it is opt-in; the before/after table is the output.
    let html = std::env::var_os("PERF_HINTS_HTML").is_some_and(|v| v != "0");
    let mut c = Criterion::default()
        .nresamples(20_000)
        .output_directory(&crit_dir);
    if !html {
        c = c.without_plots();
    }
    let mut c = c.configure_from_args();

    let mut bench = Bench {
        c: &mut c,
        quick,
        ran: Vec::new(),
        first_run: BTreeMap::new(),
        plan: filter.is_none().then(|| {
            let total = perf_hints::hints::enabled()
                .map(|e| {
                    let n = e.sizes().len() * e.variants().len();
                    Bench::planned(&e.settings(), quick, n)
                })
                .sum();
            (total, Duration::ZERO)
        }),
        clock: Instant::now(),
    };
    perf_hints::hints::for_each(&mut bench);
    let (ran, first_run) = (bench.ran, bench.first_run);
    for (id, feature) in perf_hints::hints::disabled() {
        let named =
            |f: &String| f.contains(id) || regex::Regex::new(f).is_ok_and(|r| r.is_match(id));
        if filter.as_ref().is_none_or(named) {
            eprintln!("perf-hints: {id} skipped: it needs `cargo bench --features {feature}`");
        }
    }
    c.final_summary();
    if ran.is_empty() {
        if args.iter().any(|a| a == "--list") {
            return ExitCode::SUCCESS;
        }
        if args.iter().any(|a| a.starts_with("--load-baseline")) {
            eprintln!(
                "perf-hints: criterion loaded a saved baseline instead of running the benchmarks, \
                 so this run measured nothing and there is no table"
            );
            return ExitCode::SUCCESS;
        } else {
            eprintln!(
                "perf-hints: no benchmark matches the filter {:?}; ids are hint/variant/size, \
                 and `cargo run --release -- list` shows the hints",
                filter.as_deref().unwrap_or("")
            );
        }
        return ExitCode::FAILURE;
    }
    let mut times = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for (bench, &since) in &first_run {
        match estimate(&crit_dir, bench, since) {
            Ok(e) => {
                times.insert(bench.clone(), e);
            }
            Err(e) => {
                errors.insert(bench.clone(), e);
            }
        }
    }
    if times.is_empty() {
        eprintln!(
            "perf-hints: {} benchmarks ran and criterion saved no estimate for any \
             (test or profile mode, or --discard-baseline): nothing measured, no table",
            first_run.len()
        );
        return if record { refuse() } else { ExitCode::SUCCESS };
    }

    let mut hints = match counts(&ran) {
        Ok(h) => h,
        Err(e) => {
            eprintln!(
                "perf-hints: {e}; the table has no counts. Rebuild with `cargo bench` and retry."
            );
            ran.iter()
                .map(|(id, sizes)| HintRun {
                    id: id.to_string(),
                    size_label: String::new(),
                    claim: String::new(),
                    layout: Vec::new(),
                    rows: sizes
                        .iter()
                        .map(|size| model::Row::new(size.clone(), Vec::new()))
                        .collect(),
                })
                .collect()
        }
    };
    for h in &mut hints {
        for row in &mut h.rows {
            for v in &mut row.variants {
                v.time = times
                    .get(&format!("{}/{}/{}", h.id, v.name, row.param))
                    .cloned();
            }
        }
    }
    for (id, e) in &errors {
        eprintln!("perf-hints: no time for {id}: {e}");
    }
    let mut command = String::from("cargo bench");
    let features = perf_hints::hints::features_on();
    if !features.is_empty() {
        command.push_str(&format!(" --features {}", features.join(",")));
    }
    if let Some(f) = &filter {
        command.push_str(&format!(" -- {f}"));
    }
    if quick {
        command.insert_str(0, "PERF_HINTS_QUICK=1 ");
    }
    if record {
        command.insert_str(0, "PERF_HINTS_RECORD=1 ");
    }
    let run = Run {
        schema: model::SCHEMA,
        started: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command,
        filter,
        quick,
        seconds: clock.elapsed().as_secs_f64(),
        machine: perf_hints::measure::machine::detect(),
        hints,
    };
    let table = table::render(&run, "cargo bench");
    println!("\n{table}");
    let out_dir = target.join("perf-hints");
    let saved = results::write_atomic(&out_dir.join("table.md"), &table).and_then(|()| {
        let json = serde_json::to_string_pretty(&run).map_err(|e| e.to_string())?;
        results::write_atomic(&out_dir.join("last-run.json"), &json)
    });
    match saved {
        Ok(()) => println!("Table saved to {}", out_dir.join("table.md").display()),
        Err(e) => eprintln!("perf-hints: {e}"),
    }
    if record {
        // A run that left a benchmark of the list without a time of this run
        // (filtered in effect) is refused there, naming them.
        match results::record(&run) {
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
