//! `simd_reduction`: the three sums agree exactly on inputs where every order
//! of addition is exact, at the edges and on random inputs; the longest chain
//! of dependent adds and the allocations are exact counts.

perf_hints::count_allocations!();

use perf_hints::hint::NoProbe;
use perf_hints::hints::simd_reduction::{self, CHAIN};
use perf_hints::measure::alloc_count::measure;
use perf_hints::measure::counts;
use proptest::prelude::*;

fn sums(xs: &[f64]) -> [f64; 3] {
    [
        simd_reduction::bad(xs, &NoProbe),
        simd_reduction::good(xs, &NoProbe),
        simd_reduction::fold4(xs, &NoProbe),
    ]
}

/// The same bits, not only `==` (which would let `-0.0` pass for `0.0`).
fn assert_same(xs: &[f64]) {
    let [bad, good, fold4] = sums(xs);
    assert_eq!(bad.to_bits(), good.to_bits(), "good, {} elements", xs.len());
    assert_eq!(
        bad.to_bits(),
        fold4.to_bits(),
        "fold4, {} elements",
        xs.len()
    );
}

#[test]
fn edges_agree() {
    assert_same(&[]);
    assert_eq!(sums(&[]), [0.0; 3]);
    assert_same(&[2.5]);
    assert_eq!(sums(&[2.5]), [2.5; 3]);
    assert_same(&[-0.25]);
    // Every remainder length past a whole number of chunks of 8 and of 4.
    let xs = simd_reduction::input(40);
    for n in 0..=xs.len() {
        assert_same(&xs[..n]);
    }
}

#[test]
fn the_inputs_sum_exactly_in_any_order() {
    let xs = simd_reduction::input(50_000);
    assert!(
        xs.iter()
            .all(|x| (x * 4.0).fract() == 0.0 && x.abs() <= 512.0)
    );
    // A different order (reversed, and as exact integers of quarters) gives
    // the same bits: the property the agreement check relies on.
    let forward = simd_reduction::bad(&xs, &NoProbe);
    let reversed: Vec<f64> = xs.iter().rev().copied().collect();
    assert_eq!(
        forward.to_bits(),
        simd_reduction::bad(&reversed, &NoProbe).to_bits()
    );
    let quarters: i64 = xs.iter().map(|&x| (x * 4.0) as i64).sum();
    assert_eq!(forward, quarters as f64 / 4.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Multiples of 1/4 in -512..512: every partial sum is exact, so the
    /// order of addition cannot show.
    #[test]
    fn random_inputs_agree(quarters in prop::collection::vec(-2048i32..2048, 0..600)) {
        let xs: Vec<f64> = quarters.iter().map(|&q| f64::from(q) * 0.25).collect();
        let [bad, good, fold4] = sums(&xs);
        prop_assert_eq!(bad.to_bits(), good.to_bits());
        prop_assert_eq!(bad.to_bits(), fold4.to_bits());
        let exact: i64 = quarters.iter().map(|&q| i64::from(q)).sum();
        prop_assert_eq!(bad, exact as f64 / 4.0);
    }
}

#[test]
fn dependent_adds_are_exact() {
    let sizes = [1, 7, 8, 9, 1_000, 50_000];
    let run = counts::count::<simd_reduction::Case>(&sizes);
    for (row, &n) in run.rows.iter().zip(&sizes) {
        let n64 = n as u64;
        assert_eq!(row.counter("bad", CHAIN), Some(n64), "n = {n}");
        // One add per chunk on each chain, one for a remainder, then the
        // combining tree: three levels for eight, two for four.
        assert_eq!(
            row.counter("good", CHAIN),
            Some(n.div_ceil(8) as u64 + 3),
            "n = {n}"
        );
        assert_eq!(
            row.counter("fold4", CHAIN),
            Some(n.div_ceil(4) as u64 + 2),
            "n = {n}"
        );
    }
}

#[test]
fn no_variant_allocates() {
    let xs = simd_reduction::input(50_000);
    let (_, bad) = measure(|| simd_reduction::bad(&xs, &NoProbe));
    let (_, good) = measure(|| simd_reduction::good(&xs, &NoProbe));
    let (_, fold4) = measure(|| simd_reduction::fold4(&xs, &NoProbe));
    assert!(perf_hints::measure::alloc_count::is_installed());
    assert_eq!(bad.total(), 0);
    assert_eq!(good.total(), 0);
    assert_eq!(fold4.total(), 0);
}
