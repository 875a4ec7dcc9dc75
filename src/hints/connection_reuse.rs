//! # Reuse connections instead of opening one per request (`connection_reuse`)
//!
//! ## Cost model
//! Opening a TCP connection is a round trip of its own before the first
//! request can go: the client's SYN, the server's SYN-ACK, then the kernel
//! sets up a socket on each end and the server's accept loop picks the new
//! one up and starts serving it. Closing it is more packets and more kernel
//! work, and a gracefully closed connection stays in `TIME_WAIT` for a
//! minute on the end that closed first, holding a port. On loopback the
//! whole open-and-close costs tens of microseconds; across a network it is
//! at least one more network round trip per request, and with TLS two or
//! three more. A client that connects, sends one request and closes pays
//! that for every request.
//!
//! ## The fix
//! Keep connections open and send request after request on them: one
//! connection for a whole session of requests (`good`), or a pool of
//! connections opened once and checked out by each request (`pool`, what
//! database and HTTP client libraries do), so that requests pay no connect
//! at all and concurrent ones each have a connection to use.
//!
//! ## When it does not help
//! When the server takes long to answer, the connect is a small part of
//! each request: at a service latency of milliseconds, tens of microseconds
//! saved per request are a percent or two. A connection used once, or a
//! few requests a minute, gains nothing from staying open, and an idle
//! pooled connection can be closed by the server or a middlebox, so a pool
//! has to check or retry what it hands out. And a connection carries state
//! (a transaction, a session setting), which a pool must reset between
//! users.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: connections opened per request: `ss -s` or `netstat` counts of
//! TIME_WAIT sockets, or `connect` in a syscall profile under each request;
//! this crate counts `connections` per call in `cargo bench --
//! connection_reuse/`.
//!
//! ## Claim
//! Reuse connections (pooling) rather than open one per request (sources);
//! the sources give no figure. Checked here as the model says: a connect
//! per request is a large part of a request served at once on loopback,
//! and stops mattering when the server takes milliseconds.
//!
//! ## Measured
//! Each call makes 16 requests of one key to a loopback server that sleeps for
//! the service latency before each reply (0, 100 µs, 2 ms). The server counts
//! what it accepts and reads, and every variant reports it exactly:
//! `connections` is 16 for `bad` (one per request), one for `good` (one per
//! call) and zero for `pool` (its four connections were opened when the pool
//! was built, outside the timed code, and are only checked out); `requests` is
//! 16 for all three. What a reused connection saves is fixed per request, a
//! connect and an accept; the service latency is paid by every variant alike,
//! so the saving is a smaller share of the call the longer the latency (by
//! construction, 16 requests at the 2 ms setting sleep 32 ms in the server).
//!
//! To keep the loopback interface bounded, the client's sockets set
//! `SO_LINGER` to zero (through the `socket2` crate; std's `set_linger` is
//! unstable), so a close sends a reset and no connection is left in
//! `TIME_WAIT`: `bad` opens thousands of connections a second, which would
//! otherwise pile up a minute's worth of closed ones. That makes `bad`'s close
//! cheaper than a graceful one, not dearer. Calls are short (16 requests) and
//! the hint takes ten samples.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- connection_reuse/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/connection_reuse.md"))]

use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::kv_server::{self, Counts, Server};

/// Requests per call, each of one key.
pub const REQUESTS: usize = 16;
/// Connections in the pool.
pub const POOL: usize = 4;
/// The counter of connections the server accepted, reported by the client.
pub const CONNECTIONS: &str = "connections";
/// The counter of requests the server read, reported by the client.
pub const READ: &str = "requests";

/// A running server with a service latency, a pool of open connections to
/// it, and the keys to ask for, one per request.
pub struct Input {
    pub pool: Mutex<VecDeque<TcpStream>>,
    pub server: Server,
    pub keys: Vec<u64>,
}

impl Input {
    /// Starts a server that sleeps `latency` before each reply and opens the
    /// pool's connections, each used once, so the server has accepted them
    /// all before any call is counted.
    pub fn new(latency: Duration, keys: Vec<u64>) -> Input {
        let server = Server::start(latency).expect("bind a TCP port on 127.0.0.1");
        let pool = (0..POOL)
            .map(|_| {
                let conn = kv_server::connect(server.addr()).expect("connect to the server");
                let mut out = Vec::new();
                kv_server::get(&conn, &[0], &mut Vec::new(), &mut Vec::new(), &mut out)
                    .expect("a first request on a pooled connection");
                conn
            })
            .collect();
        Input {
            pool: Mutex::new(pool),
            server,
            keys,
        }
    }
}

fn before<P: Probe>(input: &Input) -> Option<Counts> {
    P::COUNTING.then(|| input.server.counts())
}

/// Reports the connections the server accepted and the requests it read since `before`.
fn report<P: Probe>(input: &Input, before: Option<Counts>, probe: &P) {
    if let Some(b) = before {
        let d = input.server.counts().since(b);
        probe.add(CONNECTIONS, d.connections);
        probe.add(READ, d.requests);
    }
}

fn connect(input: &Input) -> Result<TcpStream, String> {
    let addr = input.server.addr();
    kv_server::connect(addr).map_err(|e| format!("connect to {addr}: {e}"))
}

/// Connects, sends one request, reads its reply and closes, for every request.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let (mut buf, mut replies) = (Vec::new(), Vec::new());
    let mut values = Vec::with_capacity(input.keys.len());
    for key in &input.keys {
        let conn = connect(input)?;
        kv_server::get(
            &conn,
            std::slice::from_ref(key),
            &mut buf,
            &mut replies,
            &mut values,
        )?;
    }
    report(input, start, probe);
    Ok(values)
}

/// Connects once and sends every request on that one connection.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let (mut buf, mut replies) = (Vec::new(), Vec::new());
    let mut values = Vec::with_capacity(input.keys.len());
    if !input.keys.is_empty() {
        let conn = connect(input)?;
        for key in &input.keys {
            kv_server::get(
                &conn,
                std::slice::from_ref(key),
                &mut buf,
                &mut replies,
                &mut values,
            )?;
        }
    }
    report(input, start, probe);
    Ok(values)
}

/// Checks a connection out of a pool opened beforehand for each request, and back in after it.
pub fn pool<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let (mut buf, mut replies) = (Vec::new(), Vec::new());
    let mut values = Vec::with_capacity(input.keys.len());
    for key in &input.keys {
        let conn = input
            .pool
            .lock()
            .expect("no request panics holding the pool")
            .pop_front()
            .ok_or("the pool is empty")?;
        let got = kv_server::get(
            &conn,
            std::slice::from_ref(key),
            &mut buf,
            &mut replies,
            &mut values,
        );
        // A connection that failed mid-request is in an unknown state: dropped.
        if got.is_ok() {
            input.pool.lock().expect("no panic").push_back(conn);
        }
        got?;
    }
    report(input, start, probe);
    Ok(values)
}

/// The keys of one call, from a fixed seed.
pub fn keys(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(122);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "connection_reuse";
    const TOPIC: Topic = Topic::Api;
    const SOURCES: &'static [SourcePoint] = &[sources::POOLING];
    const SIZE: &'static str = "service latency in µs (16 requests)";
    const CLAIM: &'static str = "reuse connections (pooling), not one connect per request (sources)";
    const DETERMINISTIC: bool = false;
    type Param = usize;
    type Input = Input;
    type Output = Result<Vec<u64>, String>;

    /// No service latency (the connect is most of a request), 100 µs (a
    /// fast query) and 2 ms (a slow one, where the connect should not show).
    fn sizes() -> &'static [usize] {
        &[0, 100, 2_000]
    }

    const INPUT: fn(usize) -> Input = |latency_us| Input::new(Duration::from_micros(latency_us as u64), keys(REQUESTS));

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("pool", |i: &Input, p| pool(i, p));
    }

    /// Counted by the server: exact.
    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(CONNECTIONS), "bad", |_| REQUESTS as u64),
            expect::exactly(Figure::Counter(CONNECTIONS), "good", |_| 1),
            expect::exactly(Figure::Counter(CONNECTIONS), "pool", |_| 0),
            expect::exactly(Figure::Counter(READ), "bad", |_| REQUESTS as u64),
            expect::exactly(Figure::Counter(READ), "good", |_| REQUESTS as u64),
            expect::exactly(Figure::Counter(READ), "pool", |_| REQUESTS as u64),
        ]
    }

    /// Per request, `bad` pays a connect and close `c` (30-100 µs on
    /// loopback) on top of the round trip `r` (10-30 µs) and the service
    /// latency `d`; the others pay `r + d` (and `good` one `c` per call).
    /// With no latency, `(c + r) / r` is well above 1: faster. At 100 µs,
    /// `d` with a sleep's overshoot is about 150 µs, and `c / (r + d)` still
    /// at least 15 %: faster. At 2 ms it is 2-5 %: level.
    fn predict(latency_us: usize) -> Vec<Prediction> {
        let p = |variant| {
            if latency_us < 1_000 {
                Prediction::faster(variant)
            } else {
                Prediction::level(variant)
            }
        };
        vec![p("good"), p("pool")]
    }
}
