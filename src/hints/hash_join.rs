//! # Join through a hash table, not nested loops (`hash_join`)
//!
//! ## Cost model
//! Matching every row of one table against every row of the other compares
//! `N × M` pairs: ten times the rows, a hundred times the work. The loop is
//! simple and cache-friendly, so it is fast while `N × M` is small, and then
//! it falls off a cliff.
//!
//! ## The fix
//! Build a `HashMap` from the join key to the rows of one side, then probe it
//! once per row of the other: `N + M` hash operations. Keeping each key's rows
//! in a `Vec` in input order gives the matches in the same order as the
//! nested loops, so the two are interchangeable.
//!
//! ## When it does not help
//! For a handful of rows, hashing every key, allocating the table and a `Vec`
//! for each distinct key is more work than comparing all pairs, each
//! comparison a load and a compare. The crossover is where `N × M` comparisons
//! cost as much as `N + M` hashes and up to `M` small allocations; the model
//! puts it around a hundred rows a side. When both sides are already sorted by
//! the key, a merge join needs no table at all (see `sorted_intersection`).
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: instruction counts that grow as the product of the two inputs:
//! double the input and the time quadruples. The instructions column of
//! `cargo bench -- hash_join/` across sizes shows the slope; a flame graph
//! shows the inner comparison loop, not hashing.
//!
//! ## Claim
//! Nested loops are O(N²); building and probing a hash table is O(N).
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate hash_join`, the same on
//! every run) show the model: at 10 rows the table runs several times the
//! instructions of the nested loops, at 100 rows still more than them, and
//! from 1,000 rows a ratio that grows tenfold with every tenfold size, as
//! O(N²) against O(N) says. Where the crossover lies in time is the table's;
//! the allocation column shows the price of the table: one `Vec` per distinct
//! key.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- hash_join/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/hash_join.md"))]

use std::collections::HashMap;

use rand::Rng;

use crate::FixedState;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// A row: a join key and a value.
pub type Record = (u32, u32);

/// A matched pair: key, left value, right value.
pub type Joined = (u32, u32, u32);

/// Compares every left row with every right row.
pub fn bad(left: &[Record], right: &[Record]) -> Vec<Joined> {
    let mut out = Vec::new();
    for &(k, lv) in left {
        for &(rk, rv) in right {
            if k == rk {
                out.push((k, lv, rv));
            }
        }
    }
    out
}

/// Builds a key -> right rows table once, then probes it per left row.
pub fn good(left: &[Record], right: &[Record]) -> Vec<Joined> {
    let mut table: HashMap<u32, Vec<u32>, FixedState> =
        HashMap::with_capacity_and_hasher(right.len(), FixedState::default());
    for &(rk, rv) in right {
        table.entry(rk).or_default().push(rv);
    }
    let mut out = Vec::new();
    for &(k, lv) in left {
        if let Some(rvs) = table.get(&k) {
            out.extend(rvs.iter().map(|&rv| (k, lv, rv)));
        }
    }
    out
}

/// Two tables of `n` rows each.
pub struct Tables {
    pub left: Vec<Record>,
    pub right: Vec<Record>,
}

/// `n` rows a side with keys drawn from `0..n`, so a row has about one match;
/// the same on every run.
pub fn input(n: usize) -> Tables {
    let mut rng = crate::rng(10);
    let keys = n.max(1) as u32;
    let mut table = || -> Vec<Record> {
        (0..n)
            .map(|_| (rng.random_range(0..keys), rng.random()))
            .collect()
    };
    Tables {
        left: table(),
        right: table(),
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "hash_join";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::QUADRATIC];
    const SIZE: &'static str = "rows a side";
    const CLAIM: &'static str = "O(N²) -> O(N)";
    type Param = usize;
    type Input = Tables;
    type Output = Vec<Joined>;

    /// From where the nested loops win to where they take ~30 ms a call.
    fn sizes() -> &'static [usize] {
        &[10, 100, 1_000, 10_000]
    }

    const INPUT: fn(usize) -> Tables = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |t: &Tables, _| bad(&t.left, &t.right));
        v.variant("good", |t: &Tables, _| good(&t.left, &t.right));
    }

    /// The nested loops win for a handful of rows; near a hundred rows a side
    /// the `N × M` comparisons cost about as much as the table, so the two are
    /// level or the loops still ahead; past that O(N) beats O(N²).
    fn predict(size: usize) -> Vec<Prediction> {
        vec![match size {
            0..=10 => Prediction::slower("good"),
            11..=100 => Prediction::level("good").or_slower(),
            _ => Prediction::faster("good"),
        }]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // Below the crossover the table costs more than it saves.
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(100)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 5.0).at(Sizes::From(1_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
