//! A small key-value server on 127.0.0.1 and its blocking client, for the
//! network hints (`round_trip_batching`, `connection_reuse`).
//!
//! The protocol is length-prefixed binary: a request is a `u32` count `n`
//! then `n` keys (`u64`), a reply is the same count then `n` values, all
//! little-endian. One request may carry any number of keys up to
//! [`MAX_KEYS`], and a client may send several requests before reading any
//! reply (pipelining): the server answers them in order, buffering its
//! replies until it has read all it was sent.
//!
//! The server runs on its own thread and a single-threaded tokio runtime,
//! started outside any timed code and stopped when dropped. It counts the
//! connections it accepts and the requests it reads, so that a variant can
//! report what the server saw ([`Server::counts`]). It serves one request at
//! a time: a service latency is a blocking sleep on its only thread (precise
//! to well under a millisecond, where tokio's timer rounds up to the next
//! millisecond), which holds up other connections too. The clients of these
//! hints never have two requests in service at once, so this costs them
//! nothing.
//!
//! Client sockets set `TCP_NODELAY` (no Nagle delay on small writes), read
//! and write timeouts of [`TIMEOUT`] (an error, never a hang) and `SO_LINGER`
//! of zero: closing sends a reset, so no closed connection is left in
//! `TIME_WAIT` on either end, and a client that opens thousands of
//! connections a second cannot run the loopback interface out of ports.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::oneshot;

/// A connect, read or write that takes longer than this is an error, not a hang.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// The most keys one request may carry; a larger count closes the connection.
pub const MAX_KEYS: usize = 1 << 16;
/// Bytes of a request's or a reply's count.
pub const HEADER: usize = 4;
/// Bytes of one key or one value.
pub const WORD: usize = 8;

/// The value the server holds for `key`: a fixed function, standing in for
/// a table lookup, so every client can check every answer.
pub fn value(key: u64) -> u64 {
    key.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ 0x00c0_ffee
}

/// What the server has seen since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Connections accepted.
    pub connections: u64,
    /// Requests read, whatever the number of keys each carried.
    pub requests: u64,
}

impl Counts {
    /// What happened between `before` and `self`.
    pub fn since(self, before: Counts) -> Counts {
        Counts {
            connections: self.connections - before.connections,
            requests: self.requests - before.requests,
        }
    }
}

#[derive(Default)]
struct Tally {
    connections: AtomicU64,
    requests: AtomicU64,
}

/// The server: a thread serving 127.0.0.1 on an ephemeral port until dropped.
pub struct Server {
    addr: SocketAddr,
    tally: Arc<Tally>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Binds an ephemeral port and starts serving, sleeping `latency` before
    /// each reply (none when zero).
    pub fn start(latency: Duration) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let tally = Arc::new(Tally::default());
        let t = Arc::clone(&tally);
        let thread = std::thread::Builder::new()
            .name("kv-server".into())
            .spawn(move || rt.block_on(serve(listener, latency, t, stopped)))?;
        Ok(Server {
            addr,
            tally,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted and requests read so far. Each is counted before
    /// the server answers, so once a client has its reply, the request (and
    /// its connection) is in the count.
    pub fn counts(&self) -> Counts {
        Counts {
            connections: self.tally.connections.load(Ordering::SeqCst),
            requests: self.tally.requests.load(Ordering::SeqCst),
        }
    }
}

impl Drop for Server {
    /// Stops the accept loop, then drops the runtime with every connection's
    /// task: the thread ends and is joined.
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
    tally: Arc<Tally>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener =
        tokio::net::TcpListener::from_std(listener).expect("a non-blocking std listener");
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => {
                let Ok((conn, _)) = accepted else { continue };
                tally.connections.fetch_add(1, Ordering::SeqCst);
                let tally = Arc::clone(&tally);
                tokio::spawn(async move {
                    // A reset or a malformed request ends this connection only.
                    let _ = connection(conn, latency, &tally).await;
                });
            }
        }
    }
}

/// Serves one connection until the client closes it.
async fn connection(
    mut conn: tokio::net::TcpStream,
    latency: Duration,
    tally: &Tally,
) -> std::io::Result<()> {
    conn.set_nodelay(true)?;
    let (r, w) = conn.split();
    let (mut r, mut w) = (BufReader::new(r), BufWriter::new(w));
    let mut body = Vec::new();
    let mut reply = Vec::new();
    loop {
        let mut head = [0u8; HEADER];
        match r.read_exact(&mut head).await {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let n = u32::from_le_bytes(head) as usize;
        if n > MAX_KEYS {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        body.resize(n * WORD, 0);
        r.read_exact(&mut body).await?;
        tally.requests.fetch_add(1, Ordering::SeqCst);
        if !latency.is_zero() {
            std::thread::sleep(latency);
        }
        reply.clear();
        reply.extend_from_slice(&head);
        for key in body.chunks_exact(WORD) {
            let key = u64::from_le_bytes(key.try_into().expect("8 bytes"));
            reply.extend_from_slice(&value(key).to_le_bytes());
        }
        w.write_all(&reply).await?;
        // Pipelined requests already read are answered in one write.
        if r.buffer().is_empty() {
            w.flush().await?;
        }
    }
}

/// A client connection to `addr`: `TCP_NODELAY`, [`TIMEOUT`]s, `SO_LINGER` 0.
pub fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let conn = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    conn.set_nodelay(true)?;
    conn.set_read_timeout(Some(TIMEOUT))?;
    conn.set_write_timeout(Some(TIMEOUT))?;
    socket2::SockRef::from(&conn).set_linger(Some(Duration::ZERO))?;
    Ok(conn)
}

/// Appends one request for `keys` to `buf`.
pub fn encode(keys: &[u64], buf: &mut Vec<u8>) {
    assert!(keys.len() <= MAX_KEYS, "{} keys in one request", keys.len());
    buf.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    for k in keys {
        buf.extend_from_slice(&k.to_le_bytes());
    }
}

/// Bytes of the reply to a request of `n` keys.
pub fn reply_len(n: usize) -> usize {
    HEADER + n * WORD
}

/// Appends the values of one reply of `n` keys, at the start of `bytes`, to
/// `out`; an error when its count is not `n`.
pub fn decode(bytes: &[u8], n: usize, out: &mut Vec<u64>) -> Result<(), String> {
    let count = u32::from_le_bytes(bytes[..HEADER].try_into().expect("4 bytes")) as usize;
    if count != n {
        return Err(format!(
            "a reply of {count} values to a request of {n} keys"
        ));
    }
    out.extend(
        bytes[HEADER..reply_len(n)]
            .chunks_exact(WORD)
            .map(|v| u64::from_le_bytes(v.try_into().expect("8 bytes"))),
    );
    Ok(())
}

/// Sends everything in `requests` with one write, then reads `len` bytes of
/// replies into `replies`: one round trip, whatever `requests` holds.
pub fn exchange(
    mut conn: &TcpStream,
    requests: &[u8],
    len: usize,
    replies: &mut Vec<u8>,
) -> Result<(), String> {
    let to = |e: std::io::Error| format!("{:?}: {e}", conn.peer_addr());
    conn.write_all(requests).map_err(to)?;
    replies.resize(len, 0);
    conn.read_exact(replies).map_err(to)
}

/// One request for `keys` on `conn` and its reply: one round trip. The
/// values are appended to `out`; `buf` and `replies` are scratch space.
pub fn get(
    conn: &TcpStream,
    keys: &[u64],
    buf: &mut Vec<u8>,
    replies: &mut Vec<u8>,
    out: &mut Vec<u64>,
) -> Result<(), String> {
    buf.clear();
    encode(keys, buf);
    exchange(conn, buf, reply_len(keys.len()), replies)?;
    decode(replies, keys.len(), out)
}
