//! A batch handler that builds a 64 KiB table on every call, against one
//! that reads a process-wide `OnceLock`, over batches of 1 to 16,384 requests.
//!
//! `cargo run --release --example lazy_init`

perf_hints::count_allocations!();

use std::sync::OnceLock;

use perf_hints::hints::lazy_init::Case;

static TABLE: OnceLock<Vec<u8>> = OnceLock::new();

fn main() {
    let before = TABLE.get().is_some();
    let len = TABLE.get_or_init(|| vec![0; 1 << 16]).len();
    println!(
        "A OnceLock holds nothing until first used (filled: {before}); the first \
         get_or_init builds it ({len} bytes), later ones in the process only read it\n"
    );
    perf_hints::example::run::<Case>(&[1, 16, 256, 16_384]);
}
