//! `aa_control`: the two arms are the same code, they agree, and the run's
//! margin follows from the control's spread.

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::aa_control::{self, Case};
use perf_hints::model::Param;
use perf_hints::model::{Estimate, MAX_MARGIN, MIN_MARGIN, Noise};

#[test]
fn both_arms_agree_at_every_size_and_on_edge_inputs() {
    for &n in Case::sizes() {
        let input = (Case::INPUT)(n);
        assert_eq!(
            aa_control::bad(&input, &NoProbe),
            aa_control::good(&input, &NoProbe),
            "{}",
            n.key()
        );
    }
    for xs in [vec![], vec![u64::MAX, 1], vec![7]] {
        assert_eq!(
            aa_control::bad(&xs, &NoProbe),
            aa_control::good(&xs, &NoProbe)
        );
    }
    assert_eq!(aa_control::sum_a(&[u64::MAX, 2]), 1, "the sum wraps");
    assert_eq!(aa_control::sum_b(&[u64::MAX, 2]), 1, "both copies wrap");
}

#[test]
fn the_margin_is_twice_the_median_control_interval_within_bounds() {
    let e = |lo: f64, hi: f64| Estimate {
        point: (lo * hi).sqrt(),
        lo,
        hi,
    };
    // The median of three half-widths: one noisy size does not set it.
    let n = Noise::from_control(
        "aa_control",
        &[e(0.98, 1.02), e(1.0 / 1.04, 1.04), e(1.0 / 1.5, 1.5)],
    )
    .unwrap();
    assert!((n.floor - 0.04).abs() < 1e-9, "{n:?}");
    assert!((n.margin - 0.08).abs() < 1e-9, "{n:?}");
    let quiet = Noise::from_control("aa_control", &[e(0.999, 1.001)]).unwrap();
    assert_eq!(quiet.margin, MIN_MARGIN);
    let loud = Noise::from_control("aa_control", &[e(0.5, 2.0)]).unwrap();
    assert_eq!(loud.margin, MAX_MARGIN);
    assert!(Noise::from_control("aa_control", &[]).is_none());
}

#[test]
fn a_biased_control_is_not_level() {
    use perf_hints::model::{Level, Row, VariantFigures};
    // Tight intervals (floor 1 %, margin 3 %) around 1.10x: the second arm
    // is systematically faster, and the control says so.
    let row = |point: f64| {
        Row::new(
            "4096",
            vec![
                VariantFigures {
                    name: "bad".into(),
                    ..Default::default()
                },
                VariantFigures {
                    name: "good".into(),
                    speedup: Some(Estimate {
                        point,
                        lo: point / 1.01,
                        hi: point * 1.01,
                    }),
                    ..Default::default()
                },
            ],
        )
    };
    let entry = perf_hints::hints::get("aa_control").unwrap();
    let level = |p: f64| entry.verdict(&row(p), 0.03).map(|v| v.level);
    assert_eq!(level(1.0), Some(Level::Holds));
    assert_eq!(level(1.10), Some(Level::DoesNotHold));
}
