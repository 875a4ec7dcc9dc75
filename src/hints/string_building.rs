//! # Size a string's buffer once, and never rebuild it (`string_building`)
//!
//! ## Cost model
//! Appending with `push_str` into a `String` that was not sized grows it by
//! doubling: each growth is a `realloc`, which copies the bytes so far
//! unless the allocator can extend the block in place. Over `n` appends that
//! is about log2 of the final length in allocator calls and, at most, the
//! final length again in copied bytes: amortised, linear, a bounded factor
//! over one copy. Reserving the total first (`String::with_capacity`, or
//! `concat`/`join`, which sum the lengths) makes one allocation and copies
//! every byte once.
//!
//! Re-formatting the growing result, `s = format!("{s}{piece}")` (the
//! `quadratic` variant), is a different cost: a new `String` for every piece,
//! with everything built so far copied into it, so `n` pieces copy about
//! `n²/2` pieces and make two allocator calls each (`format!` starts from an
//! empty buffer and grows it once per argument).
//!
//! ## The fix
//! Append into one buffer, sized once: `String::with_capacity(total)` and
//! `push_str` for each piece, or `concat` (`join` with a separator) in one
//! call. Where the total is not known, `push_str` into one buffer without
//! reserving is already linear; never rebuild the string from itself.
//!
//! ## When it does not help
//! At one piece there is nothing to grow: reserving saves nothing. Past a
//! few pieces, what reserving saves is the log2(n) `realloc` calls and the
//! bytes they move, small beside copying the pieces once and shrinking in
//! share as the string grows. Summing the lengths first is a second pass
//! over the pieces; for pieces that are computed (`to_string` of numbers),
//! a second pass can cost more than the growth it saves. A `format!` that
//! builds the whole string in one call is fine: only re-formatting the
//! growing result inside a loop is quadratic.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::format_push_string` (pedantic, opt-in), which flags
//! `s.push_str(&format!(..))` and `s += &format!(..)` but not `s =
//! format!("{s}{piece}")`, and `clippy::string_add` (restriction, opt-in),
//! which flags `s = s + &piece`. Nothing flags a `String::new()` grown in a
//! loop whose final length is known.
//!
//! Signal: in an allocation profile, `realloc` calls from the loop that
//! builds the string (a handful for `bad`), or one allocation per piece with
//! sizes that grow (`quadratic`); in a flame graph, `alloc::fmt::format` and
//! `memcpy` under the loop. This crate counts `bytes copied` in `cargo bench
//! -- string_building/`.
//!
//! ## Claim
//! O(n²) bytes copied become O(n). The sources count about 50 million
//! character copies for 10,000 one-character appends: the quadratic rebuild
//! against appending into one buffer. Here each piece is 8 bytes, so 10,000
//! pieces copy n(n+1)/2 = 50,005,000 pieces, 400,040,000 bytes, in
//! `quadratic`. Judged here as: `quadratic` slower than `bad` (amortised
//! `push_str` into one buffer) from 10 pieces on. That `good`
//! (`with_capacity`) is faster than `bad` is this crate's own model, not the
//! sources' claim.
//!
//! ## Measured
//! The `bytes copied` counter is exact (`tests/counts.rs` asserts the
//! formulas): `good` and `concat` copy each byte once, 8·n; `quadratic`
//! copies 8·n(n+1)/2, so the sources' 50 million copies hold as n²/2 piece
//! copies; `bad` copies each byte once plus the string's length at each
//! growth, 8·n + 8·(2^⌈log2 n⌉ − 1), under 3·8·n. `bad`'s growths count
//! what `realloc` copies when it moves the block: an upper bound, since it
//! may extend the block in place. Allocations: one for `good` and `concat`,
//! one plus ⌈log2 n⌉ reallocations for `bad`, one allocation and one
//! reallocation per piece after the first for `quadratic`. The copy counts
//! are not time ratios: `quadratic` copies its long prefix in bulk, far
//! cheaper per byte than a call per 8-byte piece.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- string_building/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/string_building.md"))]

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// Bytes in every piece: seven digits and a comma, like one field of a CSV line.
pub const PIECE: usize = 8;

/// Appends each piece with `push_str` to a `String` that was not sized: it
/// grows by doubling, amortised.
pub fn bad<P: Probe>(pieces: &[String], probe: &P) -> String {
    let mut s = String::new();
    for piece in pieces {
        if P::COUNTING && s.len() + piece.len() > s.capacity() {
            // A growth: `realloc` copies the bytes so far unless it can
            // extend the block in place (counted as if it moved it).
            probe.add("bytes copied", s.len() as u64);
        }
        probe.add("bytes copied", piece.len() as u64);
        s.push_str(piece);
    }
    s
}

/// Reserves the total length once, then appends each piece with `push_str`.
pub fn good<P: Probe>(pieces: &[String], probe: &P) -> String {
    let total = pieces.iter().map(String::len).sum();
    let mut s = String::with_capacity(total);
    for piece in pieces {
        probe.add("bytes copied", piece.len() as u64);
        s.push_str(piece);
    }
    s
}

/// Lets `[String]::concat` size the buffer and copy each piece once.
pub fn concat<P: Probe>(pieces: &[String], probe: &P) -> String {
    let s = pieces.concat();
    // std's `concat` sums the lengths, reserves them and copies each piece
    // once; it cannot be instrumented from here, so its one copy is reported whole.
    probe.add("bytes copied", s.len() as u64);
    s
}

/// Rebuilds the whole string for every piece with `s = format!("{s}{piece}")`.
pub fn quadratic<P: Probe>(pieces: &[String], probe: &P) -> String {
    let mut s = String::new();
    for piece in pieces {
        // `format!` copies the string so far and the piece into a new one.
        probe.add("bytes copied", (s.len() + piece.len()) as u64);
        s = format!("{s}{piece}");
    }
    s
}

/// `n` pieces of [`PIECE`] bytes each, the same on every run.
pub fn input(n: usize) -> Vec<String> {
    let mut rng = crate::rng(20);
    (0..n)
        .map(|_| format!("{:07},", rng.random_range(0..10_000_000u32)))
        .collect()
}

/// Growths of a `String` that `bad` fills with `n` pieces of [`PIECE`]
/// bytes: its capacity doubles from [`PIECE`] (std's smallest for bytes is
/// 8), so ⌈log2 n⌉ after the first allocation.
pub fn growths(n: usize) -> u64 {
    u64::from(n.max(1).next_power_of_two().trailing_zeros())
}

/// Bytes `bad` copies for `n` pieces: each piece once, and the length so
/// far at each growth (8, 16, 32, ... below 8·n).
pub fn bad_copied(n: usize) -> u64 {
    (PIECE * n + PIECE * (n.max(1).next_power_of_two() - 1)) as u64
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "string_building";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::STRING_CONCAT, sources::JOIN_STRINGS];
    const SIZE: &'static str = "pieces";
    const CLAIM: &'static str = "O(n²) bytes copied -> O(n): rebuilding the string per append is slower than \
         appending into one buffer; ~50M character copies for 10,000 appends (sources)";
    type Param = usize;
    type Input = Vec<String>;
    type Output = String;

    /// From a handful of pieces to 10,000, the sources' figure; past that
    /// `quadratic` takes tens of milliseconds a call and grows fourfold per
    /// doubling.
    fn sizes() -> &'static [usize] {
        &[1, 10, 100, 1_000, 10_000]
    }

    const INPUT: fn(usize) -> Vec<String> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |p: &Vec<String>, probe| bad(p, probe));
        v.variant("good", |p: &Vec<String>, probe| good(p, probe));
        v.variant("concat", |p: &Vec<String>, probe| concat(p, probe));
        v.variant("quadratic", |p: &Vec<String>, probe| quadratic(p, probe));
    }

    /// The sources compare the quadratic rebuild with appending into one
    /// buffer: `quadratic` slower than `bad` wherever a piece is copied
    /// twice. At one piece they say nothing.
    fn claimed(pieces: usize) -> Option<Prediction> {
        (pieces > 1).then_some(Prediction::slower("quadratic"))
    }

    /// One piece: one allocation and one copy in every variant but
    /// `quadratic`, whose `format!` machinery costs more: `good` and `concat`
    /// level. From 10 pieces `bad` makes ⌈log2 n⌉ `realloc` calls more than
    /// `good`: at 10 and 100 pieces, four and seven allocator calls beside
    /// tens to hundreds of nanoseconds of copying, `good` faster; from 1,000
    /// the calls and the bytes they move are a small share of copying 8 KB
    /// to 80 KB once, faster or level. `quadratic` is slower at every size:
    /// at one piece by `format!`'s machinery, from 10 by the rebuilds.
    fn predict(pieces: usize) -> Vec<Prediction> {
        let p = match pieces {
            0 | 1 => Prediction::level("good"),
            2..=100 => Prediction::faster("good"),
            _ => Prediction::faster("good").or_level(),
        };
        vec![
            p,
            Prediction { variant: "concat", ..p },
            Prediction::slower("quadratic"),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        let n2 = |n: usize| (PIECE * n * (n + 1) / 2) as u64;
        let n1 = |n: usize| (PIECE * n) as u64;
        vec![
            expect::exactly(Figure::Counter("bytes copied"), "bad", bad_copied),
            expect::exactly(Figure::Counter("bytes copied"), "good", n1),
            expect::exactly(Figure::Counter("bytes copied"), "concat", n1),
            expect::exactly(Figure::Counter("bytes copied"), "quadratic", n2),
            expect::exactly(Figure::Allocs, "bad", |n| 1 + growths(n)),
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::exactly(Figure::Allocs, "concat", |_| 1),
            expect::exactly(Figure::Allocs, "quadratic", |n| (2 * n - 1) as u64),
            // Four and seven `realloc` calls saved; from 1,000 pieces the
            // saved calls and `good`'s pass summing the lengths are close.
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::Where(|n| (10..=100).contains(&n))),
            expect::fewer(Figure::Instructions, "concat", "bad").at(Sizes::From(10)),
            expect::fewer(Figure::Instructions, "bad", "quadratic"),
            expect::fewer_by(Figure::Instructions, "bad", "quadratic", 10.0)
                .at(Sizes::From(1_000)),
            // Every variant is at least linear; `quadratic` grows faster still.
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
