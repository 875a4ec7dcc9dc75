//! What the hints that run on several threads share: a pool of exactly `T`
//! threads built outside the timed code, an even split of the items between
//! them, and CPU-bound work of a chosen size per item. The hints report what
//! they count through their [`Probe`](crate::hint::Probe).

use std::marker::PhantomData;
use std::ops::Range;

use crate::model::Param;
use crate::support::fmt::plural;

/// A rayon pool of exactly `threads` worker threads (at least one). Hints
/// build it in `input()`, so the timed code never starts a thread.
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("perf-hints-{i}"))
        .build()
        .expect("start a rayon thread pool")
}

/// A tokio multi-thread runtime of exactly `threads` workers, named
/// `<name>-worker`. Hints build it in `input()`, as [`pool`].
pub fn runtime(threads: usize, name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name(format!("{name}-worker"))
        .build()
        .expect("a tokio runtime")
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

    /// The input for a size of (threads, rounds) with `n` items; the edge
    /// sizes (0 threads) give `x` items, no item or one, on one thread.
    pub fn for_size<U: Per>(stream: u64, size: Threads<U>, n: usize) -> Work {
        match (size.threads, size.x) {
            (0, edge) => Work::new(stream, 1, edge, 1),
            (threads, rounds) => Work::new(stream, threads, n, rounds),
        }
    }

    /// The items thread `i` of the pool handles (see [`share`]).
    pub fn share(&self, i: usize) -> &[u64] {
        &self.items[share(self.items.len(), self.pool.current_num_threads(), i)]
    }
}

/// The thread counts concurrency hints are measured at: 1, 2 and all cores
/// (this machine's `available_parallelism`), without repeats, increasing.
pub fn thread_counts() -> Vec<usize> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut t = vec![1, 2, all];
    t.sort_unstable();
    t.dedup();
    t
}

/// What the second part of a [`Threads`] size counts, for its label and key.
pub trait Per: Copy + std::fmt::Debug + Ord + Send + Sync + 'static {
    /// The number `x` and what it counts, for a label: `"1 round/item"`,
    /// `"100 rounds/item"`, `"50 % writes"` (nouns through
    /// [`crate::support::fmt::plural`], so one is never "1 rounds").
    fn text(x: usize) -> String;
    /// After the number in a key: `"r"`, `"w"`.
    const KEY: &'static str;
}

/// Rounds of [`work`] per item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rounds;

impl Per for Rounds {
    fn text(x: usize) -> String {
        format!("{}/item", plural(x, "round"))
    }
    const KEY: &'static str = "r";
}

/// A share of writes, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Writes;

impl Per for Writes {
    fn text(x: usize) -> String {
        format!("{x} % writes")
    }
    const KEY: &'static str = "w";
}

/// The size of a hint measured across thread counts: a pool of `threads`
/// threads and a second parameter `x` (work per item, a write share), whose
/// meaning `U` names. Sizes sort by threads, then by `x`; a chart draws one
/// line per thread count over `x`. `threads == 0` marks the edge sizes of the
/// agreement tests: `x` items (none or one) on one thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Threads<U: Per> {
    pub threads: usize,
    pub x: usize,
    pub per: PhantomData<U>,
}

/// A thread hint's [`crate::hint::Hint::sizes`]: the [`Threads::grid`] of
/// `xs` for the per-thread unit `$per`, built once per process.
macro_rules! thread_grid {
    ($per:ty, $xs:expr) => {{
        static SIZES: std::sync::OnceLock<Vec<$crate::support::threads::Threads<$per>>> =
            std::sync::OnceLock::new();
        SIZES.get_or_init(|| $crate::support::threads::Threads::grid($xs))
    }};
}
pub(crate) use thread_grid;

impl<U: Per> Threads<U> {
    pub const fn new(threads: usize, x: usize) -> Self {
        Threads {
            threads,
            x,
            per: PhantomData,
        }
    }

    /// Every size for the thread counts of [`thread_counts`] and the given
    /// `xs`. A thread hint's [`crate::hint::Hint::sizes`] is `thread_grid!`,
    /// which builds it once.
    pub fn grid(xs: &[usize]) -> Vec<Self> {
        thread_counts()
            .into_iter()
            .flat_map(|t| xs.iter().map(move |&x| Threads::new(t, x)))
            .collect()
    }

    fn threads_text(&self) -> String {
        plural(self.threads, "thread")
    }
}

impl<U: Per> Param for Threads<U> {
    fn key(&self) -> String {
        format!("{}t-{}{}", self.threads, self.x, U::KEY)
    }
    fn parse(key: &str) -> Option<Self> {
        let (t, x) = key.split_once("t-")?;
        Some(Threads::new(
            t.parse().ok()?,
            x.strip_suffix(U::KEY)?.parse().ok()?,
        ))
    }
    fn label(&self) -> String {
        format!("{}, {}", self.threads_text(), U::text(self.x))
    }
    fn series(&self) -> String {
        self.threads_text()
    }
    fn x(&self) -> f64 {
        self.x as f64
    }
    fn tick(&self) -> String {
        self.x.to_string()
    }
    fn edges() -> Vec<Self> {
        vec![Threads::new(0, 0), Threads::new(0, 1)]
    }
    /// Schema-1 records packed `threads × 10,000 + x`.
    fn from_legacy(size: usize) -> Option<Self> {
        Some(Threads::new(size / 10_000, size % 10_000))
    }
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

    #[test]
    fn thread_sizes_key_label_and_parse_back() {
        let p = Threads::<Rounds>::new(2, 100);
        assert_eq!(p.key(), "2t-100r");
        assert_eq!(p.label(), "2 threads, 100 rounds/item");
        assert_eq!(
            Threads::<Rounds>::new(1, 1).label(),
            "1 thread, 1 round/item"
        );
        assert_eq!(
            Threads::<Writes>::new(2, 50).label(),
            "2 threads, 50 % writes"
        );
        assert_eq!(Threads::<Rounds>::parse("2t-100r"), Some(p));
        assert_eq!(Threads::<Writes>::parse("2t-100r"), None);
        assert_eq!(Threads::<Rounds>::from_legacy(20_100), Some(p));
        assert!(Threads::<Rounds>::new(1, 1000) < p);
    }
}
