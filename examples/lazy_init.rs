//! A service whose `new()` builds a 64 KiB table eagerly, against a lazy
//! `OnceCell` field and a process-wide `static`.
//!
//! `cargo run --release --example lazy_init`

perf_hints::count_allocations!();

use std::cell::OnceCell;

use perf_hints::hints::lazy_init::Case;

fn main() {
    let cell: OnceCell<Vec<u8>> = OnceCell::new();
    let before = cell.get().is_some();
    let len = cell.get_or_init(|| vec![0; 1 << 16]).len();
    println!(
        "A OnceCell holds nothing until first used (filled: {before}); the first \
         get_or_init builds it ({len} bytes), later ones only read it\n"
    );
    perf_hints::example::run::<Case>(&[0, 10, 100]);
}
