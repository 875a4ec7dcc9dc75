//! # Build an expensive value once per process, not per call (`lazy_init`)
//!
//! ## Cost model
//! A function that builds an expensive value it only reads (a lookup table,
//! a compiled `Regex`, a parser's tables) pays that build on every call.
//! Here the value is a 64 KiB lookup table (one byte per 16-bit value, as a
//! table-driven checksum or a byte-pair classifier keeps): building it is an
//! allocation and 65,536 computed writes. The call is a batch handler: it
//! builds the table, then checks every request of its batch against it, so
//! the build is paid once per batch and spread over the batch's requests.
//! With a build worth about `k` requests' work, a batch of `n` requests costs
//! `k + n` request-works against `n` with the build moved out: a speedup of
//! `1 + k/n`, large for small batches and gone for large ones.
//!
//! ## The fix
//! Build the value once per process: a `static` initialised on first use,
//! `std::sync::LazyLock` or `std::sync::OnceLock` (`good` uses `OnceLock`,
//! which `LazyLock` wraps; its `get_or_init` lets the build report to the
//! counter). Every later call reads it. In the benchmark it is built once,
//! before timing, and then only read: that is the point of the fix
//! (construction leaves the per-call path), but it also means its timing
//! shows no build at all.
//!
//! ## When it does not help
//! When the build is small beside the work of the call it serves (a large
//! batch here), moving it out saves a share that shrinks as `k/n`. A
//! process-wide static only helps when the value is the same for every call
//! (no per-request configuration in it) and the process lives for many calls;
//! for a one-shot process it is built once either way. A `static` also holds
//! its memory until exit, and a `LazyLock` shared between threads takes a
//! synchronised check on each access (an atomic load once built). Deferring
//! a build to first use (a `OnceCell` field) saves only the calls that never
//! use the value; this hint's calls all use it, so it measures the once per
//! process half of the advice.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::non_std_lazy_statics` (pedantic, opt-in), which only asks for
//! `std::sync::LazyLock` in place of `lazy_static!` or `once_cell`.
//!
//! Signal: allocation profile. A setup (tables, regexes, clients) built on
//! every call of a function that runs many times; this crate counts
//! `tables built` in `cargo bench -- lazy_init/`.
//!
//! ## Claim
//! Defer an expensive initialisation to its first use, or do it once per
//! process, so calls do not pay for it again (sources: the std
//! `LazyLock`/`OnceLock` docs and the usual "compile a `Regex` once"
//! advice). Judged here as: `good` (built once per process) faster than
//! `bad` (built once per call, a batch of requests) at every batch size.
//!
//! ## Measured
//! The counter `tables built` counts each table build inside the build
//! itself: one per call for `bad` at every batch size, none for `good` (its
//! one build happened in the uncounted warm-up call). The allocations
//! follow the builds: one per call for `bad`, none for `good`. The
//! instruction counts come from a fresh process per call, so there `good`
//! includes its one build: level with `bad`'s at every size, which
//! `validate` checks; what the instruction counts show is the build's size
//! against a batch's work. An earlier `bad` built the table for every
//! request and its fix built none; that headline was the build count
//! (64 against 0), not a realistic baseline. The per-request build is the
//! one-request row here.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- lazy_init/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lazy_init.md"))]

use std::sync::OnceLock;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;

/// Bytes in one request's payload.
pub const PAYLOAD: usize = 64;

/// Entries in the table: one byte per 16-bit value, 64 KiB.
pub const ENTRIES: usize = 1 << 16;

/// The counter: lookup tables built.
pub const BUILT: &str = "tables built";

/// One request: its payload.
pub type Request = [u8; PAYLOAD];

/// The table's entry for `i`: a few operations of mixing, as a real table
/// would precompute something per entry.
fn entry(i: u32) -> u8 {
    let x = i.wrapping_mul(0x9e37_79b9).rotate_left(13) ^ i;
    (x ^ (x >> 16)) as u8
}

/// Builds the 64 KiB table, counted.
fn build<P: Probe>(probe: &P) -> Vec<u8> {
    probe.add(BUILT, 1);
    (0..ENTRIES as u32).map(entry).collect()
}

/// The work of a request: a table-driven checksum over the payload's byte pairs.
fn checksum(table: &[u8], payload: &[u8]) -> u64 {
    let mut h: u8 = 0;
    for pair in payload.chunks(2) {
        let v = u16::from_le_bytes([pair[0], *pair.get(1).unwrap_or(&0)]) ^ u16::from(h);
        h = table[usize::from(v)];
    }
    u64::from(h) | 0x100
}

/// Folds one response into the checksum every variant returns.
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
}

/// Checks every request of a batch against `table`.
fn handle(table: &[u8], requests: &[Request]) -> u64 {
    requests
        .iter()
        .fold(0, |h, r| mix(h, checksum(table, r)))
}

/// The process-wide table of `good`.
static TABLE: OnceLock<Vec<u8>> = OnceLock::new();

/// Builds the table for this call, then handles the batch with it.
pub fn bad<P: Probe>(requests: &[Request], probe: &P) -> u64 {
    // black_box: the build is the call's work; keep it from being elided.
    let table = std::hint::black_box(build(probe));
    handle(&table, requests)
}

/// Reads the process-wide table (built on the process's first call), then
/// handles the batch with it.
pub fn good<P: Probe>(requests: &[Request], probe: &P) -> u64 {
    probe.add(BUILT, 0);
    let table = std::hint::black_box(TABLE.get_or_init(|| build(probe)));
    handle(table, requests)
}

/// `n` requests with random payloads, the same on every run.
pub fn input(n: usize) -> Vec<Request> {
    let mut rng = crate::rng(160);
    (0..n)
        .map(|_| std::array::from_fn(|_| rng.random()))
        .collect()
}

/// A table build's time in requests' work, for the model: the build is
/// 65,536 computed writes (vectorised), a request 32 dependent table reads.
/// The 200 was fixed before the current record, from the reference
/// machine's record of an earlier version of this hint (a batch of 64); it
/// is the model's assumption, and the table below is what this code
/// measured against it.
pub const BUILD_IN_REQUESTS: f64 = 200.0;

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "lazy_init";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::LAZY_SETUP];
    const SIZE: &'static str = "requests per call";
    const CLAIM: &'static str =
        "build an expensive value on first use, or once per process, not per call (sources)";
    type Param = usize;
    type Input = Vec<Request>;
    type Output = u64;

    /// One request per call (a build per request), up to batches large
    /// enough that the build is a rounding error.
    fn sizes() -> &'static [usize] {
        &[1, 16, 256, 16_384]
    }

    const INPUT: fn(usize) -> Vec<Request> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<Request>, p| bad(i, p));
        v.variant("good", |i: &Vec<Request>, p| good(i, p));
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(BUILT), "bad", |_| 1),
            // Built in the uncounted warm-up call, then only read.
            expect::exactly(Figure::Counter(BUILT), "good", |_| 0),
            expect::exactly(Figure::Allocs, "bad", |_| 1),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            // A fresh process per counted call: `good` builds its table
            // there too, so the instructions are level with `bad`'s.
            expect::no_better(Figure::Instructions, "good", "bad", 0.95),
            expect::no_better(Figure::Instructions, "bad", "good", 0.95),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }

    /// `1 + k/n` for a build worth `k` requests ([`BUILD_IN_REQUESTS`]):
    /// faster by far at one request, by about 13x at 16, by under 2x at 256,
    /// level at 16,384, where the build is about 1 % of the call.
    fn predict(n: usize) -> Vec<Prediction> {
        let s = 1.0 + BUILD_IN_REQUESTS / n.max(1) as f64;
        vec![Prediction::from_model("good", s)]
    }
}
