//! `blocking_in_async`: the variants get the same answers at every size and
//! on edge inputs, the counters are exactly what `fn expect` declares, and
//! the outcomes (not the timings) of blocking a worker show: on one worker a
//! ready heartbeat task runs only after every blocking request, and before
//! the awaited ones finish.

use std::time::Duration;

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::blocking_in_async::{
    self as bia, AHEAD, BLOCKED, Case, Job, POOL, REQUESTS, payload,
};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

type Variant = fn(&Job, &Counting) -> Result<Vec<u64>, String>;

const VARIANTS: [(&str, Variant); 3] = [
    ("bad", bia::bad::<Counting>),
    ("good", bia::good::<Counting>),
    ("spawn_blocking", bia::spawn_blocking::<Counting>),
];

fn expected(n: usize) -> Vec<u64> {
    (0..n as u64).map(payload).collect()
}

/// Every variant's answers, and its counters, on one job.
fn run_all(job: &Job) -> Vec<(&'static str, Vec<u64>, Counting)> {
    VARIANTS
        .iter()
        .map(|&(name, f)| {
            let probe = Counting::new();
            let out = f(job, &probe).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, out, probe)
        })
        .collect()
}

#[test]
fn every_variant_gets_every_answer_in_request_order() {
    for threads in [1, 2] {
        for n in [0, 1, 3, REQUESTS] {
            for d in [0, 200] {
                let job = Job::new(threads, n, Duration::from_micros(d));
                for (name, out, _) in run_all(&job) {
                    assert_eq!(
                        out,
                        expected(n),
                        "{name}, {threads} workers, {n} requests, {d} µs"
                    );
                }
            }
        }
    }
}

#[test]
fn the_bench_sizes_and_edges_agree_and_answer() {
    use perf_hints::model::Param;
    let sizes = Case::sizes();
    for &size in sizes.iter().chain(&bia::Size::edges()) {
        let job = bia::input(size);
        let n = job.requests;
        for (name, f) in [
            ("bad", bia::bad::<NoProbe> as fn(&Job, &NoProbe) -> _),
            ("good", bia::good::<NoProbe>),
            ("spawn_blocking", bia::spawn_blocking::<NoProbe>),
        ] {
            assert_eq!(f(&job, &NoProbe), Ok(expected(n)), "{name} at {size:?}");
        }
    }
}

/// One worker blocked in a request runs nothing else: the heartbeat, queued
/// behind the requests, sees all of them done. The async requests give the
/// worker back at once, so it runs while all of them are still waiting.
#[test]
fn on_one_worker_blocking_starves_the_heartbeat_and_async_does_not() {
    let job = Job::new(1, REQUESTS, Duration::from_millis(1));
    for _ in 0..3 {
        let got = run_all(&job);
        let count = |v: &str, c: &str| {
            got.iter()
                .find(|(n, ..)| *n == v)
                .and_then(|(_, _, p)| p.get(c))
        };
        assert_eq!(count("bad", AHEAD), Some(REQUESTS as u64));
        // The heartbeat runs while the awaited requests are in flight: 0 on
        // a quiet machine; a worker descheduled for the whole wait could let
        // one finish first, never all.
        assert!(count("good", AHEAD).unwrap() < REQUESTS as u64);
        // Its hand-offs take a thread wake-up each: on a loaded machine one
        // pool call may finish first, but never all of them.
        assert!(count("spawn_blocking", AHEAD).unwrap() < REQUESTS as u64);
        assert_eq!(count("bad", BLOCKED), Some(1));
        assert_eq!(count("good", BLOCKED), Some(0));
        assert_eq!(count("spawn_blocking", BLOCKED), Some(0));
        assert_eq!(count("spawn_blocking", POOL), Some(REQUESTS as u64));
        assert_eq!(count("bad", POOL), Some(0));
    }
}

/// With more workers than one, never more are blocked than there are, and
/// the async variants never block any.
#[test]
fn blocked_workers_never_exceed_the_workers() {
    for threads in [2, 3] {
        let job = Job::new(threads, REQUESTS, Duration::from_micros(500));
        for (name, _, probe) in run_all(&job) {
            let blocked = probe.get(BLOCKED).unwrap();
            if name == "bad" {
                assert!(
                    (1..=threads as u64).contains(&blocked),
                    "{threads}: {blocked}"
                );
            } else {
                assert_eq!(blocked, 0, "{name}");
            }
        }
    }
}

#[test]
fn counters_are_exactly_what_expect_declares() {
    let run = counts::count::<Case>(Case::sizes());
    for (row, size) in run.rows.iter().zip(Case::sizes()) {
        let n = REQUESTS as u64;
        let t = size.threads as u64;
        assert_eq!(row.counter("bad", BLOCKED), Some(t.min(n)), "{size:?}");
        assert_eq!(row.counter("good", BLOCKED), Some(0), "{size:?}");
        assert_eq!(row.counter("spawn_blocking", BLOCKED), Some(0), "{size:?}");
        assert_eq!(row.counter("spawn_blocking", POOL), Some(n), "{size:?}");
        assert_eq!(row.counter("good", POOL), Some(0), "{size:?}");
        if size.threads == 1 {
            assert_eq!(row.counter("bad", AHEAD), Some(n), "{size:?}");
        }
        if size.x >= 1_000 {
            assert!(row.counter("good", AHEAD).unwrap() < n, "{size:?}");
            assert!(
                row.counter("spawn_blocking", AHEAD).unwrap() < n,
                "{size:?}"
            );
        }
    }
    let checks = perf_hints::hints::get("blocking_in_async")
        .unwrap()
        .check(&run);
    let fails: Vec<String> = checks.into_iter().flat_map(|c| c.failures).collect();
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn variants_agree_for_any_workers_requests_and_wait(
        threads in 1usize..4,
        n in 0usize..12,
        d in 0u64..300,
    ) {
        let job = Job::new(threads, n, Duration::from_micros(d));
        for (name, out, _) in run_all(&job) {
            prop_assert_eq!(out, expected(n), "{}", name);
        }
    }
}
