//! # Keep the k best, do not sort them all (`top_k`)
//!
//! ## Cost model
//! Sorting every value to read the first `k` costs O(n log n) comparisons
//! and moves for an answer of `k` elements. Sorting needs a mutable copy of a
//! borrowed slice, so it also writes all `n` values once more and allocates
//! room for them.
//!
//! ## The fix
//! Scan once with a min-heap (`BinaryHeap<Reverse<_>>`) that never holds more
//! than `k` values: its top is the smallest of the best so far, and most
//! values are rejected with a single comparison against it. That is O(n log k)
//! in the worst case, close to O(n) on random order, and needs room for `k`
//! values, not `n`. `select_nth_unstable` is the other way: it partitions a
//! copy around the k-th largest in O(n) on average, then sorts only the `k`.
//!
//! ## When it does not help
//! When `n` is not much larger than `k`, sorting a few dozen values is cheap
//! (an insertion sort on a slice that fits in a cache line or two) and the
//! heap's bookkeeping costs more. Input that arrives in ascending order makes
//! every value enter the heap, the O(n log k) worst case. When `k` grows
//! towards `n`, or when you need the full order anyway, sort. The heap also
//! works on a stream that never sits in memory whole; the other two do not.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a full `sort` (`core::slice::sort`) of a large collection whose
//! result is cut to a few elements right after; the instructions column of
//! `cargo bench -- top_k/` grows as n log n instead of n.
//!
//! ## Claim
//! O(n log n) becomes O(n log k), here with k = 10.
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate top_k`, the same on
//! every run) show the model: at n = k the heap runs more instructions than
//! the sort, at 30 the two are about even, and from 100 on the heap runs
//! fewer, by a ratio that grows with n. Every variant makes one allocation,
//! but `bad` and `select_nth` copy all n values into theirs while the heap
//! holds k. The table puts the crossover in time beside the one in
//! instructions; at a million values `select_nth`'s copy of all n values is
//! what the heap's single pass does not pay.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- top_k/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/top_k.md"))]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// How many of the largest values every variant returns.
pub const K: usize = 10;

/// Sorts a copy of all values in descending order and keeps the first `k`.
pub fn bad(values: &[u32], k: usize) -> Vec<u32> {
    let mut all = values.to_vec();
    all.sort_unstable_by(|a, b| b.cmp(a));
    all.truncate(k);
    all
}

/// Scans once, keeping the `k` largest so far in a min-heap of size `k`.
pub fn good(values: &[u32], k: usize) -> Vec<u32> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Reverse<u32>> = BinaryHeap::with_capacity(k);
    for &v in values {
        if heap.len() < k {
            heap.push(Reverse(v));
        } else if let Some(mut smallest) = heap.peek_mut()
            && v > smallest.0
        {
            // Replacing the top through `PeekMut` sifts down once on drop,
            // cheaper than a pop followed by a push.
            *smallest = Reverse(v);
        }
    }
    // Ascending `Reverse` order is descending value order; the map reuses the
    // heap's buffer, as `Reverse<u32>` and `u32` have the same layout.
    heap.into_sorted_vec().into_iter().map(|r| r.0).collect()
}

/// Partitions a copy around the k-th largest with `select_nth_unstable`, then sorts only those `k`.
pub fn select_nth(values: &[u32], k: usize) -> Vec<u32> {
    let mut all = values.to_vec();
    if k < all.len() {
        // Afterwards `all[..k]` holds the k largest, in no particular order.
        all.select_nth_unstable_by(k, |a, b| b.cmp(a));
        all.truncate(k);
    }
    all.sort_unstable_by(|a, b| b.cmp(a));
    all
}

/// `n` random values in random order, the same on every run.
pub fn input(n: usize) -> Vec<u32> {
    let mut rng = crate::rng(21);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "top_k";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::RIGHT_STRUCTURE];
    const SIZE: &'static str = "n";
    const CLAIM: &'static str = "O(n log n) -> O(n log k) at k = 10";
    type Param = usize;
    type Input = Vec<u32>;
    type Output = Vec<u32>;

    /// From n = k, where there is nothing to skip, to a million values.
    fn sizes() -> &'static [usize] {
        &[10, 30, 100, 10_000, 1_000_000]
    }

    const INPUT: fn(usize) -> Vec<u32> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |x: &Vec<u32>, _| bad(x, K));
        v.variant("good", |x: &Vec<u32>, _| good(x, K));
        v.variant("select_nth", |x: &Vec<u32>, _| select_nth(x, K));
    }

    /// At n = k the heap is pure overhead and `select_nth` sorts all n just
    /// as `bad` does; while n is not much larger than k the heap's bookkeeping
    /// costs about what the short sort does; from n = 10k both skip work.
    fn predict(size: usize) -> Vec<Prediction> {
        if size <= K {
            vec![Prediction::slower("good"), Prediction::level("select_nth")]
        } else if size < 10 * K {
            vec![
                Prediction::slower("good").or_level(),
                Prediction::faster("select_nth").or_level(),
            ]
        } else {
            vec![Prediction::faster("good"), Prediction::faster("select_nth")]
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The heap holds k values whatever n is: one allocation.
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(100)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 5.0).at(Sizes::From(10_000)),
            expect::fewer(Figure::Instructions, "select_nth", "bad").at(Sizes::From(10_000)),
            // At n = k there is nothing to skip and the heap is pure overhead.
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(K)),
            // The heap's scan is linear; sorting grows faster still.
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
