//! Appending into a `String` that grows, into one sized once, and
//! rebuilding it with `format!` for every piece.
//!
//! `cargo run --release --example string_building`

perf_hints::count_allocations!();

use perf_hints::hints::string_building::{self, Case};
use perf_hints::measure::probe::Counting;

fn main() {
    for n in [10usize, 100, 1_000, 10_000] {
        let pieces = string_building::input(n);
        let copied = |f: fn(&[String], &Counting) -> String| {
            let probe = Counting::new();
            f(&pieces, &probe);
            probe.get("bytes copied").unwrap_or(0)
        };
        let bad = copied(string_building::bad::<Counting>);
        let good = copied(string_building::good::<Counting>);
        let quadratic = copied(string_building::quadratic::<Counting>);
        println!(
            "{n:>6} pieces of {} bytes, bytes copied: push_str grown {bad:>7} (at most), \
             with_capacity {good:>6}, format! rebuilt {quadratic:>11}",
            string_building::PIECE,
        );
    }
    println!();
    perf_hints::example::run::<Case>(&[10, 100, 1_000, 10_000]);
}
