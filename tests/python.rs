//! `python_batching` through the embedded interpreter: outcomes and exact
//! counts, never timings. Built only with `--features python`.
#![cfg(feature = "python")]

use perf_hints::Hint;
use perf_hints::hint::{NoProbe, Probe, outputs};
use perf_hints::hints::python_batching::{self as pb, Case, Input, Scores, Shape};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::model::Param;

fn expected(input: &Input) -> Vec<u64> {
    input
        .values
        .iter()
        .map(|&x| pb::mix(x, input.shape.rounds))
        .collect()
}

const VARIANTS: [&str; 5] = ["bad", "good", "held", "buffer", "view"];

fn run<P: Probe>(variant: &str, input: &Input, probe: &P) -> Scores {
    match variant {
        "bad" => pb::bad(input, probe),
        "good" => pb::good(input, probe),
        "held" => pb::held(input, probe),
        "buffer" => pb::buffer(input, probe),
        "view" => pb::view(input, probe),
        other => panic!("no variant {other}"),
    }
}

/// One call of `variant` with a counting probe: its scores and its
/// (calls into Rust, GIL releases, items scored).
fn counted(variant: &str, input: &Input) -> (Scores, (u64, u64, u64)) {
    let probe = Counting::new();
    let out = run(variant, input, &probe);
    let get = |name| {
        probe
            .get(name)
            .unwrap_or_else(|| panic!("{variant}: no {name:?}"))
    };
    let counts = (
        get("calls into Rust"),
        get("GIL releases"),
        get("items scored"),
    );
    (out, counts)
}

#[test]
fn every_variant_returns_every_item_once_in_order_at_every_size() {
    let mut sizes = Shape::edges();
    sizes.extend_from_slice(Case::sizes());
    for size in sizes {
        let input = (Case::INPUT)(size);
        let want = expected(&input);
        for (name, out) in outputs::<Case>(&input) {
            assert_eq!(out.to_vec(), want, "{name} at {}", size.label());
        }
    }
}

#[test]
fn two_python_threads_lose_and_repeat_nothing_across_runs() {
    for rounds in [pb::LIGHT, pb::HEAVY] {
        for batch in [0, 1, 2, 3, 1_001] {
            let input = Input::new(Shape {
                threads: 2,
                rounds,
                batch,
            });
            let want = expected(&input);
            for _ in 0..25 {
                for name in VARIANTS {
                    let out = run(name, &input, &NoProbe);
                    assert_eq!(out.to_vec(), want, "{name}, batch {batch}");
                }
            }
        }
    }
}

#[test]
fn counts_are_exact_and_repeat() {
    for &size in Case::sizes() {
        let s = size;
        let input = (Case::INPUT)(size);
        let repeats = if s.threads > 1 { 20 } else { 2 };
        for _ in 0..repeats {
            for name in VARIANTS {
                let (out, t) = counted(name, &input);
                assert_eq!(out.to_vec(), expected(&input));
                let batched = s.threads as u64;
                let want = match name {
                    "bad" => (s.batch as u64, 0),
                    "held" | "view" => (batched, 0),
                    _ => (batched, batched),
                };
                assert_eq!(
                    t,
                    (want.0, want.1, s.batch as u64),
                    "{name} at {}: (calls, GIL releases, items)",
                    size.label()
                );
            }
        }
    }
}

#[test]
fn the_gil_is_released_inside_good_and_buffer_only_view_reads_under_it() {
    let input = Input::new(Shape {
        threads: 1,
        rounds: pb::LIGHT,
        batch: 10,
    });
    let releases = |name| counted(name, &input).1.1;
    assert_eq!(releases("good"), 1);
    assert_eq!(releases("buffer"), 1);
    assert_eq!(releases("held"), 0);
    assert_eq!(releases("view"), 0);
    assert_eq!(releases("bad"), 0);
}

/// The timed calls go through the extension that reports nothing: calls
/// with no probe on another thread, which run while a counted call has
/// released the GIL, do not show in its counts.
#[test]
fn calls_with_no_probe_alongside_a_counted_call_are_not_counted() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let counted_input = Input::new(Shape {
        threads: 1,
        rounds: pb::HEAVY,
        batch: 10_000,
    });
    let other = Input::new(Shape {
        threads: 1,
        rounds: pb::LIGHT,
        batch: 10,
    });
    let (stop, calls_alongside) = (AtomicBool::new(false), AtomicU64::new(0));
    /// Stops the other thread when the checks end, by a failure too.
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    std::thread::scope(|s| {
        let _stop = Stop(&stop);
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                run("bad", &other, &NoProbe);
                calls_alongside.fetch_add(1, Ordering::Relaxed);
            }
        });
        for _ in 0..10 {
            for name in VARIANTS {
                let (out, t) = counted(name, &counted_input);
                assert_eq!(out.to_vec(), expected(&counted_input));
                let want = match name {
                    "bad" => (10_000, 0, 10_000),
                    "held" | "view" => (1, 0, 10_000),
                    _ => (1, 1, 10_000),
                };
                assert_eq!(t, want, "{name}: (calls, GIL releases, items)");
            }
        }
    });
    assert!(calls_alongside.load(Ordering::Relaxed) > 0);
}

#[test]
fn counters_match_the_expectations_validate_checks() {
    let size = Shape {
        threads: 2,
        rounds: pb::LIGHT,
        batch: 100,
    };
    let run = counts::count::<Case>(&[size]);
    let got: Vec<(String, String, u64)> = run.rows[0]
        .variants
        .iter()
        .flat_map(|v| {
            v.counters
                .iter()
                .map(|(name, &value)| (v.name.clone(), name.clone(), value))
        })
        .collect();
    assert_eq!(got.len(), 17, "{got:?}");
    for (variant, name, value) in &got {
        let want = match (variant.as_str(), name.as_str()) {
            (_, "items scored") => 100,
            ("bad", "calls into Rust") => 100,
            (_, "calls into Rust") => 2,
            ("good" | "buffer", "GIL releases") => 2,
            ("buffer", "buffer bytes copied") => 8 * 100,
            ("view", "buffer bytes copied") => 0,
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
