//! `sorted_intersection`: every variant, `sort_merge` on the shuffled sides
//! included, agrees on edge and random inputs, and the comparison counts
//! follow the cost model.

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::sorted_intersection::{self as si, COMPARES, Case, HASHES, Pair};
use perf_hints::measure::counts;
use proptest::prelude::*;

fn sorted_distinct(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

fn agree(a: &[u32], b: &[u32]) {
    let p = Pair::new(sorted_distinct(a.to_vec()), sorted_distinct(b.to_vec()));
    let bad = si::bad(&p.a, &p.b, &NoProbe);
    assert_eq!(bad, si::good(&p.a, &p.b, &NoProbe), "good {a:?} {b:?}");
    assert_eq!(bad, si::merge(&p.a, &p.b, &NoProbe), "merge {a:?} {b:?}");
    assert_eq!(bad, si::scan(&p.a, &p.b), "scan {a:?} {b:?}");
    assert_eq!(
        bad,
        si::sort_merge(&p.ua, &p.ub, &NoProbe),
        "sort_merge {a:?} {b:?}"
    );
}

#[test]
fn variants_agree_on_edge_inputs() {
    agree(&[], &[]);
    agree(&[1], &[]);
    agree(&[], &[1]);
    agree(&[1], &[1]);
    agree(&[1, 2, 3], &[4, 5, 6]);
    agree(&[0, u32::MAX], &[u32::MAX]);
    agree(&[5, 4, 3, 2, 1], &[1, 3, 5]);
}

#[test]
fn the_shuffled_sides_hold_the_same_values() {
    for &n in Case::sizes() {
        let p = si::input(n);
        assert_eq!(sorted_distinct(p.ua.clone()), p.a, "{n}");
        assert_eq!(sorted_distinct(p.ub.clone()), p.b, "{n}");
        if n >= 100 {
            assert_ne!(p.ua, p.a, "{n}: ua is not shuffled");
        }
    }
}

#[test]
fn comparison_counts_follow_the_cost_model() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &n) in run.rows.iter().zip(sizes) {
        let p = si::input(n);
        let (a, b) = (p.a.len() as u64, p.b.len() as u64);
        let get = |v, c| row.counter(v, c).unwrap();
        // The merge advances at least one side per comparison.
        assert!(get("merge", COMPARES) <= a + b, "{n}");
        // A binary search halves `B` per comparison, plus a last one to check.
        let steps = u64::from(64 - b.leading_zeros()) + 1;
        assert!(get("bad", COMPARES) <= a * steps, "{n}");
        assert!(get("sort_merge", COMPARES) > get("bad", COMPARES), "{n}");
        // One hash per item put in the set and one per probe.
        assert_eq!(get("good", HASHES), a + b, "{n}: a {a}, b {b}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn variants_agree_on_random_inputs(
        a in prop::collection::vec(0u32..300, 0..200),
        b in prop::collection::vec(0u32..300, 0..200),
    ) {
        let p = Pair::new(sorted_distinct(a), sorted_distinct(b));
        let bad = si::bad(&p.a, &p.b, &NoProbe);
        prop_assert_eq!(&bad, &si::good(&p.a, &p.b, &NoProbe));
        prop_assert_eq!(&bad, &si::merge(&p.a, &p.b, &NoProbe));
        prop_assert_eq!(&bad, &si::sort_merge(&p.ua, &p.ub, &NoProbe));
    }
}
