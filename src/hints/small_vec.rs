//! # Keep short collections inline (`small_vec`)
//!
//! ## Cost model
//! A `Vec` with at least one element lives on the heap: building one costs an
//! allocation even when its exact length is reserved up front, dropping it
//! costs a free, and reading it costs a pointer chase to wherever the
//! allocator put it. For many short collections, such as the tags of each
//! row, those fixed costs are most of the work. A `Vec` grown by `push` from
//! `Vec::new()` adds a reallocation each time it doubles past its first
//! capacity of 4 elements (the [`with_capacity`](super::with_capacity)
//! lesson) on top of that allocation.
//!
//! ## The fix
//! `SmallVec<[T; N]>` stores up to `N` elements inside itself and only moves
//! to the heap ("spills") past that. Pick `N` from the lengths you see: here
//! rows have a known typical length and `N` is 8.
//!
//! To isolate the allocation, `bad` reserves each row's exact length
//! (`Vec::with_capacity`, one allocation per row) and `good` does the same
//! with `SmallVec::with_capacity`, which stays inline up to 8. The third
//! variant, `vec_grown`, is the common `Vec::new()` and `push`: it shows what
//! growth adds to the allocation, one reallocation per doubling from 4 up.
//! All three push the same tags and return the same checksum.
//!
//! ## When it does not help
//! Past the inline capacity a `SmallVec` allocates like a `Vec` (here: one
//! allocation per row for both), and every push and access first checks
//! which of its two states it is in. It is also larger: a
//! `SmallVec<[u32; 8]>` is 40 bytes against a `Vec`'s 24, so collections of
//! them, and every move of one, carry the inline buffer whether it is used or
//! not. Where most collections are longer than `N`, or are moved around a
//! lot, the state check and the extra size are all that is left: level with
//! a `Vec` of the right capacity, or slower.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: allocation profile. Many short-lived, small allocations of the
//! same size class, one per collection, show as a wide `alloc::alloc` /
//! `malloc` band under the function that builds the collections; the allocs
//! column of `cargo bench -- small_vec/` counts them per call.
//!
//! ## Claim
//! No heap allocation for collections up to the inline size.
//!
//! ## Measured
//! Allocations are exact (a test checks them): `bad` one per row at every
//! length, `good` none up to 8 tags and one per row past it, `vec_grown` one
//! per row plus a reallocation per doubling past 4 tags; the outer `Vec` of
//! rows adds one to each. The exact counts in the table show the instructions
//! and simulated cache misses that go with the allocations, and where the
//! inline rows stop saving them.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- small_vec/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/small_vec.md"))]

use rand::Rng;
use smallvec::SmallVec;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// Inline capacity of the good variant.
pub const INLINE: usize = 8;
/// Rows per call.
pub const ROWS: usize = 1_000;

/// The capacity of a `Vec<u32>` after its first `push` from `Vec::new()`:
/// past it, each doubling is a reallocation.
pub const FIRST_CAPACITY: usize = 4;

/// Per-row tags as `Vec`s of the exact length: one heap allocation per non-empty row.
pub fn bad(tags: &[u32], len: usize) -> u64 {
    let len = len.max(1);
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(tags.len() / len);
    for chunk in tags.chunks(len) {
        let mut row = Vec::with_capacity(chunk.len());
        for &t in chunk {
            row.push(t);
        }
        rows.push(row);
    }
    checksum(rows.iter().map(|r| r.as_slice()))
}

/// Per-row tags as `SmallVec<[u32; 8]>` of the exact length: no allocation for rows of 8 or fewer.
pub fn good(tags: &[u32], len: usize) -> u64 {
    let len = len.max(1);
    let mut rows: Vec<SmallVec<[u32; INLINE]>> = Vec::with_capacity(tags.len() / len);
    for chunk in tags.chunks(len) {
        let mut row = SmallVec::with_capacity(chunk.len());
        for &t in chunk {
            row.push(t);
        }
        rows.push(row);
    }
    checksum(rows.iter().map(|r| r.as_slice()))
}

/// Per-row tags as `Vec`s grown by `push` from `Vec::new()`: an allocation
/// per row and a reallocation per doubling past [`FIRST_CAPACITY`].
pub fn vec_grown(tags: &[u32], len: usize) -> u64 {
    let len = len.max(1);
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(tags.len() / len);
    for chunk in tags.chunks(len) {
        let mut row = Vec::new();
        for &t in chunk {
            row.push(t);
        }
        rows.push(row);
    }
    checksum(rows.iter().map(|r| r.as_slice()))
}

/// What every variant computes from its rows: each row's sum, weighted by its position.
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
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::SMALL_COLLECTIONS];
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

    const INPUT: fn(usize) -> Rows = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Rows, _| bad(&r.tags, r.len));
        v.variant("good", |r: &Rows, _| good(&r.tags, r.len));
        v.variant("vec_grown", |r: &Rows, _| vec_grown(&r.tags, r.len));
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
            // One allocation per row and one for the outer `Vec`.
            expect::exactly(Figure::Allocs, "bad", |_| ROWS as u64 + 1),
            expect::exactly(Figure::Allocs, "good", |_| 1).at(Sizes::UpTo(INLINE)),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::UpTo(INLINE)),
            // Past the inline size every row allocates again, as with a Vec.
            expect::exactly(Figure::Allocs, "good", |_| ROWS as u64 + 1).at(Sizes::From(INLINE + 1)),
            // ...and the state check on every push costs instructions: no
            // fewer than the Vec's.
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::From(INLINE + 1)),
            // Growing by push reallocates past the first capacity.
            expect::fewer(Figure::Allocs, "bad", "vec_grown").at(Sizes::From(FIRST_CAPACITY + 1)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    /// Up to the inline size `good` saves the one allocation per row: faster.
    /// Past it both allocate once per row and `SmallVec` adds its state
    /// check and size: level or slower. `vec_grown` matches `bad` while its
    /// first capacity holds the row, and is slower once it reallocates.
    fn predict(size: usize) -> Vec<Prediction> {
        let good = if size <= INLINE {
            Prediction::faster("good")
        } else {
            Prediction::level("good").or_slower()
        };
        let grown = if size <= FIRST_CAPACITY {
            Prediction::level("vec_grown")
        } else {
            Prediction::slower("vec_grown")
        };
        vec![good, grown]
    }
}
