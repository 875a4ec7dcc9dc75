//! # Build an expensive value once, or only when used (`lazy_init`)
//!
//! ## Cost model
//! A value made per call (a request handler built per request, a CLI
//! process started per command) whose `new()` eagerly builds an expensive
//! member pays that build on every call, whether or not the call uses it.
//! Here the member is a 64 KiB lookup table (one byte per 16-bit value, as a
//! table-driven checksum or a byte-pair classifier keeps): building it is an
//! allocation and 65,536 computed writes, tens of times the work of the
//! request that may use it. When only a share of the calls use the table,
//! the rest pay for nothing.
//!
//! ## The fix
//! Move the build out of the per-call path. Two ways, with different claims:
//! - `good`: a per-instance lazy field, `std::cell::OnceCell`, filled on
//!   first use (`get_or_init`). A call that never uses the table never builds
//!   it; a call that uses it builds it exactly as `bad` does. This is the fair
//!   comparison: the same lifetime, only the build is deferred.
//! - `shared`: a process-wide `static` (`std::sync::OnceLock` here, which is
//!   what `LazyLock` wraps; `OnceLock::get_or_init` lets the build report to
//!   the counter). It is built once per process and every later call reuses
//!   it. In the benchmark it is built once, before timing, and then only read:
//!   that is the point of the fix (construction leaves the per-call path), but
//!   it also means its timing shows no build at all.
//!
//! ## When it does not help
//! A per-instance lazy field saves nothing when every call uses the value: it
//! builds just as often as the eager `new()` and adds a check on each access.
//! A process-wide static only helps when the value is the same for every call
//! (no per-request configuration in it) and the process lives for many calls;
//! for a one-shot process it is built once either way. A `static` also holds
//! its memory until exit, and a `LazyLock` shared between threads takes a
//! synchronised check on each access (an atomic load once built).
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::non_std_lazy_statics` (pedantic, opt-in), which only asks for
//! `std::sync::LazyLock` in place of `lazy_static!` or `once_cell`.
//!
//! Signal: allocation profile. A setup (tables, regexes, clients) built on
//! every call or at start-up whether or not it is used; this crate counts
//! `tables built` in `cargo bench -- lazy_init/`.
//!
//! ## Claim
//! Defer an expensive initialisation to its first use, or do it once per
//! process, so calls that do not need it do not pay for it (sources: the std
//! `LazyLock`/`OnceLock` docs and the usual "compile a `Regex` once" advice).
//!
//! ## Measured
//! The counter `tables built` counts each table build inside the build itself.
//! Per call of [`REQUESTS`] requests, `bad` builds [`REQUESTS`] tables at
//! every share; `good` builds one per request that uses it (0, 6 and 64 at 0
//! %, 10 % and 100 %); `shared` builds none (its one build happened in the
//! uncounted warm-up call). The allocations follow the builds. The instruction
//! counts come from a fresh process per call, so there `shared` includes its
//! one build: about `bad`'s count divided by [`REQUESTS`]. In time, `good`
//! saves a build for each request that does not use the table, and `shared`
//! every build after its first.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- lazy_init/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/lazy_init.md"))]

use std::cell::OnceCell;
use std::sync::OnceLock;

use rand::Rng;
use rand::seq::SliceRandom;

use crate::hint::{Hint, Probe, Variants};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;

/// Requests handled per call, each by a service made for it.
pub const REQUESTS: usize = 64;

/// Bytes in one request's payload.
pub const PAYLOAD: usize = 64;

/// Entries in the table: one byte per 16-bit value, 64 KiB.
pub const ENTRIES: usize = 1 << 16;

/// The counter: lookup tables built.
pub const BUILT: &str = "tables built";

/// One request: its payload and whether it needs the table.
#[derive(Clone, Debug)]
pub struct Request {
    pub payload: Vec<u8>,
    pub uses_table: bool,
}

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

/// The work of a request that uses the table: a table-driven checksum over
/// the payload's byte pairs.
fn checksum(table: &[u8], payload: &[u8]) -> u64 {
    let mut h: u8 = 0;
    for pair in payload.chunks(2) {
        let v = u16::from_le_bytes([pair[0], *pair.get(1).unwrap_or(&0)]) ^ u16::from(h);
        h = table[usize::from(v)];
    }
    u64::from(h) | 0x100
}

/// The work of a request that does not: its length and first byte.
fn plain(payload: &[u8]) -> u64 {
    (payload.len() as u64) << 16 | u64::from(payload.first().copied().unwrap_or(0))
}

/// A service whose `new()` builds the table eagerly.
struct Eager {
    table: Vec<u8>,
}

impl Eager {
    fn new<P: Probe>(probe: &P) -> Eager {
        Eager {
            table: build(probe),
        }
    }

    fn handle(&self, r: &Request) -> u64 {
        if r.uses_table {
            checksum(&self.table, &r.payload)
        } else {
            plain(&r.payload)
        }
    }
}

/// A service whose table is a lazy field, built on first use.
struct Lazy {
    table: OnceCell<Vec<u8>>,
}

impl Lazy {
    fn new<P: Probe>(probe: &P) -> Lazy {
        // Nothing built yet: the counter reads 0 when no request uses it.
        probe.add(BUILT, 0);
        Lazy {
            table: OnceCell::new(),
        }
    }

    fn handle<P: Probe>(&self, r: &Request, probe: &P) -> u64 {
        if r.uses_table {
            checksum(self.table.get_or_init(|| build(probe)), &r.payload)
        } else {
            plain(&r.payload)
        }
    }
}

/// The process-wide table of `shared`.
static TABLE: OnceLock<Vec<u8>> = OnceLock::new();

/// A service that borrows the process-wide table, built once.
struct Shared {
    table: &'static [u8],
}

impl Shared {
    fn new<P: Probe>(probe: &P) -> Shared {
        probe.add(BUILT, 0);
        Shared {
            table: TABLE.get_or_init(|| build(probe)),
        }
    }

    fn handle(&self, r: &Request) -> u64 {
        if r.uses_table {
            checksum(self.table, &r.payload)
        } else {
            plain(&r.payload)
        }
    }
}

/// Folds one response into the checksum every variant returns.
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
}

/// A service per request whose `new()` builds the table, used or not.
pub fn bad<P: Probe>(requests: &[Request], probe: &P) -> u64 {
    requests.iter().fold(0, |h, r| {
        let s = std::hint::black_box(Eager::new(probe));
        mix(h, s.handle(r))
    })
}

/// A service per request whose table is a `OnceCell` field, built on first use.
pub fn good<P: Probe>(requests: &[Request], probe: &P) -> u64 {
    requests.iter().fold(0, |h, r| {
        let s = std::hint::black_box(Lazy::new(probe));
        mix(h, s.handle(r, probe))
    })
}

/// A service per request borrowing a process-wide `static` table, built once.
pub fn shared<P: Probe>(requests: &[Request], probe: &P) -> u64 {
    requests.iter().fold(0, |h, r| {
        let s = std::hint::black_box(Shared::new(probe));
        mix(h, s.handle(r))
    })
}

/// How many of [`REQUESTS`] requests use the table at `share` percent.
pub fn users(share: usize) -> usize {
    REQUESTS * share / 100
}

/// [`REQUESTS`] requests with random payloads, of which [`users`]`(share)`,
/// at random places, use the table; the same on every run.
pub fn input(share: usize) -> Vec<Request> {
    let mut rng = crate::rng(160);
    let mut uses: Vec<bool> = (0..REQUESTS).map(|i| i < users(share)).collect();
    uses.shuffle(&mut rng);
    uses.into_iter()
        .map(|uses_table| Request {
            payload: (0..PAYLOAD).map(|_| rng.random()).collect(),
            uses_table,
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "lazy_init";
    const SIZE: &'static str = "% of calls using the table";
    const CLAIM: &'static str =
        "build an expensive value on first use, or once per process, not per call (sources)";
    type Param = usize;
    type Input = Vec<Request>;
    type Output = u64;

    /// No call, a tenth of the calls, and every call uses the table.
    fn sizes() -> &'static [usize] {
        &[0, 10, 100]
    }

    fn input(share: usize) -> Vec<Request> {
        input(share)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<Request>, p| bad(i, p));
        v.variant("good", |i: &Vec<Request>, p| good(i, p));
        v.variant("shared", |i: &Vec<Request>, p| shared(i, p));
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(BUILT), "bad", |_| REQUESTS as u64),
            expect::exactly(Figure::Counter(BUILT), "good", |s| users(s) as u64),
            // Built in the uncounted warm-up call, then only read.
            expect::exactly(Figure::Counter(BUILT), "shared", |_| 0),
            expect::exactly(Figure::Allocs, "bad", |_| REQUESTS as u64),
            expect::exactly(Figure::Allocs, "good", |s| users(s) as u64),
            expect::exactly(Figure::Allocs, "shared", |_| 0),
            expect::fewer_by(Figure::Instructions, "shared", "bad", 10.0),
            expect::fewer_by(Figure::Instructions, "good", "bad", 5.0).at(Sizes::UpTo(10)),
        ]
    }

    /// A build is tens of times a request's work. At 0 % `good` builds
    /// nothing and at 10 % a tenth as often as `bad`: faster. At 100 % it
    /// builds as often as `bad`: level. `shared` never builds in the timed
    /// calls: faster at every share, by the most at 100 %, where `bad` and
    /// `good` both build per request and `shared` only reads.
    fn predict(share: usize) -> Vec<Prediction> {
        let good = if share < 100 {
            Prediction::faster("good")
        } else {
            Prediction::level("good")
        };
        vec![good, Prediction::faster("shared").by(5.0)]
    }
}
