//! # A faster hasher for keys you trust (`fast_hasher`)
//!
//! ## Cost model
//! Every `HashMap` insert, lookup and resize hashes a key. std's default,
//! `RandomState`, is SipHash-1-3 with random per-map keys: a keyed hash
//! chosen so that nobody who sends the keys can predict where they land. It
//! costs a fixed setup and finish per key plus a few rounds per 8 bytes, so
//! for small keys (a `u64`, a short string) the hash is much of the work of
//! a lookup in a table that fits the cache, and for long strings it grows
//! with the length.
//!
//! The job here counts a stream of keys (`*map.entry(k).or_insert(0) += 1`,
//! starting from an empty map so it grows as it would in use) and then looks
//! up the count of each of the distinct keys: 4 × D stream keys drawn from D
//! distinct ones, a few of which never occur. The output is those counts, in
//! query order, so it does not depend on the hasher. Keys are `u64`s, 8-16
//! byte strings or 100-150 byte strings (the map borrows them as `&str`: no
//! allocation per key); the size packs the key type and D in thousands.
//!
//! `bad` uses [`crate::FixedState`]: std's own SipHash-1-3 with fixed keys,
//! the same code and cost per key as `RandomState`, so instruction counts
//! repeat from run to run.
//!
//! ## The fix
//! A faster hasher where the keys cannot be chosen by an adversary: `good`
//! uses ahash (`ahash::RandomState::with_seeds`, seeded only so the bench
//! repeats), `fxhash` uses rustc-hash's `FxBuildHasher`, the compiler's own
//! hasher: one add and one multiply per integer, one 128-bit multiply per
//! 16 bytes of a string.
//!
//! The trade-off is HashDoS. SipHash with random keys is std's default
//! because a map filled with attacker-chosen keys (HTTP headers, JSON object
//! keys, form fields) can otherwise be driven into collisions that make
//! every operation O(n). ahash is keyed too (randomly per process by
//! default) and designed to resist such attacks, but it is younger and far
//! less analysed than SipHash (its own FAQ still asks cryptographers for
//! review). Without AES instructions enabled at build time, as with the
//! default `x86_64` target used here, it runs its fallback algorithm (folded
//! multiplies) instead of AES rounds. FxHash has no key at all and its own
//! docs call its string hash non-collision-resistant: anyone can compute
//! colliding keys offline. Fixed seeds, as in this bench, throw away the
//! key's protection: they are for repeatable measurements only. Never fix
//! the seeds, or use FxHash, for keys that come from untrusted input.
//!
//! ## When it does not help
//! When the map is larger than the caches, a lookup's cache misses cost more
//! than the hash, so a faster hash saves a smaller share. Keys that are
//! compared at length on every hit (long strings) pay for the comparison
//! whatever the hasher. And a map that is built once and rarely probed
//! spends little time hashing at all.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a flame graph with `core::hash::sip::Hasher::write` (SipHash) a
//! large share of a `HashMap`-heavy loop; the instructions column of `cargo
//! bench -- fast_hasher/`.
//!
//! ## Claim
//! A non-SipHash hasher is faster for keys you trust; the sources give no
//! figure. This hint is the crate's own addition, not one of the sources'
//! hints: it belongs beside `word_count` and `lookup_structure`, whose maps
//! all hash with SipHash.
//!
//! ## Measured
//! Instructions per call are exact (`cargo run --release -- validate
//! fast_hasher`; two runs gave identical figures) and show the mechanism:
//! ahash and FxHash execute several times fewer instructions than SipHash at
//! every key type and size, the most with `u64` keys, where SipHash's fixed
//! setup and finish are most of the hash, and less with strings, where the
//! map's own work (comparing keys, probing) is a larger share. Allocations are
//! the same for all three: one per doubling of the table, and the output
//! (`tests/counts.rs` asserts it).
//!
//! Compare the speedups with the instruction ratios: at 20k memory takes a
//! larger share of the time, which instruction counts do not weigh. At 20k the
//! tables (a few hundred KB) still fit a typical L2 cache, though the text of
//! the long keys (80,000 stream keys of 100-150 bytes, about 10 MB) does not:
//! the point where cache misses swamp the hash is beyond the sizes measured
//! here.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- fast_hasher/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/fast_hasher.md"))]

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::OnceLock;

use rand::Rng;

use crate::FixedState;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::SourcePoint;
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::model::Param;

/// ahash with fixed seeds: repeatable, and therefore not DoS-resistant.
pub fn ahash_state() -> ahash::RandomState {
    ahash::RandomState::with_seeds(0x0fa5_7ba5, 0x4a54_1e55, 0x5eed_0081, 0x2026)
}

/// A key type the job can count: what the map stores for it (a borrow for strings).
pub trait Key {
    type Ref<'a>: Hash + Eq + Copy
    where
        Self: 'a;
    fn key(&self) -> Self::Ref<'_>;
}

impl Key for u64 {
    type Ref<'a> = u64;
    fn key(&self) -> u64 {
        *self
    }
}

impl Key for Box<str> {
    type Ref<'a> = &'a str;
    fn key(&self) -> &str {
        self
    }
}

/// The stream of keys to count and the keys whose counts are asked for.
/// String keys are separate allocations made in stream order, so reading the
/// stream walks memory forwards as reading a text would.
pub struct Keys<K> {
    pub stream: Vec<K>,
    pub queries: Vec<K>,
}

/// Counts `keys.stream` in a map with hasher `state`, then returns each
/// query's count (0 for a key the stream never had).
pub fn count_and_look_up<K: Key, S: BuildHasher>(keys: &Keys<K>, state: S) -> Vec<u32> {
    let mut counts: HashMap<K::Ref<'_>, u32, S> = HashMap::with_hasher(state);
    for k in &keys.stream {
        *counts.entry(k.key()).or_insert(0) += 1;
    }
    keys.queries
        .iter()
        .map(|q| counts.get(&q.key()).copied().unwrap_or(0))
        .collect()
}

/// The key type a size asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyType {
    U64 = 1,
    /// 8-16 bytes.
    Short = 2,
    /// 100-150 bytes.
    Long = 3,
}

impl KeyType {
    const ALL: [KeyType; 3] = [KeyType::U64, KeyType::Short, KeyType::Long];

    /// The word of a size's key: `u64`, `short`, `long`.
    pub fn key(self) -> &'static str {
        match self {
            KeyType::U64 => "u64",
            KeyType::Short => "short",
            KeyType::Long => "long",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyType::U64 => "u64 keys",
            KeyType::Short => "8-16 B strings",
            KeyType::Long => "100-150 B strings",
        }
    }
}

/// The keys of one size, of its key type.
pub enum Input {
    U64(Keys<u64>),
    Str(Keys<Box<str>>),
}

impl Input {
    fn run<S: BuildHasher>(&self, state: S) -> Vec<u32> {
        match self {
            Input::U64(k) => count_and_look_up(k, state),
            Input::Str(k) => count_and_look_up(k, state),
        }
    }
}

/// std's SipHash-1-3 (fixed keys: `RandomState`'s cost, repeatable counts).
pub fn bad(input: &Input) -> Vec<u32> {
    input.run(FixedState::default())
}

/// ahash, seeded (keyed by the seeds; random seeds in real use).
pub fn good(input: &Input) -> Vec<u32> {
    input.run(ahash_state())
}

/// rustc-hash's FxHasher: no key at all, a multiply per word.
pub fn fxhash(input: &Input) -> Vec<u32> {
    input.run(rustc_hash::FxBuildHasher)
}

/// The characters of string keys: path- or identifier-like text.
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_/";

/// Stream keys per distinct key.
pub const REPEATS: usize = 4;

/// Distinct keys in thousands, per key type.
pub const THOUSANDS: &[usize] = &[1, 20];

/// A size: a key type and `D`, the distinct keys, in thousands. Sizes sort
/// by key type, then `D`; a chart draws one line per key type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Size {
    pub kind: KeyType,
    pub thousands: usize,
}

impl Param for Size {
    fn key(&self) -> String {
        format!("{}-{}k", self.kind.key(), self.thousands)
    }
    fn parse(key: &str) -> Option<Self> {
        let (kind, k) = key.split_once('-')?;
        Some(Size {
            kind: KeyType::ALL.into_iter().find(|t| t.key() == kind)?,
            thousands: k.strip_suffix('k')?.parse().ok()?,
        })
    }
    fn label(&self) -> String {
        format!("{}, {}k", self.kind.label(), self.thousands)
    }
    fn series(&self) -> String {
        self.kind.label().to_string()
    }
    fn x(&self) -> f64 {
        self.thousands as f64
    }
    fn tick(&self) -> String {
        format!("{}k", self.thousands)
    }
    fn edges() -> Vec<Self> {
        [0, 1]
            .map(|thousands| Size {
                kind: KeyType::U64,
                thousands,
            })
            .to_vec()
    }
    /// Schema-1 records packed `key type × 10,000 + thousands`.
    fn from_legacy(size: usize) -> Option<Self> {
        let kind = match size / 10_000 {
            0 | 1 => KeyType::U64,
            2 => KeyType::Short,
            3 => KeyType::Long,
            _ => return None,
        };
        Some(Size {
            kind,
            thousands: size % 10_000,
        })
    }
}

/// `4 × D` stream keys drawn from `D = thousands × 1000` distinct keys of
/// the size's type; the queries are the `D` keys in the order they were made.
pub fn input(size: Size) -> Input {
    let distinct = size.thousands * 1_000;
    let kind = size.kind;
    let mut rng = crate::rng(80 + kind as u64);
    fn keys<K: Clone>(rng: &mut impl Rng, distinct: Vec<K>) -> Keys<K> {
        let stream = (0..distinct.len() * REPEATS)
            .map(|_| distinct[rng.random_range(0..distinct.len())].clone())
            .collect();
        Keys {
            stream,
            queries: distinct,
        }
    }
    match kind {
        KeyType::U64 => {
            let d = (0..distinct).map(|_| rng.random()).collect();
            Input::U64(keys(&mut rng, d))
        }
        KeyType::Short | KeyType::Long => {
            let lens = if kind == KeyType::Short { 8..=16 } else { 100..=150 };
            let d = (0..distinct)
                .map(|_| {
                    let len = rng.random_range(lens.clone());
                    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect::<String>().into()
                })
                .collect();
            Input::Str(keys(&mut rng, d))
        }
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "fast_hasher";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[];
    const SIZE: &'static str = "key type, distinct keys D (stream 4D)";
    const CLAIM: &'static str = "a faster hasher than SipHash for keys you trust";
    type Param = Size;
    type Input = Input;
    type Output = Vec<u32>;

    fn sizes() -> &'static [Size] {
        static SIZES: OnceLock<Vec<Size>> = OnceLock::new();
        SIZES.get_or_init(|| {
            KeyType::ALL
                .into_iter()
                .flat_map(|kind| THOUSANDS.iter().map(move |&thousands| Size { kind, thousands }))
                .collect()
        })
    }

    const INPUT: fn(Size) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i, _| bad(i));
        v.variant("good", |i, _| good(i));
        v.variant("fxhash", |i, _| fxhash(i));
    }

    fn expect() -> Vec<Expect<Size>> {
        vec![
            // SipHash's setup, rounds and finish cost several times a
            // multiply-based hash per key; at least 2x leaves room for builds.
            expect::fewer_by(Figure::Instructions, "good", "bad", 2.0),
            expect::fewer_by(Figure::Instructions, "fxhash", "bad", 2.0),
            // The hasher changes no memory: the same table growth.
            expect::no_better(Figure::Allocs, "good", "bad", 1.0),
            expect::no_better(Figure::Allocs, "bad", "good", 1.0),
            expect::no_better(Figure::Allocs, "fxhash", "bad", 1.0),
        ]
    }

    /// Both faster at every size: every key is hashed on insert and lookup,
    /// the tables fit the caches, and the sources give no figure. Long keys
    /// and a larger map shrink the share the hash takes, not its sign.
    fn predict(_size: Size) -> Vec<Prediction> {
        vec![Prediction::faster("good"), Prediction::faster("fxhash")]
    }
}
