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
//! ## The fix
//! Wrap the `File` in a `BufWriter`: records are copied into an 8 KiB buffer
//! and reach the file one full buffer per system call. Call `into_inner()`
//! (or `flush()`) at the end to write the rest and see its errors: dropping a
//! `BufWriter` flushes too, but ignores a failure.
//!
//! ## When it does not help
//! Records as large as the buffer go straight through (`BufWriter` does not
//! copy what would fill it anyway), so from a few KiB per record both make
//! nearly the same system calls and the copy into the buffer is pure
//! overhead. One large `write_all` of data already in memory needs no
//! buffer. The saving is system calls, not disk work: neither variant syncs,
//! and the kernel's page cache absorbs both alike.
//!
//! ## Claim
//! One system call per buffer (8 KiB) instead of one per record.
//!
//! ## Measured
//! The `write calls` counter is exact (the probe counts each `write` the
//! file receives): `bad` makes one per record, 65,536 bytes / record size of
//! them, `good` one per full 8 KiB buffer. Instruction counts cover user space
//! only, not the kernel's side of a system call, so they understate what
//! `bad` pays: from 512-byte records up `good` runs more user instructions
//! than `bad`, the copy into the buffer that `bad` does not make. `good`
//! allocates once (the buffer), `bad` not at all. The table below has the
//! times: the saving shrinks as records grow towards the buffer's size.
//! Rerun with `cargo bench -- buffered_io/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/buffered_io.md"))]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use rand::Rng;
use tempfile::TempDir;

use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Probe, Settings, Variants};

/// Bytes written per call, whatever the record size.
pub const TOTAL: usize = 64 * 1024;

/// `BufWriter`'s default capacity.
pub const BUFFER: usize = 8 * 1024;

/// A writer that reports each `write` it passes on as one of "write calls":
/// one per system call for a `File`. With [`NoProbe`](crate::hint::NoProbe)
/// the report compiles to nothing.
pub struct Counted<'a, W, P> {
    inner: W,
    probe: &'a P,
}

impl<W: Write, P: Probe> Write for Counted<'_, W, P> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.probe.add("write calls", 1);
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The bytes to write, the record size and where to write them.
pub struct Input {
    /// Removed with its contents when the input is dropped.
    pub dir: TempDir,
    pub path: PathBuf,
    pub record: usize,
    pub data: Vec<u8>,
}

impl Input {
    /// The records, in order.
    pub fn records(&self) -> std::slice::Chunks<'_, u8> {
        self.data.chunks(self.record.max(1))
    }
}

/// Writes each record straight to the `File`: one system call per record.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> u64 {
    let file = File::create(&input.path).expect("create output file");
    let mut out = Counted { inner: file, probe };
    let mut written = 0;
    for r in input.records() {
        out.write_all(r).expect("write record");
        written += r.len() as u64;
    }
    written
}

/// Writes each record into a `BufWriter` around the `File`, flushed at the end.
pub fn good<P: Probe>(input: &Input, probe: &P) -> u64 {
    let file = File::create(&input.path).expect("create output file");
    let mut out = BufWriter::new(Counted { inner: file, probe });
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
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "buffered_io";
    const SIZE: &'static str = "record bytes";
    const CLAIM: &'static str = "one system call per 8 KiB buffer instead of one per record";
    type Param = usize;
    type Input = Input;
    type Output = u64;

    /// Small records, where buffering saves almost every call, up to half
    /// the buffer, where it saves half of them and the gap closes.
    fn sizes() -> &'static [usize] {
        &[8, 64, 512, 4_096]
    }

    fn input(size: usize) -> Input {
        input(size)
    }

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
    }

    /// `bad` at 8-byte records makes 8,192 system calls a call; short runs
    /// keep the eight benchmarks near 10 s.
    fn settings() -> Settings {
        Settings::short(10)
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Counter("write calls"), "bad", |r| (TOTAL / r) as u64),
            expect::exactly(Figure::Counter("write calls"), "good", |_| {
                (TOTAL / BUFFER) as u64
            }),
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 1),
            expect::fewer(Figure::Instructions, "good", "bad").at(Sizes::UpTo(64)),
            // User-space instructions only: the copy into the buffer shows,
            // the system calls it saves do not.
            expect::fewer(Figure::Instructions, "bad", "good").at(Sizes::From(512)),
        ]
    }

    /// Faster while records are much smaller than the buffer: many system
    /// calls become few. At 4,096-byte records `bad` makes 16 calls against
    /// 8 and `good` copies every byte once more: no practical difference.
    fn predict(record: usize) -> Vec<Prediction> {
        vec![if record >= BUFFER / 2 {
            Prediction::level("good")
        } else {
            Prediction::faster("good")
        }]
    }
}
