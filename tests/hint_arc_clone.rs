//! `arc_clone`: the variants agree with a sequential sum at every size, on
//! edge and random inputs, on one thread and several; the clones per call
//! are exactly what `fn expect` declares; and every clone is dropped.

perf_hints::count_allocations!();

use std::sync::Arc;

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::arc_clone::{self, CLONES, Case, Config, ITEMS, Input};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::model::Param;
use perf_hints::support::threads::{Threads, Work};
use proptest::prelude::*;

fn custom(threads: usize, items: Vec<u64>, rounds: u32, table: Vec<u64>, salt: u64) -> Input {
    let mut work = Work::new(0, threads, 0, 0);
    work.items = items;
    work.rounds = rounds;
    Input {
        work,
        config: Arc::new(Config { table, salt }),
    }
}

fn agree(input: &Input, what: &str) {
    let want = arc_clone::sequential(input);
    assert_eq!(arc_clone::bad(input, &NoProbe), want, "bad, {what}");
    assert_eq!(arc_clone::good(input, &NoProbe), want, "good, {what}");
    // No clone outlives the call.
    assert_eq!(Arc::strong_count(&input.config), 1, "{what}");
}

#[test]
fn variants_agree_at_every_size_and_edge() {
    let mut sizes = Case::sizes().to_vec();
    sizes.extend(Threads::edges());
    for size in sizes {
        let input = (Case::INPUT)(size);
        agree(&input, &size.key());
        perf_hints::hint::check_agreement::<Case>(size, &input).unwrap();
    }
}

#[test]
fn variants_agree_on_more_threads_than_items() {
    for threads in [1, 2, 3, 5, 8] {
        for n in [0, 1, 2, 7] {
            let input = arc_clone::input(threads, n, 3);
            agree(&input, &format!("{threads} threads, {n} items"));
        }
    }
}

#[test]
fn the_result_depends_on_the_table_and_every_item() {
    let a = custom(1, vec![1, 2, 3], 2, vec![10, 20], 5);
    let b = custom(1, vec![1, 2, 4], 2, vec![10, 20], 5);
    let c = custom(1, vec![1, 2, 3], 2, vec![10, 21], 5);
    let [a, b, c] = [&a, &b, &c].map(|i| arc_clone::good(i, &NoProbe));
    assert_ne!(a, b);
    assert_ne!(a, c);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn variants_agree_on_random_inputs(
        threads in 1usize..4,
        items in prop::collection::vec(any::<u64>(), 0..400),
        rounds in 0u32..8,
        table in prop::collection::vec(any::<u64>(), 1..40),
        salt in any::<u64>(),
    ) {
        let input = custom(threads, items, rounds, table, salt);
        let want = arc_clone::sequential(&input);
        prop_assert_eq!(arc_clone::bad(&input, &NoProbe), want);
        prop_assert_eq!(arc_clone::good(&input, &NoProbe), want);
        prop_assert_eq!(Arc::strong_count(&input.config), 1);
    }

    /// One clone per item for `bad`, none for `good`, for any items and threads.
    #[test]
    fn clones_are_one_per_item(threads in 1usize..4, n in 0usize..300) {
        let input = arc_clone::input(threads, n, 0);
        let clones = |f: fn(&Input, &Counting) -> u64| {
            let probe = Counting::new();
            f(&input, &probe);
            probe.get(CLONES)
        };
        prop_assert_eq!(clones(arc_clone::bad), if n == 0 { None } else { Some(n as u64) });
        prop_assert_eq!(clones(arc_clone::good), Some(0));
    }
}

#[test]
fn clones_per_call_are_exact_at_every_size() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, size) in run.rows.iter().zip(sizes) {
        assert_eq!(
            row.counter("bad", CLONES),
            Some(ITEMS as u64),
            "{}",
            size.key()
        );
        assert_eq!(row.counter("good", CLONES), Some(0), "{}", size.key());
    }
    assert!(perf_hints::judge::expect::check(&run, &Case::expect()).is_empty());
}
