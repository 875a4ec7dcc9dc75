//! # Let the compiler drop bounds checks (`bounds_checks`)
//!
//! ## Cost model
//! Every `v[i]` checks `i < v.len()` and panics otherwise. In a loop
//! `for i in 0..a.len() { a[i] * b[i] }` the check on `a[i]` folds away (the
//! range proves it), but nothing in the source says `b` is as long as `a`.
//! If `b[i]` kept a compare and branch per element, and the panic had to come
//! at exactly the failing iteration after the earlier work, the loop could not
//! be vectorised and would run one element at a time.
//!
//! ## The fix
//! Say the lengths once, outside the loop. `a.iter().zip(b)` has no index at
//! all; or reslice first, `let b = &b[..a.len()];`, after which an indexed loop
//! over `0..a.len()` is provably in bounds. Either way there is one check per
//! call instead of one per element, and the loop vectorises. No `unsafe`
//! (`get_unchecked`) is needed.
//!
//! ## When it does not help
//! When the compiler can move the check out by itself. In this loop the only
//! effect before a panic is a local sum that the panic throws away, so LLVM
//! checks `b.len() >= a.len()` once before the loop and vectorises `bad` just
//! like `good`: the instruction counts show the same loop in both (see
//! Measured). The per-element
//! checks stay where work before the failing index is visible to the caller,
//! e.g. writes through a `&mut [T]` argument, or where the index is not a plain
//! counter (`b[idx[i]]`, `b[i * k]`). For short slices the per-call costs dominate (the 16-element row). When the
//! data does not fit in the last-level cache, memory bandwidth limits both
//! loops and the vectorised one waits for loads like the scalar one (the
//! 1M-element row's 8 MB of input is past the last level only on machines
//! whose L3 is smaller than that; the record's machine line gives its L3). A check the branch predictor always gets right is cheap on
//! its own; the main cost is the vectorisation it blocks, so loops that could
//! not vectorise anyway (dependent loads, early exits) gain little.
//!
//! ## Finding it
//! Caught by: no clippy lint. Fires on both: `clippy::indexing_slicing`
//! (restriction, opt-in) flags every index and slice, `good`'s one slice
//! included, so it does not tell a checked loop from a hoisted check. Checked
//! and silent: `clippy::needless_range_loop` (style, on by default): with the
//! index used on two slices it says nothing here, though it does flag `for i
//! in 0..v.len()` over one slice.
//!
//! Signal: generated code. `cargo asm`, `objdump -d`, or this crate's
//! `cargo run --release -- disasm BINARY bounds_checks` on the bench binary
//! (the results site shows its output from the record) shows a
//! compare and a branch to `core::panicking::panic_bounds_check` per index;
//! the instructions column of `cargo bench -- bounds_checks/` counts them.
//!
//! ## Claim
//! "Compiler-friendly hot loops": with iterators or a slice of known length the
//! checks disappear from the loop and it vectorises, where an indexed loop
//! keeps them. Checked from instruction counts per element, and by reading the
//! generated code.
//!
//! ## Measured
//! The instruction counts in the table below come from `cargo run --release --
//! validate bounds_checks` (exact, repeatable): all three variants run the
//! same count per element, plus a small constant, that of a vector loop (two
//! SSE2 `pmuludq` per four elements) with no check inside; a scalar loop with
//! a check per element would run about twice as many. The generated code says
//! the same: `objdump -d -C target/release/perf-hints` shows `good` (its own
//! symbol) and `bad` (inlined into
//! `perf_hints::measure::callgrind::perf_hints_measured_call`, the function callgrind
//! counts) with the same vector loop, and in `bad` a single `b.len()` compare
//! before it that branches to `panic_bounds_check`. So on this compiler (rustc
//! 1.95, x86-64 SSE2 baseline) the claim does not hold for this loop: the
//! checks it warns about were already gone. With the same instructions in all
//! three, what is left to differ in time is where each build placed each loop;
//! the table's intervals are taken across differently laid-out builds for that
//! reason.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- bounds_checks/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/bounds_checks.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Two slices of equal length: the job's contract.
pub struct Pair {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
}

/// Indexes both slices in a loop over `0..a.len()`: `b[i]` is checked per element.
pub fn bad(a: &[u32], b: &[u32]) -> u64 {
    let mut sum = 0u64;
    for i in 0..a.len() {
        sum = sum.wrapping_add(u64::from(a[i]) * u64::from(b[i]));
    }
    sum
}

/// Zips the two slices after one length check, so no index is checked in the loop.
pub fn good(a: &[u32], b: &[u32]) -> u64 {
    // The one check: `b` shorter than `a` panics here, as `bad` would in its loop.
    let b = &b[..a.len()];
    a.iter()
        .zip(b)
        .fold(0u64, |sum, (&x, &y)| sum.wrapping_add(u64::from(x) * u64::from(y)))
}

/// Reslices both to one known length, then indexes: the checks fold away.
pub fn sliced(a: &[u32], b: &[u32]) -> u64 {
    let n = a.len();
    let (a, b) = (&a[..n], &b[..n]);
    let mut sum = 0u64;
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        sum = sum.wrapping_add(u64::from(a[i]) * u64::from(b[i]));
    }
    sum
}

/// Two slices of `n` random values each, the same on every run.
pub fn input(n: usize) -> Pair {
    let mut rng = crate::rng(53);
    let a = (0..n).map(|_| rng.random()).collect();
    let b = (0..n).map(|_| rng.random()).collect();
    Pair { a, b }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "bounds_checks";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::COMPILER_FRIENDLY];
    const SIZE: &'static str = "n";
    const CLAIM: &'static str =
        "compiler-friendly hot loops: no bounds check per element, and the loop vectorises";
    type Param = usize;
    type Input = Pair;
    type Output = u64;

    /// Short (per-call costs dominate), in L1, in L2, and 8 MB (memory-bound
    /// only where the last-level cache is smaller).
    fn sizes() -> &'static [usize] {
        &[16, 1_000, 100_000, 1_000_000]
    }

    const INPUT: fn(usize) -> Pair = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |p: &Pair, _| bad(&p.a, &p.b));
        v.variant("good", |p: &Pair, _| good(&p.a, &p.b));
        v.variant("sliced", |p: &Pair, _| sliced(&p.a, &p.b));
    }

    /// The sources' claim, whatever this compiler does with `bad`: with one
    /// check per call instead of one per element, `good` and `sliced`
    /// vectorise and are faster, in cache. At 16 elements the per-call costs
    /// dominate and both fixes add a length check per call: level, or slower
    /// by that check. At 1M elements (8 MB) memory bandwidth limits every
    /// loop alike: level.
    fn predict(n: usize) -> Vec<Prediction> {
        let each = |p: fn(&'static str) -> Prediction| vec![p("good"), p("sliced")];
        match n {
            ..100 => each(|v| Prediction::level(v).or_slower()),
            1_000_000.. => each(Prediction::level),
            _ => each(Prediction::faster),
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // No check in the loop: the vector loop body is 15 instructions per
            // 4 elements, and the count grows by exactly that, plus 32 per call:
            // 29, and the three no-op instructions that pad the way into the
            // loop since loops start on a 64-byte boundary (`.cargo/config.toml`;
            // read in `objdump -d target/release/perf-hints`). (Exact for one
            // build; a compiler change that moves it fails here on purpose, so
            // the generated code gets read again.)
            expect::exactly(Figure::Instructions, "good", |n| 15 * n as u64 / 4 + 32),
            expect::exactly(Figure::Instructions, "sliced", |n| 15 * n as u64 / 4 + 32),
            // The compiler hoists `bad`'s check too: no saving either way
            // (10 % slack for codegen).
            expect::no_better(Figure::Instructions, "good", "bad", 0.9),
            expect::no_better(Figure::Instructions, "bad", "good", 0.9),
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
