//! `message_passing`: outcomes, never timings. Every variant delivers every
//! item exactly once with each producer's order kept, at every size, on
//! edge and random inputs and over repeated runs; `items received` is exact;
//! the bounded channel's peak queued never exceeds its bound.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::message_passing::{
    self, CAPACITY, Case, ITEMS, Input, QUEUED, RECEIVED, SLOW, Summary,
};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::model::Param;
use perf_hints::support::threads::Threads;
use proptest::prelude::*;

type Variant = fn(&Input, &Counting) -> Summary;

const VARIANTS: [(&str, Variant); 3] = [
    ("bad", message_passing::bad),
    ("good", message_passing::good),
    ("unbounded", message_passing::unbounded),
];

/// Runs every variant with a counting probe; checks its summary against the
/// sequential one, every item received once, and the bounded channel's
/// peak against its bound.
fn deliver(input: &Input, what: &str) {
    let want = message_passing::sequential(input);
    let n: usize = input.items.iter().map(Vec::len).sum();
    assert_eq!(want.received, n as u64);
    for (name, f) in VARIANTS {
        let probe = Counting::new();
        assert_eq!(f(input, &probe), want, "{name}, {what}");
        assert_eq!(probe.get(RECEIVED).unwrap_or(0), n as u64, "{name}, {what}");
        // Handed over, not yet taken: the full channel, one send under way
        // per producer, one item being taken.
        let bound = (input.capacity + input.producers() + 1).min(n) as u64;
        if name == "good" {
            let peak = probe.get(QUEUED).unwrap_or(0);
            assert!(peak <= bound, "{what}: good's peak {peak} > {bound}");
        }
    }
}

#[test]
fn every_item_arrives_once_at_every_size_and_edge() {
    let mut sizes = Case::sizes().to_vec();
    sizes.extend(Threads::edges());
    for size in sizes {
        let input = (Case::INPUT)(size);
        deliver(&input, &size.key());
        perf_hints::hint::check_agreement::<Case>(size, &input).unwrap();
    }
}

#[test]
fn repeated_runs_with_more_producers_than_cores_deliver_everything() {
    for producers in [1, 2, 3, 5] {
        for capacity in [1, 2, CAPACITY] {
            let mut input = message_passing::input(producers, 3_000, 0);
            input.capacity = capacity;
            for run in 0..3 {
                deliver(
                    &input,
                    &format!("{producers} producers, capacity {capacity}, run {run}"),
                );
            }
        }
    }
}

/// The summary tells a reordered, lost or repeated item from the real
/// sequence, so agreement with `sequential` checks all three.
#[test]
fn the_summary_sees_order_loss_and_repeats() {
    let base = message_passing::sequential(&Input::new(vec![vec![1, 2, 3], vec![4]], 1, 4));
    for other in [
        vec![vec![2, 1, 3], vec![4]],
        vec![vec![1, 2], vec![4]],
        vec![vec![1, 2, 2, 3], vec![4]],
        vec![vec![1, 2, 3], vec![], vec![4]],
    ] {
        let s = message_passing::sequential(&Input::new(other.clone(), 1, 4));
        assert_ne!(s, base, "{other:?}");
    }
    // Interleaving between producers is free: only each one's order counts.
    let a = Input::new(vec![vec![1, 2], vec![3, 4]], 1, 4);
    assert_eq!(message_passing::good(&a, &NoProbe).chains.len(), 2);
}

#[test]
fn a_capacity_of_one_keeps_at_most_producers_plus_two_queued() {
    for producers in [1, 2, 3] {
        let mut input = message_passing::input(producers, 2_000, SLOW);
        input.capacity = 1;
        let probe = Counting::new();
        message_passing::good(&input, &probe);
        let peak = probe.get(QUEUED).unwrap();
        assert!(
            peak <= producers as u64 + 2,
            "{producers} producers: {peak}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn variants_agree_on_random_inputs(
        items in prop::collection::vec(prop::collection::vec(any::<u64>(), 0..200), 1..4),
        rounds in 0usize..4,
        capacity in 1usize..8,
    ) {
        let input = Input::new(items, rounds, capacity);
        let want = message_passing::sequential(&input);
        for (name, f) in VARIANTS {
            prop_assert_eq!(&f(&input, &Counting::new()), &want, "{}", name);
        }
    }
}

#[test]
fn items_received_are_exact_at_every_size() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, size) in run.rows.iter().zip(sizes) {
        for (name, _) in VARIANTS {
            assert_eq!(
                row.counter(name, RECEIVED),
                Some(ITEMS as u64),
                "{name}/{}",
                size.key()
            );
        }
        let peak = row.counter("good", QUEUED).unwrap();
        assert!(
            peak <= (CAPACITY + size.threads + 1) as u64,
            "{}: {peak}",
            size.key()
        );
    }
    assert!(perf_hints::judge::expect::check(&run, &Case::expect()).is_empty());
}
