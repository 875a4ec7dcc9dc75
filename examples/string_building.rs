//! Rebuilding a string with `format!` for every piece against appending into one buffer.
//!
//! `cargo run --release --example string_building`

perf_hints::count_allocations!();

use perf_hints::hints::string_building::{self, Bytes, Case};

fn main() {
    for n in [10usize, 100, 1_000, 10_000] {
        let pieces = string_building::input(n);
        let (mut bad, mut good) = (Bytes::default(), Bytes::default());
        string_building::bad(&pieces, &mut bad);
        string_building::good(&pieces, &mut good);
        println!(
            "{n:>6} pieces of {} bytes: format! copies {:>11} bytes, push_str {:>6} ({:.1}x)",
            string_building::PIECE,
            bad.0,
            good.0,
            bad.0 as f64 / good.0 as f64
        );
    }
    println!();
    perf_hints::example::run::<Case>(&[10, 100, 1_000, 10_000]);
}
