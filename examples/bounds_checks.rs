//! An indexed loop over two slices against `zip` and against reslicing to a
//! known length first.
//!
//! `cargo run --release --example bounds_checks`

perf_hints::count_allocations!();

use perf_hints::hints::bounds_checks::Case;

fn main() {
    println!(
        "Read the loops with: objdump -d -C target/release/perf-hints | less \
         (search for bounds_checks::good and perf_hints_measured_call)\n"
    );
    perf_hints::example::run::<Case>(&[16, 1_000, 100_000, 1_000_000]);
}
