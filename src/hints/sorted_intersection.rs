//! # Intersect with a set, or merge when sorted (`sorted_intersection`)
//!
//! ## Cost model
//! For each item of `A`, scanning `B` for it costs `|A| × |B|` comparisons
//! in the worst case: quadratic, like every "search inside a loop".
//!
//! ## The fix
//! Put `B` in a `HashSet` and probe it once per item of `A`: `|A| + |B|`
//! hash operations. When both inputs are already sorted, as here, a linear
//! merge does better still: walk both with two indices, advance the smaller,
//! no hashing and no allocation beyond the output.
//!
//! ## When it does not help
//! For a few items, the scan of a tiny `B` beats building a set. The hash set
//! pays for hashing every item of `B` and for the table itself, which the
//! merge never does: when the inputs are sorted, hashing is the wrong tool.
//! When they are not, sorting them first costs `O(N log N)` and the set wins.
//!
//! ## Claim
//! O(N²) becomes O(N) with a hash set; a merge beats hashing when the inputs
//! are already sorted.
//!
//! ## Measured
//! Instruction counts from `cargo run --release -- validate`: the merge runs
//! fewer instructions than the hash set at every size, 657 against 4,087 at 10
//! items and 246k against 3.05M at 10,000 (12x), with one allocation less. The
//! set beats the scan from 1,000 items (2.6x fewer) and at 10,000 by 24x. Times
//! are in `results/README.md` (made by `PERF_HINTS_RECORD=1 cargo bench`). In a
//! filtered run (`cargo bench -- 'sorted_intersection/'`, AMD EPYC 2 cores) the
//! hash set loses below 1,000 items (0.26x at 10, 0.46x at 100) and wins from
//! there (2.2x at 1,000, 26x at 10,000), while the merge wins everywhere: 1.9x
//! at 10 items, 309x at 10,000. Rerun with `cargo bench -- sorted_intersection/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/sorted_intersection.md"))]

use std::collections::HashSet;

use rand::Rng;

use crate::FixedState;
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// Scans all of `b` for every item of `a`.
pub fn bad(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter().copied().filter(|x| b.contains(x)).collect()
}

/// Builds a `HashSet` of `b` and probes it for each item of `a`.
pub fn good(a: &[u32], b: &[u32]) -> Vec<u32> {
    let set: HashSet<u32, FixedState> = b.iter().copied().collect();
    a.iter().copied().filter(|x| set.contains(x)).collect()
}

/// Walks both sorted inputs once, advancing the smaller side.
pub fn merge(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
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

/// Two sorted sets of distinct values.
pub struct Pair {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
}

/// `n` sorted, distinct values a side from `0..4n`, so about a quarter of `A` is in `B`.
pub fn input(n: usize) -> Pair {
    let mut rng = crate::rng(12);
    let range = (4 * n as u32).max(1);
    let mut side = || {
        let mut v: Vec<u32> = (0..n).map(|_| rng.random_range(0..range)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    Pair { a: side(), b: side() }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "sorted_intersection";
    const SIZE: &'static str = "items a side";
    const CLAIM: &'static str = "O(N²) -> O(N) with a hash set; a merge beats hashing on sorted inputs";
    type Param = usize;
    type Input = Pair;
    type Output = Vec<u32>;

    fn sizes() -> &'static [usize] {
        &[10, 100, 1_000, 10_000]
    }

    fn input(size: usize) -> Pair {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |p: &Pair, _| bad(&p.a, &p.b));
        v.variant("good", |p: &Pair, _| good(&p.a, &p.b));
        v.variant("merge", |p: &Pair, _| merge(&p.a, &p.b));
    }

    fn settings() -> Settings {
        Settings::short(20)
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(10)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 2.0).at(Sizes::From(1_000)),
            // On sorted inputs the merge beats the hash set at every size.
            expect::fewer(Figure::Instructions, "merge", "good"),
            expect::fewer(Figure::Allocs, "merge", "good"),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let what = format!("{}; {}", row.speed_note("good"), row.speed_note("merge"));
        let merge_beats_hash = match (row.time("merge"), row.time("good")) {
            (Some(m), Some(g)) => m.hi < g.lo,
            _ => false,
        };
        if size <= 100 && row.change("good") != Some(Change::Faster) {
            return Verdict::new(Level::NotApplicable, format!("below the crossover: {what}"));
        }
        let level = match (row.change("good"), merge_beats_hash) {
            (Some(Change::Faster), true) => Level::Holds,
            (Some(Change::Faster), false) => Level::Partly,
            _ => Level::DoesNotHold,
        };
        let what = if merge_beats_hash {
            format!("merge beats hashing; {what}")
        } else {
            what
        };
        Verdict::new(level, what)
    }
}
