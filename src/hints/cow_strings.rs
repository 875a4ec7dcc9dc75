//! # Allocate only for the items you change (`cow_strings`)
//!
//! ## Cost model
//! Normalising text with `to_lowercase()` (or `to_string()`, `replace`) on
//! every item allocates a new `String` for every item, including the ones
//! that come out byte-for-byte the same as they went in. In a loop over
//! mostly-clean data that is one allocation, one copy and one free per item
//! spent on making copies of what was already there.
//!
//! Here 1,000 words of 3-10 letters are lowercased and handed to a sink (an
//! FNV-1a hash of the bytes). The size is the share of words, in percent,
//! that hold an uppercase letter and so need changing; the input mix is the
//! parameter because the saving is exactly the unchanged share.
//!
//! ## The fix
//! Check first, and borrow when nothing changes: return `Cow<'_, str>`,
//! `Cow::Borrowed(item)` when every character already is its own lowercase,
//! `Cow::Owned(item.to_lowercase())` otherwise. Readers of a `Cow` see a
//! `&str` either way. (`view_types` shows the same type at an API boundary;
//! here it is the hot loop.)
//!
//! ## When it does not help
//! When every item needs changing, `Cow` allocates as often as `bad` does
//! and scans each item once more to find that out: at 100 % it is the slower
//! variant. The check must be exact (here: does any `char` lowercase to
//! something else), or the two variants disagree on text such as titlecase
//! letters.
//!
//! ## Claim
//! No string allocation in the hot loop for the items left unchanged.
//!
//! ## Measured
//! From `cargo run --release -- validate cow_strings` (exact, repeatable):
//! `bad` makes 1,000 allocations per call (1 per word) at every share;
//! `good` makes one per changed word: 0, 103, 492 and 1,000 at 0, 10, 50
//! and 100 % (0, 0.10, 0.49 and 1.0 per word). Instructions: `bad` 358k at
//! every share; `good` 159k, 187k, 290k, then 424k at 100 %, where it does
//! the same allocations as `bad` after a scan that finds every word changes.
//! The check itself matters: a first version that tested every `char` with
//! `char::to_lowercase` ran 439k instructions even at 0 %, more than `bad`,
//! whose `to_lowercase` has an ASCII fast path; the byte test for ASCII
//! words fixed that.
//! Times for every share are in `results/README.md`, from
//! `PERF_HINTS_RECORD=1 cargo bench`; rerun this hint alone with
//! `cargo bench -- cow_strings/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/cow_strings.md"))]

use std::borrow::Cow;

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::hint::{Hint, Settings, Variants};
use crate::model::{Level, Verdict};
use crate::model::{Change, Row};

/// Words per input, whatever the share.
pub const WORDS: usize = 1_000;

/// FNV-1a over `bytes`, continuing from `h`: the sink every word goes to.
fn sink(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// True when `to_lowercase` would change `s`: some `char` does not lowercase
/// to itself alone (uppercase and titlecase letters).
pub fn needs_lowering(s: &str) -> bool {
    // ASCII text (the common case) needs only a byte test; the `char` test
    // looks each character up in the Unicode tables.
    if s.is_ascii() {
        return s.bytes().any(|b| b.is_ascii_uppercase());
    }
    s.chars().any(|c| {
        let mut lower = c.to_lowercase();
        lower.next() != Some(c) || lower.next().is_some()
    })
}

/// `s` in lowercase, borrowed when it already is.
pub fn lowercase(s: &str) -> Cow<'_, str> {
    if needs_lowering(s) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Lowercases every word into a new `String`, changed or not.
pub fn bad(words: &[String]) -> u64 {
    let mut h = FNV_START;
    for w in words {
        let lower = w.to_lowercase();
        h = sink(h, lower.as_bytes());
    }
    h
}

/// Borrows the words that are already lowercase; allocates only for the rest.
pub fn good(words: &[String]) -> u64 {
    let mut h = FNV_START;
    for w in words {
        let lower = lowercase(w);
        h = sink(h, lower.as_bytes());
    }
    h
}

/// [`WORDS`] words of 3-10 ASCII letters, `share` percent of them (drawn at
/// random) with an uppercase first letter; the same on every run.
pub fn input(share: usize) -> Vec<String> {
    let mut rng = crate::rng(42);
    (0..WORDS)
        .map(|_| {
            let len = rng.random_range(3..=10);
            let upper = rng.random_range(0..100) < share;
            (0..len)
                .map(|i| {
                    let c = char::from(rng.random_range(b'a'..=b'z'));
                    if i == 0 && upper {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "cow_strings";
    const SIZE: &'static str = "% changed";
    const CLAIM: &'static str = "no string allocation in the hot loop for unchanged items";
    type Param = usize;
    type Input = Vec<String>;
    type Output = u64;

    /// The share of words that need changing: none, a few, half, all.
    fn sizes() -> &'static [usize] {
        &[0, 10, 50, 100]
    }

    fn input(share: usize) -> Vec<String> {
        input(share)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |w: &Vec<String>, _| bad(w));
        v.variant("good", |w: &Vec<String>, _| good(w));
    }

    /// Eight short benchmarks; the allocation counts settle the claim.
    fn settings() -> Settings {
        Settings::short(20)
    }

    fn expect() -> Vec<Expect<usize>> {
        // The size is a share, not an amount of work: no growth check.
        vec![
            expect::exactly(Figure::Allocs, "bad", |_| WORDS as u64),
            expect::exactly(Figure::Allocs, "good", |share| {
                input(share).iter().filter(|w| needs_lowering(w)).count() as u64
            }),
            expect::fewer(Figure::Allocs, "good", "bad").at(Sizes::UpTo(50)),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::UpTo(50)),
            // Every word changes: the same allocations plus a scan of each.
            expect::no_better(Figure::Instructions, "good", "bad", 0.9).at(Sizes::From(100)),
            expect::fewer(Figure::Instructions, "bad", "good").at(Sizes::From(100)),
        ]
    }

    fn verdict(size: usize, row: &Row) -> Verdict {
        let (Some(b), Some(g)) = (row.allocs("bad"), row.allocs("good")) else {
            return Verdict::new(Level::NotApplicable, "allocations not counted");
        };
        let per = |a: u64| a as f64 / WORDS as f64;
        let what = format!(
            "{:.2} vs {:.2} allocations per word; {}",
            per(b.total()),
            per(g.total()),
            row.speed_note("good")
        );
        if size >= 100 {
            return Verdict::new(
                Level::NotApplicable,
                format!("every word changes, nothing to borrow: {what}"),
            );
        }
        let level = match (g.total() < b.total(), row.change("good")) {
            (false, _) => Level::DoesNotHold,
            (true, Some(Change::Faster)) => Level::Holds,
            (true, _) => Level::Partly,
        };
        Verdict::new(level, what)
    }
}
