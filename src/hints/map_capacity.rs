//! # Reserve a map's capacity when you know its size (`map_capacity`)
//!
//! ## Cost model
//! A `HashMap` that starts empty grows as it is inserted into: whenever it
//! is full (7/8 of its buckets, or 3 of 4 at the start) it allocates a table
//! with twice the buckets and reinserts every entry, hashing each key again
//! and placing it in its new bucket. Unlike a `Vec`, whose growth is one
//! `memcpy` and may even happen in place, each growth of a map is a new
//! allocation and a rehash of everything in it: building `n` entries rehashes
//! between about `n` and `2n` entries in all, over about `log2(n)` growths.
//!
//! ## The fix
//! When the number of entries is known, `HashMap::with_capacity(n)` allocates
//! a table that holds `n` once, and no insert ever grows it: each key is
//! hashed and placed once.
//!
//! ## When it does not help
//! For a few entries the growths are two or three small allocations, next to
//! the inserts themselves. When the count is only a guess, reserving far past
//! it wastes memory and slows every walk over the map: iteration, `clear`
//! and `retain` visit all the buckets, not only the full ones. If the keys
//! come from an iterator, `collect()` or `extend` reserve from its size hint
//! already (`bad` here inserts one by one, as a loop that also does other
//! work would).
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: allocation profile. Rehashing:
//! `hashbrown::raw::RawTable::reserve_rehash` under an insert loop of known
//! length; this crate counts `entries rehashed` in `cargo bench --
//! map_capacity/`.
//!
//! ## Claim
//! One allocation and no rehash instead of about `log2(n)` growths that
//! rehash every entry (sources: the `HashMap::with_capacity` docs and the
//! usual "reserve when the size is known" advice).
//!
//! ## Measured
//! The counter `entries rehashed` counts, at each insert into a full map, the
//! entries the growth moves; the allocations are counted by the allocator.
//! Both are exact (`validate` checks them): `bad` makes one allocation per
//! table size it passes through and rehashes between about `n` and `2n`
//! entries, `good` makes one allocation and rehashes none. At 10 entries the
//! growths are two small allocations next to the inserts, so the prediction
//! there is the weaker one (the table's `predicted` column).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- map_capacity/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/map_capacity.md"))]

use std::collections::HashMap;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// The counter: entries a growing map moves to its new table.
pub const REHASHED: &str = "entries rehashed";

/// An insert into a full map grows it, rehashing all `len` entries.
fn count_growth<P: Probe>(probe: &P, len: usize, capacity: usize) {
    probe.add(REHASHED, if len == capacity { len as u64 } else { 0 });
}

/// An order-independent checksum of the map, the same for every variant.
fn sum(map: &HashMap<u64, u64>) -> u64 {
    map.iter().fold(map.len() as u64, |h, (&k, &v)| {
        h.wrapping_add(k.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ v)
    })
}

/// Inserts into a `HashMap::new()`, which grows and rehashes as it fills.
pub fn bad<P: Probe>(keys: &[u64], probe: &P) -> u64 {
    let mut map = HashMap::new();
    for (i, &k) in keys.iter().enumerate() {
        count_growth(probe, map.len(), map.capacity());
        map.insert(k, i as u64);
    }
    sum(&map)
}

/// Inserts into a `HashMap::with_capacity(n)`, which never grows.
pub fn good<P: Probe>(keys: &[u64], probe: &P) -> u64 {
    let mut map = HashMap::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        count_growth(probe, map.len(), map.capacity());
        map.insert(k, i as u64);
    }
    sum(&map)
}

/// The capacities a map inserted into from empty passes through: 3 in 4
/// buckets, 7 in 8, then 7/8 of each doubling.
fn capacities() -> impl Iterator<Item = usize> {
    std::iter::successors(Some(4usize), |b| Some(b * 2)).map(|b| if b < 8 { b - 1 } else { b / 8 * 7 })
}

/// `bad`'s allocations for `n` distinct keys: one per table size it needs.
pub fn grown_allocs(n: usize) -> u64 {
    if n == 0 {
        return 0;
    }
    1 + capacities().take_while(|&c| c < n).count() as u64
}

/// `bad`'s entries rehashed for `n` distinct keys: each full table's.
pub fn grown_rehashed(n: usize) -> u64 {
    capacities().take_while(|&c| c < n).map(|c| c as u64).sum()
}

/// `n` distinct random keys, the same on every run.
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(161);
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    while keys.len() < n {
        let k: u64 = rng.random();
        if seen.insert(k) {
            keys.push(k);
        }
    }
    keys
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "map_capacity";
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::RESERVE, sources::PRESIZE_MAPS];
    const SIZE: &'static str = "entries";
    const CLAIM: &'static str =
        "one allocation and no rehash instead of ~log2(n) growths rehashing every entry (sources)";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = u64;

    /// A few entries (two growths), a thousand (eight), and 100,000 (a table
    /// of about 2 MiB, past L2).
    fn sizes() -> &'static [usize] {
        &[10, 1_000, 100_000]
    }

    const INPUT: fn(usize) -> Vec<u64> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, p| bad(i, p));
        v.variant("good", |i: &Vec<u64>, p| good(i, p));
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::exactly(Figure::Allocs, "bad", grown_allocs),
            expect::exactly(Figure::Counter(REHASHED), "good", |_| 0),
            expect::exactly(Figure::Counter(REHASHED), "bad", grown_rehashed),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(1_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    /// At 10 entries the two growths are small allocations next to the
    /// inserts: level, or ahead. From 1,000 each entry is hashed and placed
    /// about twice in `bad`, once in `good`, and `bad` allocates a table per
    /// doubling: `good` faster.
    fn predict(size: usize) -> Vec<Prediction> {
        vec![if size < 1_000 {
            Prediction::level("good").or_faster()
        } else {
            Prediction::faster("good")
        }]
    }
}
