//! Instruction counts, and simulated cache misses, under valgrind's callgrind.
//!
//! `perf-hints exec ID VARIANT SIZE` builds the input and calls the variant
//! once inside [`perf_hints_measured_call`]; callgrind is started with
//! collection off and `--toggle-collect` on that function, so the count
//! covers exactly one call (output drop included) and nothing of the setup.
//! Counts are the same from run to run for the same binary and inputs. The
//! cache geometry is fixed below rather than read from the host, so cache
//! figures are the same on every machine too. Hints about branches
//! (`Hint::BRANCH_SIM`) also run callgrind's branch predictor simulation
//! (`--branch-sim=yes`: a table of 2-bit counters for conditional branches,
//! the last target for indirect ones), whose mispredictions repeat exactly
//! as well.
//!
//! valgrind runs a program's threads one at a time; the hints whose work
//! depends on thread timing (`Hint::DETERMINISTIC == false`) are not counted.

use std::path::{Path, PathBuf};
use std::process::Command;

pub use crate::model::CallgrindCounts;

use crate::hint::{Hint, NoProbe, Variants};

/// Simulated caches: 32 KiB 8-way L1s and an 8 MiB 16-way last level, 64-byte lines.
pub const CACHE_ARGS: [&str; 3] = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"];

/// The one function callgrind collects in.
#[inline(never)]
pub fn perf_hints_measured_call<R, F: FnOnce() -> R>(f: F) {
    drop(std::hint::black_box(f()));
}

/// Runs variant `variant` of hint `H` once at `size`, for callgrind to count.
pub fn exec<H: Hint>(variant: &str, size: H::Param) -> Result<(), String> {
    call_or_locate::<H>(variant, size, false).map(drop)
}

/// The address, in this process, of the copy of
/// [`perf_hints_measured_call`] that [`exec`] runs for `variant` of `H`:
/// the variant's code inlined into one function, which callgrind counts.
/// Builds `H`'s smallest input (the closure holds a reference to it) and
/// calls nothing.
pub fn locate<H: Hint>(variant: &str) -> Result<usize, String> {
    let size = *H::sizes()
        .first()
        .ok_or_else(|| format!("hint {} has no sizes", H::ID))?;
    call_or_locate::<H>(variant, size, true).map(|at| at.unwrap_or_default())
}

/// [`exec`], or with `locate` only the address of the function it would
/// call: the same closure type either way, so the same monomorphised copy.
fn call_or_locate<H: Hint>(
    variant: &str,
    size: H::Param,
    locate: bool,
) -> Result<Option<usize>, String> {
    fn address<R, F: FnOnce() -> R>(_: &F) -> usize {
        perf_hints_measured_call::<R, F> as fn(F) as usize
    }
    struct Run<'a, H: Hint> {
        input: &'a H::Input,
        variant: &'a str,
        locate: bool,
        found: Option<Option<usize>>,
    }
    impl<H: Hint> Variants<H> for Run<'_, H> {
        type Probe = NoProbe;
        fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
            if name == self.variant {
                let input = std::hint::black_box(self.input);
                let call = || f(input, &NoProbe);
                if self.locate {
                    self.found = Some(Some(address(&call)));
                } else {
                    perf_hints_measured_call(call);
                    self.found = Some(None);
                }
            }
        }
    }
    let input = (H::INPUT)(size);
    let mut run = Run::<H> {
        input: &input,
        variant,
        locate,
        found: None,
    };
    H::variants(&mut run);
    run.found.ok_or_else(|| {
        format!(
            "hint {} has no variant {variant:?}; it has {}",
            H::ID,
            crate::hint::variant_names::<H>().join(", ")
        )
    })
}

/// Whether `valgrind` can be run.
pub fn available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One callgrind job: which binary, which calls (every variant of a hint
/// at one size), where to write.
pub struct Job {
    pub id: &'static str,
    pub variants: Vec<&'static str>,
    /// The size's key.
    pub size: String,
    pub cache_sim: bool,
    pub branch_sim: bool,
}

/// Calls `call` for each of `items` in a child process forked from this
/// one, one after the other, and returns the children's pids in order; an
/// error names the item whose child failed. The children start from the
/// same state of this process (its heap included: nothing here allocates
/// between the forks), so under callgrind each call is counted as if it ran
/// first, and valgrind starts once for all of them (a start costs about a
/// third of a second, more than most calls take to count).
#[cfg(unix)]
pub fn fork_each<T: std::fmt::Display>(
    items: &[T],
    call: impl Fn(&T) -> Result<(), String>,
) -> Result<Vec<i32>, String> {
    let mut pids = Vec::with_capacity(items.len());
    for item in items {
        // SAFETY: this process runs no other thread (exec is called before
        // anything spawns one), so the child may run arbitrary code; it
        // leaves through `exit`, never back into the caller.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(format!(
                "cannot fork for {item}: {}",
                std::io::Error::last_os_error()
            ));
        }
        if pid == 0 {
            let code = match call(item) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("perf-hints: {e}");
                    1
                }
            };
            std::process::exit(code);
        }
        let mut status = 0;
        // SAFETY: waits for the child just forked; `status` is a valid out-pointer.
        if unsafe { libc::waitpid(pid, &mut status, 0) } != pid
            || !libc::WIFEXITED(status)
            || libc::WEXITSTATUS(status) != 0
        {
            return Err(format!(
                "the child process for {item} failed (status {status})"
            ));
        }
        pids.push(pid);
    }
    Ok(pids)
}

/// Without `fork`, one call at a time is all `exec` can do.
#[cfg(not(unix))]
pub fn fork_each<T: std::fmt::Display>(
    _items: &[T],
    _call: impl Fn(&T) -> Result<(), String>,
) -> Result<Vec<i32>, String> {
    Err("several variants in one `exec` need fork (a Unix system)".into())
}

/// Counts one job by running `exe exec ID V1,V2,... SIZE` under callgrind,
/// writing one output per forked call under `dir`; counts in the order of
/// `job.variants`.
pub fn count(exe: &Path, dir: &Path, job: &Job) -> Result<Vec<CallgrindCounts>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = |pid: &str| -> PathBuf { dir.join(format!("{}.{}.{pid}.out", job.id, job.size)) };
    let mut cmd = Command::new("valgrind");
    cmd.arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out("%p").display()))
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=*perf_hints_measured_call*");
    if job.cache_sim {
        cmd.arg("--cache-sim=yes").args(CACHE_ARGS);
    }
    if job.branch_sim {
        cmd.arg("--branch-sim=yes");
    }
    // Always the forking form, even for one variant, so that every count
    // is of a forked child.
    let variants = format!("{},", job.variants.join(","));
    cmd.arg(exe)
        .arg("exec")
        .arg(job.id)
        .arg(&variants)
        .arg(&job.size);
    let what = format!("{}/{}/{}", job.id, job.variants.join(","), job.size);
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: cannot run valgrind: {e}"))?;
    // valgrind runs the program in its own process: this pid is the parent's.
    let parent = child.id().to_string();
    let result = child
        .wait_with_output()
        .map_err(|e| format!("{what}: cannot wait for valgrind: {e}"))?;
    // The parent's own output (nothing collected) is not needed.
    let _ = std::fs::remove_file(out(&parent));
    if !result.status.success() {
        return Err(format!(
            "{what}: valgrind failed ({}):\n{}",
            result.status,
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&result.stdout);
    let pids: Vec<&str> = stdout.split_whitespace().collect();
    if pids.len() != job.variants.len() {
        return Err(format!(
            "{what}: expected {} child pids from exec, got {stdout:?}",
            job.variants.len()
        ));
    }
    pids.iter()
        .zip(&job.variants)
        .map(|(pid, variant)| {
            // Kept as `ID.VARIANT.SIZE.out`, for `callgrind_annotate`.
            let kept = dir.join(format!("{}.{variant}.{}.out", job.id, job.size));
            std::fs::rename(out(pid), &kept)
                .map_err(|e| format!("{what}: cannot move {}: {e}", out(pid).display()))?;
            let text = std::fs::read_to_string(&kept)
                .map_err(|e| format!("{what}: cannot read {}: {e}", kept.display()))?;
            parse(&text).ok_or_else(|| format!("{what}: no totals in {}", kept.display()))
        })
        .collect()
}

/// Reads the `events:` and `summary:`/`totals:` lines of a callgrind output file.
pub fn parse(text: &str) -> Option<CallgrindCounts> {
    let events: Vec<&str> = text
        .lines()
        .find_map(|l| l.strip_prefix("events:"))?
        .split_whitespace()
        .collect();
    let totals: Vec<u64> = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })?
        .split_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let get = |name: &str| {
        events
            .iter()
            .position(|e| *e == name)
            .map(|i| totals.get(i).copied().unwrap_or(0))
    };
    let sum = |a: &str, b: &str| Some(get(a)? + get(b)?);
    Some(CallgrindCounts {
        instructions: get("Ir")?,
        d1_misses: sum("D1mr", "D1mw"),
        ll_misses: sum("DLmr", "DLmw"),
        mispredicts: sum("Bcm", "Bim"),
    })
}

/// Runs `jobs` on as many threads as the machine has cores; results in job order.
pub fn count_all(
    exe: &Path,
    dir: &Path,
    jobs: &[Job],
) -> Vec<Result<Vec<CallgrindCounts>, String>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    type Counted = Option<Result<Vec<CallgrindCounts>, String>>;
    let results: Mutex<Vec<Counted>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers.min(jobs.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    eprintln!(
                        "perf-hints: callgrind [{}/{}] {}/{}/{}",
                        i + 1,
                        jobs.len(),
                        job.id,
                        job.variants.join(","),
                        job.size
                    );
                    let r = count(exe, dir, job);
                    results.lock().expect("no worker panics holding it")[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panicked")
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}
