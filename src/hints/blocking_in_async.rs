//! # Do not block a runtime worker with synchronous I/O (`blocking_in_async`)
//!
//! ## Cost model
//! A tokio runtime runs its tasks on `T` worker threads. A task that makes a
//! blocking call (a synchronous client, `std::fs`, `std::net`, a lock held
//! across a wait) holds its worker for the whole wait: the worker can run
//! nothing else until the call returns. `N` such tasks on `T` workers wait
//! in `ceil(N / T)` rounds, about `ceil(N / T) × d` for a wait of `d`, and
//! while every worker is blocked no other task of the runtime runs at all,
//! however ready it is: a heartbeat, a health check, a timeout.
//! The same wait made asynchronous hands the worker back at the `.await`:
//! all `N` waits are in flight at once, about `d` in all, and the workers
//! stay free for other tasks.
//!
//! Here each of [`REQUESTS`] tasks sends one request over its own loopback
//! TCP connection to a server thread that answers after `d`, and reads the
//! answer; the runtime has `T` workers and is built outside the timed code,
//! as are the connections and the server threads. One more task, an
//! unrelated heartbeat, becomes ready as soon as the last request has been
//! issued and notes how many requests had finished when it got to run. The fair comparison is the same
//! server with the same clock for every variant: only the client's way of
//! waiting differs. (`tokio::time::sleep` against `std::thread::sleep` would
//! not be fair: tokio's timer rounds every sleep up to its next millisecond
//! tick, while a thread's sleep ends about 50 µs after `d`, Linux's timer
//! slack, so below a millisecond the async side would lose to its timer,
//! not to async I/O. An async socket read is woken by the reactor as soon as
//! the answer arrives.) The server sleeps with `std::thread::sleep`, so
//! every variant's wait is `d` plus that slack plus the wake-ups of a round
//! trip ([`wait_us`]); at `d = 0` the server has answered before the client
//! asks, as when a read finds its data already in the page cache or a
//! socket buffer, and the blocking call returns without waiting.
//!
//! ## The fix
//! Use the async client (`tokio::net`, `tokio::fs`, an async driver) and
//! `.await` it: `good`. Where only a blocking API exists, move the call off
//! the workers with `tokio::task::spawn_blocking` (`spawn_blocking`): it
//! runs on tokio's blocking pool (up to 512 threads by default) and the task
//! awaits its handle, so the workers stay free. Each call then pays a
//! hand-off: a queue push and a pool thread woken, and the task woken again
//! when the call returns.
//!
//! ## When it does not help
//! When the blocking call does not wait (`d = 0` here: the answer is
//! already there), there is nothing to overlap: the async client does the
//! same system calls as the blocking one and saves nothing, and
//! `spawn_blocking` adds two thread hand-offs to a call that does not
//! wait. With at least as many workers as concurrent blocking calls
//! (`T ≥ N`) the blocking variant waits one round too, and only the
//! starvation of other tasks remains. And async does not help a CPU-bound
//! loop: a task that computes without waiting holds its worker either way;
//! there the cure is `spawn_blocking` or a rayon pool, not `.await`.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a runtime whose workers sit in a blocking call: `tokio-console`
//! shows tasks busy for the whole wait, or a flame graph shows
//! `std::thread::sleep` / blocking I/O under `tokio::runtime` worker frames;
//! this crate counts `peak workers blocked` in `cargo bench --
//! blocking_in_async/`.
//!
//! ## Claim
//! Synchronous I/O in an async context blocks the runtime's worker: `N`
//! blocking waits of `d` on `T` workers take about `ceil(N / T) × d` and
//! starve every other task meanwhile, where the async wait takes about `d`;
//! async does not help a CPU-bound loop (sources). Checked here with
//! [`REQUESTS`] requests per call at 1 and 2 workers and all cores, and
//! waits from 0 to 1 ms.
//!
//! ## Measured
//! Two counters are exact (`validate` and `tests/hint_blocking_in_async.rs`
//! check them): `peak workers blocked` is `min(N, T)` for `bad` and 0 for the
//! other two, whose workers never block, and `blocking-pool calls` is `N` for
//! `spawn_blocking` only. A third is exact for `bad` on one worker: `requests
//! done before heartbeat` is `N` there, since the heartbeat, ready from the
//! moment the last request is issued, runs only once that request has finished
//! too: the only worker is blocked in it. For `good` and `spawn_blocking` it
//! is not declared: the heartbeat normally runs while every request is still
//! in flight, but a worker descheduled for longer than the wait lets a request
//! finish first, so the tests only check that it stays below `N`. At `d = 0`
//! the async requests finish on their first poll when the server has answered
//! ahead in time, so there the count says little.
//!
//! [`modelled`] gives the times to compare the table with: `bad` waits `ceil(N
//! / T)` rounds where the other two wait one, the rounds are one for every
//! variant where `T ≥ N`, and at `d = 0` there is no wait to overlap while
//! `spawn_blocking` still pays two thread hand-offs per call.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- blocking_in_async/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/blocking_in_async.md"))]

use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::sync::Notify;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::support::threads::{Per, Threads, thread_counts};

/// Requests per call, one task each.
pub const REQUESTS: usize = 8;

/// The counter: most runtime workers inside a blocking call at once.
pub const BLOCKED: &str = "peak workers blocked";
/// The counter: requests finished when the heartbeat task, ready once every
/// request was issued, got to run.
pub const AHEAD: &str = "requests done before heartbeat";
/// The counter: calls handed to tokio's blocking pool.
pub const POOL: &str = "blocking-pool calls";

/// The second part of a size: the server's wait per request, in µs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Micros;

impl Per for Micros {
    fn text(x: usize) -> String {
        format!("{x} µs wait")
    }
    const KEY: &'static str = "us";
}

/// A size: `T` runtime workers and the server's wait `d` in µs.
pub type Size = Threads<Micros>;

/// What the server answers on connection `i`: the client checks every answer.
pub fn payload(i: u64) -> u64 {
    (i ^ 0x5bd1_e995).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// One server thread per connection: reads an 8-byte request, waits
/// `delay`, answers [`payload`]. With no delay it answers one request
/// ahead, so the answer is waiting before the client asks. It stops when
/// the client closes the connection.
fn serve(mut conn: TcpStream, i: u64, delay: Duration) {
    let answer = payload(i).to_le_bytes();
    if delay.is_zero() && conn.write_all(&answer).is_err() {
        return;
    }
    let mut request = [0u8; 8];
    while conn.read_exact(&mut request).is_ok() {
        let reply = if u64::from_le_bytes(request) == i {
            answer
        } else {
            [0xff; 8]
        };
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if conn.write_all(&reply).is_err() {
            return;
        }
    }
}

/// `n` loopback connections, each served by its own thread with `delay`;
/// the client ends.
fn connect(n: usize, delay: Duration) -> Vec<TcpStream> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a bound address");
    (0..n)
        .map(|i| {
            let client = TcpStream::connect(addr).expect("connect to 127.0.0.1");
            let (server, _) = listener.accept().expect("accept on 127.0.0.1");
            client.set_nodelay(true).expect("TCP_NODELAY");
            server.set_nodelay(true).expect("TCP_NODELAY");
            std::thread::Builder::new()
                .name(format!("blocking_in_async-server-{i}"))
                .spawn(move || serve(server, i as u64, delay))
                .expect("start a server thread");
            client
        })
        .collect()
}

/// Where a blocking call runs, for the gauges.
#[derive(Clone, Copy, Debug)]
enum On {
    Worker,
    Pool,
}

/// What the tasks of one call share: the connections and what is counted.
pub struct Shared {
    /// Blocking client ends, for `bad` and `spawn_blocking`.
    blocking: Vec<TcpStream>,
    /// Non-blocking client ends registered with the runtime, for `good`.
    evented: Vec<tokio::net::TcpStream>,
    /// Requests per call.
    requests: usize,
    /// Requests issued and finished in this call.
    started: AtomicUsize,
    done: AtomicUsize,
    /// Told once every request of the call has been issued: the heartbeat
    /// wants to run from then on.
    issued: Notify,
    /// Workers inside a blocking call now, and the most at once.
    blocked: AtomicUsize,
    peak: AtomicUsize,
    /// Calls that ran on the blocking pool.
    pool: AtomicUsize,
}

impl Shared {
    fn reset(&self) {
        for c in [
            &self.started,
            &self.done,
            &self.blocked,
            &self.peak,
            &self.pool,
        ] {
            c.store(0, Ordering::SeqCst);
        }
    }

    /// A request is issued (on the pool: handed to it); the last one of the
    /// call readies the heartbeat.
    fn issue(&self) {
        if self.started.fetch_add(1, Ordering::SeqCst) + 1 == self.requests {
            self.issued.notify_one();
        }
    }

    /// Request `i` on its blocking connection: the thread waits in `read`.
    fn blocking_request(&self, i: usize, on: On) -> Result<u64, String> {
        match on {
            On::Worker => {
                self.issue();
                let now = self.blocked.fetch_add(1, Ordering::SeqCst) + 1;
                self.peak.fetch_max(now, Ordering::SeqCst);
            }
            On::Pool => {
                self.pool.fetch_add(1, Ordering::SeqCst);
            }
        }
        let mut conn = &self.blocking[i];
        let mut answer = [0u8; 8];
        let result = conn
            .write_all(&(i as u64).to_le_bytes())
            .and_then(|()| conn.read_exact(&mut answer));
        if let On::Worker = on {
            self.blocked.fetch_sub(1, Ordering::SeqCst);
        }
        self.done.fetch_add(1, Ordering::SeqCst);
        result
            .map(|()| u64::from_le_bytes(answer))
            .map_err(|e| format!("request {i}: {e}"))
    }

    /// Request `i` on its registered connection: the task yields its worker
    /// until the reactor says the socket is ready.
    async fn async_request(&self, i: usize) -> Result<u64, String> {
        self.issue();
        let conn = &self.evented[i];
        let err = |e: std::io::Error| format!("request {i}: {e}");
        let request = (i as u64).to_le_bytes();
        let mut sent = 0;
        while sent < request.len() {
            conn.writable().await.map_err(err)?;
            match conn.try_write(&request[sent..]) {
                Ok(n) => sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => return Err(err(e)),
            }
        }
        let mut answer = [0u8; 8];
        let mut got = 0;
        while got < answer.len() {
            conn.readable().await.map_err(err)?;
            match conn.try_read(&mut answer[got..]) {
                Ok(0) => return Err(format!("request {i}: the server closed")),
                Ok(n) => got += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => return Err(err(e)),
            }
        }
        self.done.fetch_add(1, Ordering::SeqCst);
        Ok(u64::from_le_bytes(answer))
    }
}

/// A runtime of `threads` workers, [`REQUESTS`] connections of each kind and
/// their server threads, all built outside the timed code. The server
/// threads stop when the connections close.
pub struct Job {
    // Dropped first: the registered sockets go before their runtime.
    pub shared: Arc<Shared>,
    pub rt: Runtime,
    pub threads: usize,
    pub requests: usize,
    pub delay: Duration,
}

impl Job {
    /// `requests` connections of each kind whose server waits `delay`, and a
    /// runtime of exactly `threads` workers (at least one).
    pub fn new(threads: usize, requests: usize, delay: Duration) -> Job {
        let threads = threads.max(1);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("blocking_in_async-worker")
            .thread_keep_alive(Duration::from_secs(600))
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let blocking = connect(requests, delay);
        let evented = {
            let _in_runtime = rt.enter();
            connect(requests, delay)
                .into_iter()
                .map(|c| {
                    c.set_nonblocking(true).expect("a non-blocking socket");
                    tokio::net::TcpStream::from_std(c).expect("register with the reactor")
                })
                .collect()
        };
        // Start as many blocking-pool threads as there are requests, all at
        // once, so no call of `spawn_blocking` pays for creating a thread.
        let all = Arc::new(std::sync::Barrier::new(requests));
        rt.block_on(async {
            let started: Vec<_> = (0..requests)
                .map(|_| {
                    let all = Arc::clone(&all);
                    tokio::task::spawn_blocking(move || {
                        all.wait();
                    })
                })
                .collect();
            for s in started {
                s.await.expect("a blocking-pool thread started");
            }
        });
        Job {
            shared: Arc::new(Shared {
                blocking,
                evented,
                requests,
                started: AtomicUsize::new(0),
                done: AtomicUsize::new(0),
                issued: Notify::new(),
                blocked: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
                pool: AtomicUsize::new(0),
            }),
            rt,
            threads,
            requests,
            delay,
        }
    }

    /// Spawns one task per request and the heartbeat, awaits them all and
    /// reports the counters; the answers come back in request order. The
    /// heartbeat is ready once every request has been issued, whatever order
    /// the tasks start in, and notes how many have finished when it runs.
    fn run<P, F, Fut>(&self, probe: &P, task: F) -> Result<Vec<u64>, String>
    where
        P: Probe,
        F: Fn(usize, Arc<Shared>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<u64, String>> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        shared.reset();
        // One task spawns the others, as a server's handler would: while it
        // spawns, its worker runs nothing else, so no request starts early.
        let driver = async move {
            let handles: Vec<_> = (0..shared.requests)
                .map(|i| tokio::spawn(task(i, Arc::clone(&shared))))
                .collect();
            if shared.requests == 0 {
                shared.issued.notify_one();
            }
            let watch = Arc::clone(&shared);
            let heartbeat = tokio::spawn(async move {
                watch.issued.notified().await;
                watch.done.load(Ordering::SeqCst)
            });
            let mut answers = Vec::with_capacity(handles.len());
            for h in handles {
                answers.push(h.await.map_err(|e| format!("a request task failed: {e}"))?);
            }
            let ahead = heartbeat
                .await
                .map_err(|e| format!("the heartbeat failed: {e}"))?;
            Ok::<_, String>((answers, ahead))
        };
        let (answers, ahead) = self
            .rt
            .block_on(self.rt.spawn(driver))
            .map_err(|e| format!("the driver task failed: {e}"))??;
        let shared = &self.shared;
        probe.set(BLOCKED, shared.peak.load(Ordering::SeqCst) as u64);
        probe.add(AHEAD, ahead as u64);
        probe.add(POOL, shared.pool.load(Ordering::SeqCst) as u64);
        answers.into_iter().collect()
    }
}

/// Each task makes the blocking call on its worker: `std::net` write, then `read`.
pub fn bad<P: Probe>(job: &Job, probe: &P) -> Result<Vec<u64>, String> {
    job.run(probe, |i, s| async move { s.blocking_request(i, On::Worker) })
}

/// Each task makes the same request with `tokio::net` and `.await`s the answer.
pub fn good<P: Probe>(job: &Job, probe: &P) -> Result<Vec<u64>, String> {
    job.run(probe, |i, s| async move { s.async_request(i).await })
}

/// Each task hands the blocking call to `tokio::task::spawn_blocking` and awaits it.
pub fn spawn_blocking<P: Probe>(job: &Job, probe: &P) -> Result<Vec<u64>, String> {
    job.run(probe, |i, s| async move {
        s.issue();
        tokio::task::spawn_blocking(move || s.blocking_request(i, On::Pool))
            .await
            .map_err(|e| format!("a blocking call failed: {e}"))?
    })
}

/// The job for a size; the agreement tests' edge sizes (no threads) give
/// `x` requests (none or one) on one worker with no wait.
pub fn input(size: Size) -> Job {
    match (size.threads, size.x) {
        (0, n) => Job::new(1, n, Duration::ZERO),
        (t, us) => Job::new(t, REQUESTS, Duration::from_micros(us as u64)),
    }
}

/// Linux's default timer slack: a thread's sleep ends up to this long after its deadline, µs.
pub const SLACK_US: f64 = 50.0;
/// One thread woken through a socket or a futex, µs.
pub const WAKE_US: f64 = 10.0;
/// A loopback write and a read that does not wait, µs.
pub const CALL_US: f64 = 3.0;
/// What a task adds to a request that completes at once (readiness checks), µs.
pub const POLL_US: f64 = 0.3;
/// `spawn_blocking`'s serial part per call on the worker (queue the job,
/// wake a pool thread, take the result back), µs.
pub const HANDOFF_US: f64 = 5.0;

/// How long one request waits for its answer: nothing at `d = 0` (the
/// answer is there), otherwise `d`, the server's timer slack and two
/// wake-ups (the server's on the request, the client's on the answer).
pub fn wait_us(d_us: usize) -> f64 {
    if d_us == 0 {
        0.0
    } else {
        d_us as f64 + SLACK_US + 2.0 * WAKE_US
    }
}

/// Time per call of `bad`, `good` and `spawn_blocking` with `n` requests on
/// `threads` workers and a wait of `d_us`, µs. `bad` waits `ceil(n / T)`
/// rounds; `good` issues the requests one after another, then all wait at
/// once and one wake-up brings the answers back; `spawn_blocking` hands
/// each call to the pool (serial part on the worker) and waits once, plus
/// two wake-ups: the pool thread's and the task's.
pub fn modelled(threads: usize, n: usize, d_us: usize) -> [f64; 3] {
    let t = threads.max(1);
    let w = wait_us(d_us);
    let waking = if d_us == 0 { 0.0 } else { WAKE_US };
    let bad = n.div_ceil(t) as f64 * (w + CALL_US);
    let good = n as f64 * (CALL_US + POLL_US) / t as f64 + w + waking;
    let pool = n as f64 * HANDOFF_US / t as f64 + CALL_US + w + 2.0 * WAKE_US;
    [bad, good, pool]
}

/// Waits per size: an answer already there, 100 µs and 1 ms.
pub const WAITS_US: &[usize] = &[0, 100, 1_000];

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "blocking_in_async";
    const TOPIC: Topic = Topic::Concurrency;
    const SOURCES: &'static [SourcePoint] = &[sources::BLOCKING_IN_ASYNC];
    const SIZE: &'static str = "runtime workers × server wait (8 requests)";
    const CLAIM: &'static str = "blocking I/O in async code holds a worker: N waits on T workers take \
         ceil(N/T)×d instead of d, and starve other tasks (sources)";
    const DETERMINISTIC: bool = false;
    type Param = Size;
    type Input = Job;
    type Output = Result<Vec<u64>, String>;

    /// Every wait on one worker, where blocking hurts most; the longest wait
    /// on 2 workers and all cores, where `ceil(N / T)` shrinks (to one round
    /// once `T ≥ N`).
    fn sizes() -> &'static [Size] {
        static SIZES: OnceLock<Vec<Size>> = OnceLock::new();
        SIZES.get_or_init(|| {
            let mut s: Vec<Size> = WAITS_US.iter().map(|&d| Threads::new(1, d)).collect();
            let longest = WAITS_US[WAITS_US.len() - 1];
            s.extend(
                thread_counts()
                    .into_iter()
                    .filter(|&t| t > 1)
                    .map(|t| Threads::new(t, longest)),
            );
            s
        })
    }

    const INPUT: fn(Size) -> Job = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |j: &Job, p| bad(j, p));
        v.variant("good", |j: &Job, p| good(j, p));
        v.variant("spawn_blocking", |j: &Job, p| spawn_blocking(j, p));
    }

    /// Exact by construction: a blocked worker runs nothing else, so on one
    /// worker the heartbeat runs only after the last request. The peak at
    /// several workers needs them all inside a blocking call at once, which
    /// a wait of 1 ms leaves ample time for.
    fn expect() -> Vec<Expect<Size>> {
        let one_worker = Sizes::UpTo(Threads::new(1, usize::MAX));
        vec![
            expect::exactly(Figure::Counter(BLOCKED), "bad", |s| {
                s.threads.min(REQUESTS) as u64
            }),
            expect::exactly(Figure::Counter(BLOCKED), "good", |_| 0),
            expect::exactly(Figure::Counter(BLOCKED), "spawn_blocking", |_| 0),
            expect::exactly(Figure::Counter(POOL), "bad", |_| 0),
            expect::exactly(Figure::Counter(POOL), "good", |_| 0),
            expect::exactly(Figure::Counter(POOL), "spawn_blocking", |_| {
                REQUESTS as u64
            }),
            expect::exactly(Figure::Counter(AHEAD), "bad", |_| REQUESTS as u64).at(one_worker),
        ]
    }

    /// From [`modelled`]: with a wait and fewer workers than requests, both
    /// fixes are faster by about `ceil(N / T)`; with `T ≥ N` level; with no
    /// wait `good` is level or a little slower (the same system calls plus
    /// a task's readiness checks) and `spawn_blocking` slower (a hand-off
    /// and two wake-ups for a call of a few µs).
    fn predict(size: Size) -> Vec<Prediction> {
        let [bad, good, pool] = modelled(size.threads, REQUESTS, size.x);
        vec![
            Prediction::from_model("good", bad / good),
            Prediction::from_model("spawn_blocking", bad / pool),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Param;

    #[test]
    fn predictions_follow_the_cost_model() {
        let p = |t, d| Case::predict(Threads::new(t, d));
        assert_eq!(
            p(1, 0),
            vec![
                Prediction::level("good").or_slower(),
                Prediction::slower("spawn_blocking")
            ]
        );
        for t in [1, 2, 4] {
            for d in [100, 1_000] {
                for pr in p(t, d) {
                    assert_eq!(pr, Prediction::faster(pr.variant), "{t} workers, {d} µs");
                }
            }
        }
        for pr in p(REQUESTS, 1_000) {
            assert!(pr.level && !pr.faster, "{pr:?}");
        }
    }

    #[test]
    fn sizes_key_and_parse_back() {
        let s = Threads::<Micros>::new(2, 1_000);
        assert_eq!(s.key(), "2t-1000us");
        assert_eq!(Threads::<Micros>::parse("2t-1000us"), Some(s));
    }
}
