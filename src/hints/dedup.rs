//! # Deduplicate with a set, not `Vec::contains` (`dedup`)
//!
//! ## Cost model
//! Checking `seen.contains(&x)` on a `Vec` before each push scans everything
//! kept so far: `N` items with `U` distinct values cost about `N × U / 2`
//! comparisons. Quadratic, hidden behind one innocent-looking call.
//!
//! ## The fix
//! Keep a `HashSet` of the values seen: one hash and probe per item, and the
//! output keeps the order in which values first appeared. When order does not
//! matter, sorting a copy and calling `dedup` is better still: no hashing, one
//! pass over sorted memory, and the result comes out sorted.
//!
//! ## When it does not help
//! For a few dozen items the linear scan over a small, hot `Vec` beats
//! hashing. `sort_dedup` loses the first-seen order: use it only where order
//! is not part of the answer (here the answer is compared as a set for it).
//!
//! ## Claim
//! O(N²) becomes O(N); the sources cite 430x for 1,500 items, in Python.
//!
//! ## Measured
//! Instruction counts from `cargo run --release -- validate`: at the sources'
//! 1,500 items `bad` runs 1.03M instructions, `good` 320k (3.2x fewer) and
//! `sort_dedup` 164k; at 20,000 items the gap is 42x (180M against 4.2M). The
//! 430x quoted for Python does not carry over: Rust's `contains` is a tight,
//! vectorised loop, so the quadratic variant starts from a much lower cost. Below
//! 100 items `bad` runs fewer instructions than the set. Times are in
//! `results/README.md` (made by `PERF_HINTS_RECORD=1 cargo bench`).
//! In a filtered run (`cargo bench -- 'dedup/'`, AMD EPYC 2 cores) the set loses
//! below 100 items (0.22x at 10, 0.47x at 100), wins 5.5x at 1,500 and 42x at
//! 20,000; `sort_dedup` wins at every size (1.1x at 10, 86x at 20,000).
//! Rerun with
//! `cargo bench -- dedup/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/dedup.md"))]

use std::collections::HashSet;

use rand::Rng;

use crate::FixedState;
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// Distinct values. `ordered` says whether `values` keeps first-seen order;
/// two results compare equal when they hold the same values and, if both are
/// ordered, in the same order.
#[derive(Clone, Debug)]
pub struct Distinct {
    pub values: Vec<u64>,
    pub ordered: bool,
}

impl PartialEq for Distinct {
    fn eq(&self, other: &Self) -> bool {
        if self.ordered && other.ordered {
            return self.values == other.values;
        }
        let sorted = |v: &[u64]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v
        };
        sorted(&self.values) == sorted(&other.values)
    }
}

/// Scans the kept values with `Vec::contains` before every push; keeps order.
pub fn bad(items: &[u64]) -> Distinct {
    let mut kept = Vec::new();
    for &x in items {
        if !kept.contains(&x) {
            kept.push(x);
        }
    }
    Distinct {
        values: kept,
        ordered: true,
    }
}

/// Remembers seen values in a `HashSet`; keeps order.
pub fn good(items: &[u64]) -> Distinct {
    let mut seen: HashSet<u64, FixedState> = HashSet::with_capacity_and_hasher(items.len(), FixedState::default());
    let values = items.iter().copied().filter(|x| seen.insert(*x)).collect();
    Distinct {
        values,
        ordered: true,
    }
}

/// Sorts a copy and drops adjacent repeats; the result is sorted, not first-seen order.
pub fn sort_dedup(items: &[u64]) -> Distinct {
    let mut values = items.to_vec();
    values.sort_unstable();
    values.dedup();
    Distinct {
        values,
        ordered: false,
    }
}

/// `n` values drawn from `0..n/2`: about two in five are repeats.
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(11);
    let range = (n as u64 / 2).max(1);
    (0..n).map(|_| rng.random_range(0..range)).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "dedup";
    const SIZE: &'static str = "items";
    const CLAIM: &'static str = "O(N²) -> O(N); 430x at 1,500 items (in Python)";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = Distinct;

    /// 1,500 is the sources' size; 20,000 keeps `bad` near 0.1 s a call.
    fn sizes() -> &'static [usize] {
        &[10, 100, 1_500, 20_000]
    }

    fn input(size: usize) -> Vec<u64> {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, _| bad(i));
        v.variant("good", |i: &Vec<u64>, _| good(i));
        v.variant("sort_dedup", |i: &Vec<u64>, _| sort_dedup(i));
    }

    fn settings() -> Settings {
        Settings::short(10)
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(10)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 2.0).at(Sizes::From(1_500)),
            expect::fewer(Figure::Instructions, "sort_dedup", "good").at(Sizes::From(100)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let what = format!("{}; {}", row.speed_note("good"), row.speed_note("sort_dedup"));
        let big = row.speedup("good").is_some_and(|s| s.point >= 100.0);
        match row.change("good") {
            Some(Change::Faster) if size == 1_500 && !big => Verdict::new(
                Level::Partly,
                format!("faster, but short of the 430x quoted for Python: {what}"),
            ),
            Some(Change::Faster) => Verdict::new(Level::Holds, what),
            Some(Change::Slower) => {
                Verdict::new(Level::NotApplicable, format!("below the crossover: {what}"))
            }
            _ => Verdict::new(Level::NotApplicable, format!("near the crossover: {what}")),
        }
    }
}
