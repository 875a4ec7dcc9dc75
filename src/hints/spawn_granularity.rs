//! # Spawn a task per chunk, not per item (`spawn_granularity`)
//!
//! ## Cost model
//! `tokio::spawn` allocates a task, pushes it onto a run queue (waking an
//! idle worker if there is one), and later the task is polled, its output
//! stored, its `JoinHandle` woken and awaited, and the allocation freed. That
//! is a fixed cost per task whatever the task does. Spawning one task per
//! tiny item pays it once per item; when the item's own work is a few
//! nanoseconds, the bookkeeping is nearly all of the time.
//!
//! Here the job maps 5,000 `u64` items through a CPU-only function whose
//! cost is a number of multiply-xorshift rounds per item (0 rounds: almost
//! nothing; each round a few nanoseconds) and returns the results in item
//! order. Each variant's job runs as one task on a multi-threaded tokio
//! runtime built outside the timed code with exactly T worker threads, as
//! it would inside a server, so its spawns take the worker's local queue.
//! The size packs T and the rounds per item.
//!
//! ## The fix
//! Split the items into a few chunks, a small multiple of the worker
//! threads ([`CHUNKS_PER_WORKER`] × T), and spawn one task per chunk: every
//! worker still gets work, spare chunks even out a worker that falls behind,
//! and the fixed cost is paid a handful of times instead of per item. The
//! third variant, `inline`, does all the work on the calling task and
//! spawns nothing.
//!
//! ## When it does not help
//! With one worker thread no variant runs anything in parallel: chunks only
//! cost a little more than `inline`. When the work per item is much larger
//! than the spawn cost, one task per item is fine and balances load best
//! (items of uneven cost). And a chunk is a stretch with no `.await`: it
//! holds its worker, delaying every other task there, for as long as it
//! runs. tokio's docs suggest no more than 10-100 µs between `.await`s; at
//! 2,048 rounds a chunk here runs for milliseconds. In a server, keep chunks
//! that short, or move long CPU-bound work to `spawn_blocking` or a rayon
//! pool instead of async tasks of any size.
//!
//! ## Claim
//! A spawn costs 200-500 ns, so spawning a task per small operation is
//! excessive.
//!
//! ## Measured
//! Tasks spawned per call are exact (the `tasks spawned` counter, checked by
//! `cargo run --release -- validate spawn_granularity`): `bad` 5,000, `good`
//! 4 × T (4 at one worker, 8 at two), `inline` 0.
//!
//! Times from two runs of `cargo bench -- spawn_granularity/` on this
//! 2-core machine while other builds shared it, so indicative only (the
//! published table in `results/` comes from a full recorded run). With no work per item
//! and one worker, `bad` took 1.92 and 2.33 ms a call: (bad − good) / 5,000
//! items is 382 and 447 ns per task (342 and 350 ns with two workers),
//! inside the claimed 200-500 ns. That is a task's whole round trip
//! (allocate, queue, poll, hand the output over, wake the awaiting task,
//! free), not the `spawn` call alone. The overhead stays about the same as
//! the work grows (400-500 ns per item up to 128 rounds, noisier above), so
//! it weighs less: on one worker `bad` is 17-27x slower than `good` at 16
//! rounds (about 25-35 ns of work per item), 2.1-2.4x at 128 (about 300 ns),
//! 1.3-1.4x at 512 (1-1.5 µs) and 1.12-1.15x at 2,048 (4-6 µs). On one
//! worker `inline` is as fast as chunks: there is nothing to run in
//! parallel, and per-item spawning never pays. With two workers chunks can
//! beat `inline` once the work per item is well above the spawn cost; in
//! those two loaded runs the second worker rarely had a free core.
//!
//! The published record (`results/records/2026-11-22T01-52-24Z-c23c565d179d.json`,
//! `PERF_HINTS_RECORD=1 cargo bench --features python`, a quiet machine)
//! shows the second worker: at two workers `good` beat `inline` from 128
//! rounds on (667 µs against 1.26 ms; 2.46 against 4.97 ms at 512; 9.87
//! against 19.7 ms at 2,048, 2.0x), and `bad` stayed 1.43x and 1.15x behind
//! `good` at 512 and 2,048 rounds. Per spawn, from the zero-work rows: 374 ns
//! at one worker, 289 ns at two.
//!
//! This machine has 2 cores, so T is 1 and 2; on a machine with more cores
//! the sizes add T = all cores. What the curve predicts there (not measured
//! here): `bad` spawns every task from one task, so its spawning is serial
//! and does not shrink with more workers, while `good`'s work divides by T;
//! per-item spawning falls further behind, and the work per item it needs
//! to break even grows with the core count.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/spawn_granularity.md"))]

use std::future::Future;
use std::sync::{Arc, OnceLock};

use rand::Rng;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::judge::expect::{self, Expect, Figure};
use crate::hint::{Hint, Probe, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::support::threads::{Rounds, Threads};
use crate::model::{Change, Row};

/// Items per call.
pub const ITEMS: usize = 5_000;

/// Chunks per worker thread in `good`.
pub const CHUNKS_PER_WORKER: usize = 4;

/// The work per item: `rounds` multiply-xorshift rounds on `x`, a chain no
/// compiler can shorten, so the cost grows linearly with `rounds`.
#[inline]
pub fn work(x: u64, rounds: u32) -> u64 {
    let mut h = x ^ 0x9e37_79b9_7f4a_7c15;
    for i in 0..rounds {
        h = (h ^ (h >> 31))
            .wrapping_mul(0xbf58_476d_1ce4_e5b9)
            .wrapping_add(u64::from(i));
    }
    h
}

/// What a task does to one item. The bench's is [`work`]; tests pass one
/// that also records which items ran.
pub trait ItemFn: Fn(u64) -> u64 + Clone + Send + Sync + 'static {}

impl<F: Fn(u64) -> u64 + Clone + Send + Sync + 'static> ItemFn for F {}

/// A runtime with `threads` workers, the items and the rounds per item.
pub struct Job {
    pub rt: Runtime,
    pub threads: usize,
    pub items: Arc<[u64]>,
    pub rounds: u32,
}

impl Job {
    /// Builds the runtime: exactly `threads` workers (at least one).
    pub fn new(threads: usize, items: Vec<u64>, rounds: u32) -> Job {
        let threads = threads.max(1);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("spawn_granularity-worker")
            .build()
            .expect("a tokio runtime");
        Job {
            rt,
            threads,
            items: items.into(),
            rounds,
        }
    }

    /// The bench's item function: [`work`] with this job's rounds.
    pub fn item_fn(&self) -> impl ItemFn + use<> {
        let rounds = self.rounds;
        move |x| work(x, rounds)
    }

    /// Runs `driver` as one task on the runtime, as a server's handler would
    /// run. The driver hands back its output and the tasks it spawned (the
    /// `JoinHandle`s it got), which are reported as `tasks spawned`: the
    /// probe is borrowed, so it cannot go into a task that must be `'static`.
    fn run<P, D, Fut>(&self, probe: &P, driver: D) -> Vec<u64>
    where
        P: Probe,
        D: FnOnce(Arc<[u64]>) -> Fut,
        Fut: Future<Output = (Vec<u64>, usize)> + Send + 'static,
    {
        let task = self.rt.spawn(driver(Arc::clone(&self.items)));
        let (out, spawned) = self.rt.block_on(task).expect("the job's task panicked");
        probe.add("tasks spawned", spawned as u64);
        out
    }
}

/// The number of chunks `good` splits `n` items into on `threads` workers.
pub fn chunks(n: usize, threads: usize) -> usize {
    if n == 0 {
        return 0;
    }
    n.div_ceil(chunk_len(n, threads))
}

fn chunk_len(n: usize, threads: usize) -> usize {
    n.div_ceil(CHUNKS_PER_WORKER * threads.max(1)).max(1)
}

/// Spawns one task per item and awaits their handles in item order.
pub fn bad<F: ItemFn, P: Probe>(job: &Job, f: F, probe: &P) -> Vec<u64> {
    job.run(probe, move |items| async move {
        let handles: Vec<JoinHandle<u64>> = items
            .iter()
            .map(|&x| {
                let f = f.clone();
                tokio::spawn(async move { f(x) })
            })
            .collect();
        let spawned = handles.len();
        let mut out = Vec::with_capacity(handles.len());
        for h in handles {
            out.push(h.await.expect("an item task panicked"));
        }
        (out, spawned)
    })
}

/// Spawns one task per chunk ([`CHUNKS_PER_WORKER`] per worker thread).
pub fn good<F: ItemFn, P: Probe>(job: &Job, f: F, probe: &P) -> Vec<u64> {
    let len = chunk_len(job.items.len(), job.threads);
    job.run(probe, move |items| async move {
        let handles: Vec<JoinHandle<Vec<u64>>> = (0..items.len())
            .step_by(len)
            .map(|start| {
                let (items, f) = (Arc::clone(&items), f.clone());
                tokio::spawn(async move {
                    let end = (start + len).min(items.len());
                    items[start..end].iter().map(|&x| f(x)).collect()
                })
            })
            .collect();
        let spawned = handles.len();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.await.expect("a chunk task panicked"));
        }
        (out, spawned)
    })
}

/// Does every item on the calling task: no spawn, one thread.
pub fn inline<F: ItemFn, P: Probe>(job: &Job, f: F, probe: &P) -> Vec<u64> {
    job.run(probe, move |items| async move {
        (items.iter().map(|&x| f(x)).collect(), 0)
    })
}

/// [`ITEMS`] fixed-seed items and a runtime with the size's worker threads.
pub fn input(size: Threads<Rounds>) -> Job {
    let (threads, rounds) = (size.threads, size.x);
    let mut rng = crate::rng(80);
    let items = (0..ITEMS).map(|_| rng.random()).collect();
    Job::new(threads, items, rounds as u32)
}

/// Rounds per item the sizes use: from almost nothing to several µs.
pub const ROUNDS: &[usize] = &[0, 16, 128, 512, 2_048];

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "spawn_granularity";
    const SIZE: &'static str = "worker threads × rounds per item (5,000 items)";
    const CLAIM: &'static str =
        "a spawn costs 200-500 ns: one task per small item is excessive, chunks amortise it";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Job;
    type Output = Vec<u64>;

    fn sizes() -> &'static [Threads<Rounds>] {
        static SIZES: OnceLock<Vec<Threads<Rounds>>> = OnceLock::new();
        SIZES.get_or_init(|| Threads::grid(ROUNDS))
    }

    fn input(size: Threads<Rounds>) -> Job {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |j: &Job, p| bad(j, j.item_fn(), p));
        v.variant("good", |j: &Job, p| good(j, j.item_fn(), p));
        v.variant("inline", |j: &Job, p| inline(j, j.item_fn(), p));
    }

    /// 30 benchmarks of about a second each; the slowest call (2,048 rounds
    /// on one thread) takes about 30 ms, so criterion needs 1.5 s for those.
    fn settings() -> Settings {
        Settings::short(10)
    }

    fn expect() -> Vec<Expect<Threads<Rounds>>> {
        vec![
            expect::exactly(Figure::Counter("tasks spawned"), "bad", |_| ITEMS as u64),
            expect::exactly(Figure::Counter("tasks spawned"), "good", |size| {
                chunks(ITEMS, size.threads) as u64
            }),
            expect::exactly(Figure::Counter("tasks spawned"), "inline", |_| 0),
        ]
    }

    fn verdict(_size: Threads<Rounds>, row: &Row) -> Verdict {
        let (bad, good, inline) = (
            row.per_item("bad", ITEMS),
            row.per_item("good", ITEMS),
            row.per_item("inline", ITEMS),
        );
        if bad.is_nan() || good.is_nan() {
            return Verdict::new(Level::NotApplicable, "not timed");
        }
        // Wall time per item that one task per item adds over one per chunk.
        let spawn = bad - good;
        let what = format!(
            "per item: bad {bad:.0} ns, good {good:.0} ns, inline {inline:.0} ns, \
             so about {spawn:.0} ns per spawn; {}",
            row.speed_note("good")
        );
        // The claim is about small operations: work cheaper than a spawn.
        if inline > 500.0 {
            return Verdict::new(Level::NotApplicable, format!("work > 500 ns/item: {what}"));
        }
        let level = match row.change("good") {
            Some(Change::Faster) if (200.0..=500.0).contains(&spawn) => Level::Holds,
            Some(Change::Faster) => Level::Partly,
            _ => Level::DoesNotHold,
        };
        Verdict::new(level, what)
    }
}
