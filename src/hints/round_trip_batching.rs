//! # Batch round trips to a server (`round_trip_batching`)
//!
//! ## Cost model
//! A client that asks a server for one key at a time, and waits for each
//! answer before it asks for the next, pays a full round trip per key: its
//! write, the kernel's hand-over to the server, the server waking, reading,
//! answering, and the client waking to read. On loopback that is on the
//! order of 10-30 µs, across a network a fraction of a millisecond to tens
//! of milliseconds; the work of looking a key up is nanoseconds. `N` keys
//! cost `N` round trips: the loop of `N` single-row queries of the "N+1"
//! problem.
//!
//! ## The fix
//! Ask for all `N` keys in one request and read one reply that carries every
//! value (`WHERE id IN (...)`, `MGET`, a batch endpoint): one round trip,
//! plus the bytes and the per-key work, which grow with `N` but cost
//! nanoseconds per key where the round trip costs microseconds. Where the
//! protocol has no batch request, pipelining comes close (`pipelined`): write
//! all `N` one-key requests, then read the `N` replies. The server still
//! handles `N` requests, but the client waits once instead of `N` times.
//!
//! ## When it does not help
//! With one key there is nothing to batch: one request either way. A batch
//! has to be known up front; a key that depends on the previous answer
//! (walking a linked structure) needs its round trip. A very large batch
//! holds the whole reply in memory on both ends and delays the first value
//! until the last is ready; past some size, batches of a few hundred or
//! thousand keys are the better shape. And where the server's work per key
//! is much larger than a round trip, batching saves only the round trips.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a round-trip counter (requests per call) or, in a trace, one
//! network round trip per key; this crate counts `round trips` in `cargo
//! bench -- round_trip_batching/`.
//!
//! ## Claim
//! `N` database round trips become one (sources); for large batches about
//! 10-50x faster (sources). Checked here against a key-value server on
//! loopback, the shortest round trip there is, so the factor is the least a
//! real network would show.
//!
//! ## Measured
//! The server counts the requests it reads and every variant reports them
//! (`requests`, exact): `N` for `bad` and `pipelined`, one for `good`. The
//! client counts the times it waits for the server before it can go on (`round
//! trips`, exact): `N` for `bad`, one for `good` and `pipelined`. At one key
//! all three send the same bytes and wait once; from eight keys `bad` waits
//! `N` round trips where the other two wait one, plus the server's work per
//! key. The server runs on its own thread, started outside the timed code, and
//! one persistent connection (`TCP_NODELAY`) is opened outside it too
//! (`connection_reuse` is about opening them).
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- round_trip_batching/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/round_trip_batching.md"))]

use std::net::TcpStream;
use std::time::Duration;

use rand::Rng;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::kv_server::{self, Counts, Server};

/// The counter of requests the server read, reported by the client.
pub const REQUESTS: &str = "requests";
/// The counter of the times the client waited for a reply before going on.
pub const ROUND_TRIPS: &str = "round trips";

/// A running server, one open connection to it, and the keys to look up.
pub struct Input {
    pub conn: TcpStream,
    pub server: Server,
    pub keys: Vec<u64>,
}

impl Input {
    /// Starts a server with no service latency and connects to it.
    pub fn new(keys: Vec<u64>) -> Input {
        let server = Server::start(Duration::ZERO).expect("bind a TCP port on 127.0.0.1");
        let conn = kv_server::connect(server.addr()).expect("connect to the loopback server");
        Input { conn, server, keys }
    }
}

/// The server's counts before a call, when the probe counts.
fn before<P: Probe>(input: &Input) -> Option<Counts> {
    P::COUNTING.then(|| input.server.counts())
}

/// Reports the requests the server read since `before`.
fn report<P: Probe>(input: &Input, before: Option<Counts>, probe: &P) {
    if let Some(b) = before {
        probe.add(REQUESTS, input.server.counts().since(b).requests);
    }
}

/// One request per key: write it, wait for its reply, then the next.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let (mut buf, mut replies) = (Vec::new(), Vec::new());
    let mut values = Vec::with_capacity(input.keys.len());
    for key in &input.keys {
        kv_server::get(
            &input.conn,
            std::slice::from_ref(key),
            &mut buf,
            &mut replies,
            &mut values,
        )?;
        probe.add(ROUND_TRIPS, 1);
    }
    report(input, start, probe);
    Ok(values)
}

/// One request carrying every key, one reply carrying every value.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let mut values = Vec::with_capacity(input.keys.len());
    if !input.keys.is_empty() {
        let (mut buf, mut replies) = (Vec::new(), Vec::new());
        kv_server::get(&input.conn, &input.keys, &mut buf, &mut replies, &mut values)?;
        probe.add(ROUND_TRIPS, 1);
    }
    report(input, start, probe);
    Ok(values)
}

/// All one-key requests written at once, then all their replies read.
pub fn pipelined<P: Probe>(input: &Input, probe: &P) -> Result<Vec<u64>, String> {
    let start = before::<P>(input);
    let n = input.keys.len();
    let mut values = Vec::with_capacity(n);
    if n > 0 {
        // The requests go out in one write, as a pipelining client buffers them.
        let mut buf = Vec::with_capacity(n * (kv_server::HEADER + kv_server::WORD));
        for key in &input.keys {
            kv_server::encode(std::slice::from_ref(key), &mut buf);
        }
        let one = kv_server::reply_len(1);
        let mut replies = Vec::new();
        kv_server::exchange(&input.conn, &buf, n * one, &mut replies)?;
        probe.add(ROUND_TRIPS, 1);
        for reply in replies.chunks_exact(one) {
            kv_server::decode(reply, 1, &mut values)?;
        }
    }
    report(input, start, probe);
    Ok(values)
}

/// `n` keys from a fixed seed.
pub fn keys(n: usize) -> Vec<u64> {
    let mut rng = crate::rng(121);
    (0..n).map(|_| rng.random()).collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "round_trip_batching";
    const TOPIC: Topic = Topic::Api;
    const SOURCES: &'static [SourcePoint] = &[sources::ROUND_TRIPS, sources::POOLING, sources::QUERIES_IN_LOOP];
    const SIZE: &'static str = "keys per call (loopback)";
    const CLAIM: &'static str =
        "N round trips -> 1; about 10-50x faster for large batches (sources)";
    const DETERMINISTIC: bool = false;
    type Param = usize;
    type Input = Input;
    type Output = Result<Vec<u64>, String>;

    /// From one key (nothing to batch) to 1,024 (a large batch, 8 KiB of
    /// keys in one request).
    fn sizes() -> &'static [usize] {
        &[1, 8, 64, 1_024]
    }

    const INPUT: fn(usize) -> Input = |n| Input::new(keys(n));

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("pipelined", |i: &Input, p| pipelined(i, p));
    }

    /// Counted by the server and by the client, not by timing: exact.
    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter(REQUESTS), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(REQUESTS), "good", |n| n.min(1) as u64),
            expect::exactly(Figure::Counter(REQUESTS), "pipelined", |n| n as u64),
            expect::exactly(Figure::Counter(ROUND_TRIPS), "bad", |n| n as u64),
            expect::exactly(Figure::Counter(ROUND_TRIPS), "good", |n| n.min(1) as u64),
            expect::exactly(Figure::Counter(ROUND_TRIPS), "pipelined", |n| {
                n.min(1) as u64
            }),
        ]
    }

    /// The cost model: `bad` takes `N × r` for a round trip `r` of 10-30 µs,
    /// the other two `r` plus nanoseconds per key. At one key that is the
    /// same request: level. At eight, up to eight times less waiting:
    /// faster. From 64 keys, where `N × r` against `r` leaves a factor near
    /// `N` even if the per-key work took a microsecond: faster by at least
    /// the sources' 10x for large batches. Pipelining waits once too, with
    /// `N` requests for the server to parse: the same prediction.
    /// The sources' "about 10-50x" is for large batches (here 64 and up);
    /// below that, only faster.
    fn claimed(n: usize) -> Option<Prediction> {
        let good = Prediction::faster("good");
        Some(if n >= 64 { good.by(10.0) } else { good })
    }

    fn predict(n: usize) -> Vec<Prediction> {
        let p = |variant| match n {
            0 | 1 => Prediction::level(variant),
            2..=63 => Prediction::faster(variant),
            _ => Prediction::faster(variant).by(10.0),
        };
        vec![p("good"), p("pipelined")]
    }
}
