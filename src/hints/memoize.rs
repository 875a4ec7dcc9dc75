//! # Cache the results of a pure, expensive function (`memoize`)
//!
//! ## Cost model
//! A pure function returns the same result for the same argument, so every
//! call with a key seen before repeats work already done. With a share `p` of
//! repeated keys, a fraction `p` of all the work is waste, and a cache can at
//! best make the loop `1 / (1 - p)` times faster: 2x at 50 % repeats, 10x at
//! 90 %, 100x at 99 %. In recursive functions the repeats compound: naive
//! `fib(35)` makes 29,860,703 calls, a memoized one 36 computations.
//!
//! ## The fix
//! Keep results in a `HashMap` keyed by the argument and look there first
//! (`entry(k).or_insert_with(|| f(k))`, one hash per call). When the keys are
//! unbounded (user input, a long-running service), cap the cache and evict:
//! `bounded` keeps at most [`CAPACITY`] entries and drops the oldest first
//! (FIFO), the simplest policy with O(1) work per call; an LRU, like Python's
//! `lru_cache`, keeps hot keys longer for some bookkeeping on every hit:
//! `lru` here is a map from key to slot and the slots in a doubly linked
//! list by recency (no new dependency), O(1) per call as well.
//!
//! ## When it does not help
//! At 0 % repeats the cache only costs: a hash, a probe and an insert per call,
//! growing the table as it goes, and memory for results never read again.
//! It pays only when a lookup is much cheaper than the function and keys do
//! repeat. A bounded cache smaller than the working set evicts results before
//! they are asked for again and falls back towards recomputing: at 50 %
//! repeats the 500 distinct keys do not fit in 128 entries, and only the
//! repeats of a key seen recently still hit (about three calls in ten, since
//! a repeat picks uniformly among the keys seen so far). Then the eviction
//! order hardly matters: when the next key is uniform over the past, recency
//! predicts nothing and LRU only adds its list updates on every hit. LRU
//! pays where repeats are skewed towards a few hot keys (`50-zipf`: each
//! repeat picks the `r`-th key seen with weight about `1 / (r + 1)`), and
//! even then only as far as the hot set fits. The function must be
//! pure: caching one that reads the clock or a file returns stale results.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: the same pure function called again and again with repeated
//! arguments: a call counter (this crate's `computed` in `cargo bench --
//! memoize/`) against the distinct inputs; in a flame graph, the expensive
//! function under every call.
//!
//! ## Claim
//! The sources put caching in the "10x" tier, and say memoizing a recursive
//! function turns exponential work into linear: `fib(35)` goes from millions
//! of calls to 36 computations (33 hits, 36 misses, a unit test below checks
//! both). Checked here as: at `p` % repeats the cache computes only the
//! distinct keys and is faster, by at most `1 / (1 - p)`; the sources' 10x
//! where that ceiling leaves room for it (99 %, not 90 %, where 10x is the
//! ceiling itself); no gain at 0 %. `bounded` and `lru` the same, except
//! that at 50 % they keep only part of the gain (sources: `lru_cache`'s
//! hits and misses).
//!
//! ## Measured
//! The `computed` counter is exact (`tests/counts.rs` asserts it): `bad`
//! computes all 1,000 keys at every share, `good` exactly the distinct ones,
//! and `bounded` the distinct ones too where they fit in its 128 entries (90 %
//! and 99 %), but 698 at 50 %, where evicted results are asked for again.
//! `lru` computes as `bounded` does on uniform repeats (699 against 698 at 50
//! %: recency predicts nothing there) and fewer on the skewed stream (632
//! against 665 at `50-zipf`), and the `hits` counter is exactly the calls not
//! computed for every cache. With no repeats the caches run more instructions
//! than `bad` (there is nothing to reuse), and `good`'s table reallocates as
//! it grows while `bounded`'s stays fixed. Compare the speedups with the cost
//! model's ceiling `1 / (1 - p)`: it assumes the function is all the work, and
//! at 99 % the hash lookups of all 1,000 calls are most of what is left.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- memoize/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/memoize.md"))]

use std::collections::{HashMap, VecDeque};

use rand::Rng;
use rand::seq::SliceRandom;

use crate::FixedState;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::model::Param;

/// Calls per run: each variant answers this many keys.
pub const CALLS: usize = 1_000;
/// Entries the bounded cache keeps.
pub const CAPACITY: usize = 128;
/// Rounds of [`expensive`]: a few thousand instructions per call.
pub const ROUNDS: u32 = 1_000;

/// The pure, expensive function: [`ROUNDS`] dependent multiply-xorshift steps.
/// It stands in for a parse, a regex match or a small simulation.
pub fn expensive(key: u64) -> u64 {
    let mut x = key;
    for _ in 0..ROUNDS {
        x ^= x >> 31;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    x
}

/// Calls answered from a cache, counted on each hit.
pub const HITS: &str = "hits";

/// Calls `f` on `key`, reporting one more `computed` to the probe: every
/// variant computes through here, so the counter is the calls of `f`.
#[inline(always)]
fn compute<P: Probe>(f: &impl Fn(u64) -> u64, key: u64, probe: &P) -> u64 {
    probe.add("computed", 1);
    f(key)
}

/// Calls `f` for every key, repeated or not.
pub fn bad<P: Probe>(keys: &[u64], f: impl Fn(u64) -> u64, probe: &P) -> Vec<u64> {
    keys.iter().map(|&k| compute(&f, k, probe)).collect()
}

/// Looks each key up in a `HashMap` first; computes and keeps the result on a miss.
pub fn good<P: Probe>(keys: &[u64], f: impl Fn(u64) -> u64, probe: &P) -> Vec<u64> {
    let mut cache: HashMap<u64, u64, FixedState> = HashMap::default();
    probe.add(HITS, 0);
    keys.iter()
        .map(|&k| match cache.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => {
                probe.add(HITS, 1);
                *e.get()
            }
            std::collections::hash_map::Entry::Vacant(e) => *e.insert(compute(&f, k, probe)),
        })
        .collect()
}

/// Caches like `good` but keeps at most [`CAPACITY`] results, evicting the oldest first.
pub fn bounded<P: Probe>(keys: &[u64], f: impl Fn(u64) -> u64, probe: &P) -> Vec<u64> {
    // Twice the capacity, so tombstones left by evictions never force the
    // table to grow: its memory stays fixed whatever the keys.
    let mut cache: HashMap<u64, u64, FixedState> =
        HashMap::with_capacity_and_hasher(2 * CAPACITY, FixedState::default());
    let mut order: VecDeque<u64> = VecDeque::with_capacity(CAPACITY);
    probe.add(HITS, 0);
    keys.iter()
        .map(|&k| {
            if let Some(&v) = cache.get(&k) {
                probe.add(HITS, 1);
                return v;
            }
            let v = compute(&f, k, probe);
            if order.len() == CAPACITY
                && let Some(oldest) = order.pop_front()
            {
                cache.remove(&oldest);
            }
            cache.insert(k, v);
            order.push_back(k);
            v
        })
        .collect()
}

/// No slot: the end of the recency list.
const NIL: usize = usize::MAX;

/// One cached result, linked into the recency list by slot index.
struct Node {
    key: u64,
    value: u64,
    prev: usize,
    next: usize,
}

/// A least-recently-used cache of at most [`CAPACITY`] results: a map from
/// key to slot, and the slots in a doubly linked list, most recent first.
struct Lru {
    map: HashMap<u64, usize, FixedState>,
    nodes: Vec<Node>,
    head: usize,
    tail: usize,
}

impl Lru {
    fn new() -> Lru {
        Lru {
            map: HashMap::with_capacity_and_hasher(2 * CAPACITY, FixedState::default()),
            nodes: Vec::with_capacity(CAPACITY),
            head: NIL,
            tail: NIL,
        }
    }

    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.nodes[i].prev, self.nodes[i].next);
        if p == NIL { self.head = n } else { self.nodes[p].next = n }
        if n == NIL { self.tail = p } else { self.nodes[n].prev = p }
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NIL;
        self.nodes[i].next = self.head;
        if self.head == NIL { self.tail = i } else { self.nodes[self.head].prev = i }
        self.head = i;
    }

    /// The result for `key`, moved to the front of the list.
    fn get(&mut self, key: u64) -> Option<u64> {
        let i = *self.map.get(&key)?;
        if i != self.head {
            self.unlink(i);
            self.push_front(i);
        }
        Some(self.nodes[i].value)
    }

    /// Keeps `value` for a `key` not in the cache, evicting the least
    /// recently used result when full.
    fn insert(&mut self, key: u64, value: u64) {
        let i = if self.nodes.len() < CAPACITY {
            self.nodes.push(Node { key, value, prev: NIL, next: NIL });
            self.nodes.len() - 1
        } else {
            let i = self.tail;
            self.unlink(i);
            self.map.remove(&self.nodes[i].key);
            (self.nodes[i].key, self.nodes[i].value) = (key, value);
            i
        };
        self.map.insert(key, i);
        self.push_front(i);
    }
}

/// Caches like `bounded` but evicts the least recently used result first.
pub fn lru<P: Probe>(keys: &[u64], f: impl Fn(u64) -> u64, probe: &P) -> Vec<u64> {
    let mut cache = Lru::new();
    probe.add(HITS, 0);
    keys.iter()
        .map(|&k| {
            if let Some(v) = cache.get(k) {
                probe.add(HITS, 1);
                return v;
            }
            let v = compute(&f, k, probe);
            cache.insert(k, v);
            v
        })
        .collect()
}

/// A size: the share of repeated calls in percent, and whether a repeat
/// picks among the keys seen so far uniformly or skewed towards the first
/// seen (zipf-like). Sizes sort by share, then uniform before skewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stream {
    pub percent: usize,
    pub skewed: bool,
}

const fn uniform(percent: usize) -> Stream {
    Stream { percent, skewed: false }
}

impl Param for Stream {
    /// Uniform streams keep the plain keys (`50`) of earlier records.
    fn key(&self) -> String {
        if self.skewed { format!("{}-zipf", self.percent) } else { self.percent.to_string() }
    }
    fn parse(key: &str) -> Option<Self> {
        match key.strip_suffix("-zipf") {
            Some(p) => Some(Stream { percent: p.parse().ok()?, skewed: true }),
            None => Some(uniform(key.parse().ok()?)),
        }
    }
    fn label(&self) -> String {
        if self.skewed { format!("{}, zipf-like", self.percent) } else { self.percent.to_string() }
    }
    fn series(&self) -> String {
        if self.skewed { "zipf-like repeats".into() } else { "uniform repeats".into() }
    }
    fn x(&self) -> f64 {
        self.percent as f64
    }
    fn edges() -> Vec<Self> {
        vec![uniform(0), uniform(1), Stream { percent: 1, skewed: true }]
    }
    fn from_legacy(size: usize) -> Option<Self> {
        Some(uniform(size))
    }
}

/// [`CALLS`] keys of which exactly `repeat_percent` % repeat a key seen
/// earlier (drawn uniformly from those), the rest fresh; the same on every run.
pub fn input(repeat_percent: usize) -> Vec<u64> {
    stream(repeat_percent, false)
}

/// Like [`input`], except that a repeat picks the `r`-th key seen with
/// probability falling about as `1 / (r + 1)` (log-uniform ranks, zipf-like
/// with exponent 1): a few early keys come back often, most rarely.
pub fn skewed_input(repeat_percent: usize) -> Vec<u64> {
    stream(repeat_percent, true)
}

fn stream(repeat_percent: usize, skewed: bool) -> Vec<u64> {
    let mut rng = crate::rng(if skewed { 121 } else { 23 });
    let repeats = CALLS * repeat_percent.min(100) / 100;
    // Which calls repeat: shuffled, except that the first call cannot.
    let mut repeat = vec![false; CALLS];
    repeat[1..=repeats.min(CALLS - 1)].fill(true);
    repeat[1..].shuffle(&mut rng);
    let mut seen: Vec<u64> = Vec::with_capacity(CALLS);
    repeat
        .into_iter()
        .map(|again| {
            if again && skewed {
                let n = seen.len() as f64;
                let r = ((n + 1.0).powf(rng.random::<f64>()) - 1.0) as usize;
                seen[r.min(seen.len() - 1)]
            } else if again {
                seen[rng.random_range(0..seen.len())]
            } else {
                // The index makes each fresh key distinct; the random high
                // bits spread them over the hash table.
                let k = (rng.random::<u64>() << 16) | seen.len() as u64;
                seen.push(k);
                k
            }
        })
        .collect()
}

/// How many distinct keys [`input`] makes for a share of repeats.
pub fn distinct(repeat_percent: usize) -> usize {
    CALLS - (CALLS * repeat_percent.min(100) / 100).min(CALLS - 1)
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "memoize";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::CACHE_RESULTS, sources::BOUNDED_CACHE, sources::MEMO_TIER];
    const SIZE: &'static str = "% repeats";
    const CLAIM: &'static str =
        "\"10x\" tier; computes each distinct key once, so at most 1/(1-p) faster at p repeats";
    type Param = Stream;
    type Input = Vec<u64>;
    type Output = Vec<u64>;

    /// No repeats (the cache only costs), half, nine in ten, and 99 in 100;
    /// and half again with skewed repeats, where 500 distinct keys do not
    /// fit in the bounded caches and eviction order decides what hits.
    fn sizes() -> &'static [Stream] {
        const SIZES: &[Stream] = &[
            uniform(0),
            uniform(50),
            Stream { percent: 50, skewed: true },
            uniform(90),
            uniform(99),
        ];
        SIZES
    }

    const INPUT: fn(Stream) -> Vec<u64> = |size| stream(size.percent, size.skewed);

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |k: &Vec<u64>, p| bad(k, expensive, p));
        v.variant("good", |k: &Vec<u64>, p| good(k, expensive, p));
        v.variant("bounded", |k: &Vec<u64>, p| bounded(k, expensive, p));
        v.variant("lru", |k: &Vec<u64>, p| lru(k, expensive, p));
    }

    /// No repeats: the caches only cost. Half: both faster (`bounded`
    /// less, evicting). Nine in ten: both faster, by at most the 10x
    /// ceiling. 99 in 100: the sources' 10x, well under the 100x ceiling.
    /// `lru` as `bounded`: on uniform repeats recency says nothing about
    /// the next key, and with skewed repeats it keeps the hot keys, so it
    /// is faster there too.
    /// The sources' "10x" tier, where almost every key repeats; elsewhere
    /// only faster.
    fn claimed(size: Stream) -> Option<Prediction> {
        let good = Prediction::faster("good");
        Some(if size.percent >= 99 { good.by(10.0) } else { good })
    }

    fn predict(size: Stream) -> Vec<Prediction> {
        let each = |p: Prediction| {
            vec![
                p,
                Prediction { variant: "bounded", ..p },
                Prediction { variant: "lru", ..p },
            ]
        };
        match size.percent {
            0 => each(Prediction::level("good").or_slower()),
            p if p >= 99 => each(Prediction::faster("good").by(10.0)),
            _ => each(Prediction::faster("good")),
        }
    }

    fn expect() -> Vec<Expect<Stream>> {
        vec![
            expect::exactly(Figure::Counter("computed"), "bad", |_| CALLS as u64),
            expect::exactly(Figure::Counter("computed"), "good", |s| distinct(s.percent) as u64),
            expect::exactly(Figure::Counter(HITS), "good", |s| {
                (CALLS - distinct(s.percent)) as u64
            }),
            expect::fewer(Figure::Counter("computed"), "bounded", "bad").at(Sizes::From(uniform(50))),
            expect::fewer(Figure::Counter("computed"), "lru", "bad").at(Sizes::From(uniform(50))),
            // The bounded caches' tables are sized once: allocations do not
            // grow with the number of distinct keys.
            expect::exactly(Figure::Allocs, "bounded", |_| 3),
            expect::exactly(Figure::Allocs, "lru", |_| 3),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(uniform(50))),
            expect::fewer_by(Figure::Instructions, "good", "bad", 10.0).at(Sizes::From(uniform(99))),
            // With no repeats the cache only costs.
            expect::no_better(Figure::Instructions, "good", "bad", 1.0).at(Sizes::UpTo(uniform(0))),
            expect::no_better(Figure::Instructions, "bounded", "bad", 1.0).at(Sizes::UpTo(uniform(0))),
            expect::no_better(Figure::Instructions, "lru", "bad", 1.0).at(Sizes::UpTo(uniform(0))),
            // No `grows` check: the size is a share of repeats, not an amount
            // of work; the exact `computed` counts above catch deleted work.
        ]
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::HashMap;

    /// Naive recursion: counts every call.
    fn fib_naive(n: u64, calls: &Cell<u64>) -> u64 {
        calls.set(calls.get() + 1);
        if n < 2 {
            n
        } else {
            fib_naive(n - 1, calls) + fib_naive(n - 2, calls)
        }
    }

    /// Memoized recursion: counts hits and misses the way `lru_cache` reports them.
    fn fib_memo(n: u64, cache: &mut HashMap<u64, u64>, hits: &mut u64, misses: &mut u64) -> u64 {
        if let Some(&v) = cache.get(&n) {
            *hits += 1;
            return v;
        }
        *misses += 1;
        let v = if n < 2 {
            n
        } else {
            fib_memo(n - 1, cache, hits, misses) + fib_memo(n - 2, cache, hits, misses)
        };
        cache.insert(n, v);
        v
    }

    /// The sources: without a cache `fib(35)` makes millions of calls; with
    /// one, `cache_info()` reports 33 hits and 36 misses.
    #[test]
    fn fibonacci_figures_match_the_sources() {
        let (mut cache, mut hits, mut misses) = (HashMap::new(), 0, 0);
        assert_eq!(fib_memo(35, &mut cache, &mut hits, &mut misses), 9_227_465);
        assert_eq!((hits, misses), (33, 36));
        // Naive calls are 2·fib(n+1) - 1: checked by counting at 25 (fast in a
        // debug build), then the formula gives 29,860,703 at 35.
        let calls = Cell::new(0);
        fib_naive(25, &calls);
        assert_eq!(calls.get(), 2 * 121_393 - 1);
        let fib36 = fib_memo(36, &mut cache, &mut hits, &mut misses);
        assert_eq!(2 * fib36 - 1, 29_860_703);
    }

    #[test]
    fn inputs_repeat_exactly_the_share_asked() {
        for p in [0, 1, 50, 90, 99, 100] {
            let keys = super::input(p);
            let mut distinct = keys.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), super::distinct(p), "{p} %");
        }
    }
}
