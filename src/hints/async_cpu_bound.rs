//! # Async does not make CPU-bound work faster (`async_cpu_bound`)
//!
//! ## Cost model
//! `async` lets a thread wait for many things at once; it does nothing for
//! work that never waits. An `async fn` that only computes runs straight
//! through when awaited: its state machine has no point at which to yield,
//! so awaiting it costs about what calling it costs. Spawning each piece of
//! CPU work as a task (`tokio::spawn` per item, then awaiting the handles)
//! adds the task's allocation, its trip through a run queue and the join,
//! a few hundred ns each ([`SPAWN_NS`]), to every item.
//!
//! Here [`ITEMS`] items each take `r` rounds of a 64-bit mix (the
//! `parallel_iter` work, 1-2 ns a round, [`ROUND_NS`]) and are summed. The
//! tokio runtime (`T` workers) and the rayon pool (`T` threads) are built
//! outside the timed code.
//!
//! ## The fix
//! Compute CPU-bound work with plain calls: `good` is the loop on the
//! calling thread, no runtime involved. Where the work should use several
//! cores, a thread pool built for it (`rayon`'s `par_iter` on `T` threads)
//! splits it with one fixed cost per call rather than one spawn per item. In
//! an async service, CPU-heavy work belongs on `spawn_blocking` or a rayon
//! pool, so it does not hold the runtime's workers (`blocking_in_async`
//! shows the cost of holding them).
//!
//! ## When it does not help
//! A multi-thread runtime is a thread pool: tasks spawned onto `T` workers
//! run on `T` cores. Once an item's work dwarfs a spawn, `bad` gets that
//! parallelism and beats the one-thread loop by up to `T`x, and the loop
//! only wins back by being parallel too (`rayon`). That gain is the second
//! core's, not async's: `awaited` (the same work as an `async fn`, awaited
//! item after item in one task) is never faster than the loop. On one
//! worker the spawned tasks take turns on one thread, so `bad` is slower by
//! its spawns, and level once the work per item makes them negligible.
//! `spawn_granularity` measures the spawn cost itself and how chunking
//! amortises it; this hint asks whether async helps at all.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: `async fn`s that never `.await` anything that waits, or
//! `tokio::spawn` around pure computation; in a profile, tokio's scheduler
//! (`tokio::runtime::scheduler`, task allocation and waking) beside a compute
//! loop that has no I/O. This crate counts `tasks spawned` and `items
//! computed` per call in `cargo bench -- async_cpu_bound/`.
//!
//! ## Claim
//! Async does not help a CPU-bound loop (sources: the workload
//! classification). Judged here as the plain loop (`good`) at least as fast
//! as a task per item on the runtime (`bad`), at every size.
//!
//! ## Measured
//! Two counters are exact (`validate` checks them): `tasks spawned` is one
//! per item for `bad` and none for the others, and `items computed` is
//! [`ITEMS`] for every variant. What to read in the table against
//! [`modelled`]: on one worker, `bad`'s time over `good`'s per item is the
//! cost of a spawn; on two, where the work per item is large the
//! comparison is one core against two, and `rayon`'s column says what that
//! second core is worth without a task per item. `awaited` tracks `good`
//! at every size, which is the sources' point.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- async_cpu_bound/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/async_cpu_bound.md"))]

use std::sync::Arc;

use rand::Rng;
use rayon::prelude::*;
use tokio::runtime::Runtime;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{Rounds, Threads, pool, work, thread_grid, runtime};

/// Items per call.
pub const ITEMS: usize = 500;

/// Rounds of work per item in the table: from about 15 ns to about 15 µs.
pub const ROUNDS: &[usize] = &[10, 100, 1_000, 10_000];

/// The counter: tasks spawned per call.
pub const TASKS: &str = "tasks spawned";
/// The counter: item results produced per call.
pub const COMPUTED: &str = "items computed";

/// A spawn's whole round trip (allocate, queue, run, join), ns: the
/// sources' 200-500 ns, at its middle, as `spawn_granularity` takes it.
pub const SPAWN_NS: f64 = 350.0;
/// One round of [`work`], ns.
pub const ROUND_NS: f64 = 1.5;
/// An item's cost besides its rounds, ns.
pub const ITEM_NS: f64 = 1.0;
/// `bad`'s driver task: handed to a worker and its result handed back, ns.
pub const HOP_NS: f64 = 10_000.0;
/// `block_on` of a future that never waits: entering the runtime, ns.
pub const BLOCK_ON_NS: f64 = 1_000.0;
/// Rayon's fixed cost per call for each thread it involves, ns.
pub const FIXED_NS: f64 = 5_000.0;

/// Time per call of `bad`, `good`, `awaited` and `rayon` with [`ITEMS`]
/// items of `rounds` rounds on `threads` threads, ns. `bad`'s work and
/// spawns divide between the workers, but its spawning half is serial, so
/// it never takes less than half a spawn per item; `good` and `awaited` are
/// one thread's loop; `rayon` divides the loop and adds its fixed cost.
pub fn modelled(threads: usize, rounds: usize) -> [f64; 4] {
    let t = threads.max(1) as f64;
    let n = ITEMS as f64;
    let w = ITEM_NS + rounds as f64 * ROUND_NS;
    let bad = HOP_NS + n * ((w + SPAWN_NS) / t).max(SPAWN_NS / 2.0);
    [bad, n * w, n * w + BLOCK_ON_NS, n * w / t + t * FIXED_NS]
}

/// The items, the rounds per item, a runtime of `T` workers and a rayon
/// pool of `T` threads.
pub struct Job {
    pub rt: Runtime,
    pub pool: rayon::ThreadPool,
    pub items: Arc<[u64]>,
    pub rounds: u32,
}

impl Job {
    /// `items` with `rounds` each, on `threads` threads (at least one).
    pub fn new(threads: usize, items: Vec<u64>, rounds: u32) -> Job {
        let threads = threads.max(1);
        let rt = runtime(threads, "async_cpu_bound");
        Job {
            rt,
            pool: pool(threads),
            items: items.into(),
            rounds,
        }
    }
}

/// The item's work as an `async fn`: nothing in it waits.
pub async fn compute(x: u64, rounds: u32) -> u64 {
    work(x, rounds)
}

/// Spawns one task per item on the runtime from a driver task, as a
/// handler would, and sums the handles' results in item order.
pub fn bad<P: Probe>(job: &Job, probe: &P) -> u64 {
    let (items, rounds) = (Arc::clone(&job.items), job.rounds);
    let driver = async move {
        let handles: Vec<_> = items
            .iter()
            .map(|&x| tokio::spawn(compute(x, rounds)))
            .collect();
        let spawned = handles.len();
        let mut sum = 0u64;
        for h in handles {
            sum = sum.wrapping_add(h.await.expect("an item task panicked"));
        }
        (sum, spawned)
    };
    let (sum, spawned) = job
        .rt
        .block_on(job.rt.spawn(driver))
        .expect("the driver task panicked");
    probe.add(TASKS, spawned as u64);
    probe.add(COMPUTED, spawned as u64);
    sum
}

/// Computes every item in a plain loop on the calling thread.
pub fn good<P: Probe>(job: &Job, probe: &P) -> u64 {
    probe.add(TASKS, 0);
    job.items
        .iter()
        .map(|&x| {
            probe.add(COMPUTED, 1);
            work(x, job.rounds)
        })
        .fold(0, u64::wrapping_add)
}

/// Awaits [`compute`] item after item in one future, driven by `block_on`.
pub fn awaited<P: Probe>(job: &Job, probe: &P) -> u64 {
    probe.add(TASKS, 0);
    job.rt.block_on(async {
        let mut sum = 0u64;
        for &x in job.items.iter() {
            probe.add(COMPUTED, 1);
            sum = sum.wrapping_add(compute(x, job.rounds).await);
        }
        sum
    })
}

/// Splits the items between the rayon pool's `T` threads with `par_iter`.
pub fn rayon<P: Probe>(job: &Job, probe: &P) -> u64 {
    probe.add(TASKS, 0);
    job.pool.install(|| {
        job.items
            .par_iter()
            .map(|&x| {
                probe.add(COMPUTED, 1);
                work(x, job.rounds)
            })
            .reduce(|| 0, u64::wrapping_add)
    })
}

/// This hint's rng stream.
const STREAM: u64 = 171;

/// `n` fixed-seed items, `rounds` each, on `threads` threads.
pub fn input(threads: usize, n: usize, rounds: usize) -> Job {
    let mut rng = crate::rng(STREAM);
    Job::new(
        threads,
        (0..n).map(|_| rng.random()).collect(),
        rounds as u32,
    )
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "async_cpu_bound";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::ASYNC_CPU_BOUND];
    const SIZE: &'static str = "threads × rounds per item (500 items)";
    const CLAIM: &'static str = "async does not help a CPU-bound loop";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Job;
    type Output = u64;

    fn sizes() -> &'static [Threads<Rounds>] {
        thread_grid!(Rounds, ROUNDS)
    }

    /// The edge sizes (no threads) give `x` items, none or one, on one thread.
    const INPUT: fn(Threads<Rounds>) -> Job = |size| {
        match (size.threads, size.x) {
            (0, n) => input(1, n, 1),
            (t, rounds) => input(t, ITEMS, rounds),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |j: &Job, p| bad(j, p));
        v.variant("good", |j: &Job, p| good(j, p));
        v.variant("awaited", |j: &Job, p| awaited(j, p));
        v.variant("rayon", |j: &Job, p| rayon(j, p));
    }

    /// Which worker runs which task depends on timing; how many tasks are
    /// spawned and how many items computed does not.
    fn expect() -> Vec<Expect<Threads<Rounds>>> {
        let n = |_| ITEMS as u64;
        vec![
            expect::exactly(Figure::Counter(TASKS), "bad", n),
            expect::exactly(Figure::Counter(TASKS), "good", |_| 0),
            expect::exactly(Figure::Counter(TASKS), "awaited", |_| 0),
            expect::exactly(Figure::Counter(TASKS), "rayon", |_| 0),
            expect::exactly(Figure::Counter(COMPUTED), "bad", n),
            expect::exactly(Figure::Counter(COMPUTED), "good", n),
            expect::exactly(Figure::Counter(COMPUTED), "awaited", n),
            expect::exactly(Figure::Counter(COMPUTED), "rayon", n),
        ]
    }

    /// From [`modelled`]: on one worker the loop and the awaited loop beat a
    /// task per item by its spawns, level once the work dwarfs them; on two,
    /// the tasks use the second worker, so past a few hundred ns per item
    /// the one-thread loops lose and only `rayon` keeps up.
    fn predict(size: Threads<Rounds>) -> Vec<Prediction> {
        let [bad, good, awaited, rayon] = modelled(size.threads, size.x);
        vec![
            Prediction::from_model("good", bad / good),
            Prediction::from_model("awaited", bad / awaited),
            Prediction::from_model("rayon", bad / rayon),
        ]
    }

    /// The sources: async does not help, so the plain loop is at least as
    /// fast as a task per item.
    fn claimed(_size: Threads<Rounds>) -> Option<Prediction> {
        Some(Prediction::faster("good").or_level())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(threads: usize, rounds: usize) -> Vec<Prediction> {
        Case::predict(Threads::new(threads, rounds))
    }

    /// One worker: the loops never lose and win clearly on small items; two
    /// workers: the one-thread loops lose once the work per item dwarfs a
    /// spawn, `rayon` does not.
    #[test]
    fn predictions_follow_the_cost_model() {
        for rounds in ROUNDS.iter().copied() {
            for p in predict(1, rounds) {
                assert!(!p.slower, "1 worker, {rounds} rounds: {p:?}");
            }
            // On two threads rayon's fixed cost never outweighs a spawn per
            // item (on sixteen it can: sixteen threads to wake for a job of
            // a few hundred µs).
            for t in [1, 2] {
                assert!(!predict(t, rounds)[2].slower, "rayon at {t}, {rounds}");
            }
        }
        for p in predict(1, 10) {
            assert_eq!(p, Prediction::faster(p.variant));
        }
        assert_eq!(predict(1, 10_000)[0], Prediction::level("good"));
        for rounds in [1_000, 10_000] {
            assert_eq!(predict(2, rounds)[0], Prediction::slower("good"));
            assert_eq!(predict(2, rounds)[1], Prediction::slower("awaited"));
        }
    }

    #[test]
    fn every_variant_agrees_and_counts_its_items() {
        use crate::hint::NoProbe;
        for t in [1, 2] {
            for n in [0, 1, 37] {
                let j = input(t, n, 20);
                let want = good(&j, &NoProbe);
                assert_eq!(bad(&j, &NoProbe), want);
                assert_eq!(awaited(&j, &NoProbe), want);
                assert_eq!(rayon(&j, &NoProbe), want);
            }
        }
    }
}
