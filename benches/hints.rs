//! The one bench target: every hint of the list as criterion benchmarks,
//! then the before/after table for the hints that ran.
//!
//! `cargo bench` runs everything; `cargo bench -- with_capacity/` runs one hint.
//!
//! How a speedup is measured (`perf_hints::measure::paired`): there is one
//! criterion benchmark per variant other than `bad`, with id
//! `hint/variant/size`, and each of its samples times `bad` and that variant
//! back to back, in an order that alternates from sample to sample (ABBA).
//! Criterion drives the warm-up and the samples and prints the pair's time
//! (one call of each); the table takes each sample's two arms. The whole set
//! runs in five fresh processes (`PERF_HINTS_PROCESSES` changes how many),
//! one after the other; a speedup is the median across them, with an
//! interval from their spread. The benchmarks whose interval then crosses a
//! line a verdict is drawn at (the run's margin either side of 1) are
//! measured in ten more processes (`PERF_HINTS_CONFIRM` changes how many),
//! and the figures are taken over all of them.
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
//! `results/` as a new record; `PERF_HINTS_PROCESSES=n` measures in `n`
//! processes; `PERF_HINTS_CONFIRM=n` confirms in `n` more (0: none);
//! `PERF_HINTS_VERBOSE=1` shows criterion's own lines.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use perf_hints::hint::{NoProbe, check_agreement};
use perf_hints::measure::paired::{self, Sample};
use perf_hints::model::{self, Estimate, HintRun, Method, Noise, Param, Run};
use perf_hints::publish::{compare, records as results, table};
use perf_hints::{EachHint, Hint, Variants};

/// Criterion's warm-up and measurement for every paired benchmark (each
/// sample runs both arms, so the wall time of a benchmark is about their
/// sum), and the samples it takes.
const WARM_UP: Duration = Duration::from_millis(20);
const MEASUREMENT: Duration = Duration::from_millis(80);
const SAMPLES: usize = 10;
/// The same in quick mode (`PERF_HINTS_QUICK=1`).
const QUICK_WARM_UP: Duration = Duration::from_millis(10);
const QUICK_MEASUREMENT: Duration = Duration::from_millis(50);

/// How many fresh processes measure a full run.
const PROCESSES: u32 = 5;
/// How many more measure the benchmarks whose interval crosses a margin line.
const CONFIRM: u32 = 10;

/// The hint whose `bad` and `good` are the same code: its spread is the
/// instrument's noise floor, and the verdicts' margin follows from it.
const CONTROL: &str = "aa_control";

/// What one process measured: the sizes that ran and each benchmark's samples.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Measured {
    /// Hints that ran, with the keys of the sizes that ran.
    ran: Vec<(String, Vec<String>)>,
    /// Each paired benchmark's (`hint/variant/size`) measurement samples.
    samples: BTreeMap<String, Vec<Sample>>,
    seconds: f64,
}

/// The one progress line: which process, which benchmark of how many, and
/// the time left.
struct Progress {
    /// This process's number and how many there are.
    process: (u32, u32),
    /// Paired benchmarks in one process; `None` when a filter makes it unknown.
    planned: Option<usize>,
    done: Cell<usize>,
    /// Seconds the earlier processes took, each.
    earlier: Vec<f64>,
    clock: Instant,
    terminal: bool,
}

impl Progress {
    fn time_left(&self) -> Option<f64> {
        let (k, n) = self.process;
        let elapsed = self.clock.elapsed().as_secs_f64();
        let later = f64::from(n - k);
        let done = self.done.get();
        let this_left = match self.planned {
            Some(p) if done > 0 => elapsed / done as f64 * p.saturating_sub(done) as f64,
            _ if !self.earlier.is_empty() => {
                let avg = self.earlier.iter().sum::<f64>() / self.earlier.len() as f64;
                (avg - elapsed).max(0.0)
            }
            _ => return None,
        };
        let per_process = if self.earlier.is_empty() {
            match self.planned {
                Some(p) if done > 0 => elapsed / done as f64 * p as f64,
                _ => return Some(this_left),
            }
        } else {
            self.earlier.iter().sum::<f64>() / self.earlier.len() as f64
        };
        Some(this_left + later * per_process)
    }

    fn show(&self, what: &str) {
        let (k, n) = self.process;
        let mut line = String::from("perf-hints:");
        if n > 1 {
            line.push_str(&format!(" process {k} of {n},"));
        }
        match self.planned {
            Some(p) => line.push_str(&format!(" {} of {p}", (self.done.get() + 1).min(p))),
            None => line.push_str(&format!(" benchmark {}", self.done.get() + 1)),
        }
        if let Some(left) = self.time_left() {
            if left >= 90.0 {
                line.push_str(&format!(", about {:.0} min left", left / 60.0));
            } else {
                line.push_str(&format!(", about {left:.0} s left"));
            }
        }
        line.push_str(&format!(": {what}"));
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
        } else {
            let _ = writeln!(err, "{line}");
        }
    }

    /// Ends the updating line before other output.
    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

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
    progress: &'p Progress,
    /// Each paired benchmark that ran, with its samples (the warm-up's too).
    ran: Vec<(&'static str, Vec<Sample>)>,
}

impl<H: Hint> Variants<H> for Register<'_, '_, '_, H> {
    type Probe = NoProbe;
    fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
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
                    progress.show(&what);
                }
                let i = input.get_or_init(build);
                let other = |i: &H::Input| f(i, &NoProbe);
                b.iter_custom(|iters| {
                    let (bad, other) =
                        paired::time_against_bad::<H>(i, &other, iters, flip.replace(!flip.get()));
                    samples.borrow_mut().push(Sample {
                        iters,
                        bad_ns: bad.as_nanos() as f64,
                        other_ns: other.as_nanos() as f64,
                    });
                    bad + other
                })
            });
        if called.get() {
            self.progress.done.set(self.progress.done.get() + 1);
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
        for &size in H::sizes() {
            let key = size.key();
            let progress = &self.progress;
            let build = || {
                progress.show(&format!(
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
                progress: &self.progress,
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

/// Deterministic counts from the `perf-hints` binary, which has the counting allocator.
fn counts(ran: &[(String, Vec<String>)]) -> Result<Vec<HintRun>, String> {
    let exe = env!("CARGO_BIN_EXE_perf-hints");
    let pairs: Vec<String> = ran
        .iter()
        .flat_map(|(id, sizes)| sizes.iter().map(move |s| format!("{id}:{s}")))
        .collect();
    eprintln!("perf-hints: counting allocations and instructions per call in a separate process");
    let out = Command::new(exe)
        .arg("counts")
        .args(&pairs)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {exe}: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{exe} counts` failed ({})", out.status));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("`{exe} counts` printed bad JSON: {e}"))
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

fn env_on(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v != "0")
}

/// Paired benchmarks of one unfiltered process.
fn planned() -> usize {
    perf_hints::hints::enabled()
        .map(|e| e.sizes().len() * e.variants().len().saturating_sub(1))
        .sum()
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

/// Which processes to start: numbered `first..first + count` of `total`,
/// each running criterion with `args`, and the benchmarks each will time
/// when a filter makes the count differ from a full process's.
struct Batch {
    first: u32,
    count: u32,
    total: u32,
    args: Vec<std::ffi::OsString>,
    planned: Option<usize>,
}

/// Measures in fresh processes, one after the other: this binary again,
/// each writing what it measured to a file.
fn measure_in_processes(
    batch: &Batch,
    dir: &Path,
    terminal: bool,
) -> Result<Vec<Measured>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this bench binary: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let verbose = env_on("PERF_HINTS_VERBOSE");
    let mut done: Vec<Measured> = Vec::new();
    let n = batch.total;
    for k in batch.first..batch.first + batch.count {
        let out = dir.join(format!("process-{k}.json"));
        let _ = std::fs::remove_file(&out);
        let earlier: Vec<String> = done.iter().map(|m| format!("{:.3}", m.seconds)).collect();
        let mut child = Command::new(&exe);
        child
            .args(&batch.args)
            .env("PERF_HINTS_PROCESS", format!("{k}/{n}"))
            .env("PERF_HINTS_PROCESS_OUT", &out)
            .env("PERF_HINTS_EARLIER", earlier.join(","));
        if let Some(p) = batch.planned {
            child.env("PERF_HINTS_PLANNED", p.to_string());
        }
        let mut child = child
            .stdout(if verbose {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        // The child's progress lines become this terminal's one updating
        // line; criterion's own chatter is dropped unless verbose; anything
        // else (a panic, an error) passes through.
        let stderr = child.stderr.take().expect("piped");
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let Ok(line) = line else { break };
            let noise = line.is_empty()
                || line.starts_with("Benchmarking ")
                || line.starts_with("Warning: Unable to complete");
            if line.starts_with("perf-hints: ") && terminal {
                eprint!("\r\x1b[2K{line}");
            } else if verbose || !noise {
                if terminal {
                    eprint!("\r\x1b[2K");
                }
                eprintln!("{line}");
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for {}: {e}", exe.display()))?;
        if !status.success() {
            return Err(format!("measuring process {k} of {n} failed ({status})"));
        }
        let text = std::fs::read_to_string(&out).map_err(|e| {
            format!(
                "process {k} of {n} left no results in {}: {e}",
                out.display()
            )
        })?;
        done.push(
            serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a process's results: {e}", out.display()))?,
        );
    }
    Ok(done)
}

/// The full processes, then more processes for the benchmarks whose
/// interval crosses a margin line in what the full ones measured
/// ([`paired::needs_confirming`]): a speedup near a line a verdict is drawn
/// at gets the processes that settle which side it is on, and one far from
/// every line does not spend them.
fn measure_and_confirm(
    processes: u32,
    confirm: u32,
    dir: &Path,
    terminal: bool,
) -> Result<(Vec<Measured>, u32), String> {
    let full = Batch {
        first: 1,
        count: processes,
        total: processes,
        args: std::env::args_os().skip(1).collect(),
        planned: None,
    };
    let mut measured = measure_in_processes(&full, dir, terminal)?;
    if confirm == 0 {
        return Ok((measured, processes));
    }
    let hints = combine(&measured);
    let margin = noise(&hints).map_or(model::DEFAULT_MARGIN, |n| n.margin);
    let close: Vec<String> = hints
        .iter()
        .flat_map(|h| {
            h.rows.iter().flat_map(move |r| {
                r.variants.iter().skip(1).filter_map(move |v| {
                    let s = v.speedup?;
                    paired::needs_confirming(&s, margin)
                        .then(|| format!("{}/{}/{}", h.id, v.name, r.param))
                })
            })
        })
        .collect();
    if close.is_empty() {
        return Ok((measured, processes));
    }
    if terminal {
        eprint!("\r\x1b[2K");
    }
    eprintln!(
        "perf-hints: {} benchmarks have an interval across the ±{:.0} % margin; measuring them in {confirm} more processes",
        close.len(),
        margin * 100.0
    );
    let ids: Vec<String> = close.iter().map(|id| regex::escape(id)).collect();
    let more = Batch {
        first: processes + 1,
        count: confirm,
        total: processes + confirm,
        args: vec!["--bench".into(), format!("^(?:{})$", ids.join("|")).into()],
        planned: Some(close.len()),
    };
    measured.extend(measure_in_processes(&more, dir, terminal)?);
    Ok((measured, processes))
}

/// The rows of every hint that ran, from the processes' samples: times per
/// call and paired speedups, with intervals across processes.
fn combine(processes: &[Measured]) -> Vec<HintRun> {
    let Some(first) = processes.first() else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for (id, sizes) in &first.ran {
        let Some(entry) = perf_hints::hints::get(id) else {
            continue;
        };
        let names = entry.variants();
        let rows = sizes
            .iter()
            .map(|key| {
                let samples = |name: &str| -> Vec<&Vec<Sample>> {
                    processes
                        .iter()
                        .filter_map(|p| p.samples.get(&format!("{id}/{name}/{key}")))
                        .collect()
                };
                let mut variants = Vec::new();
                // `bad` is timed in every pair of its row.
                let bad: Vec<_> = (0..processes.len())
                    .filter_map(|k| {
                        let all: Vec<Sample> = names
                            .iter()
                            .skip(1)
                            .filter_map(|n| processes[k].samples.get(&format!("{id}/{n}/{key}")))
                            .flatten()
                            .copied()
                            .collect();
                        paired::time(&all, true)
                    })
                    .collect();
                variants.push(model::VariantFigures {
                    name: names[0].to_string(),
                    time: paired::across(&bad),
                    ..Default::default()
                });
                for name in names.iter().skip(1) {
                    let per: Vec<&Vec<Sample>> = samples(name);
                    let times: Vec<_> = per.iter().filter_map(|s| paired::time(s, false)).collect();
                    let speedups: Vec<_> = per.iter().filter_map(|s| paired::speedup(s)).collect();
                    variants.push(model::VariantFigures {
                        name: name.to_string(),
                        time: paired::across(&times),
                        speedup: paired::across(&speedups),
                        replicas: speedups.iter().map(|w| w.point()).collect(),
                        ..Default::default()
                    });
                }
                model::Row::new(key.clone(), variants)
            })
            .collect();
        hints.push(HintRun {
            id: id.clone(),
            size_label: String::new(),
            claim: String::new(),
            layout: Vec::new(),
            rows,
        });
    }
    hints
}

/// Copies the timed figures into the counted rows (or the counted figures
/// into the timed rows when counting failed).
fn merge(timed: Vec<HintRun>, counted: Result<Vec<HintRun>, String>) -> Vec<HintRun> {
    let mut counted = match counted {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "perf-hints: {e}; the table has no counts. Rebuild with `cargo bench` and retry."
            );
            return timed;
        }
    };
    for h in &mut counted {
        let Some(t) = timed.iter().find(|t| t.id == h.id) else {
            continue;
        };
        for row in &mut h.rows {
            let Some(tr) = t.rows.iter().find(|r| r.param == row.param) else {
                continue;
            };
            for v in &mut row.variants {
                if let Some(tv) = tr.variant(&v.name) {
                    v.time = tv.time;
                    v.speedup = tv.speedup;
                    v.replicas = tv.replicas.clone();
                }
            }
        }
    }
    counted
}

/// The A/A control's noise, where the run has its rows.
fn noise(hints: &[HintRun]) -> Option<Noise> {
    let control = hints.iter().find(|h| h.id == CONTROL)?;
    let intervals: Vec<Estimate> = control
        .rows
        .iter()
        .filter_map(|r| r.speedup("good"))
        .collect();
    Noise::from_control(CONTROL, &intervals)
}

fn main() -> ExitCode {
    let started_at = chrono::Utc::now();
    let clock = Instant::now();
    // Criterion parses its own command line; these are for choosing how to run.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    let filter = args.iter().find(|a| !a.starts_with('-')).cloned();
    // Criterion's rule: without `--bench` (as `cargo test --benches` runs
    // it), or with `--test`, each benchmark runs once as a test.
    let measuring = has("--bench") && !has("--test") && !has("--list") && !has("--profile-time");
    let quick = env_on("PERF_HINTS_QUICK");
    let record = env_on("PERF_HINTS_RECORD");
    let child = std::env::var("PERF_HINTS_PROCESS").ok();
    let processes: u32 = match std::env::var("PERF_HINTS_PROCESSES") {
        Ok(v) => match v.parse() {
            Ok(n) if n >= 1 => n,
            _ => {
                eprintln!(
                    "perf-hints: PERF_HINTS_PROCESSES={v:?} is not a number of processes (1 or more)"
                );
                return ExitCode::FAILURE;
            }
        },
        Err(_) if quick => 1,
        Err(_) => PROCESSES,
    };
    let confirm: u32 = match std::env::var("PERF_HINTS_CONFIRM") {
        Ok(v) => match v.parse() {
            Ok(n) => n,
            _ => {
                eprintln!(
                    "perf-hints: PERF_HINTS_CONFIRM={v:?} is not a number of processes (0 or more)"
                );
                return ExitCode::FAILURE;
            }
        },
        Err(_) => CONFIRM,
    };
    let refuse = |why: &str| {
        eprintln!(
            "perf-hints: refusing to record {why}; nothing under results/ was touched. Run `{}` alone.",
            results::RECORD_COMMAND
        );
        ExitCode::FAILURE
    };
    // Refused now rather than after the run: `results::record` refuses both.
    if record && child.is_none() {
        if filter.is_some() || quick {
            return refuse("a filtered or quick run");
        }
        if !measuring {
            return refuse("a test-mode, list or profile run");
        }
    }
    // The target directory this bench was built in: CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf();
    let out_dir = target.join("perf-hints");
    let terminal = std::io::stderr().is_terminal();

    let (measured, full) = if let Some(me) = &child {
        // One of the measuring processes: measure, write, exit.
        let (k, n) = me
            .split_once('/')
            .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)))
            .unwrap_or((1, 1));
        let earlier = std::env::var("PERF_HINTS_EARLIER")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let progress = Progress {
            process: (k, n),
            planned: std::env::var("PERF_HINTS_PLANNED")
                .ok()
                .and_then(|p| p.parse().ok())
                .or(filter.is_none().then(planned)),
            done: Cell::new(0),
            earlier,
            clock: Instant::now(),
            terminal,
        };
        let mut c = criterion(&target, quick);
        let m = measure(&mut c, quick, progress);
        let out =
            PathBuf::from(std::env::var_os("PERF_HINTS_PROCESS_OUT").expect("set by the parent"));
        let json = serde_json::to_string(&m).expect("plain data serialises");
        return match results::write_atomic(&out, &json) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("perf-hints: {e}");
                ExitCode::FAILURE
            }
        };
    } else if measuring && processes > 1 {
        let measured = measure_and_confirm(processes, confirm, &out_dir, terminal);
        if terminal {
            eprintln!();
        }
        match measured {
            Ok(m) => m,
            Err(e) => {
                eprintln!("perf-hints: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let progress = Progress {
            process: (1, 1),
            planned: (measuring && filter.is_none()).then(planned),
            done: Cell::new(0),
            earlier: Vec::new(),
            clock: Instant::now(),
            terminal: terminal && measuring,
        };
        let mut c = criterion(&target, quick);
        let m = measure(&mut c, quick, progress);
        c.final_summary();
        (vec![m], 1)
    };

    for (id, feature) in perf_hints::hints::disabled() {
        let named =
            |f: &String| f.contains(id) || regex::Regex::new(f).is_ok_and(|r| r.is_match(id));
        if filter.as_ref().is_none_or(named) {
            eprintln!("perf-hints: {id} skipped: it needs `cargo bench --features {feature}`");
        }
    }
    if measured.iter().all(|m| m.ran.is_empty()) {
        if has("--list") || has("--load-baseline") {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "perf-hints: no benchmark matches the filter {:?}; ids are hint/variant/size for every \
             variant but `bad` (each is timed paired with `bad`), and `cargo run --release -- list` \
             shows the hints",
            filter.as_deref().unwrap_or("")
        );
        return ExitCode::FAILURE;
    }
    if !measuring {
        // Test mode ran every selected benchmark once: nothing was measured.
        return ExitCode::SUCCESS;
    }

    let timed = combine(&measured);
    let ran = &measured[0].ran;
    // The seeds' cost table, in this process (it has no counting allocator
    // either), after the timing processes and before the counts; a
    // filtered run is about some hints only and skips it.
    let costs = if filter.is_none() {
        let budget = if quick {
            perf_hints::costs::Budget::QUICK
        } else {
            perf_hints::costs::Budget::FULL
        };
        let clock = Instant::now();
        let rows = perf_hints::costs::measure(&budget, &mut |id| {
            if terminal {
                eprint!("\r\x1b[2Kperf-hints: the seeds' cost table: {id}");
            } else {
                eprintln!("perf-hints: the seeds' cost table: {id}");
            }
        });
        if terminal {
            eprintln!();
        }
        eprintln!(
            "perf-hints: the seeds' cost table: {} rows in {:.0} s",
            rows.len(),
            clock.elapsed().as_secs_f64()
        );
        rows
    } else {
        Vec::new()
    };
    let hints = merge(timed, counts(ran));
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
    let n = full;
    let confirmed = match measured.get(n as usize) {
        Some(m) => format!(
            "; the {} benchmarks whose interval crossed a margin line were measured in {} more",
            m.samples.len(),
            measured.len() - n as usize
        ),
        None => String::new(),
    };
    let run = Run {
        schema: model::SCHEMA,
        started: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command,
        filter,
        quick,
        seconds: clock.elapsed().as_secs_f64(),
        machine: perf_hints::measure::machine::detect(),
        method: Some(Method {
            processes: n,
            text: format!(
                "paired: each sample times bad and the variant back to back, in alternating \
                 order; {SAMPLES} samples per benchmark, in {n} fresh process{}, the median \
                 across them with an interval from their spread{confirmed}",
                if n == 1 { "" } else { "es" }
            ),
        }),
        noise: noise(&hints),
        costs,
        origin: None,
        hints,
    };
    let table = table::render(&run, "cargo bench");
    println!("\n{table}");
    let saved = results::write_atomic(&out_dir.join("table.md"), &table).and_then(|()| {
        let json = serde_json::to_string_pretty(&run).map_err(|e| e.to_string())?;
        results::write_atomic(&out_dir.join("last-run.json"), &json)
    });
    match saved {
        Ok(()) => println!("Table saved to {}", out_dir.join("table.md").display()),
        Err(e) => eprintln!("perf-hints: {e}"),
    }
    let time_line = measured
        .iter()
        .map(|m| format!("{:.0} s", m.seconds))
        .collect::<Vec<_>>()
        .join(" + ");
    let more = measured.len() - n as usize;
    println!(
        "Measured in {} process{}{} ({time_line}), {:.0} s in all.",
        n,
        if n == 1 { "" } else { "es" },
        if more > 0 {
            format!(" and {more} confirming ones")
        } else {
            String::new()
        },
        run.seconds
    );
    if let Some(line) = against_published(&run, record) {
        println!("\n{line}");
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
