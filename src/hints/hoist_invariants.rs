//! # Move loop-invariant work out of the loop (`hoist_invariants`)
//!
//! ## Cost model
//! Work inside a loop body runs once per iteration. When part of it does not
//! depend on the iteration (compiling a pattern, looking up a setting, taking
//! the length of a locked map) it is repeated `n` times for one result. The
//! optimiser hoists only what it can prove free of side effects, which rules
//! out anything that allocates or locks: `Regex::new(pat)` in a loop is
//! compiled `n` times. Compiling a regex parses it, builds its automata and
//! allocates, typically far more work than matching one short line.
//!
//! ## The fix
//! Compile once before the loop and reuse the `Regex` (it is immutable and
//! `Sync`, so it can be shared across threads too). For a pattern used by many
//! calls, "precompile" it once per process, e.g. in a
//! `static RE: LazyLock<Regex>`, so no call pays the compile.
//!
//! ## When it does not help
//! With one item per call there is nothing to hoist: both forms compile once
//! (the 1-line row). Work that truly changes per iteration (a pattern built
//! from the item) cannot be hoisted; cache it by key instead. And for cheap
//! invariants (a field read, a `len()` of a local `Vec`) the optimiser usually
//! hoists them already.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::regex_creation_in_loops` (perf, on by default), which flags
//! `Regex::new` in a loop only when the pattern is a constant; here it is a
//! parameter, as in most real code.
//!
//! Signal: a flame graph with `regex::Regex::new` (or any constructor with a
//! loop-invariant argument) under a loop; the allocs and instructions columns
//! of `cargo bench -- hoist_invariants/`.
//!
//! ## Claim
//! Loop-invariant work moved out runs once instead of `n` times; the sources
//! also say "precompile regexes". Checked as: allocations and instructions
//! per call fall from about `n` compiles to one, equal at one line.
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! hoist_invariants` (exact, repeatable): one compile of [`PATTERN`] is
//! millions of instructions and thousands of allocator calls, while matching a
//! line is a few hundred instructions. At one line both variants do the same
//! work. At `n` lines `bad`'s counts are about `n` times `good`'s, and the one
//! compile is still nearly all of `good`'s work.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- hoist_invariants/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/hoist_invariants.md"))]

use rand::Rng;
use regex::Regex;

use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// The pattern every variant matches: an error or warning line with a date.
pub const PATTERN: &str = r"^\d{4}-\d{2}-\d{2} (ERROR|WARN) \[[a-z]+\] ";

/// Compiles the pattern again for every line.
pub fn bad(lines: &[String], pattern: &str) -> usize {
    let mut n = 0;
    for line in lines {
        let re = Regex::new(pattern).expect("valid pattern");
        if re.is_match(line) {
            n += 1;
        }
    }
    n
}

/// Compiles the pattern once, before the loop, and reuses it for every line.
pub fn good(lines: &[String], pattern: &str) -> usize {
    let re = Regex::new(pattern).expect("valid pattern");
    let mut n = 0;
    for line in lines {
        if re.is_match(line) {
            n += 1;
        }
    }
    n
}

/// `n` log lines of various levels and modules, the same on every run.
pub fn input(n: usize) -> Vec<String> {
    let mut rng = crate::rng(52);
    let levels = ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"];
    let modules = ["net", "db", "auth", "cache", "http"];
    (0..n)
        .map(|_| {
            format!(
                "2026-{:02}-{:02} {} [{}] request {} took {} ms",
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                levels[rng.random_range(0..levels.len())],
                modules[rng.random_range(0..modules.len())],
                rng.random::<u32>(),
                rng.random_range(0..5_000)
            )
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "hoist_invariants";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::HOIST, sources::PRECOMPILE];
    const SIZE: &'static str = "lines";
    const CLAIM: &'static str =
        "loop-invariant work moved out runs once instead of n times; \"precompile regexes\"";
    type Param = usize;
    type Input = Vec<String>;
    type Output = usize;

    /// One line (nothing to hoist), ten and a hundred: one compile is a few
    /// million instructions, so `bad` at 1,000 lines would take a large share
    /// of a second per call to measure and show nothing new.
    fn sizes() -> &'static [usize] {
        &[1, 10, 100]
    }

    const INPUT: fn(usize) -> Vec<String> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |l: &Vec<String>, _| bad(l, PATTERN));
        v.variant("good", |l: &Vec<String>, _| good(l, PATTERN));
    }

    /// One line: one compile either way, level. `n` lines: the claim's
    /// "once instead of `n` times", and the compile dwarfs matching a line,
    /// so faster by about `n` (with the same 20 % room for the matching and
    /// the one compile left that the instruction checks below allow).
    fn predict(lines: usize) -> Vec<Prediction> {
        if lines <= 1 {
            vec![Prediction::level("good")]
        } else {
            vec![Prediction::faster("good").by(0.8 * lines as f64)]
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // One line: one compile either way (10 % slack for codegen).
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::UpTo(1)),
            expect::no_better(Figure::Allocs, "good", "bad", 0.9).at(Sizes::UpTo(1)),
            // n lines: about n compiles against one, which dwarfs the matching.
            expect::fewer_by(Figure::Instructions, "good", "bad", 8.0).at(Sizes::From(10)),
            expect::fewer_by(Figure::Instructions, "good", "bad", 80.0).at(Sizes::From(100)),
            expect::fewer_by(Figure::Allocs, "good", "bad", 8.0).at(Sizes::From(10)),
            expect::fewer_by(Figure::Allocs, "good", "bad", 80.0).at(Sizes::From(100)),
            // No `grows` check: `good`'s count is almost all the one compile,
            // so it cannot grow in proportion to the lines; the `bad`/`good`
            // ratios above catch a compile that was optimised away or hoisted.
        ]
    }
}
