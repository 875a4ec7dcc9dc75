//! `unwrap_or(expensive())` against `unwrap_or_else(|| expensive())`, at several
//! hit rates.
//!
//! `cargo run --release --example defer_work`

perf_hints::count_allocations!();

use perf_hints::hints::defer_work::Case;

fn main() {
    let found: Option<&str> = std::hint::black_box(Some("alice"));
    let calls = std::cell::Cell::new(0);
    let fallback = || {
        calls.set(calls.get() + 1);
        "guest"
    };
    #[allow(clippy::or_fun_call)]
    let _ = found.unwrap_or(fallback());
    let eager = calls.replace(0);
    let _ = found.unwrap_or_else(fallback);
    println!(
        "On a hit, unwrap_or(fallback()) ran the fallback {eager} time(s), unwrap_or_else(fallback) {} time(s)\n",
        calls.get()
    );
    perf_hints::example::run::<Case>(&[0, 50, 90, 100]);
}
