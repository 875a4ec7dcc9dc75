//! # A/A control: `bad` and `good` are the same code (`aa_control`)
//!
//! ## Cost model
//! Both variants call one function, [`sum`], on the same input: a sum of
//! 64-bit integers, one load and one add per element, compiled once and
//! called through the same path. Every difference between their times is
//! the instrument's: the machine drifting between the two measurements,
//! the order they run in, where each process's heap and code happen to land.
//! The sizes put the data in the L1 cache (32 KiB), in L2 (256 KiB) and past
//! the last-level cache (64 MiB), where the sum waits on memory bandwidth,
//! the resource a neighbour on a shared machine competes for most. The
//! smallest call takes well under a microsecond: there, where each arm's
//! code sits in memory (which differs from process to process) moves the
//! two arms apart by a few nanoseconds per call, which is why a run takes
//! its intervals across processes. (At 4 KiB, about 100 ns a call, the two
//! identical arms came out 0.88x to 1.10x apart from one process to the
//! next in `results/records/2026-11-29T23-27-11Z-1e3dfba2f9b1.json`.)
//!
//! ## The fix
//! Nothing to fix: this entry is a calibration, measured in every run like a
//! hint, so that every table says how far apart two identical pieces of code
//! come out on the machine that made it. The run's header gives the
//! control's median interval half-width (over its sizes) as the noise floor,
//! and the practical margin every verdict is judged with is twice that floor
//! (between 5 % and 25 %): a speedup whose point lies inside the margin is
//! "level".
//!
//! ## When it does not help
//! The control measures the noise of the method on this machine during this
//! run, not the noise of any one hint: a hint whose calls take milliseconds,
//! start threads or touch the network can vary more than a tight loop does,
//! and its own interval (taken across processes) says so. A control that
//! reads "does not hold" means the method is biased on this machine (the
//! second of two identical arms is systematically faster, say): treat every
//! verdict of that run with suspicion.
//!
//! ## Finding it
//! Caught by: no clippy lint, and none is wanted: this is the calibration,
//! not a pattern.
//!
//! Nothing to find: this entry is the instrument's calibration, not a pattern
//! in anyone's code. Its signal is its own row: a control that is not level
//! says the method is biased on that machine.
//!
//! ## Claim
//! The same code measured twice is level: at every size, the speedup's
//! interval lies within the run's margin around 1x. Checked here: the
//! instruction counts of the two variants are equal (they run the same
//! code), and the verdict is "level" at every size.
//!
//! ## Measured
//! The instruction counts of `bad` and `good` are identical at every size
//! (`validate` checks it). The speedup column is the instrument's error:
//! its point is the bias between two identical arms, its interval the noise
//! a rerun would see. Rerun with `cargo bench -- aa_control/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/aa_control.md"))]

use rand::Rng;

use crate::hint::{Hint, Probe, Variants};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;

/// The work both variants do: the wrapping sum of `xs`, never inlined, so
/// both call exactly the same machine code.
#[inline(never)]
pub fn sum(xs: &[u64]) -> u64 {
    xs.iter().fold(0u64, |a, &x| a.wrapping_add(x))
}

/// The control's first arm: [`sum`].
pub fn bad<P: Probe>(input: &[u64], _probe: &P) -> u64 {
    sum(input)
}

/// The control's second arm: [`sum`] again, the same code.
pub fn good<P: Probe>(input: &[u64], _probe: &P) -> u64 {
    sum(input)
}

/// `n` random integers, the same on every run.
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(114);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "aa_control";
    const SIZE: &'static str = "elements";
    const CLAIM: &'static str =
        "the same code measured twice is level: the run's noise floor (calibration, not a hint)";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = u64;

    /// 32 KiB (in L1), 256 KiB (in L2) and 64 MiB (past the last-level cache).
    fn sizes() -> &'static [usize] {
        &[4_096, 32_768, 8 << 20]
    }

    fn input(n: usize) -> Vec<u64> {
        input(n)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, probe| bad(i, probe));
        v.variant("good", |i: &Vec<u64>, probe| good(i, probe));
    }

    /// Level at every size: the two arms are the same code.
    fn predict(_: usize) -> Vec<Prediction> {
        vec![Prediction::level("good")]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::no_better(Figure::Instructions, "good", "bad", 1.0),
            expect::no_better(Figure::Instructions, "bad", "good", 1.0),
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 0),
        ]
    }
}
