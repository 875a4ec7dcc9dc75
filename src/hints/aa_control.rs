//! # A/A control: `bad` and `good` are the same code (`aa_control`)
//!
//! ## Cost model
//! The two variants call two separately compiled copies of one function,
//! [`sum_a`] and [`sum_b`], on the same input: a sum of 64-bit integers, one
//! load and one add per element, the same instructions at two addresses,
//! each reached through its own arm of the timing path exactly as a real
//! hint's `bad` and `good` are. Every difference between their times is the
//! instrument's: the machine drifting between the two measurements, the
//! order they run in, where each build put each copy and each process its
//! heap and stack. The sizes are a call of tens of nanoseconds (64
//! elements, as short as the shortest hints' calls, where code placement
//! weighs most), the L1 cache (32 KiB), L2 (256 KiB) and past the
//! last-level cache (64 MiB), where the sum waits on memory bandwidth, the
//! resource a neighbour on a shared machine competes for most.
//!
//! ## The fix
//! Nothing to fix: this entry is a calibration, measured in every run like a
//! hint, so that every table says how far apart two identical pieces of code
//! come out on the machine that made it. It is the run's gate: the margin
//! every verdict is judged with is fixed in advance (±5 %), and the run can
//! judge at it only when the control's interval holds 1 at every size and
//! its noise floor (the median interval half-width over its sizes) is under
//! half the margin. Otherwise the run says it is too noisy to judge.
//!
//! ## When it does not help
//! The control measures the noise of the method on this machine during this
//! run, not the noise of any one hint: a hint whose calls take milliseconds,
//! start threads or touch the network can vary more than a tight loop does,
//! and its own interval (taken across builds) says so. A control that
//! reads "does not hold" means the method is biased on this machine (the
//! second of two identical arms is systematically faster, say); one that
//! reads "layout-sensitive" means two copies of the same code differ by
//! more than the margin depending on where they land: treat every verdict
//! of that run with suspicion.
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
//! (`validate` checks it). The speedup column is the instrument's error: its
//! point is the bias between two identical arms, its interval the noise a
//! rerun would see.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- aa_control/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/aa_control.md"))]

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::SourcePoint;
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;

/// Defines one copy of the work both variants do: the wrapping sum of
/// `xs`, never inlined. The two copies below compile to the same
/// instructions but for one immediate, `$tag`, which the optimiser cannot
/// fold away (it passes through `black_box` and cancels at run time), so
/// that LLVM does not merge them into one function. They are two functions
/// at two addresses, each called from its own arm, as `bad` and `good` of a
/// real hint are: so the control sees what code placement and the timing
/// path do to two arms, not only the machine's drift.
macro_rules! sum_copy {
    ($name:ident, $tag:expr) => {
        #[inline(never)]
        pub fn $name(xs: &[u64]) -> u64 {
            let zero = std::hint::black_box($tag) ^ $tag;
            xs.iter().fold(zero, |a, &x| a.wrapping_add(x))
        }
    };
}

sum_copy!(sum_a, 0xA5A5_0001_u64);
sum_copy!(sum_b, 0x5A5A_0002_u64);

/// The control's first arm: [`sum_a`].
pub fn bad<P: Probe>(input: &[u64], _probe: &P) -> u64 {
    sum_a(input)
}

/// The control's second arm: [`sum_b`], a separately compiled copy of the
/// same code.
pub fn good<P: Probe>(input: &[u64], _probe: &P) -> u64 {
    sum_b(input)
}

/// `n` random integers, the same on every run.
pub fn input(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(114);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "aa_control";
    const TOPIC: Topic = Topic::Control;
    const SOURCES: &'static [SourcePoint] = &[];
    const SIZE: &'static str = "elements";
    const CLAIM: &'static str =
        "the same code measured twice is level: the run's noise floor (calibration, not a hint)";
    type Param = usize;
    type Input = Vec<u64>;
    type Output = u64;

    /// 512 bytes (a call of tens of nanoseconds, as short as the shortest
    /// hints' calls), 32 KiB (in L1), 256 KiB (in L2) and 64 MiB (past the
    /// last-level cache).
    fn sizes() -> &'static [usize] {
        &[64, 4_096, 32_768, 8 << 20]
    }

    const INPUT: fn(usize) -> Vec<u64> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u64>, probe| bad(i, probe));
        v.variant("good", |i: &Vec<u64>, probe| good(i, probe));
    }

    /// Level at every size: the two arms are the same code.
    /// The claim an A/A control makes: two copies of the same code run level.
    fn claimed(_: usize) -> Option<Prediction> {
        Some(Prediction::level("good"))
    }

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
