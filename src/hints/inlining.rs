//! # Make small hot functions inlinable across crates (`inlining`)
//!
//! ## Cost model
//! A call that is not inlined costs a few instructions of its own (argument
//! moves, `call`, `ret`, saved registers), but the larger cost is what it
//! stops the optimiser from doing: the loop around it cannot be unrolled or
//! vectorised, a check on a constant argument cannot fold away, and nothing
//! is known across the call. A call through `&dyn Fn` adds an indirect jump.
//!
//! Within a crate (one codegen unit here) rustc inlines small functions by
//! itself. Across crates it can only inline what the other crate exports as
//! inlinable: generic functions, functions marked `#[inline]`, and, since
//! rustc 1.75, small *leaf* functions (no calls in them, not even to the
//! panic machinery). A small public function that checks its argument with
//! `assert!` is not a leaf: without `#[inline]` (or LTO) every caller in
//! another crate calls it.
//!
//! ## The fix
//! `#[inline]` on small public functions meant to be called in other
//! crates' hot loops; generics (`impl Fn`) instead of `&dyn Fn` where the
//! closure is known at compile time, so each caller gets a specialised copy.
//! LTO (`lto = "fat"` or `"thin"` in the release profile) also lets the
//! linker-time optimiser inline across crates, for every function at once.
//!
//! ## When it does not help
//! Inlining copies the body into every caller: code grows, and a large
//! function inlined into many call sites can cost more in instruction-cache
//! misses than the calls did. Outside hot loops a call costs a few
//! nanoseconds and is not worth a thought. A tiny leaf function needs no
//! `#[inline]`: rustc already inlines it across crates (the `leaf` variant).
//! Generics also multiply compile time and binary size. This hint does not
//! measure code size.
//!
//! ## Finding it
//! Caught by: no clippy lint. Fires on both:
//! `clippy::missing_inline_in_public_items` (restriction, opt-in), which
//! asks for `#[inline]` on every public function of a crate, hot or not: it
//! flags this crate's `bad` and `good` alike, not which call crosses a crate
//! boundary without it.
//!
//! Signal: a flame graph (or `perf annotate`) with a small function of
//! another crate as a frame of its own under a hot loop, and instructions
//! per item above the function's own work; the instructions column of
//! `cargo bench -- inlining/`. `objdump -d` of the release binary shows the
//! `call` in the loop.
//!
//! ## Claim
//! "Missing `#[inline]` on critical small functions" costs time; replacing
//! over-general abstractions (`&dyn Fn`) with specialised code removes it.
//! Judged here as: `good` (the cross-crate step marked `#[inline]`) faster
//! than `bad` (the same step without it) at every size.
//!
//! ## Measured
//! Every variant folds the same step over the same values. `bad` calls
//! `perf_hints_extern::mix_checked`, a non-generic function of another
//! crate with an `assert!` on its argument and no `#[inline]`; `good` calls
//! the same function marked `#[inline]`. `leaf` calls the step without the
//! check and without `#[inline]`, a leaf function; `never` calls a local
//! copy marked `#[inline(never)]` (a forced call, the strawman `bad` this
//! hint had before); `dyn_fn` calls through `&dyn Fn`; `generic` through
//! `impl Fn`. Checked with `objdump -d` of the release binary and the bench
//! binary (rustc 1.95, x86_64): `bad`'s timed loop calls `mix_checked`
//! through its GOT entry, loaded into a register before the loop, and
//! `mix_checked` compares the rotation with 64 and keeps a stack frame for
//! its panic path on every call; `never`'s loop calls its local copy and
//! `dyn_fn`'s makes an indirect call through the vtable; the loops of
//! `good`, `leaf` and `generic` have no call and are unrolled. The
//! instruction counts from `cargo run --release -- validate inlining` are
//! exact and repeat: `good`, `leaf` and `generic` run the same, the fewest;
//! `bad` the most, above `never` and `dyn_fn` by its check and frame;
//! `validate` checks `good`, `leaf` and `never` below `bad` and `generic`
//! below `dyn_fn`. Read the table for what the call costs in time: the
//! instruction ratio is not the time ratio.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- inlining/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/inlining.md"))]

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// The rotation every variant's step uses.
pub const SHIFT: u32 = 17;

/// The step, kept out of line: a forced call, with no other difference.
#[inline(never)]
fn mix_never(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(SHIFT) ^ x
}

fn fold_with(items: &[u64], f: impl Fn(u64) -> u64) -> u64 {
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(f(x)))
}

/// Calls a checked step of another crate that has no `#[inline]`: it is
/// not a leaf (its `assert!` calls the panic machinery), so it stays a call.
pub fn bad(items: &[u64]) -> u64 {
    items.iter().fold(0u64, |acc, &x| {
        acc.wrapping_add(perf_hints_extern::mix_checked(x, SHIFT))
    })
}

/// Calls the same checked step marked `#[inline]`: inlined, the check
/// folds away on the constant rotation.
pub fn good(items: &[u64]) -> u64 {
    items.iter().fold(0u64, |acc, &x| {
        acc.wrapping_add(perf_hints_extern::mix_checked_inline(x, SHIFT))
    })
}

/// Calls a leaf step of another crate that has no `#[inline]`: rustc
/// inlines small leaf functions across crates by itself.
pub fn leaf(items: &[u64]) -> u64 {
    items
        .iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(perf_hints_extern::mix(x)))
}

/// Calls a local copy of the step marked `#[inline(never)]`: a forced call.
pub fn never(items: &[u64]) -> u64 {
    items.iter().fold(0u64, |acc, &x| acc.wrapping_add(mix_never(x)))
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
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::INLINE, sources::SPECIALISE, sources::SMALL_HELPERS];
    const SIZE: &'static str = "items";
    const CLAIM: &'static str =
        "missing #[inline] on small hot functions called from another crate, or &dyn Fn, costs time";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = u64;

    fn sizes() -> &'static [usize] {
        &[16, 1_000, 100_000]
    }

    const INPUT: fn(usize) -> Vec<u64> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, _| bad(i));
        v.variant("good", |i: &Vec<u64>, _| good(i));
        v.variant("leaf", |i: &Vec<u64>, _| leaf(i));
        v.variant("never", |i: &Vec<u64>, _| never(i));
        v.variant("dyn_fn", |i: &Vec<u64>, _| dyn_fn(i));
        v.variant("generic", |i: &Vec<u64>, _| generic(i));
    }

    /// The same at every size, since the loop is hot at every size: the
    /// inlined step (`good`; `leaf`, which rustc inlines as a small leaf;
    /// `generic`, a specialised copy) lets the loop be unrolled, faster
    /// than `bad`'s call. `never` and `dyn_fn` stay a call per item as
    /// `bad` does, without its check (and `dyn_fn` with an indirect jump):
    /// level, or faster by the check `bad` runs, never slower by this model.
    fn predict(_items: usize) -> Vec<Prediction> {
        vec![
            Prediction::faster("good"),
            Prediction::faster("leaf"),
            Prediction::level("never").or_faster(),
            Prediction::level("dyn_fn").or_faster(),
            Prediction::faster("generic"),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(1_000)),
            expect::fewer(Figure::Instructions, "leaf", "bad").at(Sizes::From(1_000)),
            expect::fewer(Figure::Instructions, "never", "bad").at(Sizes::From(1_000)),
            expect::fewer(Figure::Instructions, "generic", "dyn_fn").at(Sizes::From(1_000)),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
