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
//! `Vec` of pairs needs no hashing at all; which of the two is faster at a
//! given size is what the table beside this says, not this sentence.
//!
//! ## When it does not help
//! While the map is small and in cache, the hash's fixed cost, a SipHash of
//! every key, is about as many instructions as walking a `BTreeMap` of a
//! thousand entries: below that size the hash has its fixed cost to make up,
//! and near a thousand what is left for it to save is the tree's mispredicted
//! branches in its node searches. Past that the tree is deep and out of cache,
//! where O(1) pays. For a handful of keys a linear scan does the least work;
//! past a handful it is O(N) per lookup. A `BTreeMap` is still the right
//! choice when you need ordered iteration or range queries, which a `HashMap`
//! cannot give.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a flame graph with the time in `BTreeMap::get` (`search_tree`)
//! under a lookup-heavy loop, and cache misses per lookup where the map is
//! large: the instructions and time columns of `cargo bench --
//! lookup_structure/` across sizes.
//!
//! ## Claim
//! O(log N) becomes O(1); small maps are faster as a sorted `Vec` or a scan.
//!
//! ## Measured
//! The exact counts (`cargo run --release -- validate lookup_structure`) show
//! the model: the `HashMap` runs the same instructions per lookup at every
//! size, the tree's grow with its depth and pass the hash's only near a
//! thousand entries, the sorted `Vec` runs fewer than both while the map is
//! small, and the scan's grow with the map. The times in the table add the
//! caches, which instruction counts do not weigh: a small map stays in cache
//! whatever its structure, a large tree's levels do not.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- lookup_structure/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lookup_structure.md"))]

use std::collections::{BTreeMap, HashMap};

use rand::Rng;

use crate::FixedState;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;

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
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::HASH_OVER_TREE, sources::SORTED_INSERT];
    const SIZE: &'static str = "entries (1,000 lookups)";
    const CLAIM: &'static str = "O(log N) -> O(1); small maps: a sorted Vec or a scan wins";
    type Param = usize;
    type Input = Maps;
    type Output = u64;

    fn sizes() -> &'static [usize] {
        &[8, 64, 1_024, 65_536]
    }

    const INPUT: fn(usize) -> Maps = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |m: &Maps, _| bad(m));
        v.variant("good", |m: &Maps, _| good(m));
        v.variant("sorted_vec", |m: &Maps, _| sorted_vec(m));
        v.variant("linear_scan", |m: &Maps, _| linear_scan(m));
    }

    /// The hash loses to the tree in a small map, is level with it or better
    /// near a thousand entries and wins in a large one; the sorted `Vec` beats
    /// the tree while the map is small and cached; the scan wins only for a
    /// handful of keys.
    fn predict(size: usize) -> Vec<Prediction> {
        let good = match size {
            0..=8 => Prediction::slower("good"),
            9..=64 => Prediction::slower("good").or_level(),
            65..=1_024 => Prediction::faster("good").or_level(),
            _ => Prediction::faster("good"),
        };
        let linear_scan = match size {
            0..=8 => Prediction::faster("linear_scan"),
            9..=64 => Prediction::slower("linear_scan").or_level(),
            _ => Prediction::slower("linear_scan"),
        };
        let mut p = vec![good, linear_scan];
        if size <= 1_024 {
            p.insert(1, Prediction::faster("sorted_vec"));
        }
        p
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The hash costs the same instructions at every size; the tree walk
            // costs more only once the map is large (near a thousand entries the
            // two are about even, too close to assert either way).
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(65_536)),
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(64)),
            expect::fewer(Figure::Instructions, "sorted_vec", "good").at(Sizes::UpTo(1_024)),
            expect::fewer(Figure::Instructions, "sorted_vec", "bad").at(Sizes::UpTo(1_024)),
            // For eight entries a scan needs no hash: it does less work than both maps.
            expect::fewer(Figure::Instructions, "linear_scan", "good").at(Sizes::UpTo(8)),
            expect::fewer(Figure::Instructions, "linear_scan", "bad").at(Sizes::UpTo(8)),
            // ...and for 64k entries it is hopeless.
            expect::fewer_by(Figure::Instructions, "good", "linear_scan", 100.0)
                .at(Sizes::From(65_536)),
            expect::exactly(Figure::Allocs, "good", |_| 0),
        ]
    }
}
