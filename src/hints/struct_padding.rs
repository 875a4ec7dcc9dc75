//! # Order fields largest first in `repr(C)` structs (`struct_padding`)
//!
//! ## Cost model
//! A `#[repr(C)]` struct keeps its fields in declaration order, and each field
//! sits at a multiple of its alignment. `{ flag: bool, value: i64, count: i32 }`
//! therefore pays 7 bytes of padding after `flag` and 4 after `count`: 24 bytes
//! for 13 bytes of data. A scan over a large `Vec` of them moves half as many
//! bytes again as the data needs, and once the `Vec` is larger than the
//! last-level cache, bytes moved is what a scan costs.
//!
//! ## The fix
//! Declare the fields largest first (`value`, `count`, `flag`): 16 bytes. Only
//! `repr(C)` structs need this. Rust's default layout (`repr(Rust)`) already
//! reorders fields to minimise padding, so the same three fields in a plain
//! struct are 16 bytes whatever order they are written in; the `plain` variant
//! shows it. The bad case arises with `repr(C)`, which FFI types and
//! `bytemuck`/zero-copy types must use.
//!
//! ## When it does not help
//! When the data fits in cache, or the loop does real work per record, the
//! scan is less limited by memory traffic, so the smaller record buys less
//! time than past the last level (how much less, the table says). Reordering a `repr(C)` type also changes its ABI: only do it where
//! the other side of the boundary changes with it.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: memory. `std::mem::size_of::<T>()` against the sum of the fields'
//! sizes (this crate prints both above the table), and, in a profile of a
//! loop over many records, last-level cache misses per record: the D1 and LL
//! columns of `cargo bench -- struct_padding/`. `#[repr(C)]` is where to look
//! first; `repr(Rust)` already reorders.
//!
//! ## Claim
//! 24 bytes -> 16 bytes per record, and a scan that moves a third fewer bytes.
//!
//! ## Measured
//! `size_of`: `Padded` 24, `Ordered` 16, `Plain` 16: Rust reordered the plain
//! struct by itself (a test checks all three). The three scans execute the
//! same instructions at every size (the exact counts show it); what differs is
//! the bytes they pull through the caches, and the simulated misses fall by
//! the ratio of the record sizes. Past the last-level cache, bytes moved is
//! what the scan waits on, so the largest size is where the record size can
//! show in time; inside the caches the scan is not limited by memory traffic.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- struct_padding/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/struct_padding.md"))]

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// Declaration order with C layout: 7 + 4 bytes of padding, 24 in all.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Padded {
    pub flag: bool,
    pub value: i64,
    pub count: i32,
}

/// The same fields largest first, still C layout: 16 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Ordered {
    pub value: i64,
    pub count: i32,
    pub flag: bool,
}

/// The bad declaration order without `repr(C)`: Rust reorders it to 16 bytes.
#[derive(Clone, Copy, Debug)]
pub struct Plain {
    pub flag: bool,
    pub value: i64,
    pub count: i32,
}

/// The same records in the three layouts.
pub struct Records {
    pub padded: Vec<Padded>,
    pub ordered: Vec<Ordered>,
    pub plain: Vec<Plain>,
}

// The scans sum `value + count` over flagged records without a branch, so
// that the loop is limited by the bytes it reads, not by mispredicted branches
// on the random flags.

/// Scans 24-byte `repr(C)` records in declaration order.
pub fn bad(records: &[Padded]) -> i64 {
    records.iter().fold(0i64, |s, r| {
        s.wrapping_add(i64::from(r.flag) * r.value.wrapping_add(i64::from(r.count)))
    })
}

/// Scans 16-byte `repr(C)` records with the fields largest first.
pub fn good(records: &[Ordered]) -> i64 {
    records.iter().fold(0i64, |s, r| {
        s.wrapping_add(i64::from(r.flag) * r.value.wrapping_add(i64::from(r.count)))
    })
}

/// Scans plain (`repr(Rust)`) records declared in the bad order: the compiler's layout.
pub fn plain(records: &[Plain]) -> i64 {
    records.iter().fold(0i64, |s, r| {
        s.wrapping_add(i64::from(r.flag) * r.value.wrapping_add(i64::from(r.count)))
    })
}

/// `n` random records in each layout, the same on every run.
pub fn input(n: usize) -> Records {
    let mut rng = crate::rng(1);
    let mut r = Records {
        padded: Vec::with_capacity(n),
        ordered: Vec::with_capacity(n),
        plain: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let (flag, value, count) = (rng.random_bool(0.5), rng.random::<i64>(), rng.random::<i32>());
        r.padded.push(Padded { flag, value, count });
        r.ordered.push(Ordered { value, count, flag });
        r.plain.push(Plain { flag, value, count });
    }
    r
}

/// The size from which the padded records (24 B each) no longer fit in a
/// 32 MB last-level cache, so a scan costs the bytes it moves.
const LAST_LEVEL: usize = 32 * 1024 * 1024 / 24;

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "struct_padding";
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::PADDING];
    const SIZE: &'static str = "records";
    const CLAIM: &'static str = "24 bytes -> 16 bytes per record; a scan moves a third fewer bytes";
    const CACHE_SIM: bool = true;
    type Param = usize;
    type Input = Records;
    type Output = i64;

    /// 1k records fit in L1, 64k (1.5 MB padded) in L2 or L3, 4M (96 MB
    /// padded) past a 32 MB L3 (not past a larger one).
    fn sizes() -> &'static [usize] {
        &[1_000, 64_000, 4_000_000]
    }

    const INPUT: fn(usize) -> Records = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |r: &Records, _| bad(&r.padded));
        v.variant("good", |r: &Records, _| good(&r.ordered));
        v.variant("plain", |r: &Records, _| plain(&r.plain));
    }

    fn layout() -> Vec<(&'static str, usize)> {
        vec![
            ("Padded (repr C, bad)", size_of::<Padded>()),
            ("Ordered (repr C, good)", size_of::<Ordered>()),
            ("Plain (repr Rust)", size_of::<Plain>()),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::smaller_layout("Ordered", "Padded"),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            // The scans execute the same instructions: what changes is the bytes
            // they pull through the caches.
            expect::no_better(Figure::Instructions, "good", "bad", 0.9),
            expect::fewer_by(Figure::D1Misses, "good", "bad", 1.3).at(Sizes::From(64_000)),
            expect::fewer_by(Figure::LlMisses, "good", "bad", 1.3).at(Sizes::From(4_000_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    /// Inside the caches the scan is not limited by bytes moved: level.
    /// Past the last-level cache it is, and the smaller records win; `plain`
    /// has the same 16-byte layout as `good`.
    fn predict(size: usize) -> Vec<Prediction> {
        let p = |v| {
            if size >= LAST_LEVEL {
                Prediction::faster(v)
            } else {
                Prediction::level(v)
            }
        };
        vec![p("good"), p("plain")]
    }
}
