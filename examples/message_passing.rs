//! Producers pushing into one `Mutex<Vec>` against a bounded `sync_channel`
//! and an unbounded `mpsc::channel`, with a fast and a slow consumer.
//!
//! `cargo run --release --example message_passing`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::message_passing::{self, CAPACITY, Case, QUEUED, SLOW};
use perf_hints::measure::probe::Counting;

fn main() {
    let input = message_passing::input(1, 20_000, SLOW);
    let peak = |f: fn(&message_passing::Input, &Counting) -> message_passing::Summary| {
        let probe = Counting::new();
        f(&input, &probe);
        probe.get(QUEUED).unwrap_or(0)
    };
    println!(
        "Slow consumer, one producer, 20,000 items: peak queued {} with the Mutex<Vec>, \
         {} with the sync_channel({CAPACITY}), {} with the unbounded channel\n",
        peak(message_passing::bad),
        peak(message_passing::good),
        peak(message_passing::unbounded)
    );
    drop(message_passing::good(&input, &NoProbe));
    perf_hints::example::run::<Case>(Case::sizes());
}
