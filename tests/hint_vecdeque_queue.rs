//! `vecdeque_queue`: the variants agree on edge and random inputs, and the
//! bytes moved and the allocations are exactly what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::vecdeque_queue::{self, Case, ITEM, Input, MOVED, STEPS};
use perf_hints::measure::alloc_count::measure;
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

fn all(input: &Input) -> [u64; 3] {
    [
        vecdeque_queue::bad(input, &NoProbe),
        vecdeque_queue::good(input, &NoProbe),
        vecdeque_queue::moving_head(input, &NoProbe),
    ]
}

fn agree(queue: &[u64], arrivals: &[u64]) {
    let input = Input {
        queue: queue.to_vec(),
        arrivals: arrivals.to_vec(),
    };
    let [bad, good, head] = all(&input);
    assert_eq!(bad, good, "good, queue {queue:?}, arrivals {arrivals:?}");
    assert_eq!(
        bad, head,
        "moving_head, queue {queue:?}, arrivals {arrivals:?}"
    );
}

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    agree(&[], &[]);
    agree(&[], &[7]);
    agree(&[], &[7, 8, 9]);
    agree(&[1], &[]);
    agree(&[1], &[7]);
    agree(&[1], &[7, 8, 9]);
    agree(&[1, 2], &[7, 8, 9, 10, 11]);
}

#[test]
fn the_queue_pops_in_arrival_order() {
    // A checksum of the items in the order a FIFO pops them: the initial
    // queue, then the arrivals, as many as there were steps.
    let input = Input {
        queue: vec![1, 2],
        arrivals: vec![3, 4, 5],
    };
    let expected = Input {
        queue: vec![],
        arrivals: vec![1, 2, 3],
    };
    assert_eq!(all(&input), all(&expected));
    let other = Input {
        queue: vec![],
        arrivals: vec![2, 1, 3],
    };
    assert_ne!(all(&input)[0], all(&other)[0]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn variants_agree_on_random_inputs(
        queue in prop::collection::vec(any::<u64>(), 0..300),
        arrivals in prop::collection::vec(any::<u64>(), 0..700),
    ) {
        let input = Input { queue, arrivals };
        let [bad, good, head] = all(&input);
        prop_assert_eq!(bad, good);
        prop_assert_eq!(bad, head);
    }

    /// The counts hold for any queue length and number of steps, not only the bench's.
    #[test]
    fn bytes_moved_follow_the_formulas(n in 0usize..200, steps in 0usize..500) {
        let input = Input { queue: vec![3; n], arrivals: vec![5; steps] };
        let moved = |f: fn(&Input, &Counting) -> u64| {
            let probe = Counting::new();
            f(&input, &probe);
            probe.get(MOVED).unwrap_or(0)
        };
        prop_assert_eq!(moved(vecdeque_queue::bad), (steps * n * ITEM) as u64);
        prop_assert_eq!(moved(vecdeque_queue::good), 0);
        let slides = steps.checked_div(n).map_or(0, |k| k * n * ITEM);
        prop_assert_eq!(moved(vecdeque_queue::moving_head), slides as u64);
    }
}

#[test]
fn bytes_moved_and_allocations_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    let steps = STEPS as u64;
    for (row, &n) in run.rows.iter().zip(sizes) {
        let n64 = n as u64;
        let item = ITEM as u64;
        // `remove(0)` slides the n items behind the front on every step.
        assert_eq!(row.counter("bad", MOVED), Some(steps * n64 * item), "{n}");
        assert_eq!(row.counter("good", MOVED), Some(0), "{n}");
        assert_eq!(
            row.counter("moving_head", MOVED),
            Some(steps / n64 * n64 * item),
            "{n}"
        );
        for v in ["bad", "good", "moving_head"] {
            let a = row.allocs(v).unwrap();
            assert_eq!((a.allocs, a.reallocs), (1, 0), "{v}/{n}: the buffer only");
        }
    }
    // Past STEPS items the front index never reaches half the queue in one call.
    assert_eq!(
        run.rows.last().unwrap().counter("moving_head", MOVED),
        Some(0)
    );
}

#[test]
fn one_allocation_even_for_an_empty_queue() {
    let input = vecdeque_queue::input(0);
    for f in [
        vecdeque_queue::bad::<NoProbe>,
        vecdeque_queue::good::<NoProbe>,
        vecdeque_queue::moving_head::<NoProbe>,
    ] {
        let (_, counts) = measure(|| f(&input, &NoProbe));
        assert_eq!((counts.allocs, counts.reallocs), (1, 0));
    }
}
