//! # Keep short collections inline (`small_vec`)
//!
//! ## Cost model
//! A `Vec` with at least one element lives on the heap: building one costs an
//! allocation (and a reallocation each time it doubles), dropping it costs a
//! free, and reading it costs a pointer chase to wherever the allocator put it.
//! For many short collections, such as the tags of each row, those fixed
//! costs are most of the work.
//!
//! ## The fix
//! `SmallVec<[T; N]>` stores up to `N` elements inside itself and only moves
//! to the heap ("spills") past that. Pick `N` from the lengths you see: here
//! rows have a known typical length and `N` is 8.
//!
//! ## When it does not help
//! Past the inline capacity a `SmallVec` allocates like a `Vec`, and every
//! access first checks which of the two states it is in. It is also larger: a
//! `SmallVec<[u32; 8]>` is 40 bytes against a `Vec`'s 24, so collections of
//! them, and every move of one, carry the inline buffer whether it is used or
//! not. On this workload the advantage fades to nothing by 64 tags per row;
//! where most collections are longer than `N`, or are moved around a lot, the
//! extra size is all that is left.
//!
//! ## Claim
//! No heap allocation for collections up to the inline size.
//!
//! ## Measured
//! Allocations are exact: 1,000 rows of 2 tags make 1,001 allocations with `Vec`
//! and 1 with `SmallVec` (the outer `Vec`); at 16 and 64 tags both allocate per
//! row. In record `2026-11-21T22-18-08Z`
//! (AMD EPYC, 2 cores; in `results/records/`): `good` is 3.50x faster at 2 tags and 5.88x at 8; at 16 it still
//! wins 1.40x, because it spills straight into a 16-slot buffer where `Vec`
//! grows 4, 8, 16 (three allocator calls); at 64 the gap is gone (1.06x, inside
//! the spread).
//! Instruction counts from `cargo run --release -- validate`: 5.3x fewer at 2
//! tags (89k against 474k); at 64 tags the two are within a few percent and
//! which one is ahead depends on how the rest of the crate is compiled (2.19M
//! against 2.24M with all eighteen hints built, 2.20M against 2.18M with six),
//! while `SmallVec` misses the L1 more (15.7k against 15.0k): it no longer wins.
//! Rerun with `cargo bench -- small_vec/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/small_vec.md"))]

use rand::Rng;
use smallvec::SmallVec;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// Inline capacity of the good variant.
pub const INLINE: usize = 8;
/// Rows per call.
pub const ROWS: usize = 1_000;

/// Per-row tags as `Vec`s: one heap allocation per non-empty row.
pub fn bad(tags: &[u32], len: usize) -> u64 {
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(tags.len() / len.max(1));
    for chunk in tags.chunks(len.max(1)) {
        let mut row = Vec::new();
        for &t in chunk {
            row.push(t);
        }
        rows.push(row);
    }
    checksum(rows.iter().map(|r| r.as_slice()))
}

/// Per-row tags as `SmallVec<[u32; 8]>`: no allocation for rows of 8 or fewer.
pub fn good(tags: &[u32], len: usize) -> u64 {
    let mut rows: Vec<SmallVec<[u32; INLINE]>> = Vec::with_capacity(tags.len() / len.max(1));
    for chunk in tags.chunks(len.max(1)) {
        let mut row = SmallVec::new();
        for &t in chunk {
            row.push(t);
        }
        rows.push(row);
    }
    checksum(rows.iter().map(|r| r.as_slice()))
}

/// What both variants compute from their rows: each row's sum, weighted by its position.
fn checksum<'a>(rows: impl Iterator<Item = &'a [u32]>) -> u64 {
    rows.enumerate().fold(0u64, |acc, (i, r)| {
        let s: u64 = r.iter().map(|&t| u64::from(t)).sum();
        acc.wrapping_add(s.wrapping_mul(i as u64 + 1))
    })
}

/// Tags for [`ROWS`] rows of `len` tags each, the same on every run.
pub struct Rows {
    pub tags: Vec<u32>,
    pub len: usize,
}

/// [`ROWS`] rows of `len` random tags.
pub fn input(len: usize) -> Rows {
    let mut rng = crate::rng(3);
    Rows {
        tags: (0..ROWS * len).map(|_| rng.random_range(0..10_000)).collect(),
        len,
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "small_vec";
    const SIZE: &'static str = "tags/row";
    const CLAIM: &'static str = "no heap allocation up to the inline size (8)";
    const CACHE_SIM: bool = true;
    type Param = usize;
    type Input = Rows;
    type Output = u64;

    /// Below, at and above the inline capacity of 8.
    fn sizes() -> &'static [usize] {
        &[2, 8, 16, 64]
    }

    fn input(size: usize) -> Rows {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Rows, _| bad(&r.tags, r.len));
        v.variant("good", |r: &Rows, _| good(&r.tags, r.len));
    }

    fn layout() -> Vec<(&'static str, usize)> {
        vec![
            ("Vec<u32>", size_of::<Vec<u32>>()),
            ("SmallVec<[u32; 8]>", size_of::<SmallVec<[u32; INLINE]>>()),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::smaller_layout("Vec", "SmallVec").at(Sizes::All),
            expect::exactly(Figure::Allocs, "good", |_| 1).at(Sizes::UpTo(INLINE)),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::UpTo(INLINE)),
            // Past the inline size every row allocates again, as with a Vec.
            expect::no_better(Figure::Allocs, "good", "bad", 0.3).at(Sizes::From(INLINE + 1)),
            // ...and by 64 it saves nothing: within a few percent of the Vec either
            // way, depending on how the crate around it is compiled.
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::From(64)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let (Some(b), Some(g)) = (row.allocs("bad"), row.allocs("good")) else {
            return Verdict::new(Level::NotApplicable, "allocations not counted");
        };
        let what = format!(
            "{} vs {} allocator calls; {}",
            b.total(),
            g.total(),
            row.speed_note("good")
        );
        if size > INLINE {
            return Verdict::new(Level::NotApplicable, format!("spills past {INLINE}: {what}"));
        }
        let level = match (g.total() <= 1, row.change("good")) {
            (true, Some(Change::Faster)) => Level::Holds,
            (true, _) => Level::Partly,
            (false, _) => Level::DoesNotHold,
        };
        Verdict::new(level, what)
    }
}
