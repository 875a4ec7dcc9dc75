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
//! and scans each item once more to find that out: at 100 % it does more work
//! than `bad`. The check must be exact (here: does any `char` lowercase to
//! something else), or the two variants disagree on text such as titlecase
//! letters.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent:
//! `clippy::unnecessary_to_owned` (perf, on by default), which flags
//! `to_owned`/`to_string` on a value only borrowed afterwards; `to_lowercase`
//! always allocates and no lint asks whether it had to.
//!
//! Signal: allocation profile. `to_lowercase`/`to_string`/`replace`
//! allocating on every call even where the input would come back unchanged;
//! the allocs column of `cargo bench -- cow_strings/` against the share that
//! needs changing.
//!
//! ## Claim
//! No string allocation in the hot loop for the items left unchanged.
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! cow_strings` (exact, repeatable). `bad` makes one allocation per word at
//! every share; `good` one per changed word, so its count follows the share.
//! Instructions: `bad` runs the same at every share; `good` fewer while some
//! words are left unchanged, rising with the share, and more than `bad` at 100
//! %, where it does the same allocations after a scan that finds every word
//! changes. The check is a byte test for ASCII words: testing every `char`
//! with `char::to_lowercase` instead would run more instructions than `bad`
//! even at 0 %, because `bad`'s `to_lowercase` has an ASCII fast path.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- cow_strings/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/cow_strings.md"))]

use std::borrow::Cow;

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

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
    const TOPIC: Topic = Topic::Alloc;
    const SOURCES: &'static [SourcePoint] = &[sources::HOT_LOOP_STRINGS];
    const SIZE: &'static str = "% changed";
    const CLAIM: &'static str = "no string allocation in the hot loop for unchanged items";
    type Param = usize;
    type Input = Vec<String>;
    type Output = u64;

    /// The share of words that need changing: none, a few, half, all.
    fn sizes() -> &'static [usize] {
        &[0, 10, 50, 100]
    }

    const INPUT: fn(usize) -> Vec<String> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |w: &Vec<String>, _| bad(w));
        v.variant("good", |w: &Vec<String>, _| good(w));
    }

    /// While some words are unchanged, `good` skips an allocation, a copy
    /// and a free for each of them, for a scan of every word: faster. When
    /// every word changes it allocates as often as `bad` after that scan:
    /// the slower variant, as the module says.
    fn predict(share: usize) -> Vec<Prediction> {
        if share >= 100 {
            vec![Prediction::slower("good")]
        } else {
            vec![Prediction::faster("good")]
        }
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
}
