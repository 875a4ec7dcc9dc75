//! # Intersect sorted lists in linear time: a hash set, or better a merge (`sorted_intersection`)
//!
//! ## Cost model
//! Intersecting two sorted lists by looking up each item of `A` in `B` with a
//! binary search costs `|A| × log2 |B|` comparisons: O(N log N). Each step is
//! a load that depends on the one before and a comparison, a few cycles when
//! it hits the cache; and as `A` is sorted too, consecutive searches walk
//! almost the same path through `B`, so they do hit it. Scanning all of `B`
//! for each item instead (`scan`, kept for contrast) is the quadratic form of
//! the same loop, `|A| × |B|` comparisons.
//!
//! All of that assumes the lists are sorted already. When they are not, the
//! sort-based intersection (`sort_merge`) first copies and sorts both sides,
//! about `|A| log2 |A| + |B| log2 |B|` comparisons, and then merges them:
//! O(N log N) again, now from the sort.
//!
//! ## The fix
//! The sources' fix: put `B` in a `HashSet` and probe it once per item of
//! `A`, `|A| + |B|` hash operations, O(N). When both inputs are already
//! sorted, as here, a linear merge is O(N) without hashing: walk both with two
//! indices and advance the smaller, `|A| + |B|` comparisons and no allocation
//! beyond the output.
//!
//! ## When it does not help
//! The hash set's O(N) carries a large constant: a SipHash of every item of
//! both sides, a table to allocate and fill, and a probe at a pseudo-random
//! place in it. It only catches up with the binary search once `log2 |B|`
//! cached steps cost as much as two hashes: not at tens or hundreds of items
//! (3 to 7 steps, and the table's allocation on top), at best around ten
//! thousand (13 steps). Beyond that the table outgrows the cache while the
//! sorted searches stay local, so on sorted inputs hashing is the wrong tool:
//! the merge is O(N) without the constant. When the inputs are not sorted
//! (the sources' actual comparison: sort both, then merge, against a set of
//! one side), the set does not need the order, so `good`'s cost is what it
//! would cost on the unsorted sides too (its output would come in `A`'s
//! order). Against it stands `sort_merge`: its sort comparisons are cheap,
//! branch-free and cache-local, so for short lists two sorts cost less than
//! two SipHashes an item and a table, and hashing loses; each sort step per
//! item grows with `log2 N` while the hash's cost per item does not, so
//! hashing should draw level around ten thousand items and win beyond, while the
//! table fits in cache. A faster hasher than SipHash moves that point down.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: comparisons per item. A binary search per item of one side shows
//! as `core::slice::binary_search_by` under the loop in a flame graph; this
//! crate counts the `comparisons` in `cargo bench -- sorted_intersection/`.
//!
//! ## Claim
//! An O(N log N) sorted-list intersection becomes O(N) using a hash set.
//! Checked here against a binary search per item, with the linear merge of
//! the same sorted inputs beside it, and the sort-then-merge of the same
//! values unsorted (`sort_merge`), the comparison the sources made it about
//! (sources).
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate sorted_intersection`)
//! show the model: the hash set runs more instructions than the binary
//! searches at every size, by less as their `log N` grows; the merge runs the
//! fewest at every size; the scan's count grows with the square of the size.
//! So the sources' O(N) with a hash set is checked here against an O(N log N)
//! search of sorted input, and the merge is the O(N) that needs no table; the
//! table says which of them the times favour at each size. On unsorted input,
//! the `comparisons` counter shows `sort_merge` making more comparisons than
//! `bad` (two sorts against one set of searches), and the instruction counts
//! show the hash set above `sort_merge` at every size here, by less as the
//! sort's `log N` grows; compare the `good` and `sort_merge` columns of the
//! table for where hashing pays in time.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- sorted_intersection/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/sorted_intersection.md"))]

use std::collections::HashSet;

use rand::Rng;
use rand::seq::SliceRandom;

use crate::FixedState;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// Comparisons of two values, counted where each is made (binary-search
/// steps, sort comparisons, merge steps).
pub const COMPARES: &str = "comparisons";
/// Hash operations: one per item put in the set, one per probe.
pub const HASHES: &str = "hashes";

/// Binary-searches the sorted `b` for every item of `a`.
pub fn bad<P: Probe>(a: &[u32], b: &[u32], probe: &P) -> Vec<u32> {
    a.iter()
        .copied()
        .filter(|x| {
            b.binary_search_by(|y| {
                probe.add(COMPARES, 1);
                y.cmp(x)
            })
            .is_ok()
        })
        .collect()
}

/// Builds a `HashSet` of `b` and probes it for each item of `a`.
pub fn good<P: Probe>(a: &[u32], b: &[u32], probe: &P) -> Vec<u32> {
    let set: HashSet<u32, FixedState> = b.iter().copied().collect();
    probe.add(HASHES, b.len() as u64);
    a.iter()
        .copied()
        .filter(|x| {
            probe.add(HASHES, 1);
            set.contains(x)
        })
        .collect()
}

/// Walks both sorted inputs once, advancing the smaller side.
pub fn merge<P: Probe>(a: &[u32], b: &[u32], probe: &P) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        probe.add(COMPARES, 1);
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Scans all of `b` for every item of `a`: the quadratic loop, for contrast.
pub fn scan(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter().copied().filter(|x| b.contains(x)).collect()
}

/// From unsorted sides: sorts a copy of each, then merges them.
pub fn sort_merge<P: Probe>(ua: &[u32], ub: &[u32], probe: &P) -> Vec<u32> {
    let sorted = |side: &[u32]| {
        let mut v = side.to_vec();
        v.sort_unstable_by(|x, y| {
            probe.add(COMPARES, 1);
            x.cmp(y)
        });
        v
    };
    let (a, b) = (sorted(ua), sorted(ub));
    merge(&a, &b, probe)
}

/// Two sets of distinct values, each sorted (`a`, `b`) and as the same values
/// in a shuffled order (`ua`, `ub`): the input of a job that has not sorted
/// them.
pub struct Pair {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub ua: Vec<u32>,
    pub ub: Vec<u32>,
}

impl Pair {
    /// The pair of sorted sides `a`, `b`, with shuffled copies made from a fixed seed.
    pub fn new(a: Vec<u32>, b: Vec<u32>) -> Pair {
        let mut rng = crate::rng(120);
        let mut shuffled = |v: &[u32]| {
            let mut u = v.to_vec();
            u.shuffle(&mut rng);
            u
        };
        let (ua, ub) = (shuffled(&a), shuffled(&b));
        Pair { a, b, ua, ub }
    }
}

/// `n` distinct values a side from `0..4n`, so about a quarter of `A` is in
/// `B`: sorted, and shuffled.
pub fn input(n: usize) -> Pair {
    let mut rng = crate::rng(12);
    let range = (4 * n as u32).max(1);
    let mut side = || {
        let mut v: Vec<u32> = (0..n).map(|_| rng.random_range(0..range)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (a, b) = (side(), side());
    Pair::new(a, b)
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "sorted_intersection";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::INTERSECTION];
    const SIZE: &'static str = "items a side";
    const CLAIM: &'static str = "O(N log N) sorted-list intersection -> O(N) using a hash set";
    type Param = usize;
    type Input = Pair;
    type Output = Vec<u32>;

    fn sizes() -> &'static [usize] {
        &[10, 100, 1_000, 10_000]
    }

    const INPUT: fn(usize) -> Pair = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |p: &Pair, probe| bad(&p.a, &p.b, probe));
        v.variant("good", |p: &Pair, probe| good(&p.a, &p.b, probe));
        v.variant("merge", |p: &Pair, probe| merge(&p.a, &p.b, probe));
        v.variant("scan", |p: &Pair, _| scan(&p.a, &p.b));
        v.variant("sort_merge", |p: &Pair, probe| sort_merge(&p.ua, &p.ub, probe));
    }

    /// The hash set loses while a binary search is a few cached steps, at best
    /// draws level around ten thousand items, where the sources' O(N) should
    /// show; the merge does the least work at every size; the quadratic scan
    /// loses to the searches once `B` is long. `sort_merge` starts from
    /// unsorted sides, so it pays what `bad` had for free: two copies and
    /// about twice `bad`'s comparisons. At 10 and 100 items the copies and
    /// the sorts cost more than the few searches: slower. From 1,000 the
    /// sort's comparisons are branch-free and local where each search's
    /// steps depend on the one before, so the gap closes: level or slower
    /// at 1,000, level or faster at 10,000.
    fn predict(size: usize) -> Vec<Prediction> {
        let good = match size {
            0..=100 => Prediction::slower("good"),
            101..=1_000 => Prediction::slower("good").or_level(),
            _ => Prediction::faster("good").or_level(),
        };
        let sort_merge = match size {
            0..=100 => Prediction::slower("sort_merge"),
            101..=1_000 => Prediction::level("sort_merge").or_slower(),
            _ => Prediction::level("sort_merge").or_faster(),
        };
        let mut p = vec![good, Prediction::faster("merge")];
        if size >= 1_000 {
            p.push(Prediction::slower("scan"));
        }
        p.push(sort_merge);
        p
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // Two SipHashes an item cost more instructions than a short search.
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(1_000)),
            // On sorted inputs the merge does less work than a search or a hash.
            expect::fewer(Figure::Instructions, "merge", "bad"),
            expect::fewer(Figure::Instructions, "merge", "good"),
            expect::fewer(Figure::Allocs, "merge", "good"),
            expect::fewer_by(Figure::Instructions, "bad", "scan", 2.0).at(Sizes::From(1_000)),
            // The merge compares each item about once, a search log2 |B| times.
            expect::fewer(Figure::Counter(COMPARES), "merge", "bad"),
            // Sorting both sides costs more comparisons than searching one.
            expect::fewer(Figure::Counter(COMPARES), "bad", "sort_merge"),
            expect::fewer_by(Figure::Counter(COMPARES), "bad", "sort_merge", 1.5)
                .at(Sizes::From(100)),
            // On unsorted input, two SipHashes an item run more instructions
            // than sorting both sides and merging, at these sizes.
            expect::no_better(Figure::Instructions, "good", "sort_merge", 1.0),
            // The searches and sorts are O(N log N), the scan O(N²), the rest O(N).
            expect::grows(Figure::Instructions, Growth::NLogN),
        ]
    }
}
