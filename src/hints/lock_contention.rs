//! # Accumulate per thread, merge once (`lock_contention`)
//!
//! ## Cost model
//! `T` threads share [`ITEMS`] items; each item takes some work (`r` rounds
//! of a cheap 64-bit mix, about five dependent cycles, 1-2 ns a round) and
//! adds its result to one total behind a `Mutex<u64>`. Every item pays a
//! lock and an unlock, two atomic read-modify-writes on one cache line
//! (uncontended, about as much as [`LOCK_ROUNDS`] rounds of work). With more
//! than one thread that line moves between cores on every update (tens of
//! nanoseconds, about [`LINE_ROUNDS`] rounds), and a thread that finds the
//! lock taken spins or sleeps: the updates run one at a time however many
//! threads there are, so once `T` line moves take longer than an item's
//! work, the lock sets the pace.
//!
//! ## The fix
//! Each thread sums its own share in a local variable and adds it to the
//! shared total once at the end: `T` lock acquisitions instead of one per
//! item. The `atomic` variant keeps one shared `AtomicU64` and `fetch_add`s
//! every item into it: no lock, but still one contended read-modify-write on
//! the same line per item. Alone on its line it costs half the lock's two;
//! shared, it still moves the line for every item but never waits or sleeps.
//!
//! ## When it does not help
//! When each item does much more work than the update, the lock is rarely
//! taken at the same moment by two threads and its cost is small next to the
//! work: the variants differ by that small cost only. On one thread there
//! is no contention; an uncontended lock still costs its two atomic
//! instructions per item, which local accumulation saves (and lets the
//! compiler vectorise a plain sum). The reference machine has 2 cores, so its table
//! has 1 and 2 threads only. Contention grows with the threads fighting for
//! the line, so on more cores the small-work rows should get worse for `bad`
//! and `atomic`, and the work per item at which contention stops mattering
//! grows with `T`, while per-thread accumulation has nothing shared to fight
//! over until the merge.
//!
//! ## Finding it
//! Caught by: no clippy lint. Fires on both: `clippy::mutex_integer`
//! (restriction, opt-in) flags every `Mutex<u64>`, including the one `good`
//! merges into once per thread, and suggests an atomic: this hint's `atomic`
//! variant, not the per-thread sum that wins.
//!
//! Signal: lock contention. Time in the lock's slow path (`futex_wait`,
//! `Mutex::lock_contended`) under the loop in a many-threaded profile; this
//! crate counts `shared updates` per call in `cargo bench --
//! lock_contention/`.
//!
//! ## Claim
//! "Lock contention in concurrent code" costs throughput; per-thread
//! accumulation merged at the end (or an atomic) removes it.
//!
//! ## Measured
//! `shared updates` are exact: one per item for `bad` and `atomic`, one per
//! thread for `good`, at every size. What the table separates: with little or
//! no work between updates, every update on two threads moves the lock's line
//! between the cores, so the second core can cost more than it brings, which
//! per-thread accumulation avoids; the atomic skips the lock's second atomic
//! and its waiting, but its line still moves between cores on every update. At
//! one thread with no work the local sum can also be vectorised, which is not
//! locking; with real work per item one thread shows only the lock's own two
//! atomics. As the work per item grows, the lock's share of each item fades,
//! and [`modelled`] says by how much.
//!
//! On more cores: this hint's page, `results/hints/lock_contention.md`, has
//! 16-thread rows from an imported record of a 16-core Intel Xeon. By the
//! model, more threads on one line make every update wait for more line moves,
//! and the work per item at which contention stops mattering grows with them.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- lock_contention/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lock_contention.md"))]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{Rounds, Threads, Work, work, thread_grid};

/// Items per call, shared evenly between the threads.
pub const ITEMS: usize = 20_000;

/// Rounds of [`work`] per item between two updates of the total.
pub const ROUNDS: &[usize] = &[0, 10, 30, 100];

/// An uncontended lock and unlock, in rounds of [`work`]: two atomic
/// read-modify-writes, 10-20 ns.
pub const LOCK_ROUNDS: f64 = 10.0;

/// Moving the total's cache line from the core that updated it last, in
/// rounds of [`work`]: tens of nanoseconds.
pub const LINE_ROUNDS: f64 = 50.0;

/// The speedups of `good` and `atomic` over `bad` on `threads` threads at
/// `rounds` per item that the cost model gives, from the time per item.
/// One thread: `bad` pays [`LOCK_ROUNDS`] per item, `atomic` half of it,
/// `good` nothing. More: every update of `bad` and `atomic` moves the line
/// ([`LINE_ROUNDS`]) on top of the item's work, which the threads share; and
/// the updates go one at a time, so a call takes at least one line move of
/// wall time per item. Where the `T` threads' updates collide (`T` line
/// moves take longer than an item's work), `bad` takes two: a waiting thread
/// takes the line from the holder, who needs it back to unlock. `atomic`
/// never waits.
pub fn modelled(threads: usize, rounds: usize) -> (f64, f64) {
    let (t, r) = (threads.max(1) as f64, rounds as f64);
    // Wall time per item, in rounds: the work is shared by the threads.
    let good = (r / t).max(f64::MIN_POSITIVE);
    if threads <= 1 {
        let bad = r + LOCK_ROUNDS;
        return (bad / good, bad / (r + LOCK_ROUNDS / 2.0));
    }
    // Each thread's items, each with its update moving the line.
    let shared = (r + LINE_ROUNDS) / t;
    let collide = t * LINE_ROUNDS > r;
    let bad = if collide { shared.max(2.0 * LINE_ROUNDS) } else { shared };
    let atomic = shared.max(LINE_ROUNDS);
    (bad / good, bad / atomic)
}

/// The items, the work per item and a pool of exactly the size's threads.
pub type Input = Work;

/// Locks the one shared `Mutex<u64>` for every item.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    let total = Mutex::new(0u64);
    input.pool.broadcast(|ctx| {
        for &x in input.share(ctx.index()) {
            let v = work(x, input.rounds);
            probe.add("shared updates", 1);
            let mut t = total.lock().expect("no thread panics holding the lock");
            *t = t.wrapping_add(v);
        }
    });
    total.into_inner().expect("no thread panicked")
}

/// Sums in a local per thread, then locks the shared total once per thread.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    let total = Mutex::new(0u64);
    input.pool.broadcast(|ctx| {
        let local = input
            .share(ctx.index())
            .iter()
            .fold(0u64, |acc, &x| acc.wrapping_add(work(x, input.rounds)));
        probe.add("shared updates", 1);
        let mut t = total.lock().expect("no thread panics holding the lock");
        *t = t.wrapping_add(local);
    });
    total.into_inner().expect("no thread panicked")
}

/// `fetch_add`s every item into one shared `AtomicU64`: no lock, one RMW per item.
pub fn atomic<P: Probe>(input: &Input, probe: &P) -> u64 {
    let total = AtomicU64::new(0);
    input.pool.broadcast(|ctx| {
        for &x in input.share(ctx.index()) {
            let v = work(x, input.rounds);
            probe.add("shared updates", 1);
            total.fetch_add(v, Ordering::Relaxed);
        }
    });
    total.into_inner()
}

/// `n` fixed-seed items, `rounds` of work each, and a pool of `threads` threads.
pub fn input(threads: usize, n: usize, rounds: usize) -> Input {
    Work::new(STREAM, threads, n, rounds)
}

/// This hint's rng stream.
const STREAM: u64 = 71;

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "lock_contention";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::LOCK_CONTENTION];
    const SIZE: &'static str = "threads, work per item (20,000 items)";
    const CLAIM: &'static str = "one shared lock per update costs throughput under contention; accumulate per thread, merge once";
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
        v.variant("atomic", |i: &Input, p| atomic(i, p));
    }

    /// Lock acquisitions (`bad`, `good`) and `fetch_add`s (`atomic`) are exact
    /// whatever the timing.
    fn expect() -> Vec<Expect<Threads<Rounds>>> {
        let per_item = |_| ITEMS as u64;
        vec![
            expect::exactly(Figure::Counter("shared updates"), "bad", per_item),
            expect::exactly(Figure::Counter("shared updates"), "good", |size| {
                size.threads.max(1) as u64
            }),
            expect::exactly(Figure::Counter("shared updates"), "atomic", per_item),
        ]
    }

    /// From [`modelled`]: `good` faster wherever the lock is a fair share of
    /// an item (one thread, little work) or sets the pace (several threads),
    /// level or faster where the work dwarfs it; `atomic` likewise, by less.
    fn predict(size: Threads<Rounds>) -> Vec<Prediction> {
        let (good, atomic) = modelled(size.threads, size.x);
        vec![Prediction::from_model("good", good), Prediction::from_model("atomic", atomic)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(threads: usize, rounds: usize) -> Vec<Prediction> {
        Case::predict(Threads::new(threads, rounds))
    }

    /// Neither fix is ever predicted to lose; without work per item both
    /// win at any thread count, and more threads contend more: a row the
    /// model calls level or faster on two threads is faster on sixteen.
    #[test]
    fn predictions_follow_the_cost_model_at_any_thread_count() {
        for t in [1, 2, 4, 16] {
            for rounds in ROUNDS.iter().copied() {
                for p in predict(t, rounds) {
                    assert!(!p.slower, "{t} threads, {rounds} rounds: {p:?}");
                }
            }
            for p in predict(t, 0) {
                assert_eq!(p, Prediction::faster(p.variant), "{t} threads, no work");
            }
        }
        for p in predict(16, 100) {
            assert_eq!(p, Prediction::faster(p.variant), "16 threads, 100 rounds");
        }
    }
}
