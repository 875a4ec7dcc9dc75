//! # Predictable branches: the same filter over random and sorted data (`branch_predictability`)
//!
//! ## Cost model
//! A processor fetches and starts instructions well ahead of the one it is
//! finishing, so at a conditional branch it guesses which way the branch
//! goes, from what that branch (and the branches before it) did recently,
//! and runs on down the guessed path. A right guess costs nothing; a wrong
//! one throws away the work started after the branch and refetches from the
//! other side, 15-20 cycles on current cores, a few nanoseconds. A branch on
//! random data, taken for half of the items at random, is guessed wrong
//! about half the time whatever the predictor does. The same branch over
//! the same items sorted goes one way for the first part and the other way
//! for the rest: two wrong guesses in all.
//!
//! The job here is a filter: copy the bytes of a buffer that are 128 or
//! more to an output buffer, then return how many there were and their sum.
//! `bad` runs it over random bytes, `good` over the same bytes sorted, and
//! `branchless` over the random bytes without a branch on the value. The
//! sort is done when the input is built, outside the timed call: the pair
//! measures what the unpredictable branch costs, not whether sorting first
//! pays (it does not for a single pass: a sort costs far more than the
//! mispredictions it saves).
//!
//! Why a filter and not the textbook `if x >= 128 { sum += x }`: the
//! optimiser does not keep that branch. Compiled with `-O` for this crate's
//! target (x86-64, no `target-cpu`), the sum becomes a mask (`sar`, `and`,
//! `add`, unrolled) with no branch on the data at all, so random and sorted
//! data would run the same instructions and the pair would measure nothing.
//! A conditional store to a moving position cannot be turned into a select
//! (the store may not happen) or vectorised (that needs a compress, which
//! baseline x86-64 does not have), so the filter's `if` stays a `test` and
//! a `jns` in the machine code (checked with `objdump -d` on the release
//! build while writing this hint; `validate` checks it on every run through
//! the simulated mispredictions, below).
//!
//! ## The fix
//! Where the data allows, make the branch predictable: process the items
//! in an order where the condition changes rarely (sorted, or grouped by
//! kind: a list of shapes sorted by type before a dispatch), or hoist the
//! test out so each loop runs one way. Where it does not, remove the branch:
//! `branchless` always stores the byte and advances the output index by the
//! comparison's result, 0 or 1 (`k += (x >= 128) as usize`), so the work is
//! the same whatever the data; the next item's slot simply overwrites a
//! rejected byte. For sums and counts, write the arithmetic form (a mask or
//! a multiply by the comparison) or leave it to the compiler, which does
//! it itself as shown above.
//!
//! ## When it does not help
//! When the branch is already predictable: mostly one way (a check for an
//! error that never happens), or in runs (sorted data), the branch costs a
//! cycle and the branchless form's extra work (a store for every item, an
//! index that depends on every comparison) is no saving and can be a loss.
//! When the data repeats: a predictor keeps a long history of outcomes, and
//! a benchmark that runs the same short random buffer thousands of times can
//! teach it the pattern, so at 1,024 bytes the random data may be predicted
//! almost as well as the sorted (whether it is on a given processor: see
//! the table). And when the loop is bound by something else, such as memory
//! bandwidth on data far larger than the caches, a misprediction's refetch
//! overlaps with the wait.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: branch mispredictions. `perf stat -e branch-misses` on the loop
//! (or cachegrind's `--branch-sim=yes`) shows a miss rate near half on
//! data-dependent branches; this crate counts the `outcome changes` of the
//! branch and, under cachegrind, the mispredicts in `cargo bench --
//! branch_predictability/`.
//!
//! ## Claim
//! A branch misprediction costs about 5 ns (sources). Checked here as time
//! per call of the same filter over random and over sorted bytes, 1 KiB to
//! 256 KiB: half of the random bytes take the branch, at random, so `bad`
//! should be slower by about half a misprediction per byte.
//!
//! ## Measured
//! The `mispredicts` column comes from callgrind's branch predictor simulation
//! and is exact: it is a simple predictor (2-bit counters per branch, no
//! history), so it shows what a predictor cannot learn from the branch itself,
//! about one misprediction for every two random bytes for `bad`, a handful for
//! `good` and `branchless`. `validate` requires `good` and `branchless` to
//! have at least ten times fewer than `bad`: if the compiler ever turned the
//! filter's branch into a select, `bad` would lose its mispredictions and the
//! check would fail. The `outcome changes` counter counts, in `bad` and
//! `good`, each item whose test goes the other way from the item before (about
//! half the items for random bytes, one for sorted); `branchless` has no
//! branch and reports 0. Each variant makes one allocation, the output buffer.
//!
//! To read the cost of one misprediction on the machine of a record from the
//! tables below, start from the paired speedup, the judged figure: at a size,
//! take `good`'s time × (the `speedup good` column − 1), the time the
//! mispredictions add to `bad`, and divide by `bad`'s mispredicts minus
//! `good`'s. The two
//! variants run the same instructions (compare the instruction columns), so
//! that difference in time is the mispredictions'. Do not subtract the time
//! columns instead: each is its variant's own median across processes, while
//! the speedup is the median of the ratios paired within each process, so the
//! times' difference need not agree with the speedup (it can even have the
//! other sign where the two are close). Where the speedup's interval holds 1,
//! the figure is within the noise and says nothing. A real predictor
//! mispredicts fewer of the random branches than the simulated one where it
//! learns the repeated buffer (at the smallest size), which makes this figure
//! an underestimate there; at the larger sizes no predictor can learn the
//! pattern and about half the random branches should miss on real hardware
//! too (expected, not checked: the table has no hardware counts).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- branch_predictability/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/branch_predictability.md"))]

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;

/// Bytes at or above this are kept.
pub const THRESHOLD: u8 = 128;

/// The counter: items whose test goes the other way from the item before.
pub const CHANGES: &str = "outcome changes";

/// The same bytes twice: in random order, and sorted.
#[derive(Clone, Debug)]
pub struct Input {
    pub random: Vec<u8>,
    pub sorted: Vec<u8>,
}

/// What the filter returns: how many bytes it kept, and their sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kept {
    pub count: usize,
    pub sum: u64,
}

/// The sum of the kept bytes, read back from the output buffer so that its
/// stores are used.
fn kept(out: &[u8], count: usize) -> Kept {
    Kept {
        count,
        sum: out[..count].iter().map(|&b| u64::from(b)).sum(),
    }
}

/// The filter with a branch, counting the changes of its outcome where the
/// probe counts (a constant, so timed code has no trace of it).
fn filter<P: Probe>(data: &[u8], probe: &P) -> Kept {
    let mut out = vec![0u8; data.len()];
    let mut k = 0;
    for &x in data {
        if x >= THRESHOLD {
            out[k] = x;
            k += 1;
        }
    }
    if P::COUNTING {
        let changes = data
            .windows(2)
            .filter(|w| (w[0] >= THRESHOLD) != (w[1] >= THRESHOLD))
            .count();
        probe.add(CHANGES, changes as u64);
    }
    kept(&out, k)
}

/// A branch on each random byte: taken half the time, at random.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Kept {
    filter(&input.random, probe)
}

/// The same branch on the same bytes sorted: one change of direction in all.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Kept {
    filter(&input.sorted, probe)
}

/// No branch on the value: every byte is stored, the index advances by the comparison (0 or 1).
pub fn branchless<P: Probe>(input: &Input, probe: &P) -> Kept {
    let data = &input.random;
    let mut out = vec![0u8; data.len()];
    let mut k = 0;
    for &x in data {
        // `k` never passes the index of `x`, so the slot exists; a rejected
        // byte is overwritten by the next one.
        out[k] = x;
        k += usize::from(x >= THRESHOLD);
    }
    probe.add(CHANGES, 0);
    kept(&out, k)
}

/// `n` random bytes and the same bytes sorted, the same on every run.
pub fn input(n: usize) -> Input {
    let mut rng = crate::rng(151);
    let random: Vec<u8> = (0..n).map(|_| rng.random()).collect();
    let mut sorted = random.clone();
    sorted.sort_unstable();
    Input { random, sorted }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "branch_predictability";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::MISPREDICT];
    const SIZE: &'static str = "bytes";
    const CLAIM: &'static str = "a branch misprediction costs about 5 ns (sources)";
    const BRANCH_SIM: bool = true;
    type Param = usize;
    type Input = Input;
    type Output = Kept;

    /// 1 KiB, short enough for a predictor to learn the repeated random
    /// pattern; 16 KiB, past that, within L1; 256 KiB, within L2, where
    /// memory is still not what the loop waits on.
    fn sizes() -> &'static [usize] {
        &[1_024, 16_384, 262_144]
    }

    const INPUT: fn(usize) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, probe| bad(i, probe));
        v.variant("good", |i: &Input, probe| good(i, probe));
        v.variant("branchless", |i: &Input, probe| branchless(i, probe));
    }

    /// A misprediction on half of the random bytes, at some 15 cycles each,
    /// against a cycle or two per byte when predicted: sorted data and the
    /// branchless form faster from 16 KiB. At 1 KiB, the same buffer every
    /// call, a predictor with a long history may learn the pattern: faster
    /// or level there. Neither should be slower: both do the same work or
    /// one store more per byte.
    fn predict(n: usize) -> Vec<Prediction> {
        let p = |v| {
            if n <= 1_024 {
                Prediction::faster(v).or_level()
            } else {
                Prediction::faster(v)
            }
        };
        vec![p("good"), p("branchless")]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "bad", |_| 1),
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::exactly(Figure::Allocs, "branchless", |_| 1),
            // Sorted bytes change from below the threshold to above it once.
            expect::exactly(Figure::Counter(CHANGES), "good", |_| 1),
            expect::exactly(Figure::Counter(CHANGES), "branchless", |_| 0),
            expect::fewer_by(Figure::Counter(CHANGES), "good", "bad", 100.0),
            // The branch is in the machine code and random data defeats it.
            expect::fewer_by(Figure::Mispredicts, "good", "bad", 10.0),
            expect::fewer_by(Figure::Mispredicts, "branchless", "bad", 10.0),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
