//! # Let tiny hot functions inline (`inlining`)
//!
//! ## Cost model
//! A call that is not inlined costs a few instructions of its own (argument
//! moves, `call`, `ret`, saved registers), but the larger cost is what it
//! stops the optimiser from doing: the loop around it cannot be unrolled or
//! vectorised, and nothing is known across the call. A call through `&dyn Fn`
//! adds an indirect jump, and a function marked `#[inline(never)]`, or one
//! whose body another crate cannot see, stays a call.
//!
//! ## The fix
//! Keep tiny functions on the hot path inlinable: plain functions in the same
//! crate, `#[inline]` on small public functions meant for other crates, and
//! generics (`impl Fn`) instead of `&dyn Fn` where the closure is known at
//! compile time, so each caller gets a specialised copy.
//!
//! ## When it does not help
//! Inlining copies the body into every caller: code grows, and a large
//! function inlined into many call sites can cost more in instruction-cache
//! misses than the calls did. Outside hot loops a call costs a few
//! nanoseconds and is not worth a thought. Generics also multiply compile
//! time and binary size. This hint does not measure code size.
//!
//! ## Claim
//! "Missing `#[inline]` on critical small functions" costs time; replacing
//! over-general abstractions (`&dyn Fn`) with specialised code removes it.
//!
//! ## Measured
//! Instruction counts from `cargo run --release -- validate inlining` at 100,000
//! items: `#[inline(never)]` 1.10M, the plain local function 675k, `&dyn Fn`
//! 1.20M, `impl Fn` 675k. The cross-crate call to `perf_hints_extern::mix`,
//! which has no `#[inline]`, also ran 675k: rustc (1.95 here) inlined the tiny
//! leaf function across the crate boundary by itself, so for functions this
//! small a missing `#[inline]` costs nothing; larger or non-leaf functions are
//! still not inlined across crates without it (or LTO). In a filtered run
//! (`cargo bench -- 'inlining/'`, AMD EPYC 2 cores) the inlined step took
//! 0.7-1.2 ns an item against 2.2-2.4 ns out of line (2-3x) and 2.9-3.3 ns
//! through `&dyn Fn`; there is no size at which the call wins. Times are in
//! `results/README.md` (made by `PERF_HINTS_RECORD=1 cargo bench`). Rerun with
//! `cargo bench -- inlining/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/inlining.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::hint::{Hint, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// The step, kept out of line.
#[inline(never)]
fn mix_never(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

/// The step as a plain function in this crate: the compiler may inline it.
fn mix_local(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

fn fold_with(items: &[u64], f: impl Fn(u64) -> u64) -> u64 {
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(f(x)))
}

/// Calls a function marked `#[inline(never)]` for every item.
pub fn bad(items: &[u64]) -> u64 {
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(mix_never(x)))
}

/// Calls a plain function of this crate, which the compiler inlines.
pub fn good(items: &[u64]) -> u64 {
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(mix_local(x)))
}

/// Calls a function of another crate that has no `#[inline]`.
pub fn cross_crate(items: &[u64]) -> u64 {
    items
        .iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(perf_hints_extern::mix(x)))
}

/// Calls the step through a `&dyn Fn`: an indirect call per item.
pub fn dyn_fn(items: &[u64]) -> u64 {
    let f: &dyn Fn(u64) -> u64 = &perf_hints_extern::mix_inline;
    // black_box: keep the optimiser from seeing through the trait object,
    // as it could not when the closure comes from elsewhere.
    let f = std::hint::black_box(f);
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(f(x)))
}

/// Passes the step as a generic `impl Fn`: one specialised copy, inlined.
pub fn generic(items: &[u64]) -> u64 {
    fold_with(items, perf_hints_extern::mix_inline)
}

/// `n` random values, the same on every run.
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(61);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "inlining";
    const SIZE: &'static str = "items";
    const CLAIM: &'static str = "missing #[inline] on tiny hot functions, or &dyn Fn, costs time";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = u64;

    fn sizes() -> &'static [usize] {
        &[16, 1_000, 100_000]
    }

    fn input(size: usize) -> Vec<u64> {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, _| bad(i));
        v.variant("good", |i: &Vec<u64>, _| good(i));
        v.variant("cross_crate", |i: &Vec<u64>, _| cross_crate(i));
        v.variant("dyn_fn", |i: &Vec<u64>, _| dyn_fn(i));
        v.variant("generic", |i: &Vec<u64>, _| generic(i));
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(1_000)),
            expect::fewer(Figure::Instructions, "generic", "dyn_fn").at(Sizes::From(1_000)),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let per_item = |v: &str| row.per_item(v, size);
        let what = format!(
            "{:.2} vs {:.2} ns per item; cross-crate {:.2}, dyn {:.2}, generic {:.2}; {}",
            per_item("bad"),
            per_item("good"),
            per_item("cross_crate"),
            per_item("dyn_fn"),
            per_item("generic"),
            row.speed_note("good")
        );
        let inline_wins = row.change("good") == Some(Change::Faster);
        let generic_wins = match (row.time("generic"), row.time("dyn_fn")) {
            (Some(g), Some(d)) => g.hi < d.lo,
            _ => false,
        };
        let level = match (inline_wins, generic_wins) {
            (true, true) => Level::Holds,
            (true, false) | (false, true) => Level::Partly,
            _ if size < 100 => Level::NotApplicable,
            _ => Level::DoesNotHold,
        };
        Verdict::new(level, what)
    }
}
