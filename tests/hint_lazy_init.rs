//! `lazy_init`: the variants agree on edge and random inputs, and the tables
//! built and the allocations are exactly what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::lazy_init::{self, BUILT, Case, REQUESTS, Request, users};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

fn all(requests: &[Request]) -> [u64; 3] {
    [
        lazy_init::bad(requests, &NoProbe),
        lazy_init::good(requests, &NoProbe),
        lazy_init::shared(requests, &NoProbe),
    ]
}

fn agree(requests: &[Request]) {
    let [bad, good, shared] = all(requests);
    assert_eq!(bad, good, "good, {requests:?}");
    assert_eq!(bad, shared, "shared, {requests:?}");
}

fn request(payload: &[u8], uses_table: bool) -> Request {
    Request {
        payload: payload.to_vec(),
        uses_table,
    }
}

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    agree(&[]);
    agree(&[request(&[], false)]);
    agree(&[request(&[], true)]);
    agree(&[request(&[7], true), request(&[7], false)]);
    agree(&[request(&[1, 2, 3], true), request(&[255; 9], true)]);
}

#[test]
fn variants_agree_at_every_size() {
    for &share in Case::sizes() {
        agree(&lazy_init::input(share));
    }
}

#[test]
fn the_input_has_the_share_of_users_it_says() {
    for share in [0, 10, 50, 100] {
        let input = lazy_init::input(share);
        assert_eq!(input.len(), REQUESTS);
        assert_eq!(input.iter().filter(|r| r.uses_table).count(), users(share));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn variants_agree_on_random_inputs(
        reqs in prop::collection::vec((prop::collection::vec(any::<u8>(), 0..40), any::<bool>()), 0..12),
    ) {
        let requests: Vec<Request> = reqs.into_iter().map(|(p, u)| Request { payload: p, uses_table: u }).collect();
        let [bad, good, shared] = all(&requests);
        prop_assert_eq!(bad, good);
        prop_assert_eq!(bad, shared);
    }

    /// A build per request for `bad`, per using request for `good`, none for
    /// `shared` once its static is built.
    #[test]
    fn builds_follow_the_formulas(uses in prop::collection::vec(any::<bool>(), 0..20)) {
        let requests: Vec<Request> = uses.iter().map(|&u| request(&[1, 2, 3], u)).collect();
        lazy_init::shared(&[request(&[], true)], &NoProbe);
        let built = |f: fn(&[Request], &Counting) -> u64| {
            let probe = Counting::new();
            f(&requests, &probe);
            probe.get(BUILT).unwrap_or(0)
        };
        prop_assert_eq!(built(lazy_init::bad), uses.len() as u64);
        prop_assert_eq!(built(lazy_init::good), uses.iter().filter(|&&u| u).count() as u64);
        prop_assert_eq!(built(lazy_init::shared), 0);
    }
}

#[test]
fn builds_and_allocations_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &share) in run.rows.iter().zip(sizes) {
        let r = REQUESTS as u64;
        let u = users(share) as u64;
        assert_eq!(row.counter("bad", BUILT), Some(r), "{share}");
        assert_eq!(row.counter("good", BUILT), Some(u), "{share}");
        assert_eq!(row.counter("shared", BUILT), Some(0), "{share}");
        for (v, n) in [("bad", r), ("good", u), ("shared", 0)] {
            let a = row.allocs(v).unwrap();
            assert_eq!((a.allocs, a.reallocs), (n, 0), "{v}/{share}");
        }
    }
}
