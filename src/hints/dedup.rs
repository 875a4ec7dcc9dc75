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
//! While few values are kept, the scan is short and tight: a few dozen
//! comparisons at a fraction of a nanosecond each cost less than one SipHash
//! of the key and a probe, and the set also allocates its table. With this
//! input (more than half the values are repeats) the scan stays cheaper up
//! to about a hundred items, and loses once each check has a few hundred kept
//! values to pass. `sort_dedup` loses the first-seen order: use it only where
//! order is not part of the answer (here the answer is compared as a set for
//! it); for a few dozen items its sort costs about what the short scans do.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: instruction counts that grow with the square of the input
//! (`<[T]>::contains` under a loop that pushes); the instructions column of
//! `cargo bench -- dedup/` across sizes shows the slope.
//!
//! ## Claim
//! O(N²) becomes O(N); the sources cite 430x for 1,500 items, in Python, for
//! an all-pairs duplicate search (every item compared with every other).
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate dedup`) show the model:
//! the set runs more instructions than the scan at 10 and 100 items, fewer at
//! the sources' 1,500, and the gap widens with the size as O(N²) against O(N)
//! says; `sort_dedup` runs the fewest from 100 items on. The sources' figure
//! at 1,500 items is for Python, and the table says how much of it carries
//! over: Rust's `contains` is a tight loop over a `Vec<u64>`, so the quadratic
//! variant starts from a much lower cost than Python's `in` on a list.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- dedup/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/dedup.md"))]

use std::collections::HashSet;

use rand::Rng;

use crate::FixedState;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

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

/// `n` values drawn from `0..n/2`: about 57 % are repeats (1 - (1 - e⁻²) / 2).
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(11);
    let range = (n as u64 / 2).max(1);
    (0..n).map(|_| rng.random_range(0..range)).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "dedup";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::QUADRATIC, sources::DUPLICATES_430X, sources::SET_MEMBERSHIP];
    const SIZE: &'static str = "items";
    const CLAIM: &'static str = "O(N²) -> O(N); 430x at 1,500 items (in Python)";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = Distinct;

    /// 1,500 is the sources' size; 20,000 keeps `bad` near 0.1 s a call.
    fn sizes() -> &'static [usize] {
        &[10, 100, 1_500, 20_000]
    }

    const INPUT: fn(usize) -> Vec<u64> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, _| bad(i));
        v.variant("good", |i: &Vec<u64>, _| good(i));
        v.variant("sort_dedup", |i: &Vec<u64>, _| sort_dedup(i));
    }

    /// The set loses while the kept values are few enough for the scan to be
    /// cheaper than a hash (up to about a hundred items here) and wins past
    /// that, by the sources' 430x at their 1,500 items. `sort_dedup` does the
    /// least work once the input is more than tiny; for a few dozen items its
    /// sort and the short scans cost about the same.
    /// The sources' figure, 430x, is for 1,500 items; elsewhere they claim
    /// only that the linear version is faster.
    fn claimed(size: usize) -> Option<Prediction> {
        let good = Prediction::faster("good");
        Some(if size == 1_500 { good.by(430.0) } else { good })
    }

    fn predict(size: usize) -> Vec<Prediction> {
        let good = match size {
            ..=100 => Prediction::slower("good"),
            1_500 => Prediction::faster("good").by(430.0),
            _ => Prediction::faster("good"),
        };
        let sort_dedup = match size {
            ..=100 => Prediction::faster("sort_dedup").or_level(),
            _ => Prediction::faster("sort_dedup"),
        };
        vec![good, sort_dedup]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(100)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 2.0).at(Sizes::From(1_500)),
            expect::fewer(Figure::Instructions, "sort_dedup", "good").at(Sizes::From(100)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
