//! `round_trip_batching`: the variants agree with each other and with the
//! server's values, the requests and round trips are exactly what `fn expect`
//! declares, and a server that goes away is an error, never a hang.

use std::sync::mpsc;
use std::time::Duration;

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::round_trip_batching::{self as rtb, Case, Input, REQUESTS, ROUND_TRIPS};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::support::kv_server::{self, Server};
use proptest::prelude::*;

type Variant = fn(&Input, &Counting) -> Result<Vec<u64>, String>;
const VARIANTS: [(&str, Variant); 3] = [
    ("bad", rtb::bad::<Counting>),
    ("good", rtb::good::<Counting>),
    ("pipelined", rtb::pipelined::<Counting>),
];

/// Runs `f` on another thread and fails the test if it takes over 20 s.
fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()).unwrap());
    rx.recv_timeout(Duration::from_secs(20))
        .expect("finished within 20 s")
}

fn check(keys: Vec<u64>) {
    let want: Vec<u64> = keys.iter().map(|&k| kv_server::value(k)).collect();
    let input = Input::new(keys);
    for (name, f) in VARIANTS {
        assert_eq!(f(&input, &Counting::new()), Ok(want.clone()), "{name}");
    }
}

#[test]
fn variants_return_the_servers_values_on_edge_inputs() {
    within(|| {
        check(vec![]);
        check(vec![0]);
        check(vec![u64::MAX]);
        check(vec![7, 7, 7]);
        check(vec![3, 1, 2, 1, 3]);
        check(rtb::keys(1_024));
    });
}

#[test]
fn counts_are_exact_at_every_size() {
    within(|| {
        let sizes = Case::sizes();
        let run = counts::count::<Case>(sizes);
        for (row, &n) in run.rows.iter().zip(sizes) {
            let n = n as u64;
            assert_eq!(row.counter("bad", REQUESTS), Some(n), "{n}");
            assert_eq!(row.counter("good", REQUESTS), Some(1), "{n}");
            assert_eq!(row.counter("pipelined", REQUESTS), Some(n), "{n}");
            assert_eq!(row.counter("bad", ROUND_TRIPS), Some(n), "{n}");
            assert_eq!(row.counter("good", ROUND_TRIPS), Some(1), "{n}");
            assert_eq!(row.counter("pipelined", ROUND_TRIPS), Some(1), "{n}");
        }
    });
}

#[test]
fn no_keys_is_no_request() {
    within(|| {
        let input = Input::new(vec![]);
        for (name, f) in VARIANTS {
            let probe = Counting::new();
            assert_eq!(f(&input, &probe), Ok(vec![]), "{name}");
            assert_eq!(probe.get(REQUESTS), Some(0), "{name}");
            assert_eq!(probe.get(ROUND_TRIPS).unwrap_or(0), 0, "{name}");
        }
    });
}

#[test]
fn every_call_shares_the_one_connection_opened_with_the_input() {
    within(|| {
        let input = Input::new(rtb::keys(10));
        for (_, f) in VARIANTS {
            for _ in 0..3 {
                f(&input, &Counting::new()).unwrap();
            }
        }
        let seen = input.server.counts();
        assert_eq!(seen.connections, 1);
        // Three calls each: 10 + 1 + 10 requests.
        assert_eq!(seen.requests, 3 * 21);
    });
}

#[test]
fn a_server_that_is_gone_is_an_error_not_a_hang() {
    within(|| {
        let Input { conn, server, keys } = Input::new(rtb::keys(5));
        drop(server);
        let input = Input {
            conn,
            server: Server::start(Duration::ZERO).unwrap(),
            keys,
        };
        for (name, f) in VARIANTS {
            assert!(f(&input, &Counting::new()).is_err(), "{name}");
        }
    });
}

#[test]
fn the_server_stops_when_dropped() {
    within(|| {
        for _ in 0..20 {
            let input = Input::new(rtb::keys(3));
            rtb::good(&input, &NoProbe).unwrap();
            drop(input);
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn variants_agree_on_random_keys(keys in prop::collection::vec(any::<u64>(), 0..300)) {
        let want: Vec<u64> = keys.iter().map(|&k| kv_server::value(k)).collect();
        let n = keys.len() as u64;
        let input = Input::new(keys);
        for (name, f) in VARIANTS {
            let probe = Counting::new();
            prop_assert_eq!(f(&input, &probe), Ok(want.clone()), "{}", name);
            let requests = if name == "good" { n.min(1) } else { n };
            prop_assert_eq!(probe.get(REQUESTS), Some(requests), "{}", name);
        }
    }
}
