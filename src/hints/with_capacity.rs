//! # Reserve the capacity you know you need (`with_capacity`)
//!
//! ## Cost model
//! A `Vec` that starts empty and is pushed into grows by doubling: each time
//! it runs out of room it asks the allocator for a block twice the size and
//! moves the elements over. Building `n` elements that way costs one
//! allocation plus about `log2(n)` reallocations, and up to `n` element moves
//! in total (the allocator can sometimes grow a block in place: at the top of
//! the heap, or with `mremap` for a block it mapped on its own).
//!
//! ## The fix
//! When the final length is known, say so: `Vec::with_capacity(n)` makes one
//! allocation of the right size and no push ever reallocates. The `push` loop
//! itself stays the same: the compiler cannot tell that `n` pushes fit in a
//! capacity of `n`, so each push still compares the length with the capacity
//! and keeps the grow path (and with it the `Vec`'s fields in memory rather
//! than registers). Better still, `collect()` from an iterator whose length is
//! exact (`slice::iter().map(..)`) reserves it for you and writes without a
//! check per element, so that loop vectorises.
//!
//! ## When it does not help
//! Doubling already makes growth amortised O(1): the reallocations are about
//! `log2(n)` allocator calls, and the moves are often saved by growing in
//! place. So reserving matters most for many short vectors, where those calls
//! are a large share of the work; for long vectors of cheap elements the time
//! saved is small next to the `n` pushes, which reserving does not change.
//! When the length is unknown, a guess that is too large wastes memory, and
//! reserving inside a loop (`reserve_exact` per push) is worse than doubling.
//! The same holds for maps (see `map_capacity`): a `HashMap` reserved far past
//! what it ends up holding iterates over all its buckets, empty or not.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::vec_init_then_push` (perf, on by default), which flags
//! `Vec::new()` followed directly by a fixed run of `push` calls, not pushes
//! in a loop of known length.
//!
//! Signal: allocation profile. `realloc` calls (or a wide
//! `alloc::raw_vec::finish_grow` in a flame graph) under a loop that pushes a
//! known number of items; the allocs column of `cargo bench --
//! with_capacity/` counts the reallocations per call.
//!
//! ## Claim
//! One allocation instead of about `log2(n)` reallocations.
//!
//! ## Measured
//! Allocation counts are exact: at n = 1,000,000 `bad` makes 1 allocation and
//! 18 reallocations, `good` and `collect` 1 (a test checks it). `collect`
//! writes through an exact-size iterator with no capacity check per element.
//! `good` makes fewer allocator calls and runs fewer instructions than `bad`
//! at every size (the exact counts); the share of the work that saves is
//! largest where the allocator calls are most of it, and shrinks for large n,
//! where the element writes dominate. There what is left to differ in time can
//! depend on where the linker put the code, which is why the table's intervals
//! are taken across differently laid-out builds; take the allocation and
//! instruction counts as what reserving saves for large n.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- with_capacity/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/with_capacity.md"))]

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
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
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::RESERVE];
    const SIZE: &'static str = "n";
    const CLAIM: &'static str = "one allocation instead of ~log2(n) reallocations";
    type Param = usize;
    type Input = Vec<u32>;
    type Output = Vec<u64>;

    fn sizes() -> &'static [usize] {
        &[10, 1_000, 100_000, 1_000_000]
    }

    const INPUT: fn(usize) -> Vec<u32> = input;

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

    /// At 10 and 1,000 elements the reallocations are a large share of the
    /// work: `good` is faster. From 100,000 they are about `log2(n)` calls
    /// next to `n` pushes, and the moves depend on whether the allocator grows
    /// in place: level, or faster where it moves. `collect` also drops the
    /// per-element check and vectorises: faster at every size.
    fn predict(size: usize) -> Vec<Prediction> {
        let good = if size <= 1_000 {
            Prediction::faster("good")
        } else {
            Prediction::level("good").or_faster()
        };
        vec![good, Prediction::faster("collect")]
    }
}
