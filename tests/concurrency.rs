//! `bounded_concurrency` against its real loopback server: outcomes, never timings.

use perf_hints::hints::bounded_concurrency::{self as bc, Client, Service};

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
        s.client.take_peak();
        let answers = s.rt.block_on(bc::good(&s.client, n, k)).unwrap();
        assert_eq!(answers, expected(n), "k = {k}");
        let peak = s.client.take_peak();
        assert!(peak <= k, "k = {k}: {peak} requests were in flight");
        assert_eq!(peak, k.min(n), "k = {k}: the bound was not used");
    }
}

#[test]
fn sequential_has_one_in_flight_and_unbounded_has_all() {
    let n = 40;
    let s = Service::start(n, 4);
    s.client.take_peak();
    assert_eq!(s.rt.block_on(bc::bad(&s.client, n)).unwrap(), expected(n));
    assert_eq!(s.client.take_peak(), 1);
    assert_eq!(
        s.rt.block_on(bc::unbounded(&s.client, n)).unwrap(),
        expected(n)
    );
    assert_eq!(s.client.take_peak(), n);
}

#[test]
fn repeated_runs_give_the_same_answers() {
    let s = Service::start(16, 4);
    for _ in 0..5 {
        assert_eq!(
            s.rt.block_on(bc::good(&s.client, 16, 4)).unwrap(),
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
    let err = rt.block_on(bc::good(&client, 5, 2)).unwrap_err();
    assert!(err.contains(&addr.to_string()), "{err}");
    let err = rt.block_on(bc::bad(&client, 5)).unwrap_err();
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
    let err = runtime().block_on(bc::unbounded(&client, 4)).unwrap_err();
    assert!(err.contains("request"), "{err}");
}
