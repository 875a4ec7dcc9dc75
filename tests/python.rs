//! `python_batching` through the embedded interpreter: outcomes and exact
//! counts, never timings. Built only with `--features python`.
#![cfg(feature = "python")]

use std::sync::Mutex;

use perf_hints::Hint;
use perf_hints::hint::outputs;
use perf_hints::hints::python_batching::{self as pb, Case, Input, Scores, Shape};
use perf_hints::model::Param;

/// The tallies are process-wide: one test at a time calls the extension.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn expected(input: &Input) -> Vec<u64> {
    input
        .values
        .iter()
        .map(|&x| pb::mix(x, input.shape.rounds))
        .collect()
}

type Variant = fn(&Input) -> Scores;
const VARIANTS: [(&str, Variant); 4] = [
    ("bad", pb::bad),
    ("good", pb::good),
    ("held", pb::held),
    ("buffer", pb::buffer),
];

#[test]
fn every_variant_returns_every_item_once_in_order_at_every_size() {
    let _one = serial();
    let mut sizes = Shape::edges();
    sizes.extend_from_slice(Case::sizes());
    for size in sizes {
        let input = Case::input(size);
        let want = expected(&input);
        for (name, out) in outputs::<Case>(&input) {
            assert_eq!(out.to_vec(), want, "{name} at {}", size.label());
        }
    }
}

#[test]
fn two_python_threads_lose_and_repeat_nothing_across_runs() {
    let _one = serial();
    for rounds in [pb::LIGHT, pb::HEAVY] {
        for batch in [0, 1, 2, 3, 1_001] {
            let input = Input::new(Shape {
                threads: 2,
                rounds,
                batch,
            });
            let want = expected(&input);
            for _ in 0..25 {
                for (name, run) in VARIANTS {
                    assert_eq!(run(&input).to_vec(), want, "{name}, batch {batch}");
                }
            }
        }
    }
}

#[test]
fn counts_are_exact_and_repeat() {
    let _one = serial();
    for &size in Case::sizes() {
        let s = size;
        let input = Case::input(size);
        let repeats = if s.threads > 1 { 20 } else { 2 };
        for _ in 0..repeats {
            for (name, run) in VARIANTS {
                let (out, t) = pb::counted(|| run(&input));
                assert_eq!(out.to_vec(), expected(&input));
                let batched = s.threads as u64;
                let want = match name {
                    "bad" => (s.batch as u64, 0),
                    "held" => (batched, 0),
                    _ => (batched, batched),
                };
                assert_eq!(
                    (t.calls, t.releases, t.items),
                    (want.0, want.1, s.batch as u64),
                    "{name} at {}: (calls, GIL releases, items)",
                    size.label()
                );
            }
        }
    }
}

#[test]
fn the_gil_is_released_inside_good_and_buffer_only() {
    let _one = serial();
    let input = Input::new(Shape {
        threads: 1,
        rounds: pb::LIGHT,
        batch: 10,
    });
    let releases = |run: Variant| pb::counted(|| run(&input)).1.releases;
    assert_eq!(releases(pb::good), 1);
    assert_eq!(releases(pb::buffer), 1);
    assert_eq!(releases(pb::held), 0);
    assert_eq!(releases(pb::bad), 0);
}

#[test]
fn counters_match_the_expectations_validate_checks() {
    let _one = serial();
    let size = Shape {
        threads: 2,
        rounds: pb::LIGHT,
        batch: 100,
    };
    let input = Case::input(size);
    let got: Vec<(String, String, u64)> = Case::counters(&input)
        .into_iter()
        .map(|c| (c.variant.to_string(), c.name.to_string(), c.value))
        .collect();
    assert_eq!(got.len(), 12, "{got:?}");
    for (variant, name, value) in &got {
        let want = match (variant.as_str(), name.as_str()) {
            (_, "items scored") => 100,
            ("bad", "calls into Rust") => 100,
            (_, "calls into Rust") => 2,
            ("good" | "buffer", "GIL releases") => 2,
            (_, "GIL releases") => 0,
            other => panic!("unexpected counter {other:?}"),
        };
        assert_eq!(*value, want, "{variant} {name}");
    }
}

#[test]
fn sizes_key_back_to_themselves_and_read_the_old_packed_numbers() {
    for &size in Case::sizes() {
        assert_eq!(Shape::parse(&size.key()), Some(size));
    }
    let two = Shape {
        threads: 2,
        rounds: 100,
        batch: 10_000,
    };
    assert_eq!(two.key(), "2t-100r-b10000");
    // Schema-1 records packed threads × 10⁸ + rounds × 10⁵ + batch.
    assert_eq!(Shape::from_legacy(210_010_000), Some(two));
    assert_eq!(
        Shape::from_legacy(0),
        Some(Shape {
            threads: 1,
            rounds: 0,
            batch: 0
        })
    );
}
