//! Counting words: two lookups per word, one `entry`, ahash, and a `String` key per word.
//!
//! `cargo run --release --example word_count`

perf_hints::count_allocations!();

use perf_hints::hint::NoProbe;
use perf_hints::hints::word_count::{Case, good, input};

fn main() {
    let text = input(10_000);
    let counts = good(&text, &NoProbe);
    let mut top = counts.0.clone();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|(w, n)| format!("{w} {n}"))
        .collect();
    println!(
        "A text of 10,000 words has {} distinct ones; the most frequent: {}\n",
        counts.0.len(),
        top.join(", ")
    );
    perf_hints::example::run::<Case>(&[100, 1_000, 10_000, 100_000]);
}
