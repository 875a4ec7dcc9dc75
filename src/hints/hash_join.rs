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
//! For a handful of rows, hashing every key and allocating the table costs
//! more than comparing all pairs: the nested loops win below a crossover of a
//! few dozen rows. When both sides are already sorted by the key, a merge join
//! needs no table at all (see `sorted_intersection`).
//!
//! ## Claim
//! Nested loops are O(N²); building and probing a hash table is O(N).
//!
//! ## Measured
//! Instruction counts from `cargo run --release -- validate` (identical on every
//! run): at 10 rows a side the table costs 7.6k instructions against 1.6k for the
//! nested loops; at 100 they are close (65k against 54k); at 1,000 the hash join
//! runs 7.6x fewer and at 10,000 77x fewer (6.5M against 500M). Times per size,
//! and the crossover on this machine, are in `results/README.md` (made by
//! `PERF_HINTS_RECORD=1 cargo bench`).
//! The time crossover on this machine (a filtered run, `cargo bench --
//! 'hash_join/'`, AMD EPYC 2 cores) lies between 10 and 100 rows: the hash join
//! is 0.31x at 10 rows, 2.3x at 100 and 158x at 10,000.
//! Rerun with `cargo bench -- hash_join/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/hash_join.md"))]

use std::collections::HashMap;

use rand::Rng;

use crate::FixedState;
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

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
    const SIZE: &'static str = "rows a side";
    const CLAIM: &'static str = "O(N²) -> O(N)";
    type Param = usize;
    type Input = Tables;
    type Output = Vec<Joined>;

    /// From where the nested loops win to where they take ~30 ms a call.
    fn sizes() -> &'static [usize] {
        &[10, 100, 1_000, 10_000]
    }

    fn input(size: usize) -> Tables {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |t: &Tables, _| bad(&t.left, &t.right));
        v.variant("good", |t: &Tables, _| good(&t.left, &t.right));
    }

    fn settings() -> Settings {
        Settings::short(10)
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // Below the crossover the table costs more than it saves.
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(10)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 5.0).at(Sizes::From(1_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let what = row.speed_note("good");
        match row.change("good") {
            Some(Change::Faster) => Verdict::new(Level::Holds, what),
            Some(Change::Slower) => {
                Verdict::new(Level::NotApplicable, format!("below the crossover: {what}"))
            }
            _ if size <= 100 => {
                Verdict::new(Level::NotApplicable, format!("near the crossover: {what}"))
            }
            _ => Verdict::new(Level::DoesNotHold, what),
        }
    }
}
