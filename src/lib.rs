//! Performance hints as paired `bad` and `good` implementations of the same
//! job, checked to agree and measured with criterion.
//!
//! Every hint is a module under [`hints`] implementing [`Hint`]. `cargo bench`
//! measures them and prints a before/after table; `cargo test` checks that the
//! variants of every hint return the same output. See the README for the two
//! commands and how to read the table.

pub mod alloc_count;
pub mod callgrind;
pub mod chart;
pub mod compare;
pub mod counts;
pub mod example;
pub mod expect;
pub mod hint;
pub mod hints;
pub mod report;
pub mod results;
pub mod threads;
pub mod validate;

pub use hint::{Counter, EachHint, Hint, Level, Settings, Variants, Verdict};

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
