//! The measuring processes of a full run: which build each runs, in what
//! order, the one progress line, and what each hands back.
//!
//! A full run spreads its processes over the differently laid-out builds
//! of [`super::layouts`], one after the other and round-robin over the
//! builds (build 1, 2, ..., B, then 1 again), so that a drift of the
//! machine over the run falls on every build alike. Each process is a
//! fresh start of one build's binary, told by environment variables which
//! process it is and where to write what it measured ([`Measured`]); each
//! also gets an environment of a different size, which moves its initial
//! stack (Mytkowicz et al., "Producing wrong data without doing anything
//! obviously wrong!", 2009), so that stack alignment varies between
//! processes as code placement does between builds.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::layouts::Build;
use super::paired::Sample;

/// What one measuring process measured: the sizes that ran and each
/// paired benchmark's samples.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Measured {
    /// The layout seed of the build that measured it (0: cargo's own link).
    #[serde(default)]
    pub layout: u64,
    /// Hints that ran, with the keys of the sizes that ran.
    pub ran: Vec<(String, Vec<String>)>,
    /// Each paired benchmark's (`hint/variant/size`) measurement samples.
    pub samples: BTreeMap<String, Vec<Sample>>,
    pub seconds: f64,
}

/// The environment variables between a run and its measuring processes.
pub mod env {
    /// `k/n`: this is measuring process `k` of `n`.
    pub const PROCESS: &str = "PERF_HINTS_PROCESS";
    /// Where the process writes its [`super::Measured`] as JSON.
    pub const OUT: &str = "PERF_HINTS_PROCESS_OUT";
    /// Seconds the earlier processes took, comma-separated (for time left).
    pub const EARLIER: &str = "PERF_HINTS_EARLIER";
    /// Paired benchmarks the process will time, where a filter hides it.
    pub const PLANNED: &str = "PERF_HINTS_PLANNED";
    /// The layout seed of the build the process is.
    pub const LAYOUT: &str = "PERF_HINTS_LAYOUT";
    /// Padding whose length differs between processes (moves the stack).
    pub const PAD: &str = "PERF_HINTS_PAD";
}

/// One measuring process of a run's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// Its number, from 1, and how many processes the plan has.
    pub k: u32,
    pub n: u32,
    pub build: Build,
}

/// `per_build` processes on each of `builds`, numbered from `first`,
/// round-robin over the builds.
pub fn plan(builds: &[Build], per_build: u32, first: u32, total: u32) -> Vec<Slot> {
    let mut slots = Vec::new();
    for round in 0..per_build {
        for (b, build) in builds.iter().enumerate() {
            let k = first + round * builds.len() as u32 + b as u32;
            slots.push(Slot {
                k,
                n: total,
                build: build.clone(),
            });
        }
    }
    slots
}

/// The length of process `k`'s environment padding: between 0 and 4095
/// bytes, different for neighbouring processes.
pub fn pad_len(k: u32) -> usize {
    (k as usize * 1_031) % 4_096
}

/// The one progress line: which process, which benchmark of how many, and
/// the time left.
pub struct Progress {
    /// This process's number and how many there are.
    pub process: (u32, u32),
    /// Paired benchmarks in one process; `None` when a filter makes it unknown.
    pub planned: Option<usize>,
    pub done: usize,
    /// Seconds the earlier processes took, each.
    pub earlier: Vec<f64>,
    pub clock: Instant,
    /// Whether stderr is a terminal: one updating line, or a line each.
    pub terminal: bool,
}

impl Progress {
    /// A progress line for process `k` of `n`.
    pub fn new(process: (u32, u32), planned: Option<usize>, earlier: Vec<f64>) -> Progress {
        Progress {
            process,
            planned,
            done: 0,
            earlier,
            clock: Instant::now(),
            terminal: console::Term::stderr().is_term(),
        }
    }

    /// The progress line of a measuring process, from what its parent set.
    pub fn from_env(filtered: bool, unfiltered: usize) -> Progress {
        let (k, n) = std::env::var(env::PROCESS)
            .ok()
            .and_then(|me| {
                let (k, n) = me.split_once('/')?;
                Some((k.parse().ok()?, n.parse().ok()?))
            })
            .unwrap_or((1, 1));
        let earlier = std::env::var(env::EARLIER)
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let planned = std::env::var(env::PLANNED)
            .ok()
            .and_then(|p| p.parse().ok())
            .or((!filtered).then_some(unfiltered));
        Progress::new((k, n), planned, earlier)
    }

    /// Seconds left in the whole run, where the figures allow a guess.
    pub fn time_left(&self) -> Option<f64> {
        let (k, n) = self.process;
        let elapsed = self.clock.elapsed().as_secs_f64();
        let later = f64::from(n - k);
        let done = self.done;
        let average = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
        let this_left = match self.planned {
            Some(p) if done > 0 => elapsed / done as f64 * p.saturating_sub(done) as f64,
            _ if !self.earlier.is_empty() => (average(&self.earlier) - elapsed).max(0.0),
            _ => return None,
        };
        let per_process = if self.earlier.is_empty() {
            match self.planned {
                Some(p) if done > 0 => elapsed / done as f64 * p as f64,
                _ => return Some(this_left),
            }
        } else {
            average(&self.earlier)
        };
        Some(this_left + later * per_process)
    }

    /// The line, for `what` is being measured now.
    pub fn line(&self, what: &str) -> String {
        let (k, n) = self.process;
        let mut line = String::from("perf-hints:");
        if n > 1 {
            line.push_str(&format!(" process {k} of {n},"));
        }
        match self.planned {
            Some(p) => line.push_str(&format!(" {} of {p}", (self.done + 1).min(p))),
            None => line.push_str(&format!(" benchmark {}", self.done + 1)),
        }
        if let Some(left) = self.time_left() {
            if left >= 90.0 {
                line.push_str(&format!(", about {:.0} min left", left / 60.0));
            } else {
                line.push_str(&format!(", about {left:.0} s left"));
            }
        }
        line.push_str(&format!(": {what}"));
        line
    }

    /// Shows the line: in place on a terminal, as a line of its own otherwise.
    pub fn show(&self, what: &str) {
        let line = self.line(what);
        if self.terminal {
            overwrite(&line);
        } else {
            eprintln!("{line}");
        }
    }

    /// Ends the updating line before other output.
    pub fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

/// Replaces the terminal's current line on stderr with `line`, cut to the
/// terminal's width so it never wraps (a wrapped line would not be replaced).
fn overwrite(line: &str) {
    let term = console::Term::stderr();
    let width = term
        .size_checked()
        .map_or(100, |(_, cols)| usize::from(cols));
    let _ = term.clear_line();
    let _ = term.write_str(&console::truncate_str(line, width.saturating_sub(1), "…"));
    let _ = term.flush();
}

/// Clears the terminal's current line on stderr.
fn clear() {
    let _ = console::Term::stderr().clear_line();
}

/// Runs `slots` one after the other, each its build's binary with `args`,
/// writing under `dir`; returns what each measured, in order. `planned`:
/// the benchmarks each will time, where a filter hides it from them.
/// Criterion's own lines are dropped unless `verbose`; the processes'
/// progress lines become this terminal's one updating line.
pub fn run(
    slots: &[Slot],
    args: &[std::ffi::OsString],
    dir: &Path,
    planned: Option<usize>,
    verbose: bool,
) -> Result<Vec<Measured>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let terminal = console::Term::stderr().is_term();
    let mut done: Vec<Measured> = Vec::new();
    for slot in slots {
        let (k, n) = (slot.k, slot.n);
        let out: PathBuf = dir.join(format!("process-{k}.json"));
        let _ = std::fs::remove_file(&out);
        let earlier: Vec<String> = done.iter().map(|m| format!("{:.3}", m.seconds)).collect();
        let exe = &slot.build.exe;
        let mut child = Command::new(exe);
        child
            .args(args)
            .env(env::PROCESS, format!("{k}/{n}"))
            .env(env::OUT, &out)
            .env(env::EARLIER, earlier.join(","))
            .env(env::LAYOUT, slot.build.seed.to_string())
            .env(env::PAD, "x".repeat(pad_len(k)));
        if let Some(p) = planned {
            child.env(env::PLANNED, p.to_string());
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
        let stderr = child.stderr.take().expect("piped");
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let chatter = line.is_empty()
                || line.starts_with("Benchmarking ")
                || line.starts_with("Warning: Unable to complete");
            if line.starts_with("perf-hints: ") && terminal {
                overwrite(&line);
            } else if verbose || !chatter {
                if terminal {
                    clear();
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
        let mut m: Measured = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a process's results: {e}", out.display()))?;
        m.layout = slot.build.seed;
        done.push(m);
    }
    if terminal {
        clear();
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_go_round_robin_over_the_builds() {
        let b = |seed| Build {
            seed,
            exe: PathBuf::from(format!("/b/{seed}")),
        };
        let slots = plan(&[b(1), b(2), b(3)], 2, 1, 6);
        let seeds: Vec<u64> = slots.iter().map(|s| s.build.seed).collect();
        assert_eq!(seeds, vec![1, 2, 3, 1, 2, 3]);
        let ks: Vec<u32> = slots.iter().map(|s| s.k).collect();
        assert_eq!(ks, vec![1, 2, 3, 4, 5, 6]);
        assert!(slots.iter().all(|s| s.n == 6));
        let more = plan(&[b(4)], 2, 7, 8);
        assert_eq!(more.iter().map(|s| s.k).collect::<Vec<_>>(), vec![7, 8]);
    }

    #[test]
    fn neighbouring_processes_get_different_padding() {
        let pads: Vec<usize> = (1..=12).map(pad_len).collect();
        for w in pads.windows(2) {
            assert_ne!(w[0], w[1]);
        }
        assert!(pads.iter().all(|&p| p < 4_096));
    }

    #[test]
    fn time_left_counts_the_later_processes() {
        let mut p = Progress::new((2, 4), Some(10), vec![100.0]);
        p.done = 0;
        // Nothing done here yet: the earlier process's time, three times.
        let left = p.time_left().unwrap();
        assert!((left - 300.0).abs() < 1.0, "{left}");
        assert!(
            p.line("x")
                .starts_with("perf-hints: process 2 of 4, 1 of 10, about 5 min left")
        );
    }
}
