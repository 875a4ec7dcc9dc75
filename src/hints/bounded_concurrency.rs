//! # Bound the requests in flight (`bounded_concurrency`)
//!
//! ## Cost model
//! A client that awaits each request before sending the next waits out the
//! full service latency `d` every time: `N` requests take `N × d`, however
//! idle both ends are. Firing all `N` at once (`join_all`) removes the wait
//! but hands the server every request together: past what it can serve at
//! once they queue there, holding a connection, a socket buffer and memory
//! each, and a larger `N` becomes refused connections and timeouts.
//!
//! ## The fix
//! Keep at most `k` requests in flight: `stream::iter(..).map(fetch)
//! .buffer_unordered(k)`. With a server that serves `c` at once, `N`
//! requests take about `ceil(N / min(k, c)) × d`, and the server never holds
//! more than `k` of this client's requests.
//!
//! ## When it does not help
//! With `k = 1` it is the sequential loop. Raising `k` past what the server
//! serves at once (`c`) buys no time: requests only wait in the server's
//! queue instead of the client's. When the work is CPU-bound rather than
//! waiting, concurrency on one thread does not help at all.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: wall time against the number of requests in flight. A loop that
//! awaits each request before starting the next shows peak-in-flight 1 (this
//! crate's `peak in flight` counter in `cargo bench --
//! bounded_concurrency/`); in a trace, the requests' spans do not overlap.
//!
//! ## Claim
//! Sequential `N × d` becomes about `ceil(N / k) × d`; the bound protects the
//! server.
//!
//! ## Measured
//! Peak requests in flight are exact (the probe counts them in the client,
//! around each request): 1 sequential, `k` bounded, all `N` unbounded. What to
//! compare in the table: a bound of `k` against its ideal `ceil(N / k) × d`; a
//! `k` above the server's cap against the cap, since past it requests only
//! wait in the server's queue instead of the client's; and `join_all` against
//! the best bound, remembering that `join_all` puts every request on the
//! server at once, which is what the bound protects against.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- bounded_concurrency/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/bounded_concurrency.md"))]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt, stream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};

use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Requests per call.
pub const REQUESTS: usize = 32;
/// The server's fixed service latency per request.
pub const LATENCY: Duration = Duration::from_micros(500);
/// Requests the server serves at once; more wait for a slot.
pub const SERVER_CAP: usize = 8;
/// A request that takes longer than this is an error, not a hang.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What the server answers for request `id`: the client checks every payload.
pub fn payload(id: u64) -> u64 {
    id.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x00c0_ffee
}

/// A TCP server on 127.0.0.1 with a fixed service latency and a cap on the
/// requests it serves at once. It runs on its own thread and runtime, and
/// stops when dropped.
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Binds an ephemeral port and starts serving.
    pub fn start(latency: Duration, cap: usize) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("bounded_concurrency-server".into())
            .spawn(move || rt.block_on(serve(listener, latency, cap, stopped)))?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    latency: Duration,
    cap: usize,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = TcpListener::from_std(listener).expect("a non-blocking std listener");
    let slots = Arc::new(Semaphore::new(cap));
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => {
                let Ok((mut conn, _)) = accepted else { continue };
                let slots = Arc::clone(&slots);
                tokio::spawn(async move {
                    let mut id = [0u8; 8];
                    if conn.read_exact(&mut id).await.is_err() {
                        return;
                    }
                    let _slot = slots.acquire().await.expect("the semaphore is never closed");
                    // A blocking sleep on the blocking pool: precise to well under a
                    // millisecond, where tokio's timer rounds up to the next millisecond.
                    let _ = tokio::task::spawn_blocking(move || std::thread::sleep(latency)).await;
                    let answer = payload(u64::from_le_bytes(id)).to_le_bytes();
                    let _ = conn.write_all(&answer).await;
                });
            }
        }
    }
}

/// Client side: where to send.
pub struct Client {
    pub addr: SocketAddr,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        Client { addr }
    }

    /// One request on its own connection; any failure or a [`TIMEOUT`] is an
    /// error. It is one of "peak in flight" from connecting to the answer.
    pub async fn fetch<P: Probe>(&self, id: u64, probe: &P) -> Result<(u64, u64), String> {
        probe.enter("peak in flight");
        let result = tokio::time::timeout(TIMEOUT, async {
            let mut conn = TcpStream::connect(self.addr).await?;
            conn.write_all(&id.to_le_bytes()).await?;
            let mut answer = [0u8; 8];
            conn.read_exact(&mut answer).await?;
            Ok::<u64, std::io::Error>(u64::from_le_bytes(answer))
        })
        .await;
        probe.leave("peak in flight");
        match result {
            Ok(Ok(v)) => Ok((id, v)),
            Ok(Err(e)) => Err(format!("request {id} to {}: {e}", self.addr)),
            Err(_) => Err(format!("request {id} to {}: no answer in {TIMEOUT:?}", self.addr)),
        }
    }
}

fn in_order(mut answers: Vec<(u64, u64)>) -> Vec<u64> {
    answers.sort_unstable_by_key(|&(id, _)| id);
    answers.into_iter().map(|(_, v)| v).collect()
}

/// Awaits each request before sending the next.
pub async fn bad<P: Probe>(client: &Client, n: usize, probe: &P) -> Result<Vec<u64>, String> {
    let mut answers = Vec::with_capacity(n);
    for id in 0..n as u64 {
        answers.push(client.fetch(id, probe).await?);
    }
    Ok(in_order(answers))
}

/// Keeps at most `k` requests in flight with `buffer_unordered`.
pub async fn good<P: Probe>(
    client: &Client,
    n: usize,
    k: usize,
    probe: &P,
) -> Result<Vec<u64>, String> {
    let answers = stream::iter(0..n as u64)
        .map(|id| client.fetch(id, probe))
        .buffer_unordered(k.max(1))
        .try_collect()
        .await?;
    Ok(in_order(answers))
}

/// Sends all `n` at once with `join_all`: no bound at all.
pub async fn unbounded<P: Probe>(
    client: &Client,
    n: usize,
    probe: &P,
) -> Result<Vec<u64>, String> {
    let answers = futures::future::join_all((0..n as u64).map(|id| client.fetch(id, probe)))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(in_order(answers))
}

/// A running server, a client runtime built outside the timed code, and the bound `k`.
pub struct Service {
    pub server: Server,
    pub client: Client,
    pub rt: tokio::runtime::Runtime,
    pub n: usize,
    pub k: usize,
}

impl Service {
    /// Starts a server on an ephemeral port; it stops when the service is dropped.
    pub fn start(n: usize, k: usize) -> Service {
        let server = Server::start(LATENCY, SERVER_CAP).expect("bind a TCP port on 127.0.0.1");
        Service {
            client: Client::new(server.addr()),
            server,
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime"),
            n,
            k,
        }
    }
}

/// The time `requests` take at `in_flight` at once against this server, with no overhead.
pub fn ideal(requests: usize, in_flight: usize) -> Duration {
    let rounds = requests.div_ceil(in_flight.clamp(1, SERVER_CAP));
    LATENCY * rounds as u32
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "bounded_concurrency";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::BOUNDED_CONCURRENCY];
    const SIZE: &'static str = "k (N=32, server cap 8)";
    const CLAIM: &'static str = "sequential N×d -> about ceil(N/k)×d; the bound protects the server";
    const DETERMINISTIC: bool = false;
    type Param = usize;
    type Input = Service;
    type Output = Result<Vec<u64>, String>;

    /// Below, at and above what the server serves at once (8).
    fn sizes() -> &'static [usize] {
        &[1, 4, 8, 32]
    }

    const INPUT: fn(usize) -> Service = |size| Service::start(REQUESTS, size);

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |s: &Service, p| s.rt.block_on(bad(&s.client, s.n, p)));
        v.variant("good", |s: &Service, p| s.rt.block_on(good(&s.client, s.n, s.k, p)));
        v.variant("unbounded", |s: &Service, p| s.rt.block_on(unbounded(&s.client, s.n, p)));
    }

    /// Only the in-flight counts repeat exactly: the work depends on thread timing.
    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter("peak in flight"), "bad", |_| 1),
            expect::exactly(Figure::Counter("peak in flight"), "good", |k| {
                k.min(REQUESTS) as u64
            }),
            expect::exactly(Figure::Counter("peak in flight"), "unbounded", |_| {
                REQUESTS as u64
            }),
        ]
    }

    /// `k` = 1 is the sequential loop again: level. Above it, `good` is
    /// faster by the claim's `N × d` against `ceil(N / min(k, c)) × d` (the
    /// server serves `c` at a time), with a third of that factor as room for
    /// the loop's own costs; `join_all` likewise, capped by the server alone.
    fn predict(k: usize) -> Vec<Prediction> {
        let factor = |k: usize| {
            let sequential = ideal(REQUESTS, 1).as_secs_f64();
            sequential / ideal(REQUESTS, k.min(SERVER_CAP)).as_secs_f64()
        };
        let good = if k <= 1 {
            Prediction::level("good")
        } else {
            Prediction::faster("good").by(factor(k) / 1.5)
        };
        vec![good, Prediction::faster("unbounded").by(factor(REQUESTS) / 1.5)]
    }
}
