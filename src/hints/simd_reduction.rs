//! # Sum floats into several accumulators (`simd_reduction`)
//!
//! ## Cost model
//! `let mut s = 0.0; for x in xs { s += x }` (or `xs.iter().sum()`) is one
//! chain of dependent additions: each `+=` needs the result of the one
//! before, so the loop runs at one element per floating-point add *latency*
//! (2 to 4 cycles on current x86 cores), while the core could start one or
//! two adds, each on a vector of several doubles, every cycle. Nothing but
//! the source forces that order, but the compiler must keep it: float
//! addition is not associative (`(a + b) + c` can differ from `a + (b + c)`
//! in the last bits), and without a "fast math" licence, which stable Rust
//! does not offer, LLVM may neither split the chain nor vectorise it. So the
//! loop that looks like the easiest thing to vectorise stays scalar and
//! latency-bound. (An integer sum has no such problem: integer addition is
//! associative, and the compiler vectorises it by itself.)
//!
//! ## The fix
//! Write the reassociation yourself: keep eight independent partial sums,
//! walk the slice in `chunks_exact(8)`, add element `i` of each chunk to
//! accumulator `i`, fold the remainder into the first accumulators, and add
//! the eight together at the end. Eight short chains instead of one long one
//! (the longest is `n / 8` adds plus three to combine, counted by the
//! `dependent adds` counter), and the eight lanes are the same operation on
//! neighbouring data, so LLVM packs them into vector adds (four 2-wide SSE2
//! `addpd` per chunk on the x86-64 baseline, one per register). Several chains are in flight at
//! once, and the loop runs at the throughput of the loads and adds instead
//! of the latency of one add. `fold4`, the same with four accumulators,
//! hides less of the latency: two vector chains, each waiting a full add
//! latency per four elements, so it lands between the two.
//!
//! ## When it does not help
//! - **It changes the answer.** The sum is added in a different order, and
//!   with real data (fractions, mixed magnitudes) the result differs from
//!   the sequential sum in the last bits; often the split sum is the more
//!   accurate one, but it is a different number, so outputs compared
//!   bit-for-bit with an earlier version or another implementation stop
//!   matching, and the order (hence the result) depends on the accumulator
//!   count. The inputs here are chosen so that this cannot happen: every
//!   value is a multiple of 1/4 below 512 in magnitude, so every partial sum,
//!   in any order, is a multiple of 1/4 far below 2^53 × 1/4 and exactly
//!   representable, and all variants return the same bits. That makes the
//!   agreement check exact; it is not true of data in general.
//! - **From main memory.** Once the slice is larger than the last-level
//!   cache, each element costs a fetch from DRAM. `bad` consumes 8 bytes
//!   per add latency, about 8 GB/s at 3 GHz and 3 cycles, which is already
//!   close to what one core can stream from DRAM; the faster loop then waits
//!   on the same memory and the two come out level, or `good` ahead only by
//!   what the bandwidth exceeds `bad`'s pace (the 8,000,000-element row,
//!   64 MB of input).
//! - **Short slices, and loops that are not reductions.** For a few elements
//!   the per-call costs and the final combine are most of the work. A loop
//!   that writes each result to its own place (`out[i] = a[i] + b[i]`) has no
//!   chain and vectorises as written; integers, as above, need no help.
//! - **Wider vectors want more accumulators.** The right count is about the
//!   add latency times the adds started per cycle times the lanes per
//!   vector; built with `-C target-cpu=native` (AVX2, AVX-512) eight may not
//!   be enough to fill the machine, and a fixed count tunes the code to one
//!   target.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: generated code. `cargo asm` of the loop (or `cargo run --release
//! -- disasm BINARY simd_reduction` on the bench binary; the results site
//! shows it from the record) shows scalar `addsd` in
//! one dependent chain rather than packed `addpd`; this crate counts the
//! `dependent adds` in `cargo bench -- simd_reduction/`.
//!
//! ## Claim
//! "Vectorise numeric loops": a float sum written with several independent
//! accumulators becomes vector adds and no longer waits on one dependency
//! chain, so it is faster while the data is in cache (L1 and L2 here), and
//! level or faster once both wait on memory. Checked from the longest chain
//! of dependent adds (`n` against `ceil(n / 8) + 3`), from instruction
//! counts, and from the times.
//!
//! ## Measured
//! The `dependent adds` counter is exact (a test asserts it): `bad`'s chain is
//! as long as the input, `good`'s an eighth of it plus the combine, and
//! `fold4`'s a quarter. None of the variants allocates. `good` and `fold4` run
//! fewer instructions than `bad` at every size, but not many fewer: a vector
//! add covers two elements, and each still needs its own load, where `bad`
//! folds the load into `addsd`. So in L1 and L2 the cost model expects the
//! times to follow the chains, not the instruction counts, with `bad` held to
//! one element per add latency; at the 64 MB size memory bandwidth caps all
//! three, and the extra chains of `good` and `fold4` matter less.
//!
//! The generated code confirms that the optimiser did not vectorise `bad` on
//! its own: `objdump -d -C target/release/perf-hints`, at the copies of the
//! three loops that callgrind counts (inlined into
//! `perf_hints::measure::callgrind::perf_hints_measured_call`; the symbols
//! `simd_reduction::good` and `fold4` are the counting builds, with the
//! probe's call in the loop), shows on rustc 1.95, x86-64 SSE2 baseline: `bad`
//! is scalar `addsd` into the one register `xmm0`, unrolled eight times but
//! still one chain; `good` is packed `addpd` into four registers, unrolled
//! four times (32 elements per trip); `fold4` the same into two registers (16
//! per trip).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- simd_reduction/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/simd_reduction.md"))]


use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;

/// The counter: additions on the longest chain, each waiting for the one before.
pub const CHAIN: &str = "dependent adds";

/// Adds every element into one accumulator: one chain of dependent adds.
pub fn bad<P: Probe>(xs: &[f64], probe: &P) -> f64 {
    let mut sum = 0.0;
    for &x in xs {
        probe.add(CHAIN, 1);
        sum += x;
    }
    sum
}

/// Adds into eight independent accumulators over `chunks_exact(8)`, combined at the end.
pub fn good<P: Probe>(xs: &[f64], probe: &P) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        // One add on each of the eight chains: each grows by one.
        probe.add(CHAIN, 1);
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    if !rest.is_empty() {
        probe.add(CHAIN, 1);
        for (a, &x) in acc.iter_mut().zip(rest) {
            *a += x;
        }
    }
    // A tree of three levels.
    probe.add(CHAIN, 3);
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// The same with four accumulators over `chunks_exact(4)`: half as many chains.
pub fn fold4<P: Probe>(xs: &[f64], probe: &P) -> f64 {
    let mut acc = [0.0f64; 4];
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for chunk in chunks {
        probe.add(CHAIN, 1);
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    if !rest.is_empty() {
        probe.add(CHAIN, 1);
        for (a, &x) in acc.iter_mut().zip(rest) {
            *a += x;
        }
    }
    probe.add(CHAIN, 2);
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// `n` multiples of 1/4 in `-512 .. 512`, the same on every run: every
/// partial sum, in any order, is exact, so every variant returns the same bits.
pub fn input(n: usize) -> Vec<f64> {
    let mut rng = crate::rng(97);
    (0..n)
        .map(|_| f64::from(rng.random_range(-2048..2048i32)) * 0.25)
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "simd_reduction";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::COMPILER_FRIENDLY, sources::CONTIGUOUS_NUMBERS];
    const SIZE: &'static str = "n";
    const CLAIM: &'static str =
        "vectorise numeric loops: several accumulators break the chain of dependent adds";
    type Param = usize;
    type Input = Vec<f64>;
    type Output = f64;

    /// 8 KB (in L1), 400 KB (in L2) and 64 MB (past a 32 MB last-level
    /// cache, where both wait on memory).
    fn sizes() -> &'static [usize] {
        &[1_000, 50_000, 8_000_000]
    }

    const INPUT: fn(usize) -> Vec<f64> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |xs: &Vec<f64>, probe| bad(xs, probe));
        v.variant("good", |xs: &Vec<f64>, probe| good(xs, probe));
        v.variant("fold4", |xs: &Vec<f64>, probe| fold4(xs, probe));
    }

    /// In L1 and L2 `bad` waits one add latency per element, `good` and
    /// `fold4` run several chains at once: faster. From DRAM the bandwidth
    /// caps the faster loops near `bad`'s own pace: level, or faster by
    /// whatever bandwidth is left over.
    fn predict(n: usize) -> Vec<Prediction> {
        let each = |p: fn(&'static str) -> Prediction| vec![p("good"), p("fold4")];
        match n {
            ..=100_000 => each(Prediction::faster),
            _ => each(|v| Prediction::level(v).or_faster()),
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(CHAIN), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(CHAIN), "good", |n| n.div_ceil(8) as u64 + 3),
            expect::exactly(Figure::Counter(CHAIN), "fold4", |n| n.div_ceil(4) as u64 + 2),
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::exactly(Figure::Allocs, "fold4", |_| 0),
            // Packed adds cover two elements each.
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::fewer(Figure::Instructions, "fold4", "bad"),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
