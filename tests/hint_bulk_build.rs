//! `bulk_build`: the three variants agree on edge and random inputs, and the
//! `elements moved` counter and the allocations are exact.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::bulk_build::{self, Case};
use perf_hints::measure::alloc_count::measure;
use perf_hints::measure::counts;
use proptest::prelude::*;

fn all_three(items: &[u64]) -> Vec<u64> {
    let bad = bulk_build::bad(items, &NoProbe);
    assert_eq!(bad, bulk_build::good(items, &NoProbe), "good, {items:?}");
    assert_eq!(bad, bulk_build::btree(items, &NoProbe), "btree, {items:?}");
    bad
}

#[test]
fn edge_inputs_agree() {
    assert_eq!(all_three(&[]), Vec::<u64>::new());
    assert_eq!(all_three(&[7]), vec![7]);
    assert_eq!(all_three(&[7, 7, 7]), vec![7]);
    assert_eq!(all_three(&[3, 1, 2, 1, 3]), vec![1, 2, 3]);
    assert_eq!(all_three(&[u64::MAX, 0, u64::MAX]), vec![0, u64::MAX]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A small value range forces repeats; a wide one makes them rare.
    #[test]
    fn variants_agree(
        items in prop_oneof![
            prop::collection::vec(0u64..50, 0..300),
            prop::collection::vec(any::<u64>(), 0..300),
        ],
    ) {
        let bad = bulk_build::bad(&items, &NoProbe);
        prop_assert!(bad.windows(2).all(|w| w[0] < w[1]), "not strictly sorted");
        prop_assert_eq!(&bad, &bulk_build::good(&items, &NoProbe));
        prop_assert_eq!(&bad, &bulk_build::btree(&items, &NoProbe));
    }

    /// The counter, counted where each insert shifts the tail, equals the
    /// inversions of the first occurrences, counted by a merge sort.
    #[test]
    fn moves_are_the_first_occurrence_inversions(items in prop::collection::vec(0u64..60, 0..200)) {
        let run = moved(&items);
        prop_assert_eq!(run, bulk_build::expected_moves(&items));
    }
}

/// `bad`'s `elements moved` for `items`, through a counting probe.
fn moved(items: &[u64]) -> u64 {
    let probe = perf_hints::measure::probe::Counting::new();
    drop(bulk_build::bad(items, &probe));
    let counters = probe.counters();
    counters.get("elements moved").copied().unwrap_or(0)
}

#[test]
fn moves_are_exact_on_inputs_with_known_counts() {
    // Ascending: every insert appends, nothing moves.
    assert_eq!(moved(&(0..1_000).collect::<Vec<u64>>()), 0);
    // Descending: every insert goes to the front and moves all kept values.
    let n = 1_000u64;
    let desc: Vec<u64> = (0..n).rev().collect();
    assert_eq!(moved(&desc), n * (n - 1) / 2);
    assert_eq!(bulk_build::expected_moves(&desc), n * (n - 1) / 2);
    // Repeats move nothing: the same descending run twice over.
    let twice: Vec<u64> = desc.iter().chain(&desc).copied().collect();
    assert_eq!(moved(&twice), n * (n - 1) / 2);
    // [2, 0, 1]: 0 moves 2, 1 moves 2 again.
    assert_eq!(moved(&[2, 0, 1]), 2);
}

#[test]
fn the_hint_counts_its_moves_and_one_allocation_each() {
    assert!(perf_hints::measure::alloc_count::is_installed());
    let sizes = [10, 100, 1_000];
    let run = counts::count::<Case>(&sizes);
    for (row, &n) in run.rows.iter().zip(&sizes) {
        let items = bulk_build::input(n);
        let moves = row.counter("bad", "elements moved").unwrap();
        assert_eq!(moves, bulk_build::expected_moves(&items), "n {n}");
        // About d²/4 for d distinct values in random order, never over d(d-1)/2.
        let d = bulk_build::good(&items, &NoProbe).len() as u64;
        assert!(
            moves <= d * (d - 1) / 2,
            "n {n}: {moves} moves, {d} distinct"
        );
        assert_eq!(row.counter("good", "elements moved"), None, "n {n}");
        assert_eq!(row.counter("btree", "elements moved"), None, "n {n}");
        assert_eq!(row.allocs("bad").unwrap().total(), 1, "n {n}");
        assert_eq!(row.allocs("good").unwrap().total(), 1, "n {n}");
        assert!(row.allocs("btree").unwrap().total() > 1, "n {n}");
    }
    assert_eq!(Case::sizes(), &[10, 100, 1_000, 10_000]);
}

#[test]
fn an_empty_input_allocates_nothing_in_bad_and_good() {
    let (v, bad) = measure(|| bulk_build::bad(&[], &NoProbe));
    drop(v);
    let (v, good) = measure(|| bulk_build::good(&[], &NoProbe));
    drop(v);
    assert_eq!((bad.total(), good.total()), (0, 0));
}
