//! The rows of the sources' cost tables, as data: what each quotes, and how
//! this crate measures it or why it does not.

use super::probes::*;
use super::{How, Primitive, Quoted, Section};

const NS: f64 = 1.0;
const US: f64 = 1e3;
const MS: f64 = 1e6;

/// Every row of the sources' three tables, in their order.
pub const PRIMITIVES: &[Primitive] = &[
    Primitive {
        id: "l1_reference",
        what: "L1 cache reference",
        section: Section::Reference,
        quoted: Quoted::About(0.5 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle through a quarter of the L1 data cache",
            l1_reference,
        ),
    },
    Primitive {
        id: "l2_reference",
        what: "L2 cache reference",
        section: Section::Reference,
        quoted: Quoted::About(3.0 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle of cache lines through half the L2 cache",
            l2_reference,
        ),
    },
    Primitive {
        id: "branch_mispredict",
        what: "Branch mispredict",
        section: Section::Reference,
        quoted: Quoted::About(5.0 * NS),
        how: How::Measured(
            "`branch_predictability`'s filter on 256 KiB of random bytes against the same bytes sorted, paired; the difference per byte over 0.5 (half the random branches miss; smaller inputs are learnt by the predictor when repeated)",
            branch_mispredict,
        ),
    },
    Primitive {
        id: "mutex_uncontended",
        what: "Mutex lock/unlock (uncontended)",
        section: Section::Reference,
        quoted: Quoted::About(15.0 * NS),
        how: How::Measured(
            "`std::sync::Mutex<u64>`: lock, add, unlock, one thread",
            mutex_uncontended,
        ),
    },
    Primitive {
        id: "main_memory_reference",
        what: "Main memory reference",
        section: Section::Reference,
        quoted: Quoted::About(50.0 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle of cache lines through 4x the last-level cache (at least 256 MiB)",
            main_memory_reference,
        ),
    },
    Primitive {
        id: "python_call",
        what: "Python function call overhead",
        section: Section::Reference,
        quoted: Quoted::Range(50.0 * NS, 100.0 * NS),
        how: How::Feature(
            "python",
            "`f(1)` of a one-line Python function, 1,000 times in a Python loop, less the empty loop; the interpreter the `python` feature embeds",
        ),
    },
    Primitive {
        id: "rust_call",
        what: "Rust function call (non-inlined)",
        section: Section::Reference,
        quoted: Quoted::Range(1.0 * NS, 10.0 * NS),
        how: How::Measured(
            "a dependent chain of calls to an `#[inline(never)]` function whose body is one add and one shift: time per call, body included",
            rust_call,
        ),
    },
    Primitive {
        id: "gil_acquire_release",
        what: "PyO3 GIL acquire/release",
        section: Section::Reference,
        quoted: Quoted::Range(100.0 * NS, 500.0 * NS),
        how: How::Feature(
            "python",
            "`Python::attach` (PyO3's GIL acquire and release) from a Rust thread that holds nothing; the interpreter the `python` feature embeds",
        ),
    },
    Primitive {
        id: "snappy_1k",
        what: "Compress 1K bytes with Snappy",
        section: Section::Reference,
        quoted: Quoted::About(1.0 * US),
        how: How::Measured(
            "`snap::raw::Encoder` on 1 KiB of words drawn from a 64-word vocabulary",
            snappy_1k,
        ),
    },
    Primitive {
        id: "ssd_4k",
        what: "Read 4KB from SSD",
        section: Section::Reference,
        quoted: Quoted::About(20.0 * US),
        how: How::NotMeasured(
            "a file a benchmark has just written (or read before) is served by the page cache, or a virtual disk's host cache, so the device is never reached; measuring it needs a cold device and root to drop the caches",
        ),
    },
    Primitive {
        id: "datacenter_round_trip",
        what: "Round trip within same datacenter (measured as loopback TCP)",
        section: Section::Reference,
        quoted: Quoted::About(50.0 * US),
        how: How::Measured(
            "one byte to an echo thread and back over a connected loopback TCP socket (127.0.0.1, TCP_NODELAY): the kernel's share of a round trip, without a wire",
            loopback_round_trip,
        ),
    },
    Primitive {
        id: "read_1mb_memory",
        what: "Read 1MB sequentially from memory",
        section: Section::Reference,
        quoted: Quoted::About(64.0 * US),
        how: How::Measured(
            "summing 1 MiB of `u64`s, each sample a different MiB of a buffer 4x the last-level cache (at least 256 MiB)",
            read_1mb_memory,
        ),
    },
    Primitive {
        id: "network_1mb",
        what: "Read 1MB over 100 Gbps network",
        section: Section::Reference,
        quoted: Quoted::About(100.0 * US),
        how: How::NotMeasured("needs a 100 Gbps link between two machines"),
    },
    Primitive {
        id: "ssd_1mb",
        what: "Read 1MB from SSD",
        section: Section::Reference,
        quoted: Quoted::About(1.0 * MS),
        how: How::NotMeasured(
            "the page cache answers, as for the 4KB read; needs a cold device and root to drop the caches",
        ),
    },
    Primitive {
        id: "disk_seek",
        what: "Disk seek",
        section: Section::Reference,
        quoted: Quoted::About(5.0 * MS),
        how: How::NotMeasured(
            "needs a spinning disk, read past the page cache (a cold device and root to drop the caches)",
        ),
    },
    Primitive {
        id: "disk_1mb",
        what: "Read 1MB sequentially from disk",
        section: Section::Reference,
        quoted: Quoted::About(10.0 * MS),
        how: How::NotMeasured(
            "needs a spinning disk, read past the page cache (a cold device and root to drop the caches)",
        ),
    },
    Primitive {
        id: "packet_ca_nl",
        what: "Send packet CA→Netherlands→CA",
        section: Section::Reference,
        quoted: Quoted::About(150.0 * MS),
        how: How::NotMeasured(
            "needs a host on another continent to echo the packet; a benchmark cannot count on one",
        ),
    },
    Primitive {
        id: "py_dict_lookup",
        what: "dict lookup",
        section: Section::Python,
        quoted: Quoted::Range(20.0 * NS, 50.0 * NS),
        how: How::Feature(
            "python",
            "`d[500]` in a dict of 1,000 int keys, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_list_append",
        what: "list.append",
        section: Section::Python,
        quoted: Quoted::Range(20.0 * NS, 40.0 * NS),
        how: How::Feature(
            "python",
            "`l.append(1)` in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_getattr",
        what: "getattr on object",
        section: Section::Python,
        quoted: Quoted::Range(50.0 * NS, 100.0 * NS),
        how: How::Feature(
            "python",
            "`getattr(o, 'x')` of an instance attribute, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_isinstance",
        what: "isinstance check",
        section: Section::Python,
        quoted: Quoted::Range(30.0 * NS, 60.0 * NS),
        how: How::Feature(
            "python",
            "`isinstance(x, int)` in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_json_1k",
        what: "JSON parse (stdlib) 1KB",
        section: Section::Python,
        quoted: Quoted::Range(50.0 * US, 100.0 * US),
        how: How::Feature(
            "python",
            "`json.loads` of about 1 KiB of objects, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_msgspec_1k",
        what: "msgspec parse 1KB",
        section: Section::Python,
        quoted: Quoted::Range(5.0 * US, 15.0 * US),
        how: How::NotMeasured(
            "msgspec is a third-party package; the Python rows use only the standard library, so they run wherever `--features python` builds",
        ),
    },
    Primitive {
        id: "django_query",
        what: "Django ORM query (simple)",
        section: Section::Python,
        quoted: Quoted::Range(1.0 * MS, 10.0 * MS),
        how: How::NotMeasured(
            "needs a Django project and a database server, which a benchmark cannot count on",
        ),
    },
    Primitive {
        id: "django_async_query",
        what: "Django ORM async query",
        section: Section::Python,
        quoted: Quoted::Range(0.5 * MS, 5.0 * MS),
        how: How::NotMeasured(
            "needs a Django project and a database server, which a benchmark cannot count on",
        ),
    },
    Primitive {
        id: "hashmap_lookup",
        what: "HashMap lookup",
        section: Section::Rust,
        quoted: Quoted::Range(10.0 * NS, 30.0 * NS),
        how: How::Measured(
            "`std::collections::HashMap<u64, u64>` (SipHash) of 1,000 entries, a hit on a random key each time",
            hashmap_lookup,
        ),
    },
    Primitive {
        id: "vec_push",
        what: "Vec push (no realloc)",
        section: Section::Rust,
        quoted: Quoted::Range(2.0 * NS, 10.0 * NS),
        how: How::Measured(
            "`Vec<u64>::push` into capacity reserved beforehand, 4,096 pushes then `clear`",
            vec_push,
        ),
    },
    Primitive {
        id: "string_alloc_small",
        what: "String allocation (small)",
        section: Section::Rust,
        quoted: Quoted::Range(20.0 * NS, 50.0 * NS),
        how: How::Measured(
            "`String::from` of a 12-byte literal and its drop (one malloc and one free, glibc or the platform's allocator)",
            string_alloc_small,
        ),
    },
    Primitive {
        id: "arc_clone",
        what: "Arc clone",
        section: Section::Rust,
        quoted: Quoted::Range(10.0 * NS, 20.0 * NS),
        how: How::Measured(
            "`Arc::clone` and the clone's drop, one thread (two uncontended atomic read-modify-writes)",
            arc_clone,
        ),
    },
    Primitive {
        id: "tokio_spawn",
        what: "tokio task spawn",
        section: Section::Rust,
        quoted: Quoted::Range(200.0 * NS, 500.0 * NS),
        how: How::Measured(
            "`tokio::spawn` of an empty task on a one-worker multi-thread runtime, awaited in batches of 256 (the join included)",
            tokio_spawn,
        ),
    },
    Primitive {
        id: "async_channel_send",
        what: "async channel send",
        section: Section::Rust,
        quoted: Quoted::Range(50.0 * NS, 200.0 * NS),
        how: How::Measured(
            "`tokio::sync::mpsc` bounded channel (capacity 256): 256 sends then 256 receives on one task, per send (its receive included)",
            async_channel_send,
        ),
    },
];

/// The primitive with `id`.
pub fn get(id: &str) -> Option<&'static Primitive> {
    PRIMITIVES.iter().find(|p| p.id == id)
}
