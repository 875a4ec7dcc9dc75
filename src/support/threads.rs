//! What the hints that run on several threads share: a pool of exactly `T`
//! threads built outside the timed code, an even split of the items between
//! them, CPU-bound work of a chosen size per item, and exact per-slot counts
//! through a type parameter that compiles to nothing when the code is timed.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// A rayon pool of exactly `threads` worker threads (at least one). Hints
/// build it in `input()`, so the timed code never starts a thread.
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("perf-hints-{i}"))
        .build()
        .expect("start a rayon thread pool")
}

/// The items thread `i` of `threads` handles out of `n`: contiguous ranges
/// whose lengths differ by at most one and together cover `0..n` once.
pub fn share(n: usize, threads: usize, i: usize) -> Range<usize> {
    let t = threads.max(1);
    (n * i / t)..(n * (i + 1) / t)
}

/// `rounds` rounds of a cheap 64-bit mix (xor-shift, multiply): CPU-bound
/// work of a chosen size per item that the optimiser cannot fold away, since
/// each round depends on the one before.
#[inline]
pub fn work(x: u64, rounds: u32) -> u64 {
    let mut x = x;
    for _ in 0..rounds {
        x ^= x >> 29;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    x
}

/// Items to process with `rounds` of [`work`] each, and a pool of exactly
/// the size's threads: the input of the hints that vary threads and work.
pub struct Work {
    pub pool: rayon::ThreadPool,
    pub items: Vec<u64>,
    pub rounds: u32,
}

impl Work {
    /// `n` items from rng `stream`, `rounds` of work each, on `threads` threads.
    pub fn new(stream: u64, threads: usize, n: usize, rounds: usize) -> Work {
        use rand::Rng;
        let mut rng = crate::rng(stream);
        Work {
            pool: pool(threads),
            items: (0..n).map(|_| rng.random()).collect(),
            rounds: rounds as u32,
        }
    }

    /// The input for a [`grid`] size of (threads, rounds) with
    /// `n` items; the edge sizes 0 and 1 give no item and one item.
    pub fn for_size(stream: u64, size: usize, n: usize) -> Work {
        match ungrid(size) {
            (0, edge) => Work::new(stream, 1, edge, 1),
            (threads, rounds) => Work::new(stream, threads, n, rounds),
        }
    }

    /// The items thread `i` of the pool handles (see [`share`]).
    pub fn share(&self, i: usize) -> &[u64] {
        &self.items[share(self.items.len(), self.pool.current_num_threads(), i)]
    }
}

/// How a hint measured across thread counts shows a [`grid`]
/// size: `"2 threads, 64 rounds/item"` for `label(size, "rounds/item")`.
pub fn label(size: usize, per: &str) -> String {
    let (t, x) = ungrid(size);
    let s = if t == 1 { "" } else { "s" };
    format!("{t} thread{s}, {x} {per}")
}

/// Counts events per slot (a lock, an item). The timed code uses [`NoTally`],
/// which never calls `slot`, so counting costs the measured code nothing.
pub trait Tally: Sync {
    fn hit(&self, slot: impl FnOnce() -> usize);
}

/// Does not count.
pub struct NoTally;

impl Tally for NoTally {
    #[inline(always)]
    fn hit(&self, _slot: impl FnOnce() -> usize) {}
}

/// One exact count per slot, safe to bump from any thread.
pub struct Tallies(Vec<AtomicU64>);

impl Tallies {
    pub fn new(slots: usize) -> Self {
        Tallies((0..slots).map(|_| AtomicU64::new(0)).collect())
    }

    /// The count of every slot, in slot order.
    pub fn counts(&self) -> Vec<u64> {
        self.0.iter().map(|c| c.load(Ordering::Relaxed)).collect()
    }

    /// All hits in all slots.
    pub fn total(&self) -> u64 {
        self.counts().iter().sum()
    }

    /// The hits of the busiest slot.
    pub fn busiest(&self) -> u64 {
        self.counts().into_iter().max().unwrap_or(0)
    }
}

impl Tally for Tallies {
    fn hit(&self, slot: impl FnOnce() -> usize) {
        self.0[slot()].fetch_add(1, Ordering::Relaxed);
    }
}

/// Packs a thread count and a second parameter (`x < 10_000`: work per item,
/// write share) into one size, for hints measured across thread counts. Sizes
/// sort by threads, then by `x`; criterion ids show the packed number
/// (`20100` = 2 threads, x = 100) and tables show [`Hint::label`](crate::hint::Hint::label).
pub const fn grid(threads: usize, x: usize) -> usize {
    assert!(x < GRID);
    threads * GRID + x
}

/// The `(threads, x)` a [`grid`] size was made from.
pub const fn ungrid(size: usize) -> (usize, usize) {
    (size / GRID, size % GRID)
}

const GRID: usize = 10_000;

/// The thread counts concurrency hints are measured at: 1, 2 and all cores
/// (this machine's `available_parallelism`), without repeats, increasing.
pub fn thread_counts() -> Vec<usize> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut t = vec![1, 2, all];
    t.sort_unstable();
    t.dedup();
    t
}

/// Every `grid(threads, x)` for the thread counts of [`thread_counts`] and the
/// given `xs`. [`Hint::sizes`](crate::hint::Hint::sizes) keeps it in a `static OnceLock<Vec<usize>>`.
pub fn grid_sizes(xs: &[usize]) -> Vec<usize> {
    thread_counts()
        .into_iter()
        .flat_map(|t| xs.iter().map(move |&x| grid(t, x)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_item_once() {
        for n in [0, 1, 7, 100, 1_001] {
            for t in [0, 1, 2, 3, 8, 200] {
                let mut next = 0;
                for i in 0..t.max(1) {
                    let r = share(n, t, i);
                    assert_eq!(r.start, next, "n {n}, t {t}, i {i}");
                    assert!(r.len() <= n / t.max(1) + 1);
                    next = r.end;
                }
                assert_eq!(next, n, "n {n}, t {t}");
            }
        }
    }

    #[test]
    fn work_is_the_identity_at_zero_rounds_and_mixes_after() {
        assert_eq!(work(12_345, 0), 12_345);
        assert_ne!(work(1, 1), work(2, 1));
        assert_eq!(work(work(7, 3), 5), work(7, 8));
    }
}
