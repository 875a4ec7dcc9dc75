//! # Spawn a task per chunk, not per item (`spawn_granularity`)
//!
//! ## Cost model
//! `tokio::spawn` allocates a task, pushes it onto a run queue (waking an
//! idle worker if there is one), and later the task is polled, its output
//! stored, its `JoinHandle` woken and awaited, and the allocation freed. That
//! is a fixed cost per task whatever the task does: the claim's 200-500 ns
//! (taken at its middle, [`SPAWN_NS`]; what a spawn costs on the machine that
//! made the published record is the `tokio task spawn` row of
//! `results/costs.md`, measured in the same run). Spawning one task per tiny item
//! pays it once per item; when the item's own work is a few nanoseconds,
//! the bookkeeping is nearly all of the time.
//!
//! Here the job maps 5,000 `u64` items through a CPU-only function whose
//! cost is a number of multiply-xorshift rounds per item (0 rounds: almost
//! nothing; each round a dependent chain of a shift, an xor, a multiply and
//! an add, about six cycles, [`ROUND_NS`]) and returns the results in item
//! order. Each variant's job runs as one task on a multi-threaded tokio
//! runtime built outside the timed code with exactly T worker threads, as
//! it would inside a server, so its spawns take the worker's local queue.
//! The size packs T and the rounds per item.
//!
//! `bad` spawns every task from that one task: the spawning half of each
//! round trip (allocating, queuing, later awaiting the handle) is serial,
//! the other half (polling, storing the output, waking) runs on the workers
//! along with the work. [`modelled`] turns this into a time per item for
//! each variant.
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
//! cost a little more than `inline`, and both beat one task per item by the
//! spawn cost. When the work per item is much larger than the spawn cost,
//! one task per item is fine and balances load best (items of uneven cost):
//! at thousands of rounds the spawn is a few percent of an item, and that
//! is all `bad` adds. With several workers `inline` then uses only one of
//! them. And a chunk is a stretch with no
//! `.await`: it holds its worker, delaying every other task there, for as
//! long as it runs. tokio's docs suggest no more than 10-100 µs between
//! `.await`s; at 2,048 rounds a chunk here runs for milliseconds. In a
//! server, keep chunks that short, or move long CPU-bound work to
//! `spawn_blocking` or a rayon pool instead of async tasks of any size.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a task counter against the work. One `tokio::spawn` per item shows
//! as many tasks per call (this crate's `tasks spawned` in `cargo bench --
//! spawn_granularity/`) and, in a flame graph, the runtime's scheduling
//! frames (`tokio::runtime::task`) as wide as the work.
//!
//! ## Claim
//! A spawn costs 200-500 ns, so spawning a task per small operation is
//! excessive.
//!
//! ## Measured
//! Tasks spawned per call are exact (the `tasks spawned` counter, checked by
//! `cargo run --release -- validate spawn_granularity`): one per item for
//! `bad`, [`CHUNKS_PER_WORKER`] per worker for `good`, none for `inline`.
//!
//! What to read in the table against [`modelled`]: the difference per item
//! (`bad` minus `good`, divided by the items) is the cost of a spawn, to
//! compare at one worker with the claim's range per spawn; at two workers part
//! of each round trip runs alongside the work, which shrinks that difference.
//! At one worker `inline` and chunks have nothing to run in parallel; at two,
//! chunks and per-item tasks can use the second worker once the work per item
//! is well above the spawn cost.
//!
//! The reference machine has 2 cores, so T is 1 and 2 there; on a machine with more cores the
//! sizes add T = all cores. The model predicts there that `bad`'s spawning is
//! serial and does not shrink with more workers, while `good`'s work divides
//! by T, so the work per item that per-item spawning needs to break even grows
//! with the core count. This hint's page,
//! `results/hints/spawn_granularity.md`, has 16-worker rows from an imported
//! record of a 16-core Intel Xeon.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- spawn_granularity/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/spawn_granularity.md"))]

use std::future::Future;
use std::sync::Arc;

use rand::Rng;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{Rounds, Threads, thread_grid, runtime};

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
        let rt = runtime(threads, "spawn_granularity");
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

/// A spawn's whole round trip, ns: the claim's 200-500 ns, at its middle.
pub const SPAWN_NS: f64 = 350.0;

/// One round of [`work`], ns: a dependent chain of about six cycles.
pub const ROUND_NS: f64 = 2.0;

/// An item's cost besides its rounds, ns: the call and storing the result.
pub const ITEM_NS: f64 = 2.0;

/// Time per item of `bad`, `good` and `inline` on `threads` workers at
/// `rounds` per item, ns, as the cost model gives it. The work `w` divides
/// by the workers for `bad` and `good`, not for `inline`; `bad` adds a spawn
/// per item, shared by the workers, but its spawning half is serial, so it
/// never takes less than half a spawn per item. `good`'s few spawns are left
/// out.
pub fn modelled(threads: usize, rounds: usize) -> [f64; 3] {
    let t = threads.max(1) as f64;
    let w = ITEM_NS + rounds as f64 * ROUND_NS;
    let bad = ((w + SPAWN_NS) / t).max(SPAWN_NS / 2.0);
    [bad, w / t, w]
}

/// Rounds per item the sizes use: from almost nothing to several µs.
pub const ROUNDS: &[usize] = &[0, 16, 128, 512, 2_048];

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "spawn_granularity";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::SPAWN_COST];
    const SIZE: &'static str = "worker threads × rounds per item (5,000 items)";
    const CLAIM: &'static str =
        "a spawn costs 200-500 ns: one task per small item is excessive, chunks amortise it";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Job;
    type Output = Vec<u64>;

    fn sizes() -> &'static [Threads<Rounds>] {
        thread_grid!(Rounds, ROUNDS)
    }

    const INPUT: fn(Threads<Rounds>) -> Job = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |j: &Job, p| bad(j, j.item_fn(), p));
        v.variant("good", |j: &Job, p| good(j, j.item_fn(), p));
        v.variant("inline", |j: &Job, p| inline(j, j.item_fn(), p));
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

    /// From [`modelled`]: chunks beat one task per item by the spawn cost,
    /// clearly while it is a fair share of an item, level or faster once
    /// the work dwarfs it; `inline` does as well as chunks on one worker,
    /// and on several loses to `bad` once the work per item outweighs the
    /// spawn.
    fn predict(size: Threads<Rounds>) -> Vec<Prediction> {
        let [bad, good, inline] = modelled(size.threads, size.x);
        vec![Prediction::from_model("good", bad / good), Prediction::from_model("inline", bad / inline)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(threads: usize, rounds: usize) -> Vec<Prediction> {
        Case::predict(Threads::new(threads, rounds))
    }

    /// Chunks never lose to one task per item; with little work both chunks
    /// and `inline` win at any thread count; with thousands of rounds `good`
    /// is level or faster, and on several workers `inline` loses to `bad`.
    #[test]
    fn predictions_follow_the_cost_model_at_any_thread_count() {
        for t in [1, 2, 4, 16] {
            for rounds in ROUNDS.iter().copied() {
                let good = predict(t, rounds)[0];
                assert!(!good.slower, "{t} workers, {rounds} rounds: {good:?}");
            }
            for p in predict(t, 0) {
                assert_eq!(p, Prediction::faster(p.variant), "{t} workers, no work");
            }
            let [good, inline] = predict(t, 2_048)[..] else {
                unreachable!("two predictions")
            };
            assert_eq!(good, Prediction::faster("good").or_level());
            if t > 1 {
                assert_eq!(inline, Prediction::slower("inline"));
            }
        }
    }
}
