//! `map_capacity`: the variants agree on edge and random inputs, and the
//! entries rehashed and the allocations are exactly what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::map_capacity::{self, Case, REHASHED, grown_allocs, grown_rehashed};
use perf_hints::measure::alloc_count::measure;
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    for keys in [
        vec![],
        vec![0],
        vec![5, 5],
        vec![1, 2, 3, 4],
        vec![u64::MAX; 9],
    ] {
        assert_eq!(
            map_capacity::bad(&keys, &NoProbe),
            map_capacity::good(&keys, &NoProbe),
            "{keys:?}"
        );
    }
}

#[test]
fn variants_agree_at_every_size() {
    for &n in Case::sizes() {
        let keys = map_capacity::input(n);
        assert_eq!(keys.len(), n);
        assert_eq!(
            map_capacity::bad(&keys, &NoProbe),
            map_capacity::good(&keys, &NoProbe)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn variants_agree_on_random_inputs(keys in prop::collection::vec(any::<u64>(), 0..500)) {
        prop_assert_eq!(map_capacity::bad(&keys, &NoProbe), map_capacity::good(&keys, &NoProbe));
    }

    /// The counts follow the growth formulas for any number of distinct keys.
    #[test]
    fn counts_follow_the_formulas(n in 0usize..3_000) {
        let keys: Vec<u64> = (0..n as u64).collect();
        let rehashed = |f: fn(&[u64], &Counting) -> u64| {
            let probe = Counting::new();
            f(&keys, &probe);
            probe.get(REHASHED).unwrap_or(0)
        };
        prop_assert_eq!(rehashed(map_capacity::bad), grown_rehashed(n));
        prop_assert_eq!(rehashed(map_capacity::good), 0);
        let (_, bad) = measure(|| map_capacity::bad(&keys, &NoProbe));
        prop_assert_eq!(bad.allocs, grown_allocs(n));
        let (_, good) = measure(|| map_capacity::good(&keys, &NoProbe));
        prop_assert_eq!(good.allocs, u64::from(n > 0));
    }
}

#[test]
fn rehashes_and_allocations_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &n) in run.rows.iter().zip(sizes) {
        assert_eq!(row.counter("bad", REHASHED), Some(grown_rehashed(n)), "{n}");
        assert_eq!(row.counter("good", REHASHED), Some(0), "{n}");
        assert_eq!(row.allocs("bad").unwrap().allocs, grown_allocs(n), "{n}");
        assert_eq!(row.allocs("good").unwrap().allocs, 1, "{n}");
    }
    // 100,000 entries: the growths rehash more entries than the map ends with.
    assert!(grown_rehashed(100_000) > 100_000);
}
