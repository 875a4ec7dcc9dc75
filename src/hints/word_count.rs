//! # Count with the entry API: one lookup per word (`word_count`)
//!
//! ## Cost model
//! Counting words with `contains_key` and then `get_mut` or `insert` hashes
//! every word twice and walks the table twice: once to ask, once to act.
//! With a short key the hash (SipHash, `HashMap`'s default) is much of a
//! lookup's cost, so the second lookup costs about as much as the first.
//! Keying the map by `String` and building the key before asking (the
//! `owned_key` variant) adds an allocation per word on top: a word seen
//! before costs a `String` that is dropped again at once.
//!
//! ## The fix
//! `*counts.entry(word).or_insert(0) += 1` hashes once and probes once.
//! Keys borrowed from the text (`HashMap<&str, usize>`) keep the loop free
//! of allocations; owned `String`s are made once per distinct word, for the
//! result. The `ahash` variant does the same with a faster (non-SipHash)
//! hasher, seeded so the figures repeat.
//!
//! ## When it does not help
//! `entry` saves the second hash and probe, nothing else: the allocations,
//! the table's growth and the final conversion to owned keys are the same
//! in `bad` and `good`, so the saving is a share of the lookup work, largest
//! where the text is long and most words repeat. `entry` takes its key by
//! value: with owned keys, `entry(word.to_string())` allocates for every
//! word, seen or not, which costs more than the second lookup it saves; for
//! a map that must own its keys, look up by `&str` with `get_mut` first and
//! insert an owned key only for a new word. A fast hasher such as ahash
//! gives up SipHash's resistance to crafted collisions: use it for keys an
//! attacker does not choose.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent: `clippy::map_entry`
//! (perf, on by default), which matches `contains_key(&key)` then
//! `insert(key, ..)`: it flags that pair in `owned_key`, with the `entry`
//! API as the fix, but not `bad`'s, where the `&str` key is passed as
//! `contains_key(word)` (checked with clippy 1.95: written
//! `contains_key(&word)`, the same loop is flagged). It does not see
//! `owned_key`'s per-word `String` either.
//!
//! Signal: two hash lookups per word (`HashMap::contains_key` then
//! `get_mut` or `insert`) in a profile of the loop: the `hashes` and
//! instructions columns of `cargo bench -- word_count/`; for `owned_key`,
//! an allocation per word in the allocs column.
//!
//! ## Claim
//! One hash lookup per word instead of two. The sources price a `HashMap`
//! lookup at 10-30 ns, and a small `String` allocation at 20-50 ns
//! (`results/costs.md` has both rows as the published run measured them).
//! Judged here as: `good` (`entry`) faster than `bad` (`contains_key`, then
//! `get_mut` or `insert`, both with borrowed keys) at every size. The
//! sources' second point, no `String` allocation per repeated word, is the
//! `owned_key` variant against `bad`, this crate's own model.
//!
//! ## Measured
//! The job counts the words of a text drawn from a 10,000-word vocabulary with
//! Zipf frequencies and returns every distinct word, as an owned `String`,
//! with its count. The counts from `cargo run --release -- validate` are the
//! same on every run of the same binary. Allocations: `bad`, `good` and
//! `ahash` make one per distinct word plus the table's growth, the same
//! count; `owned_key` one per word plus the same growth. The `hashes`
//! counter (resizes included) reads one more per word in `bad` and
//! `owned_key` than in `good`, the first word apart, since a lookup in an
//! empty map skips the hash (`tests/counts.rs` asserts it at 100 and 1,000
//! words). The table shows the instructions and times that go with them:
//! what the second lookup costs beside the rest of the loop, what a
//! per-word allocation adds, and how much of what is left ahash saves.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- word_count/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/word_count.md"))]

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasher, BuildHasherDefault};

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// SipHash, as `HashMap`'s default, but with fixed keys: the same probe
/// sequence in every process, so instruction counts repeat.
pub type FixedState = BuildHasherDefault<DefaultHasher>;

/// ahash with fixed seeds, for the same reason.
pub fn ahash_state() -> ahash::RandomState {
    ahash::RandomState::with_seeds(0x5eed, 0x2026, 0xa5a5, 0x0f0f)
}

/// Distinct words in the vocabulary the texts are drawn from.
pub const VOCABULARY: usize = 10_000;

/// Each distinct word with its count, in the map's iteration order, which
/// depends on the hasher and the key type; so two `Counts` are equal when they
/// hold the same pairs in any order.
#[derive(Clone, Debug)]
pub struct Counts(pub Vec<(String, usize)>);

impl Counts {
    /// The pairs sorted by word.
    pub fn sorted(&self) -> Vec<(String, usize)> {
        let mut v = self.0.clone();
        v.sort_unstable();
        v
    }
}

impl PartialEq for Counts {
    fn eq(&self, other: &Counts) -> bool {
        // Sorting here, in the comparison, keeps it out of the timed job.
        self.0.len() == other.0.len() && self.sorted() == other.sorted()
    }
}

/// The bad loop, over any hasher: a [`Probed`] one when the hashes are
/// counted. Keys borrowed from the text, as in the good loop; only the
/// lookups differ. `clippy::map_entry` is silent here: it matches
/// `contains_key(&k)` then `insert(k, ..)`, and a `&str` key is passed as
/// `contains_key(word)`.
fn count_twice<S: BuildHasher>(text: &str, state: S) -> Counts {
    let mut counts: HashMap<&str, usize, S> = HashMap::with_hasher(state);
    for word in text.split_ascii_whitespace() {
        if counts.contains_key(word) {
            *counts.get_mut(word).expect("contains_key said so") += 1;
        } else {
            counts.insert(word, 1);
        }
    }
    Counts(counts.into_iter().map(|(w, n)| (w.to_string(), n)).collect())
}

/// The two lookups with a `String` key made for every word.
#[expect(clippy::map_entry, reason = "the two-lookup pattern is what this hint measures")]
fn count_owned<S: BuildHasher>(text: &str, state: S) -> Counts {
    let mut counts: HashMap<String, usize, S> = HashMap::with_hasher(state);
    for word in text.split_ascii_whitespace() {
        let key = word.to_string();
        if counts.contains_key(&key) {
            *counts.get_mut(&key).expect("contains_key said so") += 1;
        } else {
            counts.insert(key, 1);
        }
    }
    Counts(counts.into_iter().collect())
}

/// The good loop, over any hasher: the `ahash` variant is this with ahash.
fn count_entry<S: BuildHasher>(text: &str, state: S) -> Counts {
    let mut counts: HashMap<&str, usize, S> = HashMap::with_hasher(state);
    for word in text.split_ascii_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    Counts(counts.into_iter().map(|(w, n)| (w.to_string(), n)).collect())
}

/// `contains_key`, then `get_mut` or `insert`, keyed by `&str` borrowed from the text.
pub fn bad<P: Probe>(text: &str, probe: &P) -> Counts {
    if P::COUNTING {
        count_twice(text, Probed(FixedState::default(), probe))
    } else {
        count_twice(text, FixedState::default())
    }
}

/// One `entry` call per word, keyed by `&str` borrowed from the text.
pub fn good<P: Probe>(text: &str, probe: &P) -> Counts {
    if P::COUNTING {
        count_entry(text, Probed(FixedState::default(), probe))
    } else {
        count_entry(text, FixedState::default())
    }
}

/// The `entry` loop with borrowed keys, hashed by ahash instead of SipHash.
pub fn ahash<P: Probe>(text: &str, probe: &P) -> Counts {
    if P::COUNTING {
        count_entry(text, Probed(ahash_state(), probe))
    } else {
        count_entry(text, ahash_state())
    }
}

/// `contains_key`, then `get_mut` or `insert`, with a `String` key made for
/// every word before the map is asked.
pub fn owned_key<P: Probe>(text: &str, probe: &P) -> Counts {
    if P::COUNTING {
        count_owned(text, Probed(FixedState::default(), probe))
    } else {
        count_owned(text, FixedState::default())
    }
}

/// A hasher builder that reports `hashes` for every hasher it builds: one
/// per key hashed, lookups and resizes alike. Only a counting probe gets it
/// (`P::COUNTING`): the timed code hashes with the bare `S`, so its map
/// carries no probe reference.
pub struct Probed<'p, S, P>(pub S, pub &'p P);

impl<S: BuildHasher, P: Probe> BuildHasher for Probed<'_, S, P> {
    type Hasher = S::Hasher;
    #[inline(always)]
    fn build_hasher(&self) -> S::Hasher {
        self.1.add("hashes", 1);
        self.0.build_hasher()
    }
}

/// The vocabulary: [`VOCABULARY`] random lowercase words of 2 to 12 letters,
/// in one buffer with each word's range. One buffer rather than a `String`
/// per word: freeing 10,000 small blocks before the measured call would leave
/// glibc consolidating them inside it, a cost that belongs to no variant.
fn vocabulary(rng: &mut impl Rng) -> (String, Vec<std::ops::Range<usize>>) {
    let mut words = String::with_capacity(VOCABULARY * 8);
    let spans = (0..VOCABULARY)
        .map(|_| {
            let start = words.len();
            for _ in 0..rng.random_range(2..=12) {
                words.push(char::from(rng.random_range(b'a'..=b'z')));
            }
            start..words.len()
        })
        .collect();
    (words, spans)
}

/// A text of `n` words separated by single spaces, the same on every run.
/// Word ranks follow Zipf's law (frequency ~ 1/rank), as in natural text:
/// a few words repeat a lot, most are rare.
pub fn input(n: usize) -> String {
    let mut rng = crate::rng(30);
    let (words, spans) = vocabulary(&mut rng);
    let ln = ((VOCABULARY + 1) as f64).ln();
    let mut text = String::with_capacity(n * 8);
    for i in 0..n {
        // exp(u * ln(V + 1)) is log-uniform on [1, V + 1): P(rank = k) ~ 1/k.
        let rank = (rng.random::<f64>() * ln).exp() as usize - 1;
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&words[spans[rank.min(VOCABULARY - 1)].clone()]);
    }
    text
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "word_count";
    const TOPIC: Topic = Topic::Algorithm;
    const SOURCES: &'static [SourcePoint] = &[sources::ONE_PASS_COUNT];
    const SIZE: &'static str = "words";
    const CLAIM: &'static str = "one hash lookup per word instead of two, with the entry API \
         (sources: a HashMap lookup 10-30 ns)";
    type Param = usize;
    type Input = String;
    type Output = Counts;

    /// From a text where most words are new (100) to one where most repeat.
    fn sizes() -> &'static [usize] {
        &[100, 1_000, 10_000, 100_000]
    }

    const INPUT: fn(usize) -> String = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |t: &String, p| bad(t, p));
        v.variant("good", |t: &String, p| good(t, p));
        v.variant("ahash", |t: &String, p| ahash(t, p));
        v.variant("owned_key", |t: &String, p| owned_key(t, p));
    }

    /// `good` faster at every size: one SipHash and one probe fewer per
    /// word, against a loop whose other costs (the table's growth, an
    /// allocation per distinct word for the result) are the same in both;
    /// the share saved is smallest at 100 words, where the growth and the
    /// result's allocations weigh most. The sources' "twice" counts hashes,
    /// which `fn expect` checks exactly; it is not a time factor. `ahash` is
    /// the good loop with a cheaper hash: faster. `owned_key` adds an
    /// allocation per word to `bad`'s loop (an allocation costs more than
    /// a lookup by the sources' prices): slower.
    fn predict(_words: usize) -> Vec<Prediction> {
        vec![
            Prediction::faster("good"),
            Prediction::faster("ahash"),
            Prediction::slower("owned_key"),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The same allocations: a String per distinct word, the growth.
            expect::no_better(Figure::Allocs, "good", "bad", 1.0),
            expect::no_better(Figure::Allocs, "bad", "good", 1.0),
            // A String per word against one per distinct word.
            expect::fewer(Figure::Allocs, "bad", "owned_key"),
            expect::fewer_by(Figure::Allocs, "bad", "owned_key", 3.0).at(Sizes::From(10_000)),
            expect::fewer(Figure::Counter("hashes"), "good", "bad"),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::fewer(Figure::Instructions, "bad", "owned_key"),
            expect::fewer(Figure::Instructions, "ahash", "good"),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
