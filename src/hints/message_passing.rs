//! # Hand items over through a bounded channel, not a shared `Mutex<Vec>` (`message_passing`)
//!
//! ## Cost model
//! `P` producer threads hand [`ITEMS`] items (split evenly between them)
//! to one consumer thread, which puts each through `r` rounds of a cheap
//! 64-bit mix (about five dependent cycles a round) and folds it into its
//! results. Every variant moves each item across cores once; they differ
//! in what else an item costs, and in how many items can wait.
//!
//! `bad` shares one `Mutex<Vec<Item>>`: a producer locks, pushes, unlocks,
//! two atomic read-modify-writes per item; the consumer locks, swaps the
//! whole vector out for its empty spare and unlocks, one lock per batch,
//! then walks the batch as a plain slice. With nothing to take it yields
//! and polls again: a `Mutex` cannot tell it that an item has arrived, so
//! while it waits it keeps a core busy, a cost the wall time does not show
//! when there are cores to spare (a `Condvar` would add a notify per push).
//! `good`, a `sync_channel` of [`CAPACITY`] slots, pays on both sides per
//! item: a send claims a slot with an atomic compare-and-swap and publishes
//! it, a receive does the same at the other end, and each checks whether
//! the other side sleeps and needs waking. A consumer that keeps up finds
//! the channel empty and goes to sleep (after a short spin), and then a
//! send must wake it, a system call. So on speed alone the model expects
//! the channel level with the batch drain at best; the sources' "async
//! channel send 50-200 ns" is the order of a send and receive here too (the
//! `async channel send` row of `results/costs.md` measures it in the run
//! that made the table below).
//!
//! What the channel buys is the bound: when the consumer is slower than the
//! producers, a full channel makes them wait (backpressure), so at most
//! [`CAPACITY`] items wait, whatever the rates. The `Mutex<Vec>` and the
//! `unbounded` channel (`mpsc::channel`) take every item at once: their
//! queues grow with the gap between the rates, the memory a pipeline that
//! never drains holds on to.
//!
//! ## The fix
//! Give each producer a `SyncSender` of one bounded channel and let the
//! consumer own the `Receiver`: the channel's end closes when the last
//! sender is dropped, the consumer blocks instead of polling, and the
//! bound holds the queue (and its memory) to the capacity you choose. Per
//! producer the order of items is kept. Prefer it to an unbounded channel
//! wherever the consumer can fall behind.
//!
//! ## When it does not help
//! For raw throughput with a consumer that keeps up, a locked `Vec`
//! drained in batches takes one lock per batch where a channel pays per
//! item; the channel's case is its bound and its design (no shared state
//! to lock, an end that closes, a consumer that sleeps) as much as speed.
//! With a slow consumer the consumer's pace sets a floor under every
//! variant, and a bound can cost the producers waits they would otherwise
//! not have; how far apart the variants still are there is the table's. When
//! producers and the consumer outnumber the cores, producers waiting on a
//! full channel spin and yield before they sleep, taking turns on the
//! cores the consumer needs.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: lock contention or wake-ups. A shared `Mutex<Vec<_>>` queue shows
//! the lock's slow path under producers and consumers; this crate counts
//! `peak queued` items in `cargo bench -- message_passing/`.
//!
//! ## Claim
//! Prefer message passing to `Arc<RwLock<T>>`-style shared state; "async
//! channel send 50-200 ns"; queues that never drain are a leak (sources).
//! Checked as ns per item (the table's time divided by [`ITEMS`]) with a
//! fast consumer (0 rounds) and a slow one ([`SLOW`] rounds), at 1 and 2
//! producers, and as the peak of items queued.
//!
//! ## Measured
//! `items received` is exact for every variant at every size: each of the
//! [`ITEMS`] items once. `peak queued` counts items a producer has begun to
//! hand over and the consumer has not yet taken: it depends on timing, so
//! `validate` does not check it, but for `good` it can never exceed
//! [`CAPACITY`] + `P` + 1 (the full channel, one send per producer under way
//! and one item being taken; `tests/hint_message_passing.rs` checks the
//! bound). With the slow consumer `bad`'s and `unbounded`'s peaks are expected
//! to approach all [`ITEMS`] items, and `good`'s to sit at its bound. Times:
//! the zero-rounds rows give the handoff's cost per item (the table's time
//! divided by [`ITEMS`]), a lock per push against a slot claimed and published
//! on each side; the slow-consumer rows add the consumer's pace, which every
//! variant waits for, on top of its own handoff cost.
//!
//! Not measured on more cores: more producers contend for the one lock in
//! `bad` and for the channel's tail in `good` alike.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- message_passing/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/message_passing.md"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Mutex;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::{self, Per, Threads, share, work, thread_grid};

/// Items per call, shared evenly between the producers.
pub const ITEMS: usize = 20_000;

/// The bounded channel's capacity, in items.
pub const CAPACITY: usize = 128;

/// The slow consumer's rounds of [`work`] per item: over a hundred ns,
/// several times what a producer spends to hand an item over.
pub const SLOW: usize = 100;

/// Rounds of [`work`] the consumer does per item: none, and [`SLOW`].
pub const ROUNDS: &[usize] = &[0, SLOW];

/// The counter: items the consumer took.
pub const RECEIVED: &str = "items received";

/// The counter: the peak of items handed over and not yet taken.
pub const QUEUED: &str = "peak queued";

/// The second part of a size: the consumer's rounds of work per item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConsumerRounds;

impl Per for ConsumerRounds {
    fn text(x: usize) -> String {
        format!("{}/item", crate::support::fmt::plural(x, "consumer round"))
    }
    const KEY: &'static str = "c";
}

/// One item on its way: which producer sent it, and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub from: u32,
    pub value: u64,
}

/// What the consumer saw: the same for every variant and every
/// interleaving, when every item arrives once and each producer's items in
/// the order it sent them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Items received.
    pub received: u64,
    /// Per producer, an order-sensitive hash of its items as received: a
    /// lost, repeated or reordered item changes it.
    pub chains: Vec<u64>,
    /// Wrapping sum of the consumer's work on every item.
    pub total: u64,
}

const START: u64 = 0xcbf2_9ce4_8422_2325;

/// The consumer's state: it takes items one at a time, in arrival order.
struct Consumer {
    summary: Summary,
    rounds: u32,
}

impl Consumer {
    fn new(producers: usize, rounds: u32) -> Consumer {
        Consumer {
            summary: Summary {
                received: 0,
                chains: vec![START; producers],
                total: 0,
            },
            rounds,
        }
    }

    #[inline]
    fn take(&mut self, item: Item) {
        let s = &mut self.summary;
        s.received += 1;
        let h = &mut s.chains[item.from as usize];
        *h = (*h ^ item.value).wrapping_mul(0x0000_0100_0000_01b3);
        s.total = s.total.wrapping_add(work(item.value, self.rounds));
    }
}

/// Each producer's items, the consumer's rounds per item, the channel's
/// capacity, and a pool of one thread per producer plus the consumer's.
pub struct Input {
    pub pool: rayon::ThreadPool,
    /// `items[p]`: what producer `p` sends, in order.
    pub items: Vec<Vec<u64>>,
    pub rounds: u32,
    pub capacity: usize,
}

impl Input {
    /// An input from explicit items per producer (at least one producer).
    pub fn new(items: Vec<Vec<u64>>, rounds: usize, capacity: usize) -> Input {
        assert!(!items.is_empty(), "at least one producer");
        Input {
            pool: threads::pool(items.len() + 1),
            items,
            rounds: rounds as u32,
            capacity,
        }
    }

    pub fn producers(&self) -> usize {
        self.items.len()
    }
}

/// Runs the consumer on pool thread 0 and producer `i - 1` on thread `i`;
/// returns what the consumer returned.
fn run(
    input: &Input,
    consume: impl Fn() -> Summary + Sync,
    produce: impl Fn(usize) + Sync,
) -> Summary {
    input
        .pool
        .broadcast(|ctx| match ctx.index() {
            0 => Some(consume()),
            i => {
                produce(i - 1);
                None
            }
        })
        .into_iter()
        .flatten()
        .next()
        .expect("the pool has a thread 0")
}

/// Producers push each item into one `Mutex<Vec>`; the consumer swaps the
/// batch out, polling (and yielding) when there is none.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Summary {
    let queue: Mutex<Vec<Item>> = Mutex::new(Vec::new());
    let done = AtomicUsize::new(0);
    let producers = input.producers();
    run(
        input,
        || {
            let mut c = Consumer::new(producers, input.rounds);
            let mut batch = Vec::new();
            loop {
                // Read before the swap: once every producer is done, the
                // swap that follows sees all of their pushes.
                let finished = done.load(Ordering::Acquire) == producers;
                std::mem::swap(
                    &mut *queue.lock().expect("no thread panics holding the lock"),
                    &mut batch,
                );
                if batch.is_empty() {
                    if finished {
                        break;
                    }
                    std::thread::yield_now();
                    continue;
                }
                for item in batch.drain(..) {
                    probe.leave(QUEUED);
                    probe.add(RECEIVED, 1);
                    c.take(item);
                }
            }
            c.summary
        },
        |p| {
            for &value in &input.items[p] {
                probe.enter(QUEUED);
                let item = Item {
                    from: p as u32,
                    value,
                };
                queue.lock().expect("no thread panics holding the lock").push(item);
            }
            done.fetch_add(1, Ordering::Release);
        },
    )
}

/// Takes each producer's sender, or the receiver, out of its slot once.
fn take<T>(slot: &Mutex<Option<T>>) -> T {
    slot.lock()
        .expect("no thread panics holding the lock")
        .take()
        .expect("each end is taken once")
}

/// Every producer gets its own sender and the consumer the receiver; the
/// consumer receives until the last sender is dropped.
fn channel<P: Probe, S: Send>(
    input: &Input,
    probe: &P,
    (senders, rx): (Vec<S>, Receiver<Item>),
    send: impl Fn(&S, Item) + Sync,
) -> Summary {
    let senders: Vec<Mutex<Option<S>>> = senders.into_iter().map(|s| Mutex::new(Some(s))).collect();
    let rx = Mutex::new(Some(rx));
    run(
        input,
        || {
            let rx = take(&rx);
            let mut c = Consumer::new(input.producers(), input.rounds);
            for item in rx {
                probe.leave(QUEUED);
                probe.add(RECEIVED, 1);
                c.take(item);
            }
            c.summary
        },
        |p| {
            let tx = take(&senders[p]);
            for &value in &input.items[p] {
                probe.enter(QUEUED);
                send(
                    &tx,
                    Item {
                        from: p as u32,
                        value,
                    },
                );
            }
        },
    )
}

/// Producers `send` into a `sync_channel` of [`CAPACITY`] slots, waiting while it is full.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Summary {
    let (tx, rx) = mpsc::sync_channel(input.capacity);
    let senders: Vec<SyncSender<Item>> = (0..input.producers()).map(|_| tx.clone()).collect();
    drop(tx);
    channel(input, probe, (senders, rx), |tx, item| {
        tx.send(item).expect("the consumer receives until every sender is gone")
    })
}

/// Producers `send` into an unbounded `mpsc::channel`, which never makes them wait.
pub fn unbounded<P: Probe>(input: &Input, probe: &P) -> Summary {
    let (tx, rx) = mpsc::channel();
    let senders: Vec<mpsc::Sender<Item>> = (0..input.producers()).map(|_| tx.clone()).collect();
    drop(tx);
    channel(input, probe, (senders, rx), |tx, item| {
        tx.send(item).expect("the consumer receives until every sender is gone")
    })
}

/// What every variant must return: each producer's items in its order,
/// taken one producer after another on the calling thread.
pub fn sequential(input: &Input) -> Summary {
    let mut c = Consumer::new(input.producers(), input.rounds);
    for (p, items) in input.items.iter().enumerate() {
        for &value in items {
            c.take(Item {
                from: p as u32,
                value,
            });
        }
    }
    c.summary
}

/// This hint's rng stream.
const STREAM: u64 = 137;

/// `n` fixed-seed items split evenly between `producers`, `rounds` of
/// consumer work per item, a channel of [`CAPACITY`].
pub fn input(producers: usize, n: usize, rounds: usize) -> Input {
    let mut rng = crate::rng(STREAM);
    let all: Vec<u64> = (0..n).map(|_| rng.random()).collect();
    let p = producers.max(1);
    let items = (0..p).map(|i| all[share(n, p, i)].to_vec()).collect();
    Input::new(items, rounds, CAPACITY)
}

/// Producers and consumers together take more threads than the machine has cores.
fn oversubscribed(producers: usize) -> bool {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    producers + 1 > cores
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "message_passing";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::MESSAGE_PASSING];
    const SIZE: &'static str = "producer threads (+1 consumer), consumer work (20,000 items)";
    const CLAIM: &'static str = "prefer message passing; async channel send 50-200 ns; a bounded channel keeps the queue from growing (sources)";
    const DETERMINISTIC: bool = false;
    type Param = Threads<ConsumerRounds>;
    type Input = Input;
    type Output = Summary;

    fn sizes() -> &'static [Threads<ConsumerRounds>] {
        thread_grid!(ConsumerRounds, ROUNDS)
    }

    const INPUT: fn(Threads<ConsumerRounds>) -> Input = |size| {
        match (size.threads, size.x) {
            // The edge sizes: no item and one, one producer.
            (0, n) => input(1, n, 1),
            (producers, rounds) => input(producers, ITEMS, rounds),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("unbounded", |i: &Input, p| unbounded(i, p));
    }

    /// Every item arrives exactly once, whatever the timing. The peak
    /// queued depends on timing and is left to the tests' bound.
    fn expect() -> Vec<Expect<Threads<ConsumerRounds>>> {
        vec![
            expect::exactly(Figure::Counter(RECEIVED), "bad", items),
            expect::exactly(Figure::Counter(RECEIVED), "good", items),
            expect::exactly(Figure::Counter(RECEIVED), "unbounded", items),
        ]
    }

    /// A fast consumer (0 rounds): the channels pay a claim and a publish
    /// on both sides per item, and a wake-up whenever the consumer has
    /// caught up and slept, where `bad` takes one lock per item and one per
    /// batch: the channels level or slower, at any number of producers
    /// (more producers contend for the one lock and the one tail alike). A
    /// slow consumer ([`SLOW`] rounds): every variant runs at its pace,
    /// level; where producers and consumer outnumber the cores, `good`'s
    /// producers waiting on the full channel spin and yield on the
    /// consumer's cores first: level or slower.
    fn predict(size: Threads<ConsumerRounds>) -> Vec<Prediction> {
        if size.x == 0 {
            return vec![
                Prediction::level("good").or_slower(),
                Prediction::level("unbounded").or_slower(),
            ];
        }
        let good = if oversubscribed(size.threads) {
            Prediction::level("good").or_slower()
        } else {
            Prediction::level("good")
        };
        vec![good, Prediction::level("unbounded")]
    }
}

/// The items a call of `size` hands over: [`ITEMS`], or the edge sizes'
/// none or one.
fn items(size: Threads<ConsumerRounds>) -> u64 {
    match size.threads {
        0 => size.x as u64,
        _ => ITEMS as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The channels are never predicted faster: their case is the bound.
    #[test]
    fn no_prediction_has_the_channels_faster() {
        for t in [1, 2, 4, 16] {
            for &r in ROUNDS {
                for p in Case::predict(Threads::new(t, r)) {
                    assert!(!p.faster, "{t} producers, {r} rounds: {p:?}");
                    assert!(p.level, "{t} producers, {r} rounds: {p:?}");
                }
            }
        }
    }
}
