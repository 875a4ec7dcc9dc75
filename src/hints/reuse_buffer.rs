//! # Clear and reuse one buffer instead of a fresh one per record (`reuse_buffer`)
//!
//! ## Cost model
//! A `String::new()` (or `Vec::new()`) inside a loop starts with no capacity
//! each time: the first write allocates and every doubling after that
//! reallocates, and the block is freed at the end of the iteration. A record
//! that renders to `L` bytes costs about `1 + log2(L / 8)` allocator calls
//! and a free, every record, even though the previous record left a block of
//! the right size behind.
//!
//! Here each record is 4-16 numbers, rendered as a CSV line into a buffer
//! that is then handed to a sink (an FNV-1a hash of the bytes, standing in
//! for a write or a parser). The size is the number of records per call.
//!
//! ## The fix
//! Declare the buffer once before the loop and `clear()` it at the top of each
//! iteration: `clear` sets the length to zero and keeps the capacity, so after
//! the first few records (the warm-up, while it grows to the longest line) no
//! record allocates at all.
//!
//! ## When it does not help
//! With one record per call there is nothing to reuse: both variants make the
//! same allocator calls. When the buffer must be handed away (each record
//! stored in a `Vec<String>` of results) the allocation per record is the
//! output and cannot be reused. A buffer kept alive for one huge record keeps
//! that memory until it is dropped (`shrink_to` if that matters).
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: allocation profile. One allocation (and growth) per iteration for
//! a buffer that is built and dropped in the same loop body; the allocs
//! column of `cargo bench -- reuse_buffer/` counts them per call.
//!
//! ## Claim
//! No allocation per record after warm-up.
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! reuse_buffer` (exact, repeatable). `bad` makes one allocation and a few
//! doublings for every record; `good` makes the same calls during the first
//! record, while its one buffer grows to fit the longest line, and none after
//! it, at any number of records. Instructions fall with the allocator calls.
//! At one record both make the same calls and run the same instructions:
//! nothing to reuse.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- reuse_buffer/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/reuse_buffer.md"))]

use std::fmt::Write;

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// FNV-1a over `bytes`, continuing from `h`: the sink every line goes to.
fn sink(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Renders `record` as a CSV line (numbers, commas, a newline) into `line`.
fn render(line: &mut String, record: &[u32]) {
    for (i, v) in record.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        // Writing to a `String` cannot fail.
        let _ = write!(line, "{v}");
    }
    line.push('\n');
}

/// Renders each record into a fresh `String`, dropped after the sink reads it.
pub fn bad(records: &[Vec<u32>]) -> u64 {
    let mut h = FNV_START;
    for record in records {
        let mut line = String::new();
        render(&mut line, record);
        h = sink(h, line.as_bytes());
    }
    h
}

/// Renders every record into one `String`, cleared (capacity kept) per record.
pub fn good(records: &[Vec<u32>]) -> u64 {
    let mut h = FNV_START;
    let mut line = String::new();
    for record in records {
        line.clear();
        render(&mut line, record);
        h = sink(h, line.as_bytes());
    }
    h
}

/// `n` records of 4-16 numbers each (lines of about 10 to 170 bytes), the
/// same on every run.
pub fn input(n: usize) -> Vec<Vec<u32>> {
    let mut rng = crate::rng(41);
    (0..n)
        .map(|_| {
            let len = rng.random_range(4..=16);
            (0..len).map(|_| rng.random_range(0..10_000_000)).collect()
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "reuse_buffer";
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::REUSE];
    const SIZE: &'static str = "records";
    const CLAIM: &'static str = "no allocation per record after warm-up";
    type Param = usize;
    type Input = Vec<Vec<u32>>;
    type Output = u64;

    /// One record, where there is nothing to reuse, then 100 and 10,000,
    /// where the warm-up is a vanishing share of the calls.
    fn sizes() -> &'static [usize] {
        &[1, 100, 10_000]
    }

    const INPUT: fn(usize) -> Vec<Vec<u32>> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Vec<Vec<u32>>, _| bad(r));
        v.variant("good", |r: &Vec<Vec<u32>>, _| good(r));
    }

    /// From the second record on, `good` skips an allocation, a few
    /// doublings and a free per record: faster. With one record there is
    /// nothing to reuse, the same calls either way: level.
    fn predict(records: usize) -> Vec<Prediction> {
        if records <= 1 {
            vec![Prediction::level("good")]
        } else {
            vec![Prediction::faster("good")]
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The longest line is at most 128 bytes and the first record is
            // longer than 64: 8, 16, 32, 64, 128, then never again.
            expect::exactly(Figure::Allocs, "good", |_| 5),
            // The warm-up is the growth to the longest line: a few calls, not
            // one per record.
            expect::fewer_by(Figure::Allocs, "good", "bad", 100.0).at(Sizes::From(10_000)),
            expect::fewer(Figure::Allocs, "good", "bad").at(Sizes::From(100)),
            // One record: a fresh buffer and a reused one are the same thing.
            expect::no_better(Figure::Allocs, "good", "bad", 1.0).at(Sizes::UpTo(1)),
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::UpTo(1)),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(100)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
