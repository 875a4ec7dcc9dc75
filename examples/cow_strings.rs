//! Lowercasing every word into a new `String` against borrowing the words
//! that are already lowercase.
//!
//! `cargo run --release --example cow_strings`

perf_hints::count_allocations!();

use perf_hints::hints::cow_strings::Case;

fn main() {
    perf_hints::example::run::<Case>(&[0, 10, 50, 100]);
}
