//! # One lazy iterator chain, not a `collect` per stage (`iterator_fusion`)
//!
//! ## Cost model
//! A pipeline written as stages that each `collect()` into a `Vec` allocates
//! a whole intermediate collection per stage, writes every item into it and
//! reads it back in the next stage. Peak memory holds at least two of those
//! collections at once, and a stage after a `filter` does not know its length,
//! so its `Vec` grows by doubling on top.
//!
//! Here the pipeline is: parse-like map (`x * 3 + 1` widened to `u64`), keep
//! the odd ones, square them, sum. The size is the number of input values.
//!
//! ## The fix
//! Write the stages as one iterator chain ending in the consumer
//! (`iter().map(..).filter(..).map(..).sum()`): iterator adapters are lazy,
//! so each item goes through every stage before the next one is read, nothing
//! is stored between stages, and the compiler fuses the stages into one loop.
//! This is Rust's version of the sources' Python "use a generator" hint.
//!
//! ## When it does not help
//! A `collect` is right when the next stage needs the whole collection: a
//! sort, a second pass over the same items, a lookup by index, or a result
//! that is returned or kept. Chaining there is not possible without
//! collecting anyway. A stage written as `vec.into_iter()..collect()` into
//! a `Vec` of the same element size can reuse the old buffer (std collects in
//! place there), which hides part of the cost; `bad` here reads each stage
//! through `iter()`, as a stage that keeps its input must. For a handful of items the allocations are a few
//! hundred instructions and the difference does not matter.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent: `clippy::needless_collect`
//! (nursery, opt-in), which flags a `collect` consumed at once (by `len`,
//! `is_empty`, `contains` or `into_iter`), not stages bound to variables and
//! iterated once each.
//!
//! Signal: allocation profile. `collect` into a `Vec` that is only iterated
//! once afterwards: an allocation per stage, and a peak heap that grows with
//! the input (the allocs and peak bytes columns of `cargo bench --
//! iterator_fusion/`).
//!
//! ## Claim
//! No intermediate collections (the sources' Python generator hint: O(1)
//! memory instead of O(N)).
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! iterator_fusion` (exact, repeatable). `bad` allocates its three
//! intermediate `Vec`s, the filtered one growing by doubling, and requests
//! memory in proportion to n; `good` allocates nothing. The peak bytes column
//! is the claim's memory side, checked by validate: `bad` holds all three
//! stages at once, a peak that grows in proportion to n, and `good`'s peak is
//! 0 at every n. At a handful of values
//! the allocator calls are nearly all of `bad`'s instructions; at larger n the
//! fused loop does the same arithmetic, and what it drops is writing and
//! re-reading each stage.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- iterator_fusion/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/iterator_fusion.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Collects into a `Vec` after each stage, then sums the last one.
pub fn bad(values: &[u32]) -> u64 {
    let widened: Vec<u64> = values.iter().map(|&v| u64::from(v) * 3 + 1).collect();
    let odd: Vec<u64> = widened.iter().copied().filter(|v| v % 2 == 1).collect();
    let squared: Vec<u64> = odd.iter().map(|&v| v.wrapping_mul(v)).collect();
    squared.iter().fold(0u64, |acc, &v| acc.wrapping_add(v))
}

/// Runs the same stages as one lazy chain, item by item, storing nothing.
pub fn good(values: &[u32]) -> u64 {
    values
        .iter()
        .map(|&v| u64::from(v) * 3 + 1)
        .filter(|v| v % 2 == 1)
        .map(|v| v.wrapping_mul(v))
        .fold(0u64, u64::wrapping_add)
}

/// `n` random values, the same on every run.
pub fn input(n: usize) -> Vec<u32> {
    let mut rng = crate::rng(43);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "iterator_fusion";
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::STREAMING, sources::GENERATORS, sources::STREAM_WHEN];
    const SIZE: &'static str = "n";
    const CLAIM: &'static str = "no intermediate collections (generator hint: O(1) memory, not O(N))";
    type Param = usize;
    type Input = Vec<u32>;
    type Output = u64;

    /// From a handful of values, where the allocations are the whole
    /// difference, to 100,000 (a 1.6 MB intermediate `Vec<u64>` and more).
    fn sizes() -> &'static [usize] {
        &[10, 1_000, 100_000]
    }

    const INPUT: fn(usize) -> Vec<u32> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u32>, _| bad(i));
        v.variant("good", |i: &Vec<u32>, _| good(i));
    }

    /// No intermediate `Vec`s: at a handful of values `good` skips the
    /// allocator calls that are most of `bad`'s work, at large n the writing
    /// and re-reading of every stage. Faster at every size: where the module
    /// says the difference does not matter (a handful of items), it means a
    /// few hundred instructions in a program, which is still most of a call
    /// over ten values.
    fn predict(_n: usize) -> Vec<Prediction> {
        vec![Prediction::faster("good")]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::fewer(Figure::Allocs, "good", "bad"),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(1_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
            // The claim itself, O(1) memory against O(n): `good` holds no
            // heap memory at any n, `bad` holds its stages at once.
            expect::exactly(Figure::PeakBytes, "good", |_| 0),
            expect::grows_in(Figure::PeakBytes, "bad", Growth::Linear),
        ]
    }
}
