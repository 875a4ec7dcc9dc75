//! The one bench target: every hint of the list as criterion benchmarks with
//! ids `hint_id/variant/size`, then the before/after table for the hints that ran.
//!
//! `cargo bench` runs everything; `cargo bench -- with_capacity/` runs one hint.
//! Before any timing, each size's input is built once and every variant's
//! output is checked against `bad`'s. After the timings, the allocation counts
//! come from a separate process (`perf-hints counts`), which has the counting
//! allocator that this binary deliberately lacks.
//!
//! Environment: `PERF_HINTS_QUICK=1` shortens every measurement (smoke runs);
//! `PERF_HINTS_RECORD=1` saves a full run under `results/` as a new record.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion};
use perf_hints::hint::NoProbe;
use perf_hints::hint::{check_agreement, variant_names};
use perf_hints::model::Param;
use perf_hints::model::{self, Estimate, HintRun, Run};
use perf_hints::publish::{records as results, table};
use perf_hints::{EachHint, Hint, Variants};

/// What this process was asked to do, read from the arguments criterion also reads.
struct Args {
    filter: Option<String>,
    regex: Option<regex::Regex>,
    exact: bool,
    /// `cargo bench` without `--test`, `--list` or `--profile-time`.
    measuring: bool,
}

impl Args {
    fn parse() -> Result<Args, String> {
        // Options of criterion's command line that take a value.
        const VALUED: &[&str] = &[
            "--color",
            "-c",
            "--save-baseline",
            "-s",
            "--baseline",
            "-b",
            "--baseline-lenient",
            "--format",
            "--profile-time",
            "--load-baseline",
            "--sample-size",
            "--warm-up-time",
            "--measurement-time",
            "--nresamples",
            "--noise-threshold",
            "--confidence-level",
            "--significance-level",
            "--plotting-backend",
            "--output-format",
        ];
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut filter = None;
        let mut skip = false;
        for a in &args {
            if skip {
                skip = false;
            } else if VALUED.contains(&a.as_str()) {
                skip = true;
            } else if !a.starts_with('-') && filter.is_none() {
                filter = Some(a.clone());
            }
        }
        let has = |f: &str| args.iter().any(|a| a == f);
        let regex = match &filter {
            Some(f) if !has("--exact") => Some(
                regex::Regex::new(f)
                    .map_err(|e| format!("filter {f:?} is not a regular expression: {e}"))?,
            ),
            _ => None,
        };
        Ok(Args {
            exact: has("--exact"),
            measuring: has("--bench")
                && !has("--test")
                && !has("--list")
                && !args.iter().any(|a| a.starts_with("--profile-time")),
            filter,
            regex,
        })
    }

    fn matches(&self, id: &str) -> bool {
        match (&self.filter, &self.regex) {
            (None, _) => true,
            (Some(f), _) if self.exact => id == f,
            (_, Some(r)) => r.is_match(id),
            (Some(_), None) => false,
        }
    }
}

/// Registers one hint's benchmarks: agreement first, then one criterion
/// benchmark per variant and size.
struct Bench<'a> {
    c: &'a mut Criterion,
    args: &'a Args,
    quick: bool,
    /// Hints that ran, with the keys of the sizes that ran.
    ran: Vec<(&'static str, Vec<String>)>,
}

struct Register<'g, 'c, H: Hint> {
    group: &'g mut BenchmarkGroup<'c, WallTime>,
    input: &'g H::Input,
    /// The size's key.
    size: String,
    args: &'g Args,
}

impl<H: Hint> Variants<H> for Register<'_, '_, H> {
    type Probe = NoProbe;
    fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
        if !self
            .args
            .matches(&format!("{}/{name}/{}", H::ID, self.size))
        {
            return;
        }
        self.group
            .bench_with_input(BenchmarkId::new(name, &self.size), self.input, |b, i| {
                b.iter(|| f(black_box(i), &NoProbe))
            });
    }
}

impl EachHint for Bench<'_> {
    fn hint<H: Hint>(&mut self) {
        let names = variant_names::<H>();
        let sizes: Vec<H::Param> = H::sizes()
            .iter()
            .copied()
            .filter(|s| {
                names
                    .iter()
                    .any(|n| self.args.matches(&format!("{}/{n}/{}", H::ID, s.key())))
            })
            .collect();
        if sizes.is_empty() {
            return;
        }
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
        for &size in &sizes {
            eprintln!(
                "perf-hints: [{} of {}] {} {}: building the input and checking that the variants agree",
                self.ran.len() + 1,
                perf_hints::hints::IDS.len(),
                H::ID,
                size.label()
            );
            let input = H::input(size);
            if let Err(e) = check_agreement::<H>(size, &input) {
                panic!("variants disagree, so there is nothing fair to time: {e}");
            }
            H::variants(&mut Register::<H> {
                group: &mut group,
                input: &input,
                size: size.key(),
                args: self.args,
            });
        }
        group.finish();
        self.ran
            .push((H::ID, sizes.iter().map(Param::key).collect()));
    }
}

/// Where criterion writes, chosen the way criterion itself would.
fn criterion_dir(target: &Path) -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"))
}

/// Reads criterion's estimate for one benchmark: the slope where criterion
/// fitted one, otherwise the mean.
fn estimate(dir: &Path, id: &str, variant: &str, size: &str) -> Result<Estimate, String> {
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
    let path = dir
        .join(id)
        .join(variant)
        .join(size)
        .join("new")
        .join("estimates.json");
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
    let args = match Args::parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("perf-hints: {e}");
            return ExitCode::FAILURE;
        }
    };
    let quick = std::env::var_os("PERF_HINTS_QUICK").is_some_and(|v| v != "0");
    let record = std::env::var_os("PERF_HINTS_RECORD").is_some_and(|v| v != "0");
    if record && (args.filter.is_some() || quick || !args.measuring) {
        eprintln!(
            "perf-hints: refusing to record a filtered, quick or test-mode run; \
             nothing under results/ was touched. Run `{}` alone.",
            results::RECORD_COMMAND
        );
        return ExitCode::FAILURE;
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
        args: &args,
        quick,
        ran: Vec::new(),
    };
    perf_hints::hints::for_each(&mut bench);
    let ran = std::mem::take(&mut bench.ran);
    for (id, feature) in perf_hints::hints::disabled() {
        if args.filter.as_deref().is_none_or(|f| f.contains(id)) || args.matches(id) {
            eprintln!("perf-hints: {id} skipped: it needs `cargo bench --features {feature}`");
        }
    }
    c.final_summary();
    if ran.is_empty() {
        eprintln!(
            "perf-hints: no benchmark matches the filter {:?}; ids are hint/variant/size, \
             and `cargo run --release -- list` shows the hints",
            args.filter.as_deref().unwrap_or("")
        );
        return ExitCode::FAILURE;
    }
    if !args.measuring {
        return ExitCode::SUCCESS;
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
    let mut errors = BTreeMap::new();
    for h in &mut hints {
        for row in &mut h.rows {
            for v in &mut row.variants {
                match estimate(&crit_dir, &h.id, &v.name, &row.param) {
                    Ok(e) if args.matches(&format!("{}/{}/{}", h.id, v.name, row.param)) => {
                        v.time = Some(e)
                    }
                    Ok(_) => {}
                    Err(e) => {
                        errors.insert(format!("{}/{}/{}", h.id, v.name, row.param), e);
                    }
                }
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
    if let Some(f) = &args.filter {
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
        filter: args.filter.clone(),
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
