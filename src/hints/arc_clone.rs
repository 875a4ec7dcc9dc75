//! # Borrow the shared value, don't clone its `Arc` per item (`arc_clone`)
//!
//! ## Cost model
//! `Arc::clone` adds one to the reference count with an atomic
//! read-modify-write (`lock xadd` on x86), and dropping the clone subtracts
//! one with another (and checks for zero). Neither can be merged or removed
//! by the compiler. Alone on one core, an atomic read-modify-write on a line
//! already in its cache costs some 20 cycles, about [`RMW_NS`]: a clone and
//! its drop, a few ns each, well below the sources' 10-20 ns per clone (the
//! `Arc clone` row of `results/costs.md` is the measured figure, from the
//! same run as the table below).
//!
//! Shared by several threads, the count is one cache line that every clone
//! and every drop must own exclusively: with two threads cloning the same
//! `Arc`, nearly every one of them first takes the line from the other core
//! ([`LINE_NS`], tens of nanoseconds), and the moves go one at a time,
//! however many threads there are. The count also sits on the same line as
//! the first fields of the value it guards (here the table's pointer and
//! length), so each read of them in `bad` follows the line too.
//!
//! The job: [`ITEMS`] items shared evenly between `T` threads, each item
//! mixed with one entry of a read-only lookup table in a shared `Config`
//! and then put through `r` rounds of a cheap 64-bit mix (about five
//! dependent cycles, [`ROUND_NS`], a round) before it is summed. [`modelled`]
//! turns this into a time per item for each variant.
//!
//! ## The fix
//! Pass `&Config` where the callee only reads it during the call: one
//! borrow of the one `Arc`, no count touched per item. A thread that must
//! own a handle (a `std::thread::spawn`, a `tokio::spawn`) clones once per
//! thread or task, not per item; here the threads of a scoped pool borrow
//! it, so `good` clones nothing at all.
//!
//! ## When it does not help
//! On one thread, when each item does a hundred nanoseconds of work or more,
//! the clone's two uncontended atomics are a few percent of it. A
//! callee that keeps the value beyond the call (stores it in a struct, moves
//! it into a spawned task) needs its own `Arc`, and a clone is the cheap,
//! correct way to get one. On two or more threads the clone does not fade
//! with work the same way: each clone and drop still waits for the line, so
//! it costs more than uncontended even with much work between them.
//!
//! ## Finding it
//! Caught by: `clippy::needless_pass_by_value` (pedantic, opt-in): it flags
//! the handler that takes the `Arc<Config>` by value (`handle_owned`) where a
//! `&Config` would do. It sees the signature that forces the clone, not the
//! clone at the call site. Checked and silent: `clippy::clone_on_ref_ptr`
//! (restriction, opt-in), which only asks for the `Arc::clone(&x)` spelling
//! that `bad` already uses, and `clippy::redundant_clone` (nursery, opt-in).
//!
//! Signal: a flame graph with `Arc::clone`/`drop` (atomic `lock xadd`) per
//! item under a hot, many-threaded loop; this crate counts `Arc clones` per
//! call in `cargo bench -- arc_clone/`.
//!
//! ## Claim
//! "Arc clone 10-20 ns", so a `Box`/`Arc` where a plain reference (or the
//! stack) would do is a cost (sources). Checked as the difference per item,
//! `bad` minus `good` divided by [`ITEMS`], on the zero-work rows: one
//! clone and its drop per item. The model expects less than the claim on
//! one thread (two uncontended atomics) and more on two (two line moves).
//!
//! ## Measured
//! The `Arc clones` counter is exact at every size (`cargo run --release --
//! validate arc_clone` checks it): one per item for `bad`, none for `good`.
//!
//! To read the cost of a clone from the table: divide the difference between
//! `bad` and `good` on the zero-rounds rows by the [`ITEMS`] items for the
//! time a clone and its drop take, uncontended (one thread) and contended
//! (two), and compare it with the sources' figure. On the rows with more work,
//! [`modelled`] says what to look for: on one thread the clone's two
//! uncontended atomics become a small share of each item, while on two threads
//! every clone and drop still waits for the count's line. On a machine whose
//! cores are busy with other work, threads wait for the scheduler, and the
//! two-thread rows then say more about that than about the count's line.
//!
//! Not measured on more cores: all threads' clones and drops take turns on the
//! one line, so by the model `bad`'s time per item stops shrinking with more
//! threads while `good`'s keeps dividing by `T`.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- arc_clone/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/arc_clone.md"))]

use std::sync::Arc;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{Rounds, Threads, Work, work, thread_grid};

/// Items per call, shared evenly between the threads.
pub const ITEMS: usize = 10_000;

/// Rounds of [`work`] per item: none, about the clone's cost, and much more.
pub const ROUNDS: &[usize] = &[0, 20, 200];

/// Entries in the shared lookup table (a power of two).
pub const TABLE: usize = 256;

/// The counter: `Arc::clone` calls.
pub const CLONES: &str = "Arc clones";

/// One round of [`work`]: a shift, an xor and a multiply in a dependent
/// chain, about five cycles.
pub const ROUND_NS: f64 = 1.5;

/// The rest of an item: a table lookup, the mix and the sum.
pub const ITEM_NS: f64 = 1.0;

/// An uncontended atomic read-modify-write on a line in this core's cache,
/// about 20 cycles: a clone is one, its drop another.
pub const RMW_NS: f64 = 5.0;

/// Taking a cache line that another core last wrote: tens of nanoseconds.
pub const LINE_NS: f64 = 60.0;

/// The speedup of `good` over `bad` on `threads` threads at `rounds` per
/// item that the cost model gives, from the wall time per item. One
/// thread: `bad` adds two uncontended atomics ([`RMW_NS`]) to each item.
/// More: the other threads clone and drop the same `Arc` while an item's
/// work runs, so `bad`'s clone and drop each take the line from another
/// core ([`LINE_NS`]); the work divides between the threads, but the line
/// moves go one at a time, so a call takes at least two moves per item.
pub fn modelled(threads: usize, rounds: usize) -> f64 {
    let t = threads.max(1) as f64;
    let item = ITEM_NS + rounds as f64 * ROUND_NS;
    if threads <= 1 {
        return (item + 2.0 * RMW_NS) / item;
    }
    let bad = ((item + 2.0 * LINE_NS) / t).max(2.0 * LINE_NS);
    bad / (item / t)
}

/// What every item reads: a lookup table and a salt.
#[derive(Debug)]
pub struct Config {
    pub table: Vec<u64>,
    pub salt: u64,
}

impl Config {
    /// One item's result: its table entry and the salt mixed in, then
    /// `rounds` of [`work`].
    #[inline]
    pub fn apply(&self, x: u64, rounds: u32) -> u64 {
        let entry = self.table[x as usize % self.table.len()];
        work(x ^ entry ^ self.salt, rounds)
    }
}

/// The items, the rounds per item and the pool (in [`Work`]), and the one
/// `Arc<Config>` that every thread shares.
pub struct Input {
    pub work: Work,
    pub config: Arc<Config>,
}

/// An API that takes ownership of a handle: the caller must clone to call it.
fn handle_owned(x: u64, config: Arc<Config>, rounds: u32) -> u64 {
    config.apply(x, rounds)
}

/// An API that borrows: the caller passes the reference it has.
fn handle_borrowed(x: u64, config: &Config, rounds: u32) -> u64 {
    config.apply(x, rounds)
}

/// Clones the shared `Arc` for every item, passes the clone by value, drops it.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    let w = &input.work;
    w.pool
        .broadcast(|ctx| {
            let mut sum = 0u64;
            for &x in w.share(ctx.index()) {
                probe.add(CLONES, 1);
                let config = Arc::clone(&input.config);
                sum = sum.wrapping_add(handle_owned(x, config, w.rounds));
            }
            sum
        })
        .into_iter()
        .fold(0, u64::wrapping_add)
}

/// Borrows the one `Arc`'s value as `&Config` for every item: no clone.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    let w = &input.work;
    let config: &Config = &input.config;
    w.pool
        .broadcast(|ctx| {
            probe.add(CLONES, 0);
            let mut sum = 0u64;
            for &x in w.share(ctx.index()) {
                sum = sum.wrapping_add(handle_borrowed(x, config, w.rounds));
            }
            sum
        })
        .into_iter()
        .fold(0, u64::wrapping_add)
}

/// The same sum on the calling thread, without the pool: what every
/// variant must return.
pub fn sequential(input: &Input) -> u64 {
    input
        .work
        .items
        .iter()
        .fold(0u64, |s, &x| s.wrapping_add(input.config.apply(x, input.work.rounds)))
}

/// This hint's rng stream (items); the table comes from the next one.
const STREAM: u64 = 131;

/// A fixed-seed table of [`TABLE`] entries and salt.
pub fn config() -> Config {
    let mut rng = crate::rng(STREAM + 1);
    Config {
        table: (0..TABLE).map(|_| rng.random()).collect(),
        salt: rng.random(),
    }
}

/// `n` fixed-seed items, `rounds` of work each, on `threads` threads.
pub fn input(threads: usize, n: usize, rounds: usize) -> Input {
    Input {
        work: Work::new(STREAM, threads, n, rounds),
        config: Arc::new(config()),
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "arc_clone";
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::ARC_CLONE, sources::NO_BOX];
    const SIZE: &'static str = "threads, work per item (10,000 items)";
    const CLAIM: &'static str =
        "Arc clone 10-20 ns: borrow the shared value instead of cloning its Arc per item (sources)";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Input;
    type Output = u64;

    fn sizes() -> &'static [Threads<Rounds>] {
        thread_grid!(Rounds, ROUNDS)
    }

    const INPUT: fn(Threads<Rounds>) -> Input = |size| {
        Input {
            work: Work::for_size(STREAM, size, ITEMS),
            config: Arc::new(config()),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
    }

    /// One clone per item for `bad`, none for `good`, whatever the timing.
    fn expect() -> Vec<Expect<Threads<Rounds>>> {
        vec![
            expect::exactly(Figure::Counter(CLONES), "bad", items),
            expect::exactly(Figure::Counter(CLONES), "good", |_| 0),
        ]
    }

    /// From [`modelled`]: on one thread `good` faster where an item's work
    /// is a few ns (the clone's two atomics are most of it) and level at 200
    /// rounds (they are 3 % of it); on two or more, faster at every work
    /// size, since the count's line moves for every clone and drop. With no
    /// work the claim's 10-20 ns per clone is ten times an item's own cost
    /// or more: even at a third of it `good` is twice as fast, so those rows
    /// must reach 2x.
    fn predict(size: Threads<Rounds>) -> Vec<Prediction> {
        let p = Prediction::from_model("good", modelled(size.threads, size.x));
        vec![if size.x == 0 { p.by(2.0) } else { p }]
    }
}

/// The items a call of `size` handles: [`ITEMS`], or the edge sizes' none or one.
fn items(size: Threads<Rounds>) -> u64 {
    match size.threads {
        0 => size.x as u64,
        _ => ITEMS as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(threads: usize, rounds: usize) -> Prediction {
        Case::predict(Threads::new(threads, rounds))[0]
    }

    /// One thread: faster with little work, level with much; two or more:
    /// faster at every work size; never slower.
    #[test]
    fn predictions_follow_the_cost_model_at_any_thread_count() {
        assert_eq!(predict(1, 0), Prediction::faster("good").by(2.0));
        assert_eq!(predict(1, 20), Prediction::faster("good"));
        assert_eq!(predict(1, 200), Prediction::level("good"));
        for t in [2, 4, 16] {
            for &r in ROUNDS {
                let p = predict(t, r);
                assert!(p.faster && !p.level && !p.slower, "{t} threads, {r} rounds: {p:?}");
            }
        }
    }
}
