//! # Wait in tasks, not in a thread per wait (`async_vs_threads`)
//!
//! ## Cost model
//! Holding `N` waits open at once with one OS thread per wait pays, for
//! every wait, a thread's creation (a `clone` system call, a stack mapped
//! for it, its thread-local setup), its parking in the kernel while it
//! waits, its wake-up, its exit and the `join`: some microseconds each,
//! [`THREAD_US`] here, all of it kernel work. `N` tasks on a runtime whose
//! worker threads already exist pay a task's allocation, a queue push and a
//! poll instead: the sources' 200-500 ns per spawn ([`TASK_US`]; measured:
//! the `tokio task spawn` row of `results/costs.md`), with no
//! system call unless a worker is asleep. The runtime itself costs a fixed
//! amount per call, here waking a parked worker and being woken back
//! ([`RUNTIME_US`]), which one thread spawn roughly matches.
//!
//! The job: `N` waiters that all wait for one event and return a value
//! each. The event is the arrival of the last waiter (a barrier), so every
//! waiter is parked at the same moment: the job is exactly the cost of
//! holding `N` waits open (creating the waiter, parking it, waking it,
//! collecting its result) with no timer in the way. `bad` spawns an OS
//! thread per waiter (`std::thread::spawn`) and waits on a
//! `std::sync::Barrier`; `good` spawns a task per waiter on a tokio runtime
//! of two workers, built outside the timed code, and waits on a
//! `tokio::sync::Barrier`. Both collect the results in spawn order.
//!
//! ## The fix
//! For many concurrent waits (connections, requests to other services,
//! timers), spawn tasks on one runtime with a few worker threads and
//! `.await` the waits: the threads exist once, and a waiting task is a few
//! hundred bytes on the heap instead of a thread with its own stack and
//! kernel state. Spawning the runtime itself belongs at start-up, never in
//! the code that handles a request.
//!
//! ## When it does not help
//! With a handful of waits a thread each is about as cheap: the runtime's
//! fixed cost per call is about that of one thread, so at one waiter there
//! is little to save, and threads need no runtime, no `async` colouring of the
//! call stack and no care about blocking calls (see `blocking_in_async`).
//! When the work is CPU-bound rather than waiting, tasks add nothing over
//! a thread pool of the core count. A pool of threads reused across calls
//! (rayon, a fixed worker pool) removes the spawn cost too, but still needs
//! one parked thread per concurrent blocking wait.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: threads created per request: `ps -L` or a syscall profile with
//! `clone3` per request; this crate counts `threads spawned` in `cargo bench
//! -- async_vs_threads/`.
//!
//! ## Claim
//! Prefer async over threads for I/O-bound work: a task costs a few
//! hundred ns to spawn where a thread costs microseconds and a stack, so
//! thousands of concurrent waits fit in tasks on a few threads (sources).
//! Checked here as the time to hold 1 to 2,000 waits open at once, with
//! the thread spawn's cost a modelled assumption (the sources give none).
//!
//! ## Measured
//! The counters are exact (`validate` and `tests/hint_async_vs_threads.rs`
//! check them): `bad` spawns `N` threads and `good` `N` tasks per call; `peak
//! threads` is `N` for `bad`, as every thread is parked in the barrier at
//! once, and 2 for `good`, the runtime's workers, which run every task; `peak
//! waiting` is `N` for both. Divide a row's time by `N` for the cost per
//! waiter, spawn to join, and compare it with the model's [`THREAD_US`] per
//! thread and [`TASK_US`] per task, plus the runtime's fixed [`RUNTIME_US`]
//! per call: the fixed cost is what the smallest sizes weigh, the cost per
//! waiter what the largest do.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- async_vs_threads/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/async_vs_threads.md"))]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::runtime::Runtime;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::runtime;

/// Worker threads of `good`'s runtime.
pub const WORKERS: usize = 2;

/// The counter: OS threads spawned per call.
pub const THREADS_SPAWNED: &str = "threads spawned";
/// The counter: tokio tasks spawned per call.
pub const TASKS_SPAWNED: &str = "tasks spawned";
/// The counter: most threads running waiters at once.
pub const PEAK_THREADS: &str = "peak threads";
/// The counter: most waiters parked in the barrier at once.
pub const PEAK_WAITING: &str = "peak waiting";

/// What waiter `i` returns.
pub fn payload(i: u64) -> u64 {
    (i ^ 0x2545_f491_4f6c_dd1d).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Folds one waiter's value into the order-sensitive checksum both variants return.
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
}

const START: u64 = 0xcbf2_9ce4_8422_2325;

/// What a call returns: the checksum of the waiters' values in spawn order,
/// and how many waiters the barrier made its leader (one, or none for no
/// waiters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Output {
    pub checksum: u64,
    pub leaders: usize,
}

/// Waiters parked now, and the most at once; only counted for a counting probe.
#[derive(Debug, Default)]
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The number of waiters and `good`'s runtime of [`WORKERS`] threads, built
/// outside the timed code.
pub struct Input {
    pub n: usize,
    pub rt: Runtime,
}

/// `n` waiters and a runtime of [`WORKERS`] workers.
pub fn input(n: usize) -> Input {
    Input {
        n,
        rt: runtime(WORKERS, "async_vs_threads"),
    }
}

/// One OS thread per waiter, each parked in a `std::sync::Barrier`, then joined.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Output {
    let n = input.n;
    let barrier = Arc::new(std::sync::Barrier::new(n));
    let gauge = P::COUNTING.then(|| Arc::new(Gauge::default()));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, gauge) = (Arc::clone(&barrier), gauge.clone());
            std::thread::spawn(move || {
                if let Some(g) = &gauge {
                    g.enter();
                }
                let leader = barrier.wait().is_leader();
                if let Some(g) = &gauge {
                    g.leave();
                }
                (payload(i as u64), leader)
            })
        })
        .collect();
    probe.add(THREADS_SPAWNED, handles.len() as u64);
    probe.add(TASKS_SPAWNED, 0);
    let mut out = Output {
        checksum: START,
        leaders: 0,
    };
    for h in handles {
        let (x, leader) = h.join().expect("a waiter thread panicked");
        out.checksum = mix(out.checksum, x);
        out.leaders += usize::from(leader);
    }
    if let Some(g) = gauge {
        // Each thread is one waiter: the threads alive at once are the waiters.
        let peak = g.peak.load(Ordering::SeqCst) as u64;
        probe.set(PEAK_THREADS, peak);
        probe.set(PEAK_WAITING, peak);
    }
    out
}

/// One tokio task per waiter on a 2-worker runtime, each parked in a `tokio::sync::Barrier`.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Output {
    let n = input.n;
    let gauge = P::COUNTING.then(|| Arc::new(Gauge::default()));
    let out = input.rt.block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, gauge) = (Arc::clone(&barrier), gauge.clone());
                tokio::spawn(async move {
                    if let Some(g) = &gauge {
                        g.enter();
                    }
                    let leader = barrier.wait().await.is_leader();
                    if let Some(g) = &gauge {
                        g.leave();
                    }
                    (payload(i as u64), leader)
                })
            })
            .collect();
        probe.add(TASKS_SPAWNED, handles.len() as u64);
        let mut out = Output {
            checksum: START,
            leaders: 0,
        };
        for h in handles {
            let (x, leader) = h.await.expect("a waiter task panicked");
            out.checksum = mix(out.checksum, x);
            out.leaders += usize::from(leader);
        }
        out
    });
    probe.add(THREADS_SPAWNED, 0);
    if let Some(g) = gauge {
        // The tasks ran on the runtime's workers, started once in `input`.
        probe.set(PEAK_THREADS, input.rt.metrics().num_workers() as u64);
        probe.set(PEAK_WAITING, g.peak.load(Ordering::SeqCst) as u64);
    }
    out
}

/// One waiter as a thread, spawn to join (creation, a stack mapped, park,
/// wake, exit, join), µs: an assumption, the sources give no figure.
pub const THREAD_US: f64 = 20.0;
/// One waiter as a task, spawn to result, µs: the sources' 200-500 ns per spawn.
pub const TASK_US: f64 = 0.35;
/// The runtime's fixed cost per call, µs: a parked worker woken, and the
/// caller woken back when the last task ends.
pub const RUNTIME_US: f64 = 20.0;

/// Time per call of `bad` and `good` with `n` waiters, µs.
pub fn modelled(n: usize) -> [f64; 2] {
    let n = n as f64;
    [n * THREAD_US, RUNTIME_US + n * TASK_US]
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "async_vs_threads";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::ASYNC_FOR_WAITING];
    const SIZE: &'static str = "concurrent waits";
    const CLAIM: &'static str = "prefer async over threads for I/O-bound work: a task costs \
         200-500 ns where a thread costs µs and a stack (sources)";
    const DETERMINISTIC: bool = false;
    type Param = usize;
    type Input = Input;
    type Output = Output;

    /// From one waiter, where the runtime's fixed cost matches a thread's,
    /// to 2,000 at once, well below this machine's thread limits.
    fn sizes() -> &'static [usize] {
        &[1, 10, 100, 1_000, 2_000]
    }

    const INPUT: fn(usize) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
    }

    /// Exact by construction: the barrier holds every waiter until the last
    /// arrives, so all are parked at once.
    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(THREADS_SPAWNED), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(THREADS_SPAWNED), "good", |_| 0),
            expect::exactly(Figure::Counter(TASKS_SPAWNED), "bad", |_| 0),
            expect::exactly(Figure::Counter(TASKS_SPAWNED), "good", |n| n as u64),
            expect::exactly(Figure::Counter(PEAK_THREADS), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(PEAK_THREADS), "good", |_| WORKERS as u64),
            expect::exactly(Figure::Counter(PEAK_WAITING), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(PEAK_WAITING), "good", |n| n as u64),
        ]
    }

    /// From [`modelled`]: level at one waiter (the runtime's fixed cost is
    /// about one thread's), then tasks ahead, by more as `N` grows.
    fn predict(n: usize) -> Vec<Prediction> {
        let [bad, good] = modelled(n);
        vec![Prediction::from_model("good", bad / good)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_follow_the_cost_model() {
        assert_eq!(Case::predict(1), vec![Prediction::level("good")]);
        for n in [10, 100, 1_000, 2_000] {
            assert_eq!(Case::predict(n), vec![Prediction::faster("good")], "{n}");
        }
    }
}
