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
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a flame graph (or `perf annotate`) with a tiny function as a frame
//! of its own under a hot loop, and instructions per item above the
//! function's own work; the instructions column of `cargo bench --
//! inlining/`.
//!
//! ## Claim
//! "Missing `#[inline]` on critical small functions" costs time; replacing
//! over-general abstractions (`&dyn Fn`) with specialised code removes it.
//!
//! ## Measured
//! The instruction counts in the table below come from `cargo run --release --
//! validate inlining` (exact, repeatable): the plain local function and `impl
//! Fn` run the fewest, the same count; `#[inline(never)]` more, and `&dyn Fn`
//! the most. The cross-crate call to `perf_hints_extern::mix`, which has no
//! `#[inline]`, runs the same count as the inlined local function: rustc (1.95
//! here) inlined the tiny leaf function across the crate boundary by itself,
//! so for functions this small a missing `#[inline]` costs nothing, against
//! the sources' claim; larger or non-leaf functions are still not inlined
//! across crates without it (or LTO).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- inlining/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/inlining.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Variants};

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

    /// The same at every size, since the loop is hot at every size: the
    /// inlined step (`good`, and `generic`, a specialised copy) lets the loop
    /// be unrolled, faster than `bad`'s call. `cross_crate` is what the
    /// sources warn about, a missing `#[inline]`: by the cost model its body
    /// is out of sight and it stays a call like `bad`'s, level. `dyn_fn` is
    /// a call plus an indirect jump: level with `bad` or slower.
    fn predict(_items: usize) -> Vec<Prediction> {
        vec![
            Prediction::faster("good"),
            Prediction::level("cross_crate"),
            Prediction::level("dyn_fn").or_slower(),
            Prediction::faster("generic"),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(1_000)),
            expect::fewer(Figure::Instructions, "generic", "dyn_fn").at(Sizes::From(1_000)),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
