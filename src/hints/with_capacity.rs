//! # Reserve the capacity you know you need (`with_capacity`)
//!
//! ## Cost model
//! A `Vec` that starts empty and is pushed into grows by doubling: each time
//! it runs out of room it asks the allocator for a block twice the size and
//! moves the elements over. Building `n` elements that way costs one
//! allocation plus about `log2(n)` reallocations, and up to `n` element moves
//! in total (the allocator can sometimes grow a block in place).
//!
//! ## The fix
//! When the final length is known, say so: `Vec::with_capacity(n)` makes one
//! allocation of the right size and no push ever reallocates. Better still,
//! `collect()` from an iterator whose length is exact (`slice::iter().map(..)`)
//! reserves it for you.
//!
//! ## When it does not help
//! Doubling already makes growth amortised O(1), so for cheap elements the
//! time saved is small next to the work of producing the elements; it matters
//! most for many short-lived vectors. When the length is unknown, a guess that
//! is too large wastes memory, and reserving inside a loop
//! (`reserve_exact` per push) is worse than doubling.
//!
//! ## Claim
//! One allocation instead of about `log2(n)` reallocations.
//!
//! ## Measured
//! Allocation counts are exact: at n = 1,000,000 `bad` makes 1 allocation and
//! 18 reallocations, `good` and `collect` 1 (a test checks it). In record `2026-11-21T22-18-08Z`
//! (AMD EPYC, 2 cores; in `results/records/`):
//! `good` is 3.1x faster than `bad` at n = 10, where the allocator calls are
//! most of the work, and 1.0-1.3x from 1k up, a gap that moves between runs
//! (1.53x, then 1.02x at 1k). `collect` is 3.9-5.0x faster at every size, and
//! stable: it writes through an exact-size iterator with no capacity check per
//! element, so the loop vectorises, which the `push` loop does not.
//! Instruction counts from `cargo run --release -- validate` at n = 1M: 10.1M
//! (`bad`), 10.0M (`good`), 2.75M (`collect`).
//! Rerun with
//! `cargo bench -- with_capacity/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/with_capacity.md"))]

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};
use rand::Rng;

/// Pushes into a `Vec` that starts empty, so it reallocates as it grows.
pub fn bad(values: &[u32]) -> Vec<u64> {
    let mut out = Vec::new();
    for &v in values {
        out.push(u64::from(v) * u64::from(v));
    }
    out
}

/// Reserves the final length first, so no push reallocates.
pub fn good(values: &[u32]) -> Vec<u64> {
    let mut out = Vec::with_capacity(values.len());
    for &v in values {
        out.push(u64::from(v) * u64::from(v));
    }
    out
}

/// Collects from an exact-size iterator, which reserves the length itself.
pub fn collect(values: &[u32]) -> Vec<u64> {
    values.iter().map(|&v| u64::from(v) * u64::from(v)).collect()
}

/// `n` random values, the same on every run.
pub fn input(n: usize) -> Vec<u32> {
    let mut rng = crate::rng(4);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "with_capacity";
    const SIZE: &'static str = "n";
    const CLAIM: &'static str = "one allocation instead of ~log2(n) reallocations";
    type Param = usize;
    type Input = Vec<u32>;
    type Output = Vec<u64>;

    fn sizes() -> &'static [usize] {
        &[10, 1_000, 100_000, 1_000_000]
    }

    fn input(size: usize) -> Vec<u32> {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u32>, _| bad(i));
        v.variant("good", |i: &Vec<u32>, _| good(i));
        v.variant("collect", |i: &Vec<u32>, _| collect(i));
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::exactly(Figure::Allocs, "collect", |_| 1),
            expect::fewer(Figure::Allocs, "good", "bad"),
            expect::fewer_by(Figure::Instructions, "collect", "bad", 2.0).at(Sizes::From(1_000)),
            // Reserving saves the reallocations, not the per-element work: for
            // cheap elements the gap is small.
            expect::no_better(Figure::Instructions, "good", "bad", 0.8).at(Sizes::From(1_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let (Some(b), Some(g)) = (row.allocs("bad"), row.allocs("good")) else {
            return Verdict::new(Level::NotApplicable, "allocations not counted");
        };
        let log2 = (size.max(1) as f64).log2();
        let what = format!(
            "{} vs {} allocator calls (log2 n = {log2:.0}); {}",
            b.total(),
            g.total(),
            row.speed_note("good")
        );
        let level = match (g.total() == 1 && b.reallocs > 0, row.change("good")) {
            (true, Some(Change::Faster)) => Level::Holds,
            (true, _) => Level::Partly,
            (false, _) => Level::DoesNotHold,
        };
        Verdict::new(level, what)
    }
}
