//! The sizes of `python_batching`: Python threads sharing the batch, rounds
//! of work per item and items per batch.

use crate::model::Param;
use crate::support::fmt::plural;

/// A size: Python threads sharing the batch, rounds of work per item and
/// items per batch. Sizes sort by threads, then work, then batch; a chart
/// draws one line per thread count and work, over the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shape {
    pub threads: usize,
    pub rounds: u32,
    pub batch: usize,
}

impl Param for Shape {
    fn key(&self) -> String {
        format!("{}t-{}r-b{}", self.threads, self.rounds, self.batch)
    }
    fn parse(key: &str) -> Option<Self> {
        let mut parts = key.split('-');
        let threads = parts.next()?.strip_suffix('t')?.parse().ok()?;
        let rounds = parts.next()?.strip_suffix('r')?.parse().ok()?;
        let batch = parts.next()?.strip_prefix('b')?.parse().ok()?;
        parts.next().is_none().then_some(Shape {
            threads,
            rounds,
            batch,
        })
    }
    fn label(&self) -> String {
        format!(
            "{}, {}, {}/item",
            plural(self.threads, "thread"),
            plural(self.batch, "item"),
            plural(self.rounds as usize, "round")
        )
    }
    fn series(&self) -> String {
        format!(
            "{}, {}/item",
            plural(self.threads, "thread"),
            plural(self.rounds as usize, "round")
        )
    }
    fn x(&self) -> f64 {
        self.batch as f64
    }
    fn tick(&self) -> String {
        self.batch.to_string()
    }
    fn edges() -> Vec<Self> {
        [0, 1]
            .map(|batch| Shape {
                threads: 1,
                rounds: 0,
                batch,
            })
            .to_vec()
    }
    /// Schema-1 records packed `threads × 10⁸ + rounds × 10⁵ + batch`.
    fn from_legacy(size: usize) -> Option<Self> {
        Some(Shape {
            threads: (size / 100_000_000).max(1),
            rounds: (size / 100_000 % 1_000) as u32,
            batch: size % 100_000,
        })
    }
}
