//! # Shard a map that many threads write (`sharded_map`)
//!
//! ## Cost model
//! `T` threads share one map behind one `RwLock<HashMap>`. Every operation
//! takes that lock: a write excludes every other thread for its duration,
//! and even a read changes the lock's reader count, an atomic
//! read-modify-write on the one cache line all threads share. With several
//! threads that line moves between cores on every operation, and writers
//! make the others wait.
//!
//! Here [`OPS`] fixed-seed operations are split evenly between the threads
//! of a pool of exactly `T` threads: a read of one of [`READ_KEYS`] keys that
//! no write touches (so what a read sees does not depend on timing), or, for
//! the size's share of them, an update of a count under one of
//! [`COUNT_KEYS`] keys (`+= delta`, inserting it if absent). Each call starts
//! from a clone of the same filled map; the output is the sum of what the
//! reads saw and an order-independent digest of the final map.
//!
//! ## The fix
//! `DashMap`: the map split into shards by key hash, each shard behind its
//! own lock on its own cache line (by default four times the cores, rounded
//! up to a power of two: 8 shards here). Operations on keys in different
//! shards do not touch the same lock. Both maps hash with the same fixed-key
//! SipHash ([`crate::FixedState`]), so the comparison is about locking, not
//! hashing. The `mutex` variant is the same single map behind a `Mutex`.
//!
//! ## When it does not help
//! With one thread there is no contention to remove, and DashMap still pays
//! for picking the shard and for its own lock, so it buys nothing: level
//! with the single lock or slower. The dashmap author says as much, and
//! more: it takes very significant contention across cores for it to be
//! worth it, and most users would do better with `Mutex<HashMap>` or
//! `RwLock<HashMap>` (<https://github.com/leptos-rs/leptos/pull/4408>). That
//! is advice about programs, where the map is a small part of the work; this
//! job is nothing but map operations, the most contention two threads can
//! make, so it shows the lock's cost, not whether a program would notice it.
//! Operations that must see the whole map at once (iteration, `len`) lock
//! every shard in turn. A single lock's line is contended by every thread,
//! so on more cores the single-lock variants should lose more, reads
//! included; DashMap's shard count grows with the cores, so the chance that
//! two threads want the same shard stays small.
//!
//! The `mutex` variant costs what the `RwLock` does on one thread: a lock
//! and an unlock are two atomic read-modify-writes either way. From two
//! threads on, its readers exclude each other where the `RwLock`'s share
//! the lock: it should lose with reads only, be level with writes only (both
//! locks then let one thread in at a time), and be level or lose in between.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: lock contention. A profile of a many-threaded run shows time in
//! the lock's slow path (`futex_wait`,
//! `std::sys::sync::rwlock::futex::RwLock::write_contended`) under map
//! operations; this crate counts operations per lock (`busiest lock`) in
//! `cargo bench -- sharded_map/`.
//!
//! ## Claim
//! DashMap's sharded locks mean less lock contention than one lock around the
//! whole map: from two threads on DashMap is faster at every write share,
//! reads included (a read writes the lock's reader count too); at one thread
//! there is nothing to contend and it buys nothing.
//!
//! ## Measured
//! The lock counters show the mechanism exactly, whatever the timing: every
//! operation takes one lock, so the busiest lock of `bad` and `mutex` takes
//! every operation, while DashMap's busiest shard takes about an even share of
//! them. The times are noisier than the counts: a call is a short burst of
//! threads racing for cache lines, so read each row with its interval.
//!
//! What to look for: at one thread DashMap has nothing to spread, as its
//! author says. At two threads with every operation writing, one lock admits
//! one thread at a time, while DashMap's two threads mostly hold different
//! shards. With reads only, each DashMap read also writes its shard's reader
//! count, so two reading threads still move lines between the cores now and
//! then; and the `Mutex` makes readers wait for each other where the `RwLock`
//! lets them share.
//!
//! On more cores: this hint's page, `results/hints/sharded_map.md`, has
//! 16-thread rows from an imported record of a 16-core Intel Xeon, where one
//! lock is shared by 16 threads and DashMap's reader-count writes limit how
//! its reads scale with the threads.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- sharded_map/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/sharded_map.md"))]

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use dashmap::DashMap;
use rand::Rng;

use crate::FixedState;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{self, Threads, Writes, share, thread_grid};

/// Operations per call, shared evenly between the threads.
pub const OPS: usize = 20_000;
/// Keys that are only read.
pub const READ_KEYS: usize = 1_000;
/// Keys whose counts are updated; half of them are in the map at the start.
pub const COUNT_KEYS: usize = 1_000;
/// Write shares in the table, in percent.
pub const WRITE_PERCENT: &[usize] = &[0, 10, 50, 100];

/// One operation on the shared map.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Read a key that no `Add` touches.
    Read(u64),
    /// Add to the count under a key, starting it at 0 if absent.
    Add(u64, u64),
}

/// What a call saw and left: the same for every variant and every interleaving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Summary {
    /// Wrapping sum of the values the reads returned.
    pub reads: u64,
    /// Entries in the final map.
    pub len: usize,
    /// Wrapping sum of the final map's values: a lost update lowers it.
    pub values: u64,
    /// Wrapping sum of a mix of each final `(key, value)`: which key got what.
    pub digest: u64,
}

impl Summary {
    /// The final-map part of a summary, from its entries in any order.
    pub fn of(entries: impl Iterator<Item = (u64, u64)>) -> Summary {
        entries.fold(Summary::default(), |s, (k, v)| Summary {
            len: s.len + 1,
            values: s.values.wrapping_add(v),
            digest: s
                .digest
                .wrapping_add(threads::work(k ^ v.rotate_left(32), 2)),
            ..s
        })
    }
}

/// A map that threads share through `&self`.
pub trait SharedMap: Sync {
    /// The value under a key.
    fn read(&self, key: u64) -> Option<u64>;
    /// Adds `delta` to the count under `key`, inserting 0 first if absent.
    fn add(&self, key: u64, delta: u64);
    /// Which of the map's locks guards `key` (counting only).
    fn lock_of(&self, _key: u64) -> usize {
        0
    }
    /// How many locks the map has.
    fn locks(&self) -> usize {
        1
    }
    /// The final-map part of the summary.
    fn summary(self) -> Summary;
}

/// The map every variant starts from.
pub type Map = HashMap<u64, u64, FixedState>;

/// The update every variant makes: `+= delta`, from 0 for a new key.
fn add_count(map: &mut Map, key: u64, delta: u64) {
    let count = map.entry(key).or_insert(0);
    *count = count.wrapping_add(delta);
}

impl SharedMap for RwLock<Map> {
    fn read(&self, key: u64) -> Option<u64> {
        self.read().expect("no thread panics holding the lock").get(&key).copied()
    }

    fn add(&self, key: u64, delta: u64) {
        add_count(&mut self.write().expect("no thread panics holding the lock"), key, delta);
    }

    fn summary(self) -> Summary {
        Summary::of(self.into_inner().expect("no thread panicked").into_iter())
    }
}

impl SharedMap for Mutex<Map> {
    fn read(&self, key: u64) -> Option<u64> {
        self.lock().expect("no thread panics holding the lock").get(&key).copied()
    }

    fn add(&self, key: u64, delta: u64) {
        add_count(&mut self.lock().expect("no thread panics holding the lock"), key, delta);
    }

    fn summary(self) -> Summary {
        Summary::of(self.into_inner().expect("no thread panicked").into_iter())
    }
}

impl SharedMap for DashMap<u64, u64, FixedState> {
    fn read(&self, key: u64) -> Option<u64> {
        self.get(&key).map(|v| *v)
    }

    fn add(&self, key: u64, delta: u64) {
        let mut count = self.entry(key).or_insert(0);
        *count = count.wrapping_add(delta);
    }

    fn lock_of(&self, key: u64) -> usize {
        self.determine_map(&key)
    }

    fn locks(&self) -> usize {
        self.shards().len()
    }

    fn summary(self) -> Summary {
        Summary::of(self.into_iter())
    }
}

/// The operations, the map every call starts from, and a pool of exactly
/// the size's threads.
pub struct Input {
    pub pool: rayon::ThreadPool,
    pub ops: Vec<Op>,
    /// The starting map as a plain `HashMap`: `bad` and `mutex` clone it.
    pub start: Map,
    /// The same entries in a `DashMap`: `good` clones it.
    pub start_dash: DashMap<u64, u64, FixedState>,
}

impl Input {
    /// `ops` to run from `start` on a pool of `threads` threads. Every key an
    /// `Op::Read` names must be in `start` and no `Op::Add` may name it.
    pub fn new(threads: usize, start: Map, ops: Vec<Op>) -> Input {
        let start_dash = DashMap::with_capacity_and_hasher(start.len(), FixedState::default());
        for (&k, &v) in &start {
            start_dash.insert(k, v);
        }
        Input {
            pool: threads::pool(threads),
            ops,
            start,
            start_dash,
        }
    }
}

/// Runs the input's operations on `map`, split between the pool's threads.
/// Reports the map's number of locks (`locks`) and, for every operation, the
/// lock it takes (`busiest lock`, the most any one lock took).
pub fn run<M: SharedMap, P: Probe>(input: &Input, map: M, probe: &P) -> Summary {
    probe.set("locks", map.locks() as u64);
    let t = input.pool.current_num_threads();
    let seen = input.pool.broadcast(|ctx| {
        let mut seen = 0u64;
        for &op in &input.ops[share(input.ops.len(), t, ctx.index())] {
            match op {
                Op::Read(k) => {
                    probe.hit("busiest lock", || map.lock_of(k));
                    seen = seen.wrapping_add(map.read(k).expect("read keys are never removed"));
                }
                Op::Add(k, d) => {
                    probe.hit("busiest lock", || map.lock_of(k));
                    map.add(k, d);
                }
            }
        }
        seen
    });
    Summary {
        reads: seen.into_iter().fold(0, u64::wrapping_add),
        ..map.summary()
    }
}

/// One `RwLock<HashMap>` around the whole map.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Summary {
    run(input, RwLock::new(input.start.clone()), probe)
}

/// A `DashMap`: one lock per shard.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Summary {
    run(input, input.start_dash.clone(), probe)
}

/// One `Mutex<HashMap>` around the whole map: readers exclude each other too.
pub fn mutex<P: Probe>(input: &Input, probe: &P) -> Summary {
    run(input, Mutex::new(input.start.clone()), probe)
}

/// The same operations one after another on a plain `HashMap`: what every
/// variant must return, whatever the interleaving.
pub fn sequential(input: &Input) -> Summary {
    let mut map = input.start.clone();
    let mut reads = 0u64;
    for &op in &input.ops {
        match op {
            Op::Read(k) => reads = reads.wrapping_add(map[&k]),
            Op::Add(k, d) => add_count(&mut map, k, d),
        }
    }
    Summary {
        reads,
        ..Summary::of(map.into_iter())
    }
}

/// `n` fixed-seed operations, `write_percent` % of them count updates, and
/// a pool of `threads` threads.
pub fn input(threads: usize, n: usize, write_percent: usize) -> Input {
    let mut rng = crate::rng(72);
    let read_keys: Vec<u64> = (0..READ_KEYS).map(|_| rng.random()).collect();
    let count_keys: Vec<u64> = (0..COUNT_KEYS).map(|_| rng.random()).collect();
    let mut start: Map = read_keys.iter().map(|&k| (k, rng.random())).collect();
    for &k in &count_keys[..COUNT_KEYS / 2] {
        start.insert(k, rng.random_range(0..1_000));
    }
    let ops = (0..n)
        .map(|_| {
            if rng.random_ratio(write_percent.min(100) as u32, 100) {
                Op::Add(count_keys[rng.random_range(0..COUNT_KEYS)], rng.random_range(1..=100))
            } else {
                Op::Read(read_keys[rng.random_range(0..READ_KEYS)])
            }
        })
        .collect();
    Input::new(threads, start, ops)
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "sharded_map";
    const TOPIC: Topic = Topic::Api;
    const SOURCES: &'static [SourcePoint] = &[sources::SHARDED_MAPS];
    const SIZE: &'static str = "threads, write share (20,000 ops)";
    const CLAIM: &'static str = "DashMap's sharded locks contend less than one RwLock: faster from two threads on, reads included; nothing to gain at one thread";
    const DETERMINISTIC: bool = false;
    type Param = Threads<Writes>;
    type Input = Input;
    type Output = Summary;

    fn sizes() -> &'static [Threads<Writes>] {
        thread_grid!(Writes, WRITE_PERCENT)
    }

    const INPUT: fn(Threads<Writes>) -> Input = |size| {
        match (size.threads, size.x) {
            // The edge sizes 0 and 1: no operation and one, half of them writes.
            (0, n) => input(1, n, 50),
            (threads, percent) => input(threads, OPS, percent),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("mutex", |i: &Input, p| mutex(i, p));
    }

    /// Every operation takes exactly one lock: the single-lock maps' one
    /// lock takes them all, and DashMap's busiest shard at most half of them.
    /// DashMap has at least 4 shards (4 per core, rounded up to a power of
    /// two), so an even spread puts a quarter or less on each; half leaves
    /// room for uneven hashing on any machine.
    fn expect() -> Vec<Expect<Threads<Writes>>> {
        vec![
            expect::exactly(Figure::Counter("busiest lock"), "bad", ops),
            expect::exactly(Figure::Counter("busiest lock"), "mutex", ops),
            expect::fewer_by(Figure::Counter("busiest lock"), "good", "bad", 2.0),
        ]
    }

    /// One thread: nothing to contend, and DashMap still picks a shard and
    /// takes its lock, so level or slower; the `Mutex` costs what the
    /// `RwLock` does, level. Two or more: every operation on the single
    /// lock, a read too, writes its one cache line, which moves between the
    /// cores, and writers shut everyone out; DashMap spreads both over its
    /// shards, so it is faster at every write share. The `Mutex`'s readers
    /// wait for each other where the `RwLock`'s do not: slower with reads
    /// only, level with writes only, level or slower in between.
    fn predict(size: Threads<Writes>) -> Vec<Prediction> {
        if size.threads <= 1 {
            return vec![
                Prediction::level("good").or_slower(),
                Prediction::level("mutex"),
            ];
        }
        let mutex = match size.x {
            0 => Prediction::slower("mutex"),
            100.. => Prediction::level("mutex"),
            _ => Prediction::level("mutex").or_slower(),
        };
        vec![Prediction::faster("good"), mutex]
    }
}

/// The operations a call of `size` makes: [`OPS`], or the edge sizes' none
/// or one.
fn ops(size: Threads<Writes>) -> u64 {
    match size.threads {
        0 => size.x as u64,
        _ => OPS as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One thread: DashMap level or slower at every write share; two or
    /// more: faster at every write share, reads only included.
    #[test]
    fn predictions_follow_the_cost_model_at_any_thread_count() {
        for percent in WRITE_PERCENT.iter().copied() {
            let good = Case::predict(Threads::new(1, percent))[0];
            assert_eq!(good, Prediction::level("good").or_slower());
            for t in [2, 4, 16] {
                let good = Case::predict(Threads::new(t, percent))[0];
                assert_eq!(good, Prediction::faster("good"), "{t} threads, {percent} %");
            }
        }
    }
}
