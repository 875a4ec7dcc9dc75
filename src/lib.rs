//! Performance hints as paired `bad` and `good` implementations of the same
//! job, checked to agree and measured with criterion.
//!
//! # The lessons
//!
//! Every hint is a module under [`hints`]: its doc gives the cost model, the
//! fix, when it does not help, the claim and what was measured, and ends with
//! the latest recorded table; `bad` and `good` sit side by side in it with the
//! same signature. Start with [`hints::with_capacity`], [`hints::string_building`]
//! or [`hints::sharded_map`]; the README lists all of them with their claims.
//!
//! `cargo bench` measures every hint and prints a before/after table;
//! `cargo test` checks that the variants of every hint return the same output.
//!
//! # How the crate is built
//!
//! The folders are the architecture; arrows are the only imports allowed
//! between them (the tidy test checks it, and that there is no cycle):
//!
//! - [`hint`]: the contract every lesson implements ([`Hint`], [`Variants`]).
//! - [`model`]: the data model, a leaf: records, figures, [`Level`], [`Verdict`].
//! - [`judge`]: the judging vocabulary: expectations checked by `validate`,
//!   and the phrases verdicts are made of.
//! - [`support`]: helpers lessons share (thread pools, the split of work).
//! - [`hints`]: the lessons, and the list that builds the registry. Lessons
//!   import only the contract, the model, the judging vocabulary and
//!   `support`, never the measuring or publishing code.
//! - [`registry`]: one object-safe [`registry::Entry`] per hint, for every
//!   question asked of a hint by its id.
//! - [`measure`]: counting allocator, callgrind, deterministic counts, the
//!   machine description, the paired timing (bench and examples).
//! - [`costs`]: the sources' cost table (an L1 reference, a mispredict, a
//!   `tokio::spawn`...) measured on the machine at hand.
//! - [`publish`]: the before/after tables, the records under `results/`, the
//!   charts, `compare`, the atlas of machines and the cost table.
//! - [`tool`]: the commands of the `perf-hints` binary and the examples' runner.
//!
#![cfg_attr(doc, doc = include_str!("../results/rustdoc/lints.md"))]

pub mod costs;
pub mod hint;
pub mod hints;
pub mod judge;
pub mod measure;
pub mod model;
pub mod publish;
pub mod registry;
pub mod support;
pub mod tool;

pub use hint::{EachHint, Hint, Probe, Variants};
pub use model::{Level, Verdict};
pub use tool::example;

/// SipHash, as `HashMap`'s default, but with fixed keys: the same hashing cost,
/// and the same probe sequence in every process, so instruction counts repeat.
pub type FixedState = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

/// The seed every input generator starts from, so every run sees the same data.
pub const SEED: u64 = 0x5eed_2026;

/// A reproducible random number generator for input generators: the same
/// stream on every machine and every run, for a given `stream` number.
pub fn rng(stream: u64) -> rand_chacha::ChaCha8Rng {
    use rand::SeedableRng;
    rand_chacha::ChaCha8Rng::seed_from_u64(SEED ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}
