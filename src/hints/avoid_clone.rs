//! # Format borrowed fields, do not clone them first (`avoid_clone`)
//!
//! ## Cost model
//! `let name = data.name.clone();` copies a `String` into a fresh heap block:
//! one allocation, a copy of its bytes and, when the clone goes out of scope,
//! one free. When the clone is only read (formatted, compared, hashed) all of
//! that buys nothing: the original was there to be borrowed. The compiler
//! does not remove a `clone()` of a heap type, because allocation is an
//! observable call.
//!
//! Here the job is the sources' example B: build `"User {name} ({id})"` for
//! each record, where `name` and `id` are both `String`s. The size is the
//! number of records per call.
//!
//! ## The fix
//! Pass the fields to `format!` by reference (`format!("User {} ({})",
//! data.name, data.id)`, which borrows them already). The only allocation left
//! is the one the job needs: the output string.
//!
//! ## When it does not help
//! When the callee must own the value (stores it in a struct, sends it to
//! another thread) a clone, or better a move, is needed anyway. Cloning a
//! `Copy` type, an `Rc`/`Arc` (a counter increment) or a `&str` costs nothing
//! worth removing. And a clone next to expensive work (I/O, parsing) is a
//! small share of the call: the saving is the allocator calls, not the copy.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent: `clippy::redundant_clone`
//! (nursery, opt-in), which flags a clone whose original is not used
//! afterwards (here `data` is still borrowed), `clippy::implicit_clone`
//! (pedantic, opt-in) and `clippy::unnecessary_to_owned` (perf, on by
//! default).
//!
//! Signal: allocation profile. `String::clone`/`Vec::clone` whose result is
//! only read (formatted, compared) before it is dropped; the allocs column of
//! `cargo bench -- avoid_clone/`.
//!
//! ## Claim
//! Two fewer allocations per call (sources' example B: two clones removed).
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! avoid_clone` (exact, repeatable). Per record `bad` makes two allocator
//! calls more than `good`, the two clones; what `good` has left is what the
//! job needs: the output string (which `format!` starts small and grows once)
//! and, once per call, the output `Vec`. So the sources' "two fewer per call"
//! holds exactly, per record and at every size (`validate` checks it). The
//! clones are also a fixed share of the instructions per record, the copies
//! and frees with them; what that saves in time is the table's, and at one
//! record a call is short enough for the run's spread to weigh.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- avoid_clone/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/avoid_clone.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// One record of the sources' example: two owned strings.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseData {
    pub name: String,
    pub id: String,
}

/// Clones both fields into locals, then formats the clones.
pub fn bad(records: &[ResponseData]) -> Vec<String> {
    records
        .iter()
        .map(|data| {
            let name = data.name.clone();
            let id = data.id.clone();
            format!("User {name} ({id})")
        })
        .collect()
}

/// Formats the fields in place: `format!` borrows them.
pub fn good(records: &[ResponseData]) -> Vec<String> {
    records
        .iter()
        .map(|data| format!("User {} ({})", data.name, data.id))
        .collect()
}

/// `n` records with names of 8-12 letters and ids of 6-8 digits, the same on
/// every run.
pub fn input(n: usize) -> Vec<ResponseData> {
    let mut rng = crate::rng(40);
    (0..n)
        .map(|_| {
            let len = rng.random_range(8..=12);
            let name = (0..len)
                .map(|_| char::from(rng.random_range(b'a'..=b'z')))
                .collect();
            let id = rng.random_range(100_000..100_000_000u32).to_string();
            ResponseData { name, id }
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "avoid_clone";
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::BORROW];
    const SIZE: &'static str = "records";
    const CLAIM: &'static str = "two fewer allocations per call (sources' example B)";
    type Param = usize;
    type Input = Vec<ResponseData>;
    type Output = Vec<String>;

    /// One record shows the per-call figure of the sources; 100 and 10,000
    /// show that it stays per record, with no fixed cost hiding it.
    fn sizes() -> &'static [usize] {
        &[1, 100, 10_000]
    }

    const INPUT: fn(usize) -> Vec<ResponseData> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Vec<ResponseData>, _| bad(r));
        v.variant("good", |r: &Vec<ResponseData>, _| good(r));
    }

    /// Two of `bad`'s four allocator calls per record gone, with their copies
    /// and frees: faster at every size, one record included (the saving is
    /// per record, with no fixed cost beside it).
    fn predict(_records: usize) -> Vec<Prediction> {
        vec![Prediction::faster("good")]
    }

    fn expect() -> Vec<Expect<usize>> {
        // Per record: `format!` allocates its estimate (16 bytes here) and
        // grows once to fit 22-28 bytes; `bad` adds two clones. Plus one
        // allocation for the output `Vec`.
        vec![
            expect::exactly(Figure::Allocs, "bad", |n| 4 * n as u64 + 1),
            expect::exactly(Figure::Allocs, "good", |n| 2 * n as u64 + 1),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::grows(Figure::Instructions, Growth::Linear),
            expect::grows(Figure::Allocs, Growth::Linear),
        ]
    }
}
