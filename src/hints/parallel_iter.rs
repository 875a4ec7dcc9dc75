//! # Spread CPU-bound work over cores with rayon (`parallel_iter`)
//!
//! ## Cost model
//! A sequential `iter().map(f).fold(..)` runs on one core however many the
//! machine has: `N` items of work `w` take `N × w`. Here `f` is `r` rounds
//! of a cheap 64-bit mix (a shift, an xor and a multiply: about five
//! dependent cycles, 1-2 ns a round, less when neighbouring items overlap in
//! the pipeline), over a fixed [`ITEMS`] items, summed: a job of
//! `J = ITEMS × r` rounds.
//!
//! ## The fix
//! `par_iter()` from rayon: the same `map` and a `reduce` of the partial
//! sums, split between the threads of a pool. Ideally `N × w / T` on `T`
//! threads. Here the pool has exactly `T` threads, built with
//! `ThreadPoolBuilder::num_threads(T)` outside the timed code, and each call
//! runs inside `pool.install(..)`.
//!
//! ## When it does not help
//! A parallel call has a fixed cost: handing the job to the pool, waking
//! sleeping workers, splitting, stealing and joining, a few microseconds for
//! each thread it involves (taken as [`FIXED_ROUNDS`] rounds of work per
//! thread). So on `T` threads a call takes about `J / T + T × FIXED_ROUNDS`
//! against `J` for the loop ([`modelled`]). When the whole job is that small
//! (few items or tiny work per item; it is `N × w` that counts) the
//! sequential loop wins. On one thread rayon pays that cost for nothing: it
//! can only be level or slower. Past the number of cores, more threads only
//! share the same cores. The reference machine has 2 cores, so its table has 1 and 2
//! threads only; the work here has no shared state and no memory traffic to
//! speak of, so on more cores the large-work rows should keep scaling
//! towards `T`x while the crossover moves to larger jobs, as the fixed
//! cost grows with the threads to wake.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a CPU-bound loop that keeps one core busy while the others idle:
//! per-thread CPU time (`top -H`, `perf sched`) during the loop; this crate
//! counts `items processed` per call in `cargo bench -- parallel_iter/`.
//!
//! ## Claim
//! "Uses all cores for CPU-bound work": close to `T`x on `T` threads when
//! each item has real work; a loss on tiny jobs.
//!
//! ## Measured
//! `items processed` is exact: every item once, for both variants at every
//! size. What to read in the table against [`modelled`]: on one thread rayon's
//! fixed cost per call buys nothing; on two, the tiny jobs show that fixed
//! cost alone, and the jobs with real work per item show how close the speedup
//! comes to the thread count. Where the crossover falls in the table, against
//! where the model puts it, says how rayon's fixed cost per call on that
//! machine compares with the [`FIXED_ROUNDS`] rounds per thread the model
//! assumes.
//!
//! On more cores: this hint's page, `results/hints/parallel_iter.md`, has
//! 16-thread rows from an imported record of a 16-core Intel Xeon. By the
//! model, the largest work per item keeps scaling there, short of the ideal
//! `T`, while the fixed cost grows with the threads to wake and the crossover
//! moves to larger jobs.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- parallel_iter/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/parallel_iter.md"))]


use rayon::prelude::*;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::{MARGIN, Prediction};
use crate::support::threads::{Rounds, Threads, Work, work, thread_grid};

/// Items per call, whatever the work per item.
pub const ITEMS: usize = 1_000;

/// Rounds of [`work`] per item in the table: from a few nanoseconds to a few
/// microseconds per item.
pub const ROUNDS: &[usize] = &[1, 10, 30, 100, 1_000];

/// Rayon's fixed cost per call for each thread it involves, in rounds of
/// [`work`]: a few microseconds (waking the thread, handing it a piece,
/// stealing and joining) at 1-2 ns a round.
pub const FIXED_ROUNDS: f64 = 2_500.0;

/// The speedup of `par_iter` on `threads` threads at `rounds` per item that
/// the cost model gives: the loop's `J = ITEMS × rounds` rounds against
/// `J / T` plus the fixed cost of `T` threads.
pub fn modelled(threads: usize, rounds: usize) -> f64 {
    let t = threads.max(1) as f64;
    let job = (ITEMS * rounds) as f64;
    job / (job / t + t * FIXED_ROUNDS)
}

/// The items, the work per item and a pool of exactly the size's threads.
pub type Input = Work;

/// Maps and sums the items one after another on the calling thread.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    input
        .items
        .iter()
        .map(|&x| {
            probe.add("items processed", 1);
            work(x, input.rounds)
        })
        .fold(0, u64::wrapping_add)
}

/// The same map and sum with rayon's `par_iter()`, on the input's pool.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    input.pool.install(|| {
        input
            .items
            .par_iter()
            .map(|&x| {
                probe.add("items processed", 1);
                work(x, input.rounds)
            })
            .reduce(|| 0, u64::wrapping_add)
    })
}

/// `n` fixed-seed items, `rounds` of work each, and a pool of `threads` threads.
pub fn input(threads: usize, n: usize, rounds: usize) -> Input {
    Work::new(STREAM, threads, n, rounds)
}

/// This hint's rng stream.
const STREAM: u64 = 70;

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "parallel_iter";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::CPU_PARALLEL];
    const SIZE: &'static str = "threads, work per item (1,000 items)";
    const CLAIM: &'static str = "par_iter uses all cores for CPU-bound work: near Tx on T threads; loses on tiny jobs";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Input;
    type Output = u64;

    fn sizes() -> &'static [Threads<Rounds>] {
        thread_grid!(Rounds, ROUNDS)
    }

    const INPUT: fn(Threads<Rounds>) -> Input = |size| Work::for_size(STREAM, size, ITEMS);

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
    }

    /// Which thread runs which item depends on timing; how many run does not.
    fn expect() -> Vec<Expect<Threads<Rounds>>> {
        vec![
            expect::exactly(Figure::Counter("items processed"), "bad", |_| ITEMS as u64),
            expect::exactly(Figure::Counter("items processed"), "good", |_| ITEMS as u64),
        ]
    }

    /// From [`modelled`]: on one thread rayon can only add cost, level or
    /// slower (slower where the job is no bigger than its fixed cost); on
    /// `T` threads, faster where the job dwarfs the fixed cost, by close to
    /// `T`x (the claim's figure, less the judge's margin) where the fixed
    /// cost is under 5 % of the time, and slower where it is the larger part.
    fn predict(size: Threads<Rounds>) -> Vec<Prediction> {
        let t = size.threads.max(1);
        let s = modelled(t, size.x);
        let p = Prediction::from_model("good", s);
        vec![if t == 1 {
            // Nothing to spread over: rayon's per-piece work, which the
            // model leaves out, can only add to its fixed cost.
            if p.slower { p } else { Prediction::level("good").or_slower() }
        } else if s >= 0.95 * t as f64 {
            p.by(t as f64 / (1.0 + MARGIN))
        } else {
            p
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(threads: usize, rounds: usize) -> Prediction {
        Case::predict(Threads::new(threads, rounds))[0]
    }

    /// At any thread count: one thread never faster, a tiny job slower,
    /// real work faster, and "close to T x" only where the fixed cost is
    /// negligible.
    #[test]
    fn predictions_follow_the_cost_model_at_any_thread_count() {
        for rounds in ROUNDS.iter().copied() {
            assert!(!predict(1, rounds).faster, "1 thread, {rounds} rounds");
        }
        for t in [2, 4, 16, 64] {
            let tiny = predict(t, 1);
            assert!(tiny.slower && !tiny.faster, "{t} threads, 1 round");
        }
        assert_eq!(predict(2, 1_000), Prediction::faster("good").by(2.0 / 1.1));
        // Sixteen threads to wake: a win, but the fixed cost is too large a
        // share for the claim's "close to 16x".
        assert_eq!(predict(16, 1_000), Prediction::faster("good"));
    }
}
