//! # Buffer small writes to a file (`buffered_io`)
//!
//! ## Cost model
//! `File` in Rust is unbuffered: every `write` on it is one `write(2)` system
//! call, a switch into the kernel and back that costs far more than copying a
//! few bytes. Writing a file as many small records straight to the `File`
//! pays that fixed cost once per record.
//!
//! Here 64 KiB of fixed-seed bytes are written with `write_all`, record by
//! record, to a fresh file in a temporary directory (created with the
//! `tempfile` crate, owned by the input and removed when it is dropped, also
//! when a run panics). The size is the record size in bytes.
//!
//! Reading is the same cost the other way: `read` on a `File` is one
//! `read(2)` per call, so reading a file record by record with `read_exact`
//! makes one system call per record. The read side reads the same 64 KiB
//! back from a file written when the input was made (outside timing, so it
//! sits in the page cache).
//!
//! ## The fix
//! Wrap the `File` in a `BufWriter`: records are copied into an 8 KiB buffer
//! and reach the file one full buffer per system call. Call `into_inner()`
//! (or `flush()`) at the end to write the rest and see its errors: dropping a
//! `BufWriter` flushes too, but ignores a failure. On the read side, wrap the
//! `File` in a `BufReader`: one `read` fills 8 KiB, and records are copied
//! out of that buffer until it is empty.
//!
//! ## When it does not help
//! Records as large as the buffer go straight through (`BufWriter` does not
//! copy what would fill it anyway), so from a few KiB per record both make
//! nearly the same system calls and the copy into the buffer is pure
//! overhead. One large `write_all` of data already in memory needs no
//! buffer. The saving is system calls, not disk work: neither variant syncs,
//! and the kernel's page cache absorbs both alike. The same holds for reads:
//! `BufReader` hands a request at least as large as its buffer straight to
//! the file, and for records of a few KiB the copy out of the buffer costs
//! about what the saved calls did; reading a whole file at once
//! (`std::fs::read`) needs no buffer.
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent: `clippy::unbuffered_bytes`
//! (perf, on by default), which flags `.bytes()` on an unbuffered reader but
//! not `write_all` or `read_exact` per record, and
//! `clippy::verbose_file_reads` (restriction, opt-in).
//!
//! Signal: system calls. `strace -c` (or a flame graph's `write`/`read`
//! syscall frames) with one call per record; this crate counts `write calls`
//! and `read calls` in `cargo bench -- buffered_io/`.
//!
//! ## Claim
//! One system call per buffer (8 KiB) instead of one per record (sources),
//! for writes; checked here for reads too.
//!
//! ## Measured
//! The `write calls` and `read calls` counters are exact (a wrapper around the
//! `File` counts each `write` and `read` it receives): on each side `bad`
//! makes one per record, 65,536 bytes / record size of them, `good` one per
//! full 8 KiB buffer, and neither makes a call of the other kind. Instruction
//! counts cover user space only, not the kernel's side of a system call, so
//! they understate what `bad` pays: from 512-byte records up `good` runs more
//! user instructions than `bad`, the copy into the buffer that `bad` does not
//! make. `good` allocates once (the buffer), `bad` not at all; on the read
//! side both allocate the record buffer and `good` its reader's buffer too.
//! Neither collects the file, so this is not a streaming-against-collecting
//! pair: the peak bytes column shows `good`'s memory cost, exactly one 8 KiB
//! buffer more than `bad` (the record buffer on the read side, nothing on the
//! write side), whatever the file's length.
//! The instruction counts on the read side follow the write side's: fewer for
//! `good` at small records, more from 512-byte records up. What the table's
//! times weigh is the system calls saved against that copy: as records grow
//! towards the buffer's size there are fewer calls to save, and the copy
//! stays.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- buffered_io/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/buffered_io.md"))]

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use rand::Rng;
use tempfile::TempDir;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::model::Param;

/// Bytes written or read per call, whatever the record size.
pub const TOTAL: usize = 64 * 1024;

/// `BufWriter`'s and `BufReader`'s default capacity.
pub const BUFFER: usize = 8 * 1024;

/// `write` calls the file receives: one system call each.
pub const WRITES: &str = "write calls";
/// `read` calls the file receives: one system call each.
pub const READS: &str = "read calls";

/// A file handle that reports each `write` it passes on as one of
/// [`WRITES`] and each `read` as one of [`READS`]: one per system call for a
/// `File`. With [`NoProbe`](crate::hint::NoProbe) the reports compile to
/// nothing.
pub struct Counted<'a, F, P> {
    inner: F,
    probe: &'a P,
}

impl<'a, F, P: Probe> Counted<'a, F, P> {
    /// Wraps `inner`; both counters start at zero, so a variant that makes
    /// no call of one kind reports an exact 0 for it.
    pub fn new(inner: F, probe: &'a P) -> Self {
        probe.add(WRITES, 0);
        probe.add(READS, 0);
        Counted { inner, probe }
    }
}

impl<W: Write, P: Probe> Write for Counted<'_, W, P> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.probe.add(WRITES, 1);
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read, P: Probe> Read for Counted<'_, R, P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.probe.add(READS, 1);
        self.inner.read(buf)
    }
}

/// Which way the bytes go: read from a file written beforehand, or written
/// to a fresh one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Read,
    Write,
}

/// A size: the record size in bytes and the side. Sizes sort by record
/// size, then side (read first), so `Sizes::UpTo`/`From` cut both sides at
/// the same record size; write sizes keep the plain keys (`8`) that records
/// made before the read side had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Size {
    pub record: usize,
    pub side: Side,
}

const fn write(record: usize) -> Size {
    Size {
        side: Side::Write,
        record,
    }
}

const fn read(record: usize) -> Size {
    Size {
        side: Side::Read,
        record,
    }
}

impl Param for Size {
    fn key(&self) -> String {
        match self.side {
            Side::Write => self.record.to_string(),
            Side::Read => format!("read-{}", self.record),
        }
    }
    fn parse(key: &str) -> Option<Self> {
        match key.strip_prefix("read-") {
            Some(r) => r.parse().ok().map(read),
            None => key.parse().ok().map(write),
        }
    }
    fn label(&self) -> String {
        match self.side {
            Side::Write => format!("write, {}", self.record),
            Side::Read => format!("read, {}", self.record),
        }
    }
    fn series(&self) -> String {
        match self.side {
            Side::Write => "write".into(),
            Side::Read => "read".into(),
        }
    }
    fn x(&self) -> f64 {
        self.record as f64
    }
    fn tick(&self) -> String {
        self.record.to_string()
    }
    fn edges() -> Vec<Self> {
        vec![read(0), write(0), read(1), write(1)]
    }
    /// Schema-1 records had the write side only, keyed by the record size.
    fn from_legacy(size: usize) -> Option<Self> {
        Some(write(size))
    }
}

/// The bytes to write or read, the record size and the file.
pub struct Input {
    /// Removed with its contents when the input is dropped.
    pub dir: TempDir,
    pub path: PathBuf,
    pub record: usize,
    pub data: Vec<u8>,
    /// Write: `path` is created per call. Read: `path` holds `data`, written
    /// when the input was made.
    pub side: Side,
}

impl Input {
    /// The records, in order.
    pub fn records(&self) -> std::slice::Chunks<'_, u8> {
        self.data.chunks(self.record.max(1))
    }
}

/// Reads the file record by record with `read_exact` on `from`, handing
/// each record to `sink`; returns the bytes read.
fn read_records<R: Read>(input: &Input, from: &mut R, mut sink: impl FnMut(&[u8])) -> u64 {
    let mut record = vec![0u8; input.record.max(1)];
    let mut read = 0;
    for r in input.records() {
        let buf = &mut record[..r.len()];
        from.read_exact(buf).expect("read record");
        sink(buf);
        read += r.len() as u64;
    }
    read
}

/// The bytes a read-side call reads, in order (`buffered`: through a
/// `BufReader`), for tests: the same loop as the variants.
pub fn read_back(input: &Input, buffered: bool) -> Vec<u8> {
    let file = File::open(&input.path).expect("open input file");
    let mut out = Vec::new();
    let sink = |r: &[u8]| out.extend_from_slice(r);
    if buffered {
        read_records(input, &mut BufReader::new(file), sink);
    } else {
        read_records(input, &mut { file }, sink);
    }
    out
}

/// Write: each record straight to the `File`, one system call per record.
/// Read: `read_exact` per record on the `File`, one system call per record.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    if input.side == Side::Read {
        let file = File::open(&input.path).expect("open input file");
        let mut from = Counted::new(file, probe);
        return read_records(input, &mut from, |r| {
            std::hint::black_box(r);
        });
    }
    let file = File::create(&input.path).expect("create output file");
    let mut out = Counted::new(file, probe);
    let mut written = 0;
    for r in input.records() {
        out.write_all(r).expect("write record");
        written += r.len() as u64;
    }
    written
}

/// Write: each record into a `BufWriter` around the `File`, flushed at the
/// end. Read: `read_exact` per record on a `BufReader` around the `File`.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    if input.side == Side::Read {
        let file = File::open(&input.path).expect("open input file");
        let mut from = BufReader::new(Counted::new(file, probe));
        return read_records(input, &mut from, |r| {
            std::hint::black_box(r);
        });
    }
    let file = File::create(&input.path).expect("create output file");
    let mut out = BufWriter::new(Counted::new(file, probe));
    let mut written = 0;
    for r in input.records() {
        out.write_all(r).expect("write record");
        written += r.len() as u64;
    }
    // `into_inner` flushes and reports a failed flush; a drop would not.
    out.into_inner().map_err(|e| e.into_error()).expect("flush");
    written
}

/// [`TOTAL`] fixed-seed bytes in records of `record` bytes (none for 0), to
/// be written to a file in a fresh temporary directory.
pub fn input(record: usize) -> Input {
    let mut rng = crate::rng(44);
    let len = if record == 0 { 0 } else { TOTAL };
    let data = (0..len).map(|_| rng.random()).collect();
    let dir = tempfile::tempdir().expect("create temporary directory");
    let path = dir.path().join("out.bin");
    Input {
        dir,
        path,
        record,
        data,
        side: Side::Write,
    }
}

/// The same bytes as [`input`], already in a file in a fresh temporary
/// directory (written here, outside any timed code), to be read back in
/// records of `record` bytes.
pub fn read_input(record: usize) -> Input {
    let mut i = input(record);
    i.path = i.dir.path().join("in.bin");
    std::fs::write(&i.path, &i.data).expect("write input file");
    i.side = Side::Read;
    i
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "buffered_io";
    const TOPIC: Topic = Topic::Io;
    const SOURCES: &'static [SourcePoint] = &[sources::CHUNKED_IO];
    const SIZE: &'static str = "side, record bytes";
    const CLAIM: &'static str = "one system call per 8 KiB buffer instead of one per record";
    type Param = Size;
    type Input = Input;
    type Output = u64;

    /// On each side, small records, where buffering saves almost every
    /// call, up to half the buffer, where it saves half of them and the gap
    /// closes.
    fn sizes() -> &'static [Size] {
        const SIZES: &[Size] = &[
            read(8),
            write(8),
            read(64),
            write(64),
            read(512),
            write(512),
            read(4_096),
            write(4_096),
        ];
        SIZES
    }

    const INPUT: fn(Size) -> Input = |size| {
        match size.side {
            Side::Write => input(size.record),
            Side::Read => read_input(size.record),
        }
    };

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
    }

    fn expect() -> Vec<Expect<Size>> {
        vec![
            expect::exactly(Figure::Counter(WRITES), "bad", |s| {
                if s.side == Side::Write { (TOTAL / s.record) as u64 } else { 0 }
            }),
            expect::exactly(Figure::Counter(WRITES), "good", |s| {
                if s.side == Side::Write { (TOTAL / BUFFER) as u64 } else { 0 }
            }),
            expect::exactly(Figure::Counter(READS), "bad", |s| {
                if s.side == Side::Read { (TOTAL / s.record) as u64 } else { 0 }
            }),
            // Records divide the buffer: each refill is a full 8 KiB, and
            // reading exactly the file's length never asks for the end.
            expect::exactly(Figure::Counter(READS), "good", |s| {
                if s.side == Side::Read { (TOTAL / BUFFER) as u64 } else { 0 }
            }),
            // Write: the buffer is `good`'s only allocation. Read: both
            // allocate the record buffer, `good` the reader's buffer too.
            expect::exactly(Figure::Allocs, "bad", |s| u64::from(s.side == Side::Read)),
            expect::exactly(Figure::Allocs, "good", |s| 1 + u64::from(s.side == Side::Read)),
            // Both stream: neither holds the file, so the peak is the
            // buffers, whatever the file's length. `bad` holds the record
            // buffer on the read side and nothing on the write side; `good`
            // one 8 KiB buffer more.
            expect::exactly(Figure::PeakBytes, "bad", |s| {
                if s.side == Side::Read { s.record as u64 } else { 0 }
            }),
            expect::exactly(Figure::PeakBytes, "good", |s| {
                BUFFER as u64 + if s.side == Side::Read { s.record as u64 } else { 0 }
            }),
            expect::fewer(Figure::Instructions, "good", "bad")
                .at(Sizes::Where(|s| s.side == Side::Write && s.record <= 64)),
            // User-space instructions only: the copy into the buffer shows,
            // the system calls it saves do not.
            expect::fewer(Figure::Instructions, "bad", "good")
                .at(Sizes::Where(|s| s.side == Side::Read && s.record >= 512)),
        ]
    }

    /// Faster while records are much smaller than the buffer: many system
    /// calls become few, on either side. At 4,096-byte records `bad` makes
    /// 16 calls against 8 and `good` copies every byte once more: no
    /// practical difference. A read of a file in the page cache is a copy
    /// out of the kernel, much like a write is a copy in, so the read side
    /// is predicted as the write side is.
    fn predict(size: Size) -> Vec<Prediction> {
        vec![if size.record >= BUFFER / 2 {
            Prediction::level("good")
        } else {
            Prediction::faster("good")
        }]
    }
}
