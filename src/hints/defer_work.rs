//! # Compute a fallback only when it is needed (`defer_work`)
//!
//! ## Cost model
//! Arguments are evaluated before the call. `map.get(&k).unwrap_or(expensive(k))`
//! therefore runs `expensive(k)` on every lookup and throws the result away
//! whenever the key is found; the same holds for `entry(k).or_insert(expensive(k))`
//! and `ok_or(make_error())`. With a hit rate `h`, a share `h` of that work is
//! waste, so the saving grows with the hit rate.
//!
//! ## The fix
//! Pass a closure instead of a value: `unwrap_or_else(|| expensive(k))`,
//! `or_insert_with(|| ..)`, `ok_or_else(|| ..)`. The closure runs only on a
//! miss. Clippy's `or_fun_call` lint flags the eager form for function calls.
//!
//! ## When it does not help
//! At a 0 % hit rate every lookup needs the fallback, so both forms do the same
//! work. For a cheap fallback (a constant, a field, `0`) the eager form costs
//! nothing and reads better; the optimiser may also sink a pure computation
//! into the miss branch by itself. Here the fallback formats a `String`, heap
//! work it cannot drop.
//!
//! ## Finding it
//! Caught by: `clippy::or_fun_call` (nursery, opt-in):
//! `.unwrap_or(Cow::Owned(default_name(id)))` builds the fallback on every
//! call, and it suggests `unwrap_or_else`. Checked and silent:
//! `clippy::expect_fun_call` (perf, on by default), the same lint for
//! `expect(&format!(..))`.
//!
//! Signal: a costly fallback (an allocation, a `format!`) computed on every
//! call while the value is present: allocations that do not drop when the
//! fallback is rarely needed; the allocs column of `cargo bench --
//! defer_work/`.
//!
//! ## Claim
//! "Compute only when needed": the fallback runs once per miss instead of once
//! per lookup, so allocations fall from two per lookup to two per miss, and
//! the time saved follows the hit rate.
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! defer_work` (exact, repeatable), per call of [`LOOKUPS`] lookups: `bad`
//! builds one formatted fallback per lookup at every hit rate
//! ([`ALLOCS_PER_FALLBACK`] allocator calls each); `good` one per miss, so as
//! many as `bad` at 0 % hits and none at 100 %. Instructions follow: the same
//! at 0 %, then falling with the hit rate, and what is left at 100 % is the
//! hashing and probing.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- defer_work/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/defer_work.md"))]

use std::borrow::Cow;
use std::collections::HashMap;

use rand::Rng;

use crate::FixedState;
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Lookups per call.
pub const LOOKUPS: usize = 1_000;

/// A directory of user names, and the ids looked up in it.
pub struct Input {
    pub names: HashMap<u64, String, FixedState>,
    pub ids: Vec<u64>,
}

/// Allocator calls per fallback: `format!` starts with a small buffer and grows it once.
pub const ALLOCS_PER_FALLBACK: u64 = 2;

/// The fallback for an id that is not in the directory: a formatted name,
/// [`ALLOCS_PER_FALLBACK`] allocator calls.
pub fn default_name(id: u64) -> String {
    format!("user-{id:08x}")
}

/// Folds a name into the checksum every variant returns (FNV-1a over its bytes).
fn fold(acc: u64, name: &str) -> u64 {
    name.bytes()
        .fold(acc, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Builds the fallback name on every lookup, hit or miss (`unwrap_or`).
pub fn bad(input: &Input) -> u64 {
    input.ids.iter().fold(0xcbf2_9ce4_8422_2325, |acc, &id| {
        // clippy's `or_fun_call` flags exactly this: the argument is evaluated first.
        #[allow(clippy::or_fun_call)]
        let name: Cow<str> = input
            .names
            .get(&id)
            .map(|n| Cow::Borrowed(n.as_str()))
            .unwrap_or(Cow::Owned(default_name(id)));
        fold(acc, &name)
    })
}

/// Builds the fallback name only on a miss (`unwrap_or_else`).
pub fn good(input: &Input) -> u64 {
    input.ids.iter().fold(0xcbf2_9ce4_8422_2325, |acc, &id| {
        let name: Cow<str> = input
            .names
            .get(&id)
            .map(|n| Cow::Borrowed(n.as_str()))
            .unwrap_or_else(|| Cow::Owned(default_name(id)));
        fold(acc, &name)
    })
}

/// A directory of [`LOOKUPS`] names under even ids, and [`LOOKUPS`] ids of
/// which exactly `hit_percent` % are in it (odd ids miss), shuffled; the
/// same on every run.
pub fn input(hit_percent: usize) -> Input {
    use rand::seq::SliceRandom;
    let mut rng = crate::rng(51);
    let keys: Vec<u64> = (0..LOOKUPS).map(|_| rng.random::<u64>() & !1).collect();
    let names = keys
        .iter()
        .map(|&k| (k, format!("name-{}", k % 100_000)))
        .collect();
    let hits = LOOKUPS * hit_percent.min(100) / 100;
    let mut ids: Vec<u64> = (0..LOOKUPS)
        .map(|i| {
            if i < hits {
                keys[rng.random_range(0..keys.len())]
            } else {
                rng.random::<u64>() | 1
            }
        })
        .collect();
    ids.shuffle(&mut rng);
    Input { names, ids }
}

/// Lookups that miss at a hit rate: the fallbacks `good` builds.
pub fn misses(hit_percent: usize) -> u64 {
    (LOOKUPS - LOOKUPS * hit_percent.min(100) / 100) as u64
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "defer_work";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::DEFER];
    const SIZE: &'static str = "% hits";
    const CLAIM: &'static str =
        "compute only when needed: one fallback per miss instead of one per lookup";
    type Param = usize;
    type Input = Input;
    type Output = u64;

    /// No hits (nothing to save), half, nine in ten, all.
    fn sizes() -> &'static [usize] {
        &[0, 50, 90, 100]
    }

    const INPUT: fn(usize) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, _| bad(i));
        v.variant("good", |i: &Input, _| good(i));
    }

    /// `good` skips the fallback (a `format!`, heap work) on every hit: faster
    /// wherever some lookups hit. At 0 % hits both build every fallback, the
    /// same work: level. The claim says the saving follows the hit rate but
    /// names no factor, so none is predicted.
    fn predict(hit_percent: usize) -> Vec<Prediction> {
        if hit_percent == 0 {
            vec![Prediction::level("good")]
        } else {
            vec![Prediction::faster("good")]
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // One formatted fallback per lookup against one per miss.
            expect::exactly(Figure::Allocs, "bad", |_| ALLOCS_PER_FALLBACK * LOOKUPS as u64),
            expect::exactly(Figure::Allocs, "good", |h| ALLOCS_PER_FALLBACK * misses(h)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 1.4).at(Sizes::From(50)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 3.0).at(Sizes::From(90)),
            // Every lookup misses: both build every fallback.
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::UpTo(0)),

            // No `grows` check: the size is a hit rate, not an amount of
            // work; the exact allocation counts catch deleted work.
        ]
    }
}
