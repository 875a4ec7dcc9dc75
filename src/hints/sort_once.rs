//! # Sort once, outside the loop (`sort_once`)
//!
//! ## Cost model
//! A helper that copies and sorts its data before it can binary-search is
//! fine when called once. Called once per query, it pays the copy (an
//! allocation and `n` writes) and an O(n log n) sort every time, for an
//! answer the search finds in O(log n). With `q` queries over `n` values that
//! is O(q·n log n); with as many queries as values, O(n² log n).
//!
//! ## The fix
//! Sort one copy before the loop and binary-search it for every query:
//! O(n log n) once plus O(log n) per query, one allocation in all. The sorted
//! data depends only on the values, not on the query, so it is loop-invariant
//! work like any other.
//!
//! ## When it does not help
//! With one query both do the same work: one copy, one sort, one search. For
//! a handful of queries over unsorted data a plain linear count per query
//! (O(n) each, no sort at all) beats sorting. When the values change between
//! queries, a sort up front goes stale: keep them in a sorted structure
//! (`BTreeMap`) or re-sort only when they change. For a few values the sort
//! is an insertion sort over a cache line and both variants take tens of
//! nanoseconds, but `bad` still pays an allocation per query.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a sort inside a loop: `core::slice::sort` under the loop body in a
//! flame graph, and allocations per iteration for the copy (the allocs column
//! of `cargo bench -- sort_once/`).
//!
//! ## Claim
//! Removes a factor of n log n: q·O(n log n) becomes O(n log n) + q·O(log n).
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate sort_once`, the same on
//! every run) show the model: `bad` allocates a copy per query and `good` one
//! copy in all; at one query the two run the same instructions, and from four
//! on `bad` runs more, by a ratio that grows about in proportion to n. At one
//! query, then, there is nothing for `good` to save, and any gap in time there
//! is code placement rather than the hint.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- sort_once/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/sort_once.md"))]

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// How many values are below `q`: the helper the loops call, as it is
/// often written, sorting a copy of its input every time.
fn rank_sorting(values: &[u32], q: u32) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.partition_point(|&v| v < q)
}

/// Calls a helper that copies and sorts the values, once per query.
pub fn bad(values: &[u32], queries: &[u32]) -> Vec<usize> {
    queries.iter().map(|&q| rank_sorting(values, q)).collect()
}

/// Sorts one copy before the loop, then binary-searches it for each query.
pub fn good(values: &[u32], queries: &[u32]) -> Vec<usize> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    queries
        .iter()
        .map(|&q| sorted.partition_point(|&v| v < q))
        .collect()
}

/// Values to rank against and queries to rank.
pub struct Ranks {
    pub values: Vec<u32>,
    pub queries: Vec<u32>,
}

/// `n` random values and `n` random queries from the same range, so ranks
/// spread over the whole table; duplicates happen. The same on every run.
pub fn input(n: usize) -> Ranks {
    let mut rng = crate::rng(22);
    let range = (4 * n as u32).max(1);
    let values = (0..n).map(|_| rng.random_range(0..range)).collect();
    let queries = (0..n).map(|_| rng.random_range(0..range)).collect();
    Ranks { values, queries }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "sort_once";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::SORT_IN_LOOP, sources::RIGHT_STRUCTURE];
    const SIZE: &'static str = "values = queries";
    const CLAIM: &'static str = "removes a factor of n log n: q·O(n log n) -> O(n log n) + q·O(log n)";
    type Param = usize;
    type Input = Ranks;
    type Output = Vec<usize>;

    /// Capped: `bad` is O(n² log n), and past a few thousand values one call
    /// takes longer than a benchmark should.
    fn sizes() -> &'static [usize] {
        &[1, 4, 32, 256, 2_048]
    }

    const INPUT: fn(usize) -> Ranks = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Ranks, _| bad(&r.values, &r.queries));
        v.variant("good", |r: &Ranks, _| good(&r.values, &r.queries));
    }

    /// One query is one copy, one sort and one search either way; from a few
    /// queries on, `bad` repeats the copy and the sort for each.
    fn predict(size: usize) -> Vec<Prediction> {
        vec![match size {
            ..=1 => Prediction::level("good"),
            _ => Prediction::faster("good"),
        }]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // One copy per query plus the output, against one copy plus the output.
            expect::exactly(Figure::Allocs, "bad", |n| n as u64 + 1),
            expect::exactly(Figure::Allocs, "good", |_| 2),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(4)),
            // One query: one copy, one sort, one search either way.
            expect::no_better(Figure::Instructions, "good", "bad", 0.95).at(Sizes::UpTo(1)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 100.0).at(Sizes::From(2_048)),
            // `good` is O(n log n); `bad` grows faster still.
            expect::grows(Figure::Instructions, Growth::NLogN),
        ]
    }
}
