//! Decoding LEB128 varints with and without a single-byte fast path, at several
//! shares of one-byte values.
//!
//! `cargo run --release --example varint_fast_path`

perf_hints::count_allocations!();

use perf_hints::hints::varint_fast_path::{Case, encode};

fn main() {
    for v in [5u64, 127, 128, 300, u64::MAX] {
        let mut buf = Vec::new();
        encode(v, &mut buf);
        println!("{v:>20} encodes as {} byte(s): {buf:02x?}", buf.len());
    }
    println!();
    perf_hints::example::run::<Case>(&[10, 50, 90, 100]);
}
