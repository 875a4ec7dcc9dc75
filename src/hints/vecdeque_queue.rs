//! # Queue with a `VecDeque`, not `Vec::remove(0)` (`vecdeque_queue`)
//!
//! ## Cost model
//! A `Vec` keeps its elements packed from the start of its buffer, so taking
//! the first one with `remove(0)` leaves a gap that `remove` closes by
//! sliding every later element down one slot: a `memmove` of all but one of
//! the elements. Used as a first-in, first-out queue that holds `n` items,
//! every pop slides `n` of them (the one just pushed included): `8n` bytes
//! for `u64` items, so the cost of a pop grows with the queue's length, O(n).
//! A `VecDeque` is a ring buffer: it remembers where its front is, and
//! `pop_front` reads that slot and moves the front index on by one, wrapping
//! at the end of the buffer; `push_back` writes one slot past the back.
//! Nothing already queued moves, whatever the length: O(1) per operation.
//!
//! ## The fix
//! Use `VecDeque` with `push_back` and `pop_front` for anything consumed in
//! arrival order: work lists, breadth-first frontiers, sliding windows,
//! buffers between a producer and a consumer. Reserve the length you expect
//! (`VecDeque::with_capacity`) as you would for a `Vec`; then no operation
//! moves an element. A `Vec` can also be made an amortised O(1) queue by
//! hand (`moving_head`): keep an index of the front instead of removing,
//! and only when the dead slots before it are as many as the live ones,
//! slide the live part down once; each element then moves at most once per
//! `n` pops and the queue stays one contiguous slice.
//!
//! ## When it does not help
//! When the queue holds a handful of items, the slide is a copy of a cache
//! line or less, one or two vector loads and stores inside `memmove`, and a
//! ring buffer's bookkeeping (the wrap-around of its indices, the check for
//! a full buffer) costs about as much: by instruction count, neither side
//! has work to save (whether the times agree: see Measured, below). The
//! deque also gives something up: its elements are in two pieces once the
//! ring has wrapped, so code that wants one slice (`sort`, a `&[T]` API, a
//! SIMD scan) has to call `make_contiguous`, which moves elements after
//! all, and every index goes through the wrap-around. A queue that is only
//! filled and then drained whole never needs `remove(0)`: iterate the `Vec`,
//! or `drain(..)` it.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a `memmove` under `Vec::remove(0)` in a flame graph of a queue
//! loop, instructions growing with the queue's length; this crate counts
//! `bytes moved` in `cargo bench -- vecdeque_queue/`.
//!
//! ## Claim
//! A deque for first-in, first-out queues: O(1) appends and pops at either
//! end, where a list pays O(n) to pop at the front (sources). Checked here as
//! bytes moved per call of 1,000 push-then-pop steps: `bad` moves exactly
//! 8n bytes a step, `good` none, `moving_head` 8n bytes every n steps; times
//! level (or `Vec` ahead) while the slide is a cache line or less, and the
//! deque faster from where the slide is several lines long.
//!
//! ## Measured
//! The `bytes moved` counter and the allocations are exact (`validate` and
//! `tests/hint_vecdeque_queue.rs` check them): `bad`'s count grows with the
//! queue's length, `good` moves nothing, and each variant makes one
//! allocation, the queue's buffer. `moving_head` slides its live items once
//! every `n` steps, about one element per step; at 1,024 and 32,768 items the
//! front index never gets halfway along the queue within one call's 1,000
//! steps, so it slides nothing there (over a longer run it would slide once
//! per `n` pops, about what the fill at the start of each call already costs).
//! From 64 items on, the slide is most of `bad`'s instructions.
//!
//! The two shortest lengths test the cost model, and the instruction counts
//! agree with it: there `bad` runs fewer instructions than `good`. Instruction
//! counts do not weigh how many of them the processor runs at once: the
//! deque's step is a few loads, stores and index updates that overlap with the
//! next step's, while each `remove(0)` is an indirect call into the C
//! library's `memmove`, which branches on the length before it copies and then
//! returns. The outcome below says which of the two decides those rows.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- vecdeque_queue/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/vecdeque_queue.md"))]

use std::collections::VecDeque;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;

/// Push-then-pop steps per call.
pub const STEPS: usize = 1_000;

/// Bytes in one queued item.
pub const ITEM: usize = size_of::<u64>();

/// The counter: bytes of already-queued elements that queue operations move.
pub const MOVED: &str = "bytes moved";

/// The queue's contents before the first step, and the items that arrive, one
/// per step.
#[derive(Clone, Debug)]
pub struct Input {
    pub queue: Vec<u64>,
    pub arrivals: Vec<u64>,
}

const START: u64 = 0xcbf2_9ce4_8422_2325;

/// Folds one popped item into the order-sensitive checksum every variant returns.
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
}

/// A push into a full buffer reallocates it, which may copy every element:
/// counted as all of them. With the capacity reserved up front it never runs.
fn count_grow<P: Probe>(probe: &P, len: usize, capacity: usize) {
    if len == capacity {
        probe.add(MOVED, (len * ITEM) as u64);
    }
}

/// A `Vec` as the queue: `push` at the back, `remove(0)` slides the rest down.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    let mut q = Vec::with_capacity(input.queue.len() + 1);
    q.extend_from_slice(&input.queue);
    let mut h = START;
    for &x in &input.arrivals {
        count_grow(probe, q.len(), q.capacity());
        q.push(x);
        // Every element after the first slides down one slot.
        probe.add(MOVED, ((q.len() - 1) * ITEM) as u64);
        h = mix(h, q.remove(0));
    }
    h
}

/// A `VecDeque` as the queue: `push_back`, and `pop_front` moves only the front index.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    let mut q = VecDeque::with_capacity(input.queue.len() + 1);
    q.extend(&input.queue);
    let mut h = START;
    for &x in &input.arrivals {
        count_grow(probe, q.len(), q.capacity());
        q.push_back(x);
        let front = q.pop_front().expect("an item was just pushed");
        // The ring buffer moves no element: the front index advances.
        probe.add(MOVED, 0);
        h = mix(h, front);
    }
    h
}

/// A `Vec` with a front index, slid down once the dead slots before it are as many as the live ones.
pub fn moving_head<P: Probe>(input: &Input, probe: &P) -> u64 {
    // At most `n - 1` dead slots, `n` live ones and the one pushed.
    let mut q = Vec::with_capacity(2 * input.queue.len() + 1);
    q.extend_from_slice(&input.queue);
    let mut head = 0;
    let mut h = START;
    for &x in &input.arrivals {
        count_grow(probe, q.len(), q.capacity());
        q.push(x);
        h = mix(h, q[head]);
        head += 1;
        let live = q.len() - head;
        if head >= live {
            probe.add(MOVED, (live * ITEM) as u64);
            q.drain(..head);
            head = 0;
        } else {
            probe.add(MOVED, 0);
        }
    }
    h
}

/// A queue of `n` random items and [`STEPS`] arrivals, the same on every run.
pub fn input(n: usize) -> Input {
    let mut rng = crate::rng(113);
    Input {
        queue: (0..n).map(|_| rng.random()).collect(),
        arrivals: (0..STEPS).map(|_| rng.random()).collect(),
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "vecdeque_queue";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::RIGHT_STRUCTURE];
    const SIZE: &'static str = "queue length";
    const CLAIM: &'static str =
        "a deque for FIFO: O(1) pop at the front instead of a list's O(n) (sources)";
    type Param = usize;
    type Input = Input;
    type Output = u64;

    /// From two items (a 16-byte slide) and eight (64 bytes, one cache line),
    /// where the slide is as cheap as the deque's bookkeeping, to 32,768
    /// (256 KiB per pop, past L1 and within L2).
    fn sizes() -> &'static [usize] {
        &[2, 8, 64, 1_024, 32_768]
    }

    const INPUT: fn(usize) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, probe| bad(i, probe));
        v.variant("good", |i: &Input, probe| good(i, probe));
        v.variant("moving_head", |i: &Input, probe| moving_head(i, probe));
    }

    /// Up to eight items the slide is one cache line or less, about what a
    /// ring buffer's index arithmetic costs: level, or `Vec` ahead. From 64
    /// items (a 512-byte slide, eight lines, per pop) the `memmove` is most
    /// of `bad`'s step: both other variants are faster. `moving_head` slides
    /// the same bytes once per `n` pops, so it follows the same line.
    fn predict(n: usize) -> Vec<Prediction> {
        let p = if n * ITEM <= 64 {
            Prediction::level("good").or_slower()
        } else {
            Prediction::faster("good")
        };
        vec![
            p,
            Prediction {
                variant: "moving_head",
                ..p
            },
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(MOVED), "bad", |n| {
                STEPS as u64 * (n * ITEM) as u64
            }),
            expect::exactly(Figure::Counter(MOVED), "good", |_| 0),
            // A slide of the `n` live items every `n` steps.
            expect::exactly(Figure::Counter(MOVED), "moving_head", |n| {
                STEPS.checked_div(n).map_or(0, |slides| (slides * n * ITEM) as u64)
            }),
            expect::exactly(Figure::Allocs, "bad", |_| 1),
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::exactly(Figure::Allocs, "moving_head", |_| 1),
            // From 64 items the slide is most of `bad`'s instructions.
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::From(64)),
            expect::fewer(Figure::Instructions, "moving_head", "bad").at(Sizes::From(64)),
            // From 1,024 items (8 KiB a slide) O(n) against O(1) per step.
            expect::fewer_by(Figure::Instructions, "good", "bad", 10.0)
                .at(Sizes::From(1_024)),
            expect::fewer_by(Figure::Instructions, "moving_head", "bad", 10.0)
                .at(Sizes::From(1_024)),
        ]
    }
}
