//! `connection_reuse`: the variants agree with each other and with the
//! server's values, the connections and requests the server sees are exactly
//! what `fn expect` declares, no closed connection is left in `TIME_WAIT`,
//! and nothing hangs.

use std::sync::mpsc;
use std::time::Duration;

use perf_hints::Hint;
use perf_hints::hints::connection_reuse::{
    self as cr, CONNECTIONS, Case, Input, POOL, READ, REQUESTS,
};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::support::kv_server;

type Variant = fn(&Input, &Counting) -> Result<Vec<u64>, String>;
const VARIANTS: [(&str, Variant); 3] = [
    ("bad", cr::bad::<Counting>),
    ("good", cr::good::<Counting>),
    ("pool", cr::pool::<Counting>),
];

/// Runs `f` on another thread and fails the test if it takes over 20 s.
fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()).unwrap());
    rx.recv_timeout(Duration::from_secs(20))
        .expect("finished within 20 s")
}

fn values(keys: &[u64]) -> Vec<u64> {
    keys.iter().map(|&k| kv_server::value(k)).collect()
}

#[test]
fn variants_return_the_servers_values() {
    within(|| {
        for keys in [vec![], vec![0], vec![u64::MAX, 5, 5], cr::keys(REQUESTS)] {
            let input = Input::new(Duration::ZERO, keys.clone());
            for (name, f) in VARIANTS {
                assert_eq!(f(&input, &Counting::new()), Ok(values(&keys)), "{name}");
            }
        }
        let input = Input::new(Duration::from_micros(300), cr::keys(3));
        for (name, f) in VARIANTS {
            assert_eq!(
                f(&input, &Counting::new()),
                Ok(values(&input.keys)),
                "{name}"
            );
        }
    });
}

#[test]
fn connections_and_requests_are_exact_at_every_size() {
    within(|| {
        let sizes = Case::sizes();
        let run = counts::count::<Case>(sizes);
        let n = REQUESTS as u64;
        for (row, &latency) in run.rows.iter().zip(sizes) {
            assert_eq!(row.counter("bad", CONNECTIONS), Some(n), "{latency}");
            assert_eq!(row.counter("good", CONNECTIONS), Some(1), "{latency}");
            assert_eq!(row.counter("pool", CONNECTIONS), Some(0), "{latency}");
            for v in ["bad", "good", "pool"] {
                assert_eq!(row.counter(v, READ), Some(n), "{v}/{latency}");
            }
        }
    });
}

#[test]
fn the_pool_opens_its_connections_once_and_keeps_them() {
    within(|| {
        let input = Input::new(Duration::ZERO, cr::keys(REQUESTS));
        assert_eq!(input.server.counts().connections, POOL as u64);
        for _ in 0..10 {
            cr::pool(&input, &Counting::new()).unwrap();
        }
        let seen = input.server.counts();
        assert_eq!(seen.connections, POOL as u64);
        // One first request per pooled connection, then ten calls.
        assert_eq!(seen.requests, (POOL + 10 * REQUESTS) as u64);
        assert_eq!(input.pool.lock().unwrap().len(), POOL);
    });
}

/// Connections in TIME_WAIT (state 06) to or from `port`, from /proc/net/tcp.
#[cfg(target_os = "linux")]
fn time_wait(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let port = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 3 && f[3] == "06" && (f[1].ends_with(&port) || f[2].ends_with(&port))
        })
        .count()
}

#[cfg(target_os = "linux")]
#[test]
fn a_connection_per_request_leaves_nothing_in_time_wait() {
    within(|| {
        let input = Input::new(Duration::ZERO, cr::keys(REQUESTS));
        for _ in 0..5 {
            cr::bad(&input, &Counting::new()).unwrap();
            cr::good(&input, &Counting::new()).unwrap();
        }
        assert_eq!(
            input.server.counts().connections,
            (POOL + 5 * (REQUESTS + 1)) as u64
        );
        assert_eq!(time_wait(input.server.addr().port()), 0);
    });
}

#[test]
fn a_server_that_is_gone_is_an_error_not_a_hang() {
    within(|| {
        let Input { pool, server, keys } = Input::new(Duration::ZERO, cr::keys(4));
        drop(server);
        let input = Input {
            pool,
            server: kv_server::Server::start(Duration::ZERO).unwrap(),
            keys,
        };
        // The pool's connections lead to the stopped server.
        assert!(cr::pool(&input, &Counting::new()).is_err());
    });
}

#[test]
fn the_server_stops_when_dropped_with_connections_open() {
    within(|| {
        for latency in [0, 2_000] {
            let input = Input::new(Duration::from_micros(latency), cr::keys(2));
            cr::good(&input, &Counting::new()).unwrap();
            drop(input);
        }
    });
}
