//! `lazy_init`: the variants agree on edge and random inputs, and the tables
//! built and the allocations are exactly what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::lazy_init::{self, BUILT, Case, PAYLOAD, Request};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

fn agree(requests: &[Request]) {
    let bad = lazy_init::bad(requests, &NoProbe);
    let good = lazy_init::good(requests, &NoProbe);
    assert_eq!(bad, good, "{requests:?}");
}

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    agree(&[]);
    agree(&[[0; PAYLOAD]]);
    agree(&[[255; PAYLOAD]]);
    agree(&[[7; PAYLOAD], [7; PAYLOAD]]);
    agree(&[[1; PAYLOAD], [0; PAYLOAD], [254; PAYLOAD]]);
}

#[test]
fn variants_agree_at_every_size() {
    for &n in Case::sizes() {
        let input = lazy_init::input(n);
        assert_eq!(input.len(), n);
        agree(&input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn variants_agree_on_random_inputs(
        reqs in prop::collection::vec(prop::collection::vec(any::<u8>(), PAYLOAD), 0..12),
    ) {
        let requests: Vec<Request> = reqs
            .into_iter()
            .map(|p| p.try_into().expect("PAYLOAD bytes"))
            .collect();
        prop_assert_eq!(
            lazy_init::bad(&requests, &NoProbe),
            lazy_init::good(&requests, &NoProbe)
        );
    }

    /// A build per call for `bad`, whatever the batch; none for `good`
    /// once its static is built.
    #[test]
    fn builds_follow_the_formulas(n in 0usize..40) {
        let requests = lazy_init::input(n);
        lazy_init::good(&[], &NoProbe);
        let built = |f: fn(&[Request], &Counting) -> u64| {
            let probe = Counting::new();
            f(&requests, &probe);
            probe.get(BUILT).unwrap_or(0)
        };
        prop_assert_eq!(built(lazy_init::bad), 1);
        prop_assert_eq!(built(lazy_init::good), 0);
    }
}

#[test]
fn builds_and_allocations_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &n) in run.rows.iter().zip(sizes) {
        assert_eq!(row.counter("bad", BUILT), Some(1), "{n}");
        assert_eq!(row.counter("good", BUILT), Some(0), "{n}");
        for (v, want) in [("bad", 1), ("good", 0)] {
            let a = row.allocs(v).unwrap();
            assert_eq!((a.allocs, a.reallocs), (want, 0), "{v}/{n}");
        }
    }
}
