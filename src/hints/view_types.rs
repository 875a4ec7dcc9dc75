//! # Take views, return `Cow` (`view_types`)
//!
//! ## Cost model
//! A function that takes `Vec<T>` or `String` by value owns its argument, so
//! a caller that still needs its data must hand over a clone: an allocation
//! and a copy per call, paid even when the function only reads. A function
//! that returns `String` allocates its result every time, even when the
//! result is its input unchanged.
//!
//! ## The fix
//! Take `&[T]` and `&str` (or `impl AsRef<[T]>`) when the function only reads:
//! the caller lends its data and nothing is copied. When the function changes
//! the text only sometimes, return `Cow<'_, str>`: `Borrowed` when the input
//! is already right, `Owned` only for the items it must change.
//!
//! Here each of 1,000 records has a name and a list of scores; the job totals
//! the scores and lowercases the names (ASCII), and the size is the share of
//! names, in percent, that hold an uppercase letter and so need changing.
//! `bad` takes `Vec<u32>` and `String` by value (two clones per record),
//! `good` takes `&[u32]` and `&str` and returns a new `String` (one
//! allocation per record), `cow` returns `Cow<str>` (one per changed name).
//!
//! ## When it does not help
//! When every item must change, `Cow` allocates as often as returning a
//! `String` does, and it first scans the text to find out: at 100 % it runs
//! more instructions than the plain `String` version. A function that
//! keeps its argument (stores it in a struct, sends it to a thread) needs
//! ownership anyway: taking `String` then lets a caller that is done with its
//! data move it in without a copy, where `&str` would force a copy inside.
//!
//! ## Finding it
//! Caught by: `clippy::needless_pass_by_value` (pedantic, opt-in): it flags
//! the helpers that take `Vec<u32>` and `String` by value and only read them
//! (`total_owned`, `lowercase_owned`), which is what makes the caller clone.
//!
//! Signal: allocation profile. A `clone`/`to_vec`/`to_string` in the caller
//! right before a call that only reads its argument: `alloc::vec::Vec::clone`
//! or `String::clone` under the caller; the allocs column of `cargo bench --
//! view_types/`.
//!
//! ## Claim
//! Fewer allocations: borrowing removes the clone a by-value parameter forces
//! on a caller that keeps its data, and `Cow` allocates only for the items it
//! changes.
//!
//! ## Measured
//! The allocations are exact (`validate` checks them): `bad` two per record at
//! every share, `good` one, `cow` one per changed name. `cow` saves the most
//! allocations where few names change; at 100 % it allocates as often as
//! `good` and also scans each name first, so it runs more instructions than
//! `good` (the exact counts show it).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- view_types/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/view_types.md"))]

use std::borrow::Cow;

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;

/// Records per call.
pub const RECORDS: usize = 1_000;

/// A record its owner keeps after the call.
#[derive(Clone, Debug)]
pub struct Record {
    pub name: String,
    pub scores: Vec<u32>,
}

/// What every variant returns: the sum of all scores, and a fingerprint of
/// the lowercased names (their bytes weighted by record position, and their
/// total length), so a name left unchanged would show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub scores: u64,
    pub names: u64,
    pub name_bytes: usize,
}

impl Summary {
    fn add(&mut self, i: usize, total: u64, name: &str) {
        let bytes: u64 = name.bytes().map(u64::from).sum();
        self.scores = self.scores.wrapping_add(total);
        self.names = self.names.wrapping_add(bytes.wrapping_mul(i as u64 + 1));
        self.name_bytes += name.len();
    }
}

// The helpers come in three shapes, one per variant. `#[inline(never)]`
// keeps each a real call, as a function in another crate is without LTO, so
// the optimiser cannot look through a helper and drop the caller's clone.

#[inline(never)]
fn total_owned(scores: Vec<u32>) -> u64 {
    scores.iter().map(|&s| u64::from(s)).sum()
}

#[inline(never)]
fn lowercase_owned(mut name: String) -> String {
    name.make_ascii_lowercase();
    name
}

#[inline(never)]
fn total(scores: &[u32]) -> u64 {
    scores.iter().map(|&s| u64::from(s)).sum()
}

#[inline(never)]
fn lowercase(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[inline(never)]
fn lowercase_cow(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Calls helpers that take `Vec<u32>` and `String` by value: the caller clones both.
pub fn bad(records: &[Record]) -> Summary {
    let mut s = Summary::default();
    for (i, r) in records.iter().enumerate() {
        let t = total_owned(r.scores.clone());
        let name = lowercase_owned(r.name.clone());
        s.add(i, t, &name);
    }
    s
}

/// Calls helpers that take `&[u32]` and `&str`; the lowercased name is a new `String`.
pub fn good(records: &[Record]) -> Summary {
    let mut s = Summary::default();
    for (i, r) in records.iter().enumerate() {
        let t = total(&r.scores);
        let name = lowercase(&r.name);
        s.add(i, t, &name);
    }
    s
}

/// As `good`, but the name comes back as a `Cow`, allocated only when it had uppercase.
pub fn cow(records: &[Record]) -> Summary {
    let mut s = Summary::default();
    for (i, r) in records.iter().enumerate() {
        let t = total(&r.scores);
        let name = lowercase_cow(&r.name);
        s.add(i, t, &name);
    }
    s
}

/// [`RECORDS`] records, of which exactly `RECORDS * percent / 100`, at
/// random positions, have one uppercase letter in their name; the same on
/// every run. Names are 8 to 24 letters, score lists 4 to 16 long.
pub fn input(percent: usize) -> Vec<Record> {
    let mut rng = crate::rng(31);
    let mut records: Vec<Record> = (0..RECORDS)
        .map(|_| {
            let len = rng.random_range(8..=24);
            let name = (0..len)
                .map(|_| char::from(rng.random_range(b'a'..=b'z')))
                .collect();
            let scores = (0..rng.random_range(4..=16))
                .map(|_| rng.random_range(0..1_000))
                .collect();
            Record { name, scores }
        })
        .collect();
    // A partial Fisher-Yates shuffle picks which records change.
    let changed = RECORDS * percent.min(100) / 100;
    let mut order: Vec<usize> = (0..RECORDS).collect();
    for k in 0..changed {
        let j = rng.random_range(k..RECORDS);
        order.swap(k, j);
        let name = &mut records[order[k]].name;
        let at = rng.random_range(0..name.len());
        let upper = name.as_bytes()[at].to_ascii_uppercase();
        name.replace_range(at..=at, std::str::from_utf8(&[upper]).expect("ASCII"));
    }
    records
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "view_types";
    const TOPIC: Topic = Topic::Api;
    const SOURCES: &'static [SourcePoint] = &[sources::VIEW_TYPES];
    const SIZE: &'static str = "% names changed";
    const CLAIM: &'static str = "fewer allocations: no clone for a by-value parameter; Cow allocates only for the items it changes";
    type Param = usize;
    type Input = Vec<Record>;
    type Output = Summary;

    /// The catalog's 0 %, 10 % and 100 % of names needing a change, and 50 %.
    fn sizes() -> &'static [usize] {
        &[0, 10, 50, 100]
    }

    const INPUT: fn(usize) -> Vec<Record> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Vec<Record>, _| bad(r));
        v.variant("good", |r: &Vec<Record>, _| good(r));
        v.variant("cow", |r: &Vec<Record>, _| cow(r));
    }

    // No `grows`: the size is a share, not an amount of work; `bad` and
    // `good` do the same work at every share.
    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "bad", |_| 2 * RECORDS as u64),
            expect::exactly(Figure::Allocs, "good", |_| RECORDS as u64),
            expect::exactly(Figure::Allocs, "cow", |p| (RECORDS * p / 100) as u64),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::fewer(Figure::Instructions, "cow", "good").at(Sizes::UpTo(50)),
            // When every name changes, Cow allocates as often as `good` and
            // scans each name first: it loses.
            expect::no_better(Figure::Instructions, "cow", "good", 1.0).at(Sizes::From(100)),
        ]
    }

    /// Against `bad`'s two clones per record, `good` saves one allocation
    /// and copy per record and `cow` at least as many (two at 0 %, one at
    /// 100 %, where it loses only to `good`): both faster at every share.
    fn predict(_size: usize) -> Vec<Prediction> {
        vec![Prediction::faster("good"), Prediction::faster("cow")]
    }
}
