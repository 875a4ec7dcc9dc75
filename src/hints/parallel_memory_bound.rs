//! # Parallelism on memory-bound work: threads share the memory bus (`parallel_memory_bound`)
//!
//! ## Cost model
//! Summing a `u64` slice does almost no arithmetic per byte: one add per
//! eight bytes, which vectorises. A pass over a buffer that fits in the
//! caches runs at the cache's bandwidth; a pass over a buffer far larger than
//! the last-level cache runs at the rate one core can pull lines from memory
//! ([`CORE_DRAM_GBPS`]: bounded by how many misses a core keeps in flight,
//! not by its adders). The work is the bytes moved, `B`, not the additions.
//!
//! Here the buffer is [`SMALL_MIB`] MiB (inside the last-level cache of the
//! machines this crate is run on) or [`LARGE_MIB`] MiB (eight times the
//! reference machine's 32 MiB L3, so every pass streams from memory), built
//! once per size from a fixed seed outside the timed code.
//!
//! ## The fix
//! Split the pass between `T` threads: rayon's `par_chunks` over a pool of
//! exactly `T` threads (the same pools as `parallel_iter`), each chunk summed
//! as in the loop and the partial sums added. From the caches this scales
//! like compute: each core has its own L1 and L2, and the shared L3 serves
//! several cores at once. From memory each thread adds its own stream of
//! misses, so the pass goes faster until the streams together reach what the
//! memory system delivers ([`DRAM_GBPS`]); past that, more threads only
//! queue for the same bus. The cost model ([`modelled`]) is
//! `B / min(T × per-core rate, machine rate)` plus rayon's fixed cost per
//! thread ([`FIXED_NS`]).
//!
//! ## When it does not help
//! When the threads already pull all the bandwidth the machine has: the
//! speedup stops at `DRAM_GBPS / CORE_DRAM_GBPS` however many threads are
//! added (the model's figure is 4, a declared guess: a desktop's two
//! channels saturate with two or three cores, a server socket's eight or
//! twelve need many more). On one thread rayon only adds its fixed cost. The
//! third variant, `replicated`, shows the limit directly: each of the `T`
//! threads sums the whole buffer (`T × B` bytes in all, each thread starting
//! at its own offset so they do not share lines in the cache). If nothing
//! were shared it would take as long as `bad`'s one pass; where it is slower,
//! the threads are queueing for memory, and `good`'s speedup is below `T` by
//! that much.
//!
//! The sources' point ("does not help a memory-bound pipeline") is the
//! saturated case; with two threads on a server-class memory system the
//! model expects the opposite, a clear gain, and says so in its predictions.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a parallel loop whose speedup stalls well below its thread count
//! while the cores report busy: `perf stat -e cycles,instructions` shows a
//! low instructions-per-cycle, and memory-bandwidth counters (`perf stat -M
//! memory_bandwidth_total` on Intel, `pcm-memory`) sit near the machine's
//! peak. This crate counts the `bytes read` per call in `cargo bench --
//! parallel_memory_bound/`.
//!
//! ## Claim
//! Parallelism does not help memory-bound work (sources: the workload
//! classification, "multiprocessing does not help a memory-bound
//! pipeline"). Judged here as `good` level with `bad` on the buffer that
//! streams from memory; the sources say nothing about a buffer in cache.
//!
//! ## Measured
//! `bytes read` is exact and counted per chunk where it is summed: `B` for
//! `bad` and `good`, `T × B` for `replicated` (`validate` checks it). What to
//! read in the table against [`modelled`]: on one thread every variant does
//! one pass, so any gap is rayon's fixed cost; on two threads, the cached
//! buffer's speedup against the streamed buffer's says how much of a second
//! core's gain the memory system passes on, and `replicated`'s speedup (1
//! where nothing is shared, `1 / T` where the bus is the whole limit) says
//! how close two streams come to the machine's bandwidth.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- parallel_memory_bound/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/parallel_memory_bound.md"))]

use std::sync::OnceLock;

use rand::Rng;
use rayon::prelude::*;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{Per, Threads, pool, thread_counts};

/// The counter: bytes summed per call, counted per chunk.
pub const BYTES: &str = "bytes read";

/// The buffer that fits in the last-level cache, MiB.
pub const SMALL_MIB: usize = 4;
/// The buffer that streams from memory, MiB: eight times the reference
/// machine's 32 MiB L3.
pub const LARGE_MIB: usize = 256;

/// Elements per chunk: 64 KiB, so a chunk's overhead is nothing beside its
/// pass and rayon has enough pieces to balance.
pub const CHUNK: usize = 8 * 1024;

/// What one core streams from memory, bytes per ns (GB/s): bounded by the
/// misses it keeps in flight.
pub const CORE_DRAM_GBPS: f64 = 12.0;
/// What the whole memory system delivers, GB/s: declared as four cores'
/// worth, a guess the table tests.
pub const DRAM_GBPS: f64 = 4.0 * CORE_DRAM_GBPS;
/// What one core sums from its caches, GB/s; cache bandwidth grows with the
/// cores.
pub const CORE_CACHE_GBPS: f64 = 40.0;
/// Rayon's fixed cost per call for each thread it involves, ns (waking it,
/// handing it a piece, joining), as `parallel_iter` takes it.
pub const FIXED_NS: f64 = 5_000.0;

/// The second part of a size: the buffer, in MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mib;

impl Per for Mib {
    fn text(x: usize) -> String {
        format!("{x} MiB buffer")
    }
    const KEY: &'static str = "mib";
}

/// A size: `T` threads and the buffer in MiB.
pub type Size = Threads<Mib>;

/// Whether the model takes a buffer of `mib` MiB to stream from memory
/// rather than from the caches: above the reference machine's 32 MiB L3.
pub fn streams_from_memory(mib: usize) -> bool {
    mib > 32
}

/// Time per call of `bad`, `good` and `replicated` on `threads` threads over
/// `mib` MiB, ns: one pass at one core's rate; `B / min(T × core, machine)`
/// plus the fixed cost; and `T × B` at the same shared rate.
pub fn modelled(threads: usize, mib: usize) -> [f64; 3] {
    let t = threads.max(1) as f64;
    let bytes = (mib << 20) as f64;
    let (core, all) = if streams_from_memory(mib) {
        (CORE_DRAM_GBPS, DRAM_GBPS)
    } else {
        (CORE_CACHE_GBPS, f64::INFINITY)
    };
    let rate = (t * core).min(all);
    let fixed = t * FIXED_NS;
    [bytes / core, bytes / rate + fixed, t * bytes / rate + fixed]
}

/// The buffer and a pool of exactly the size's threads.
pub struct Input {
    pub pool: rayon::ThreadPool,
    pub data: Vec<u64>,
}

/// Sums one chunk and reports its bytes where it is read.
#[inline]
fn chunk_sum<P: Probe>(chunk: &[u64], probe: &P) -> u64 {
    probe.add(BYTES, std::mem::size_of_val(chunk) as u64);
    chunk.iter().fold(0, |a, &x| a.wrapping_add(x))
}

/// Sums the buffer chunk by chunk on the calling thread.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    input
        .data
        .chunks(CHUNK)
        .map(|c| chunk_sum(c, probe))
        .fold(0, u64::wrapping_add)
}

/// The same chunks summed with rayon's `par_chunks` on the input's pool.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    input.pool.install(|| {
        input
            .data
            .par_chunks(CHUNK)
            .map(|c| chunk_sum(c, probe))
            .reduce(|| 0, u64::wrapping_add)
    })
}

/// Every thread of the pool sums the whole buffer, thread `i` starting at
/// the `i`-th of `T` offsets and wrapping: `T` times the bytes.
pub fn replicated<P: Probe>(input: &Input, probe: &P) -> u64 {
    let t = input.pool.current_num_threads();
    let data = &input.data;
    let sums: Vec<u64> = input.pool.install(|| {
        (0..t)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                let (head, tail) = data.split_at(data.len() * i / t);
                tail.chunks(CHUNK)
                    .chain(head.chunks(CHUNK))
                    .map(|c| chunk_sum(c, probe))
                    .fold(0, u64::wrapping_add)
            })
            .collect()
    });
    // Every thread summed the same bytes: any disagreement is a bug, shown
    // as a result that differs from `bad`'s.
    match sums.split_first() {
        Some((&first, rest)) if rest.iter().all(|&s| s == first) => first,
        Some((&first, _)) => !first,
        None => 0,
    }
}

/// `len` fixed-seed `u64`s and a pool of `threads` threads.
pub fn input(threads: usize, len: usize) -> Input {
    let mut data = vec![0u64; len];
    crate::rng(STREAM).fill(&mut data[..]);
    Input {
        pool: pool(threads),
        data,
    }
}

/// This hint's rng stream.
const STREAM: u64 = 170;

/// Elements in a buffer of `mib` MiB.
pub fn elements(mib: usize) -> usize {
    (mib << 20) / std::mem::size_of::<u64>()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "parallel_memory_bound";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::MEMORY_BOUND];
    const SIZE: &'static str = "threads × buffer (MiB of u64)";
    const CLAIM: &'static str =
        "parallelism does not help memory-bound work: threads streaming from memory share its bandwidth";
    const DETERMINISTIC: bool = false;
    type Param = Size;
    type Input = Input;
    type Output = u64;

    fn sizes() -> &'static [Size] {
        static SIZES: OnceLock<Vec<Size>> = OnceLock::new();
        SIZES.get_or_init(|| {
            thread_counts()
                .into_iter()
                .flat_map(|t| [Threads::new(t, SMALL_MIB), Threads::new(t, LARGE_MIB)])
                .collect()
        })
    }

    /// The edge sizes (no threads) give `x` elements, none or one, on one thread.
    const INPUT: fn(Size) -> Input = |size| {
        match (size.threads, size.x) {
            (0, n) => input(1, n),
            (t, mib) => input(t, elements(mib)),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("replicated", |i: &Input, p| replicated(i, p));
    }

    /// Which thread reads which chunk depends on timing; how many bytes are
    /// read does not.
    fn expect() -> Vec<Expect<Size>> {
        let bytes = |s: Size| (s.x << 20) as u64;
        vec![
            expect::exactly(Figure::Counter(BYTES), "bad", bytes),
            expect::exactly(Figure::Counter(BYTES), "good", bytes),
            expect::exactly(Figure::Counter(BYTES), "replicated", |s| {
                s.threads as u64 * (s.x << 20) as u64
            }),
        ]
    }

    /// From [`modelled`]: one thread level (a pass of milliseconds dwarfs
    /// rayon's fixed cost); on `T` threads `good` faster, by `T` from the
    /// caches and by at most `DRAM_GBPS / CORE_DRAM_GBPS` from memory;
    /// `replicated` level while `T` streams fit in the memory system's
    /// bandwidth, slower once they exceed it.
    fn predict(size: Size) -> Vec<Prediction> {
        let [bad, good, replicated] = modelled(size.threads, size.x);
        vec![
            Prediction::from_model("good", bad / good),
            Prediction::from_model("replicated", bad / replicated),
        ]
    }

    /// The sources: no gain from threads on the buffer that streams from
    /// memory; nothing said about one in cache.
    fn claimed(size: Size) -> Option<Prediction> {
        streams_from_memory(size.x).then_some(Prediction::level("good"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Param;

    fn predict(threads: usize, mib: usize) -> Vec<Prediction> {
        Case::predict(Threads::new(threads, mib))
    }

    /// One thread gains nothing; two gain from cache and from memory alike
    /// (two streams are under the bandwidth the model assumes), and
    /// `replicated` is level; at sixteen, memory caps `good` and
    /// `replicated` queues for the bus.
    #[test]
    fn predictions_follow_the_bandwidth_model() {
        for mib in [SMALL_MIB, LARGE_MIB] {
            for p in predict(1, mib) {
                assert!(!p.faster, "1 thread, {mib} MiB: {p:?}");
            }
            assert_eq!(predict(2, mib)[0], Prediction::faster("good"));
        }
        assert_eq!(predict(2, LARGE_MIB)[1], Prediction::level("replicated"));
        let [bad, good, replicated] = modelled(16, LARGE_MIB);
        let cap = DRAM_GBPS / CORE_DRAM_GBPS;
        assert!((bad / good - cap).abs() < 0.1, "{}", bad / good);
        assert!(bad / replicated < 0.3, "{}", bad / replicated);
        assert_eq!(predict(16, LARGE_MIB)[1], Prediction::slower("replicated"));
    }

    #[test]
    fn sizes_key_and_parse_back() {
        let s = Threads::<Mib>::new(2, LARGE_MIB);
        assert_eq!(s.key(), "2t-256mib");
        assert_eq!(Threads::<Mib>::parse("2t-256mib"), Some(s));
    }

    #[test]
    fn every_variant_reads_the_bytes_it_should_and_agrees() {
        let probe = crate::hint::NoProbe;
        for t in [1, 2, 3] {
            for n in [0, 1, 7, CHUNK + 3, 5 * CHUNK] {
                let i = input(t, n);
                let want = i.data.iter().fold(0u64, |a, &x| a.wrapping_add(x));
                assert_eq!(bad(&i, &probe), want);
                assert_eq!(good(&i, &probe), want);
                assert_eq!(replicated(&i, &probe), want, "{t} threads, {n}");
            }
        }
    }
}
