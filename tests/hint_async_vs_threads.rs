//! `async_vs_threads`: both variants return the same checksum and one
//! barrier leader at every size and on edge inputs, and the counters (threads
//! and tasks spawned, peaks) are exactly what `fn expect` declares.

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::async_vs_threads::{
    self as avt, Case, Output, PEAK_THREADS, PEAK_WAITING, TASKS_SPAWNED, THREADS_SPAWNED, WORKERS,
    payload,
};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

/// The checksum a correct call returns: every waiter's value, in spawn order.
fn expected(n: usize) -> Output {
    let checksum = (0..n as u64).fold(0xcbf2_9ce4_8422_2325u64, |h, i| {
        (h ^ payload(i)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    Output {
        checksum,
        leaders: usize::from(n > 0),
    }
}

#[test]
fn both_variants_return_every_value_in_order_and_one_leader() {
    for n in [0, 1, 2, 10, 100, 1_000] {
        let input = avt::input(n);
        assert_eq!(avt::bad(&input, &NoProbe), expected(n), "bad, {n}");
        assert_eq!(avt::good(&input, &NoProbe), expected(n), "good, {n}");
    }
}

#[test]
fn the_order_of_values_matters() {
    assert_ne!(expected(2).checksum, expected(3).checksum);
    let swapped = [payload(1), payload(0)]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &x| {
            (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
        });
    assert_ne!(swapped, expected(2).checksum);
}

#[test]
fn counters_are_exactly_what_expect_declares() {
    let run = counts::count::<Case>(Case::sizes());
    for (row, &n) in run.rows.iter().zip(Case::sizes()) {
        let n64 = n as u64;
        assert_eq!(row.counter("bad", THREADS_SPAWNED), Some(n64), "{n}");
        assert_eq!(row.counter("good", THREADS_SPAWNED), Some(0), "{n}");
        assert_eq!(row.counter("bad", TASKS_SPAWNED), Some(0), "{n}");
        assert_eq!(row.counter("good", TASKS_SPAWNED), Some(n64), "{n}");
        assert_eq!(row.counter("bad", PEAK_THREADS), Some(n64), "{n}");
        assert_eq!(
            row.counter("good", PEAK_THREADS),
            Some(WORKERS as u64),
            "{n}"
        );
        assert_eq!(row.counter("bad", PEAK_WAITING), Some(n64), "{n}");
        assert_eq!(row.counter("good", PEAK_WAITING), Some(n64), "{n}");
    }
    let checks = perf_hints::hints::get("async_vs_threads")
        .unwrap()
        .check(&run);
    let fails: Vec<String> = checks.into_iter().flat_map(|c| c.failures).collect();
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

/// Every waiter is parked at once, whatever the count: the barrier lets
/// none through before the last arrives.
#[test]
fn every_waiter_is_parked_at_once() {
    let input = avt::input(300);
    for _ in 0..3 {
        for (name, f) in [
            (
                "bad",
                avt::bad::<Counting> as fn(&avt::Input, &Counting) -> Output,
            ),
            ("good", avt::good::<Counting>),
        ] {
            let probe = Counting::new();
            assert_eq!(f(&input, &probe), expected(300), "{name}");
            assert_eq!(probe.get(PEAK_WAITING), Some(300), "{name}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn variants_agree_for_any_count(n in 0usize..200) {
        let input = avt::input(n);
        prop_assert_eq!(avt::bad(&input, &NoProbe), expected(n));
        prop_assert_eq!(avt::good(&input, &NoProbe), expected(n));
    }
}
