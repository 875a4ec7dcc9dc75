//! Rebuilding a string with `format!` for every piece against appending into one buffer.
//!
//! `cargo run --release --example string_building`

perf_hints::count_allocations!();

use perf_hints::hints::string_building::{self, Case};
use perf_hints::measure::probe::Counting;

fn main() {
    for n in [10usize, 100, 1_000, 10_000] {
        let pieces = string_building::input(n);
        let (bad, good) = (Counting::new(), Counting::new());
        string_building::bad(&pieces, &bad);
        string_building::good(&pieces, &good);
        let copied = |p: &Counting| p.get("bytes copied").unwrap_or(0);
        let (bad, good) = (copied(&bad), copied(&good));
        println!(
            "{n:>6} pieces of {} bytes: format! copies {:>11} bytes, push_str {:>6} ({:.1}x)",
            string_building::PIECE,
            bad,
            good,
            bad as f64 / good as f64
        );
    }
    println!();
    perf_hints::example::run::<Case>(&[10, 100, 1_000, 10_000]);
}
