//! # Pick the lookup structure for the size (`lookup_structure`)
//!
//! ## Cost model
//! A `BTreeMap` lookup walks `log N` levels of nodes, comparing keys at each,
//! and every level is a likely cache miss once the map is large. A `HashMap`
//! lookup hashes the key once and usually probes one group: O(1), but with a
//! fixed cost (SipHash by default) that a small map never earns back.
//!
//! ## The fix
//! For many lookups in a large map, use a `HashMap`. For small maps look at
//! what the size allows: a sorted `Vec` with `binary_search` is compact and
//! branch-predictable, and for a handful of keys a plain linear scan of a
//! `Vec` of pairs beats everything, with no hashing at all.
//!
//! ## When it does not help
//! Below a few dozen entries the hash costs more than the `BTreeMap` walk or a
//! scan. A `BTreeMap` is still the right choice when you need ordered
//! iteration or range queries, which a `HashMap` cannot give.
//!
//! ## Claim
//! O(log N) becomes O(1); small maps are faster as a sorted `Vec` or a scan.
//!
//! ## Measured
//! Instruction counts for 1,000 lookups, from `cargo run --release -- validate`:
//! the `HashMap` (SipHash with fixed keys) costs 177k at every size; the
//! `BTreeMap` 58k at 8 entries, 176k at 1,024 and 292k at 65,536; the sorted
//! `Vec` 45k to 188k; the linear scan 37k at 8 entries and 216M at 65,536. So the
//! hash only wins on instructions past about a thousand entries; the time
//! crossover, where cache misses join in, is in `results/README.md` (made by
//! `PERF_HINTS_RECORD=1 cargo bench`). In a filtered run
//! (`cargo bench -- 'lookup_structure/'`, AMD EPYC 2 cores) the sorted `Vec` is
//! fastest up to 1,024 entries, the `HashMap` loses to the `BTreeMap` below that
//! (0.32x at 8) and wins at 65,536 (1.9x): the crossover is near a thousand
//! entries. Rerun with `cargo bench -- lookup_structure/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lookup_structure.md"))]

use std::collections::{BTreeMap, HashMap};

use rand::Rng;

use crate::FixedState;
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::hint::{Hint, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// Lookups per call.
pub const LOOKUPS: usize = 1_000;

/// The same map in four structures, and the keys to look up.
pub struct Maps {
    pub btree: BTreeMap<u64, u64>,
    pub hash: HashMap<u64, u64, FixedState>,
    /// Sorted by key.
    pub sorted: Vec<(u64, u64)>,
    /// In insertion order.
    pub pairs: Vec<(u64, u64)>,
    pub keys: Vec<u64>,
}

fn sum(found: impl Iterator<Item = Option<u64>>) -> u64 {
    found.flatten().fold(0u64, u64::wrapping_add)
}

/// Looks every key up in a `BTreeMap`.
pub fn bad(m: &Maps) -> u64 {
    sum(m.keys.iter().map(|k| m.btree.get(k).copied()))
}

/// Looks every key up in a `HashMap`.
pub fn good(m: &Maps) -> u64 {
    sum(m.keys.iter().map(|k| m.hash.get(k).copied()))
}

/// Binary-searches a `Vec` of pairs sorted by key.
pub fn sorted_vec(m: &Maps) -> u64 {
    sum(m.keys.iter().map(|k| {
        m.sorted
            .binary_search_by_key(k, |&(key, _)| key)
            .ok()
            .map(|i| m.sorted[i].1)
    }))
}

/// Scans a `Vec` of pairs from the start for every key.
pub fn linear_scan(m: &Maps) -> u64 {
    sum(m.keys.iter().map(|k| {
        m.pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|&(_, v)| v)
    }))
}

/// A map of `n` random entries and [`LOOKUPS`] keys, 9 in 10 present.
pub fn input(n: usize) -> Maps {
    let mut rng = crate::rng(13);
    let pairs: Vec<(u64, u64)> = (0..n).map(|_| (rng.random(), rng.random())).collect();
    let keys = (0..LOOKUPS)
        .map(|_| {
            if !pairs.is_empty() && rng.random_ratio(9, 10) {
                pairs[rng.random_range(0..pairs.len())].0
            } else {
                rng.random()
            }
        })
        .collect();
    let mut sorted = pairs.clone();
    sorted.sort_unstable_by_key(|&(k, _)| k);
    Maps {
        btree: pairs.iter().copied().collect(),
        hash: pairs.iter().copied().collect(),
        sorted,
        pairs,
        keys,
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "lookup_structure";
    const SIZE: &'static str = "entries (1,000 lookups)";
    const CLAIM: &'static str = "O(log N) -> O(1); small maps: a sorted Vec or a scan wins";
    type Param = usize;
    type Input = Maps;
    type Output = u64;

    fn sizes() -> &'static [usize] {
        &[8, 64, 1_024, 65_536]
    }

    fn input(size: usize) -> Maps {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |m: &Maps, _| bad(m));
        v.variant("good", |m: &Maps, _| good(m));
        v.variant("sorted_vec", |m: &Maps, _| sorted_vec(m));
        v.variant("linear_scan", |m: &Maps, _| linear_scan(m));
    }

    fn settings() -> Settings {
        Settings::short(20)
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The hash is a fixed ~177 instructions a lookup; the tree walk only
            // costs more once the map is large.
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(65_536)),
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(1_024)),
            expect::fewer(Figure::Instructions, "sorted_vec", "good").at(Sizes::UpTo(1_024)),
            // For eight entries a scan needs no hash: it does less work than both maps.
            expect::fewer(Figure::Instructions, "linear_scan", "good").at(Sizes::UpTo(8)),
            expect::fewer(Figure::Instructions, "linear_scan", "bad").at(Sizes::UpTo(8)),
            // ...and for 64k entries it is hopeless.
            expect::fewer_by(Figure::Instructions, "good", "linear_scan", 100.0)
                .at(Sizes::From(65_536)),
            expect::exactly(Figure::Allocs, "good", |_| 0),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let fastest = row
            .variants
            .iter()
            .filter_map(|v| v.time.map(|t| (v.name.as_str(), t.point)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("none", |(n, _)| n);
        let what = format!("fastest: {fastest}; {}", row.speed_note("good"));
        if size < 1_024 {
            let level = if matches!(fastest, "sorted_vec" | "linear_scan") {
                Level::Holds
            } else {
                Level::Partly
            };
            return Verdict::new(level, format!("small map: {what}"));
        }
        let level = match row.change("good") {
            Some(Change::Faster) => Level::Holds,
            Some(Change::Same) => {
                return Verdict::new(Level::NotApplicable, format!("at the crossover: {what}"));
            }
            _ => Level::DoesNotHold,
        };
        Verdict::new(level, what)
    }
}
