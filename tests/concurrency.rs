//! Outcomes, never timings: `bounded_concurrency` against its real loopback
//! server, `spawn_granularity` and the thread hints (`thread_hints` below) at
//! many thread counts.

use perf_hints::hint::NoProbe;
use perf_hints::hints::bounded_concurrency::{self as bc, Client, Service};
use perf_hints::measure::probe::Counting;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn expected(n: usize) -> Vec<u64> {
    (0..n as u64).map(bc::payload).collect()
}

#[test]
fn bounded_client_keeps_at_most_k_in_flight_and_gets_every_answer() {
    let n = 30;
    for k in [1, 2, 3, 8, 20, 64] {
        let s = Service::start(n, k);
        let probe = Counting::new();
        let answers = s.rt.block_on(bc::good(&s.client, n, k, &probe)).unwrap();
        assert_eq!(answers, expected(n), "k = {k}");
        let peak = probe.get("peak in flight").unwrap() as usize;
        assert!(peak <= k, "k = {k}: {peak} requests were in flight");
        assert_eq!(peak, k.min(n), "k = {k}: the bound was not used");
    }
}

#[test]
fn sequential_has_one_in_flight_and_unbounded_has_all() {
    let n = 40;
    let s = Service::start(n, 4);
    let probe = Counting::new();
    assert_eq!(
        s.rt.block_on(bc::bad(&s.client, n, &probe)).unwrap(),
        expected(n)
    );
    assert_eq!(probe.get("peak in flight"), Some(1));
    let probe = Counting::new();
    assert_eq!(
        s.rt.block_on(bc::unbounded(&s.client, n, &probe)).unwrap(),
        expected(n)
    );
    assert_eq!(probe.get("peak in flight"), Some(n as u64));
}

#[test]
fn repeated_runs_give_the_same_answers() {
    let s = Service::start(16, 4);
    for _ in 0..5 {
        assert_eq!(
            s.rt.block_on(bc::good(&s.client, 16, 4, &NoProbe)).unwrap(),
            expected(16)
        );
    }
}

#[test]
fn a_refused_connection_is_an_error_not_a_hang() {
    // Bind a port, then free it: nothing listens there any more.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::new(addr);
    let rt = runtime();
    let err = rt.block_on(bc::good(&client, 5, 2, &NoProbe)).unwrap_err();
    assert!(err.contains(&addr.to_string()), "{err}");
    let err = rt.block_on(bc::bad(&client, 5, &NoProbe)).unwrap_err();
    assert!(err.contains("request 0"), "{err}");
}

#[test]
fn a_dropped_connection_is_an_error_not_a_hang() {
    // A server that accepts and hangs up without answering.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            drop(conn);
        }
    });
    let client = Client::new(addr);
    let err = runtime()
        .block_on(bc::unbounded(&client, 4, &NoProbe))
        .unwrap_err();
    assert!(err.contains("request"), "{err}");
}

// spawn_granularity (branch `async`): every item processed exactly once, on
// runtimes of 1 to 8 workers, over repeated runs; outcomes, never timings.
mod spawn_granularity {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use perf_hints::hints::spawn_granularity::{self as sg, ItemFn, Job};
    use perf_hints::measure::probe::Counting;

    const VARIANTS: [&str; 3] = ["bad", "good", "inline"];

    fn value(x: u64) -> u64 {
        sg::work(x, 3)
    }

    /// The item function: [`value`], and a tally of how often each item ran.
    fn recording(hits: &Arc<[AtomicU32]>) -> impl ItemFn + use<> {
        let hits = Arc::clone(hits);
        move |x| {
            hits[x as usize].fetch_add(1, Ordering::Relaxed);
            value(x)
        }
    }

    /// Runs `variant` on items `0..n`; returns its output, the hits per item
    /// and the tasks it spawned.
    fn run(job: &Job, variant: &str) -> (Vec<u64>, Vec<u32>, u64) {
        let hits: Arc<[AtomicU32]> = (0..job.items.len()).map(|_| AtomicU32::new(0)).collect();
        let f = recording(&hits);
        let probe = Counting::new();
        let out = match variant {
            "bad" => sg::bad(job, f, &probe),
            "good" => sg::good(job, f, &probe),
            "inline" => sg::inline(job, f, &probe),
            _ => unreachable!(),
        };
        let hits = hits.iter().map(|h| h.load(Ordering::Relaxed)).collect();
        let spawned = probe
            .get("tasks spawned")
            .expect("every variant reports its spawns");
        (out, hits, spawned)
    }

    fn check(threads: usize, n: usize, repeats: usize) {
        let job = Job::new(threads, (0..n as u64).collect(), 0);
        let expected: Vec<u64> = (0..n as u64).map(value).collect();
        let total = expected.iter().fold(0u64, |a, &b| a.wrapping_add(b));
        for round in 0..repeats {
            for variant in VARIANTS {
                let at = format!("{variant}, {threads} workers, {n} items, run {round}");
                let (out, hits, spawned) = run(&job, variant);
                assert_eq!(out.len(), n, "{at}: wrong number of results");
                assert_eq!(out, expected, "{at}: results differ or are out of order");
                assert_eq!(
                    out.iter().fold(0u64, |a, &b| a.wrapping_add(b)),
                    total,
                    "{at}: total"
                );
                if let Some(i) = hits.iter().position(|&h| h != 1) {
                    panic!("{at}: item {i} ran {} times", hits[i]);
                }
                let want = match variant {
                    "bad" => n,
                    "good" => sg::chunks(n, threads),
                    _ => 0,
                };
                assert_eq!(spawned, want as u64, "{at}: tasks spawned");
            }
        }
    }

    #[test]
    fn every_item_runs_exactly_once_on_1_to_8_workers_over_repeated_runs() {
        for threads in [1, 2, 4, 8] {
            // 1,001 items: the last chunk is shorter than the others.
            check(threads, 1_001, 25);
        }
    }

    #[test]
    fn no_items_one_item_and_fewer_items_than_chunks() {
        for threads in [1, 2, 4, 8] {
            for n in [0, 1, 2, 3, 5, 31, 33] {
                check(threads, n, 3);
            }
        }
    }

    #[test]
    fn good_spawns_a_small_multiple_of_the_workers_and_covers_every_item() {
        for threads in 1..=8 {
            for n in 0..200 {
                let c = sg::chunks(n, threads);
                assert!(
                    c <= sg::CHUNKS_PER_WORKER * threads,
                    "{n} items, {threads} workers: {c} chunks"
                );
                assert_eq!(c == 0, n == 0, "{n} items, {threads} workers: {c} chunks");
            }
            assert_eq!(
                sg::chunks(sg::ITEMS, threads),
                sg::CHUNKS_PER_WORKER * threads
            );
        }
    }
}

// The thread hints (branch `threads`): every item processed once, totals equal
// to the sequential ones, no lost updates, at thread counts below, at and above
// the cores, over repeated runs. Nothing here depends on the machine's speed.
mod thread_hints {
    use perf_hints::hint::NoProbe;
    use perf_hints::hints::{lock_contention as lc, parallel_iter as pi, sharded_map as sm};
    use perf_hints::measure::probe::Counting;
    use perf_hints::support::threads::work;

    const THREADS: [usize; 6] = [1, 2, 3, 4, 8, 16];
    const RUNS: usize = 25;

    /// The probe counts the items processed: exactly `n`. `work` is a
    /// bijection (xor-shift and an odd multiplier), so on distinct items a
    /// skipped item made up for by a repeated one changes the sum: count and
    /// sum together say every item ran exactly once.
    #[test]
    fn par_iter_processes_every_item_exactly_once() {
        for t in THREADS {
            let input = pi::input(t, 1_000, 3);
            let mut distinct = input.items.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), input.items.len(), "the items are distinct");
            let want = input
                .items
                .iter()
                .fold(0u64, |s, &x| s.wrapping_add(work(x, 3)));
            for run in 0..RUNS {
                for (name, f) in [
                    (
                        "bad",
                        pi::bad::<Counting> as fn(&pi::Input, &Counting) -> u64,
                    ),
                    ("good", pi::good),
                ] {
                    let probe = Counting::new();
                    assert_eq!(f(&input, &probe), want, "{name}, {t} threads, run {run}");
                    assert_eq!(
                        probe.get("items processed"),
                        Some(input.items.len() as u64),
                        "{name}, {t} threads, run {run}: an item was skipped or processed twice"
                    );
                }
            }
        }
    }

    #[test]
    fn shared_total_loses_no_update_under_any_variant() {
        for t in THREADS {
            let input = lc::input(t, 3_000, 0);
            let want = input.items.iter().fold(0u64, |s, &x| s.wrapping_add(x));
            for run in 0..RUNS {
                for (name, f) in [
                    (
                        "bad",
                        lc::bad::<Counting> as fn(&lc::Input, &Counting) -> u64,
                    ),
                    ("good", lc::good),
                    ("atomic", lc::atomic),
                ] {
                    let probe = Counting::new();
                    assert_eq!(f(&input, &probe), want, "{name}, {t} threads, run {run}");
                    let expected = if name == "good" { t } else { input.items.len() };
                    assert_eq!(
                        probe.get("shared updates"),
                        Some(expected as u64),
                        "{name}, {t} threads, run {run}: shared updates"
                    );
                }
            }
        }
    }

    #[test]
    fn shared_maps_end_as_the_sequential_run_does() {
        for t in THREADS {
            for percent in [0, 10, 50, 100] {
                let input = sm::input(t, 2_000, percent);
                let want = sm::sequential(&input);
                for run in 0..RUNS {
                    let what = format!("{t} threads, {percent} % writes, run {run}");
                    assert_eq!(sm::bad(&input, &NoProbe), want, "rwlock, {what}");
                    assert_eq!(sm::good(&input, &NoProbe), want, "dashmap, {what}");
                    assert_eq!(sm::mutex(&input, &NoProbe), want, "mutex, {what}");
                }
            }
        }
    }

    #[test]
    fn every_map_operation_takes_exactly_one_lock() {
        for t in [1, 2, 4, 8] {
            let input = sm::input(t, 2_000, 50);
            let shards = {
                use sm::SharedMap;
                input.start_dash.locks()
            };
            for run in 0..RUNS {
                for (name, f, locks) in [
                    (
                        "good",
                        sm::good::<Counting> as fn(&sm::Input, &Counting) -> sm::Summary,
                        shards,
                    ),
                    ("bad", sm::bad, 1),
                    ("mutex", sm::mutex, 1),
                ] {
                    let what = format!("{name}, {t} threads, run {run}");
                    let probe = Counting::new();
                    f(&input, &probe);
                    assert_eq!(probe.get("locks"), Some(locks as u64), "{what}: locks");
                    let taken = probe.slots("busiest lock");
                    assert!(taken.len() <= locks, "{what}: a lock out of range");
                    assert_eq!(taken.iter().sum::<u64>(), 2_000, "{what}: locks taken");
                }
            }
        }
    }
}
