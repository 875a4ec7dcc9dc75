//! # Accumulate per thread, merge once (`lock_contention`)
//!
//! ## Cost model
//! `T` threads share [`ITEMS`] items; each item takes some work (`r` rounds
//! of a cheap 64-bit mix, about 1.4 ns a round here) and adds its result to
//! one total behind a `Mutex<u64>`. Every item pays a lock and an unlock, two
//! atomic read-modify-writes on one cache line. With more than one thread
//! that line moves between cores on every update, and a thread that finds the
//! lock taken spins or sleeps: the updates run one at a time however many
//! threads there are.
//!
//! ## The fix
//! Each thread sums its own share in a local variable and adds it to the
//! shared total once at the end: `T` lock acquisitions instead of one per
//! item. The `atomic` variant keeps one shared `AtomicU64` and `fetch_add`s
//! every item into it: no lock, but still one contended read-modify-write on
//! the same line per item.
//!
//! ## When it does not help
//! When each item does much more work than the update, the lock is rarely
//! taken at the same moment by two threads and its cost is small next to the
//! work: all three variants run at the same speed. On one thread there is no
//! contention; an uncontended lock still costs its two atomic instructions
//! per item, which local accumulation saves (and lets the compiler vectorise
//! a plain sum). This machine has 2 cores, so the table has 1 and 2 threads
//! only. Contention grows with the threads fighting for the line, so on more
//! cores the small-work rows should get worse for `bad` and `atomic`, while
//! per-thread accumulation has nothing shared to fight over until the merge.
//!
//! ## Claim
//! "Lock contention in concurrent code" costs throughput; per-thread
//! accumulation merged at the end (or an atomic) removes it.
//!
//! ## Measured
//! `shared updates` are exact: 20,000 (one per item) for `bad` and
//! `atomic`, `T` for `good`, at every size. Times from
//! `cargo bench --bench hints -- 'parallel_iter/|lock_contention/|sharded_map/'`
//! on this 2-core AMD EPYC VM while other builds shared it (load average
//! 1.1-1.6 during the run), so indicative only; in brackets, an earlier run
//! of `cargo bench --bench hints -- lock_contention/` (load 0.8-1.4):
//!
//! | rounds/item | 1 thread: `good` / `atomic` vs `bad` | 2 threads: `good` / `atomic` vs `bad` | `bad` ns/item, 1 → 2 threads |
//! | --- | --- | --- | --- |
//! | 0 | 10.4x / 1.44x (10.8x / 1.61x) | 20.6x / 2.37x (22.9x / 3.07x) | 8.2 → 17.0 (7.9 → 21.5) |
//! | 10 | 0.98x / 1.11x (1.12x / 1.18x) | 6.90x / 3.66x (6.96x / 3.48x) | 9.7 → 30.7 (9.9 → 28.5) |
//! | 30 | 1.06x / 1.00x (1.06x / 1.11x) | 1.91x / 1.64x (1.43x / 1.27x) | 36.4 → 33.3 (38.0 → 26.6) |
//! | 100 | 0.99x / 1.00x (1.00x / 1.07x) | 1.05x / 1.03x (1.14x / 1.14x) | 125 → 72 (136 → 79) |
//!
//! With little or no work between updates, two threads on one `Mutex` took
//! 2-3x longer than one thread for the same items: contention made the
//! second core a loss. The atomic is cheaper than the lock, but its line
//! still moves between cores (4.9 → 7.0 ns per item in the earlier run). At
//! one thread the 10x at 0 rounds is mostly the local sum being vectorised,
//! not locking; from 10 rounds on, one thread shows at most 1.18x (1.25x in
//! the record below). By
//! 100 rounds (about 125 ns of work per item) the lock costs 5-14 % at 2
//! threads, and both `good` and `bad` scale about 1.7-2x from 1 to 2
//! threads. Not measured on more cores: more threads on one lock line should
//! push the small-work rows further against `bad` and `atomic` and move the
//! point where contention stops mattering to more work per item; per-thread
//! accumulation shares nothing until its `T` merges.
//!
//! The published record (`results/records/2026-11-22T01-52-24Z-c23c565d179d.json`,
//! `PERF_HINTS_RECORD=1 cargo bench --features python`, a quiet machine),
//! `good` / `atomic` against `bad`: at 2 threads 30.5x / 3.40x at 0 rounds,
//! 5.48x / 2.63x at 10, 1.97x / 1.84x at 30, 1.11x / 1.00x at 100; at 1
//! thread 6.94x / 1.56x at 0, 1.25x / 1.24x at 10, 1.03x / 1.01x at 100.
//! `bad` took 24.2 ns per item at 2 threads and 0 rounds against 7.4 at one.
//!
//! Rerun with `cargo bench -- lock_contention/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lock_contention.md"))]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};


use crate::judge::expect::{self, Expect, Figure};
use crate::hint::{Hint, Probe, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::support::threads::{Rounds, Threads};
use crate::model::{Change, Row};
use crate::support::threads::{Work, work};

/// Items per call, shared evenly between the threads.
pub const ITEMS: usize = 20_000;

/// Rounds of [`work`] per item between two updates of the total.
pub const ROUNDS: &[usize] = &[0, 10, 30, 100];

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
    const SIZE: &'static str = "threads, work per item (20,000 items)";
    const CLAIM: &'static str = "one shared lock per update costs throughput under contention; accumulate per thread, merge once";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Rounds>;
    type Input = Input;
    type Output = u64;

    fn sizes() -> &'static [Threads<Rounds>] {
        static SIZES: OnceLock<Vec<Threads<Rounds>>> = OnceLock::new();
        SIZES.get_or_init(|| Threads::grid(ROUNDS))
    }

    fn input(size: Threads<Rounds>) -> Input {
        Work::for_size(STREAM, size, ITEMS)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("atomic", |i: &Input, p| atomic(i, p));
    }

    /// 24 benchmarks of 1 s each.
    fn settings() -> Settings {
        Settings::short(20)
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

    fn verdict(size: Threads<Rounds>, row: &Row) -> Verdict {
        let (t, rounds) = (size.threads, size.x);
        let what = format!(
            "{}; {}; {:.1} / {:.1} / {:.1} ns per item",
            crate::judge::verdict::versus(row, "good", "per-thread", "mutex"),
            crate::judge::verdict::versus(row, "atomic", "atomic", "mutex"),
            row.per_item("bad", ITEMS),
            row.per_item("good", ITEMS),
            row.per_item("atomic", ITEMS)
        );
        if t <= 1 {
            return Verdict::new(
                Level::NotApplicable,
                format!("1 thread: no contention, only the lock's own cost: {what}"),
            );
        }
        let level = match (row.change("good"), row.speedup("good")) {
            (Some(Change::Faster), Some(s)) if s.lo >= 1.5 => Level::Holds,
            (Some(Change::Faster), _) => Level::Partly,
            _ => Level::DoesNotHold,
        };
        let what = if level == Level::DoesNotHold {
            format!("{rounds} rounds/item dwarf the update, contention stops mattering: {what}")
        } else {
            what
        };
        Verdict::new(level, what)
    }
}
