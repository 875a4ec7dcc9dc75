//! The source documents the hints come from, and the points of theirs that
//! the hints measure.
//!
//! Every hint declares the points it measures (`Hint::SOURCES`); `perf-hints
//! report` turns those declarations into the table of `results/sources.md`
//! (point, claim, the hints that measure it), which the crate docs include, so
//! the map cannot drift from the code. A point here is a paraphrase of one
//! claim of one document, with its figure where it names one; "the sources'
//! claim" of a hint (`Hint::CLAIM`) is what these points say about its job.
//! [`UNMEASURED`] lists the points with a meaning in Rust that no hint
//! measures, and why.
//!
//! A leaf like the data model: it imports nothing from the crate.

/// One of the documents the hints come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Document {
    /// The main source: Rust and Python patterns, a review checklist and
    /// cost tables, after Abseil's performance hints.
    Hints,
    /// A hands-on Python performance guide.
    Guide,
    /// An article on Python caching and algorithmic fixes.
    Patterns,
    /// A Python performance triage workflow.
    Triage,
}

impl Document {
    /// Every document, main source first.
    pub const ALL: [Document; 4] = [
        Document::Hints,
        Document::Guide,
        Document::Patterns,
        Document::Triage,
    ];

    /// Its name, as the published pages give it.
    pub fn title(self) -> &'static str {
        match self {
            Document::Hints => {
                "Python & Rust Performance Hints (Abseil style, after Dean & Ghemawat)"
            }
            Document::Guide => "A hands-on Python performance guide",
            Document::Patterns => "Python performance patterns: caching and algorithmic fixes",
            Document::Triage => "A Python performance triage workflow",
        }
    }

    /// What it is, in a line.
    pub fn about(self) -> &'static str {
        match self {
            Document::Hints => {
                "The main source: Rust and Python patterns, a review checklist and latency \
                 tables, in the style of Abseil's Performance Hints. Most hints pair one of its \
                 patterns."
            }
            Document::Guide => {
                "Benchmarking, profiling, data structures, batched I/O, caching and a \
                 repeatable workflow, for Python."
            }
            Document::Patterns => {
                "Caching, quadratic traps (string building, sorting in a loop, queries in a \
                 loop), comprehensions and native extensions, for Python, with measured figures."
            }
            Document::Triage => {
                "Classify the work, measure it, fix the data structure first; what a \
                 performance change must show."
            }
        }
    }
}

/// One claim of one document, in this crate's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcePoint {
    /// The document that makes it.
    pub document: Document,
    /// A short name for the point.
    pub point: &'static str,
    /// What it claims, paraphrased, with its figure where it names one.
    pub claim: &'static str,
}

/// A point with a meaning in Rust that no hint measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unmeasured {
    /// The document that makes it.
    pub document: Document,
    /// A short name for the point.
    pub point: &'static str,
    /// Why no hint measures it, or where it is covered instead.
    pub why: &'static str,
}

const fn p(document: Document, point: &'static str, claim: &'static str) -> SourcePoint {
    SourcePoint {
        document,
        point,
        claim,
    }
}

use Document::{Guide, Hints, Patterns, Triage};

// The main document.

pub const BULK_APIS: SourcePoint = p(
    Hints,
    "Bulk APIs amortise fixed costs",
    "N similar calls pay a lock, a dispatch or a decode N times; one call taking all N pays it once.",
);
pub const ROUND_TRIPS: SourcePoint = p(
    Hints,
    "One request instead of N",
    "Fetching N records one request at a time costs N round trips; one request for all of them costs one.",
);
pub const VIEW_TYPES: SourcePoint = p(
    Hints,
    "View types for arguments",
    "Take slices, `&str` or `Cow` where the callee needs no ownership, so callers need not clone to call.",
);
pub const SHARDED_MAPS: SourcePoint = p(
    Hints,
    "Sharded maps under contention",
    "A map written by many threads contends less when split into shards with a lock each.",
);
pub const MESSAGE_PASSING: SourcePoint = p(
    Hints,
    "Message passing over shared locks",
    "Lock shared state only where needed and prefer channels; an async channel send costs 50-200 ns.",
);
pub const ASYNC_FOR_WAITING: SourcePoint = p(
    Hints,
    "Async rather than threads for waiting",
    "Work that mostly waits is cheaper as async tasks than as one OS thread each.",
);
pub const QUADRATIC: SourcePoint = p(
    Hints,
    "Complexity class first",
    "The largest wins change the complexity class: a nested match over two collections becomes one pass with a hash lookup, O(N²) to O(N).",
);
pub const INTERSECTION: SourcePoint = p(
    Hints,
    "Intersection through a hash set",
    "Intersecting through sorted lists costs O(N log N); probing a hash set costs O(N).",
);
pub const HASH_OVER_TREE: SourcePoint = p(
    Hints,
    "Hash lookup instead of a tree",
    "A tree lookup costs O(log N), a hash lookup O(1).",
);
pub const PADDING: SourcePoint = p(
    Hints,
    "Field order and padding",
    "Putting the largest fields first shrinks its example record from 24 to 16 bytes.",
);
pub const INDICES: SourcePoint = p(
    Hints,
    "Indices instead of pointers",
    "Links stored as 4-byte indices into one vector instead of 8-byte boxes: smaller nodes, better locality.",
);
pub const SMALL_COLLECTIONS: SourcePoint = p(
    Hints,
    "Inline storage for small collections",
    "A small-vector type holds its first few items (8 there) without a heap allocation.",
);
pub const CONTIGUOUS_NUMBERS: SourcePoint = p(
    Hints,
    "Contiguous numeric data",
    "Numbers packed side by side, rather than inside larger objects, are denser and kinder to the cache.",
);
pub const RESERVE: SourcePoint = p(
    Hints,
    "Reserve when the size is known",
    "Reserving the final size once replaces repeated growth by one allocation; collecting from a sized iterator does it for you.",
);
pub const BORROW: SourcePoint = p(
    Hints,
    "Borrow instead of clone",
    "Formatting borrowed fields instead of clones saves an allocation per clone: two per call in its example.",
);
pub const STREAMING: SourcePoint = p(
    Hints,
    "Stream instead of materialising",
    "A lazy pipeline builds no intermediate collection: constant memory instead of memory that grows with the input.",
);
pub const REUSE: SourcePoint = p(
    Hints,
    "Reuse a container across iterations",
    "Clearing and refilling one container saves an allocation per iteration, provided nobody keeps the old contents.",
);
pub const HOT_LOOP_STRINGS: SourcePoint = p(
    Hints,
    "No string allocation in hot loops",
    "Hot loops should read `&str` or `Cow` rather than allocate a `String` per item.",
);
pub const NO_BOX: SourcePoint = p(
    Hints,
    "Inline values instead of boxes",
    "A `Box` or `Arc` per value that could live inline costs an allocation and an indirection each.",
);
pub const ARC_CLONE: SourcePoint = p(
    Hints,
    "The cost of an Arc clone",
    "Its cost table puts an `Arc` clone at 10-20 ns.",
);
pub const FAST_PATH: SourcePoint = p(
    Hints,
    "A fast path for the common case",
    "Testing for a one-byte varint before the general decoder skips the loop in most cases (90 % by its estimate).",
);
pub const DEFER: SourcePoint = p(
    Hints,
    "Defer expensive work",
    "Compute a costly value only on the path that uses it.",
);
pub const HOIST: SourcePoint = p(
    Hints,
    "Hoist loop invariants",
    "Work whose result does not change inside a loop belongs before the loop.",
);
pub const CACHE_RESULTS: SourcePoint = p(
    Hints,
    "Cache computed results",
    "The results of an expensive pure function can be kept and reused, with a bounded (LRU) cache.",
);
pub const BOUNDARY_BATCH: SourcePoint = p(
    Hints,
    "Batch calls across the Python boundary",
    "Ten thousand one-item calls into Rust spend about 2-5 ms on crossing alone; one batched call is about 10-50x faster.",
);
pub const RELEASE_GIL: SourcePoint = p(
    Hints,
    "Release the GIL for Rust-only work",
    "Take the GIL once per batch, and let go of it while Rust computes.",
);
pub const ZERO_COPY: SourcePoint = p(
    Hints,
    "Views instead of copies across the boundary",
    "Read a Python bytes object's buffer in place rather than copy it into Rust.",
);
pub const BOUNDED_CONCURRENCY: SourcePoint = p(
    Hints,
    "Concurrent awaits, bounded",
    "N requests awaited one after another take N latencies; k at a time take about N/k, and the bound spares the server.",
);
pub const LOG_FORMATTING: SourcePoint = p(
    Hints,
    "Logging cost in hot paths",
    "A debug statement that is switched off can still pay for formatting its message; test the level once, outside the loop.",
);
pub const STATIC_LOG_FILTER: SourcePoint = p(
    Hints,
    "Static log filtering",
    "Better still, keep logging out of the innermost loop and let the level be decided at compile time.",
);
pub const TYPED_DECODE: SourcePoint = p(
    Hints,
    "Typed decoding instead of a generic parse",
    "Decoding JSON into a typed struct is several times faster than a generic parse: 5-15 µs against 50-100 µs per KB in its table.",
);
pub const ONE_SHOT: SourcePoint = p(
    Hints,
    "One-shot construction",
    "On a flat profile, build a structure in one pass rather than mutate it item by item.",
);
pub const SPECIALISE: SourcePoint = p(
    Hints,
    "Specialised code instead of general abstractions",
    "Over-general abstractions such as dynamic dispatch cost time in hot code; a specialised version does not pay it.",
);
pub const INLINE: SourcePoint = p(
    Hints,
    "`#[inline]` on small critical functions",
    "A small hot function the compiler may not inline (another crate's, without `#[inline]`) costs a call each time.",
);
pub const SPAWN_COST: SourcePoint = p(
    Hints,
    "Too many small async tasks",
    "A task per small operation costs more than it gains; a spawn costs about 200-500 ns.",
);
pub const LOCK_CONTENTION: SourcePoint = p(
    Hints,
    "Lock contention",
    "Threads queueing on one lock lose throughput.",
);
pub const BLOCKING_IN_ASYNC: SourcePoint = p(
    Hints,
    "Synchronous I/O in async code",
    "A blocking call inside async code holds a runtime thread and stalls the tasks waiting for it.",
);
pub const COMPILER_FRIENDLY: SourcePoint = p(
    Hints,
    "Compiler-friendly hot loops",
    "Simple hot loops let the compiler drop checks and use vector instructions.",
);
pub const MISPREDICT: SourcePoint = p(
    Hints,
    "The cost of a mispredicted branch",
    "Its cost table puts a branch mispredict at about 5 ns, a cost hardware counters reveal.",
);

// The hands-on guide.

pub const CHUNKED_IO: SourcePoint = p(
    Guide,
    "Batch I/O and system calls",
    "Read and write in chunks through a buffer rather than a system call per small record.",
);
pub const POOLING: SourcePoint = p(
    Guide,
    "Pool connections, bulk the calls",
    "Group network and database calls: keep connections open and send bulk operations.",
);
pub const CPU_PARALLEL: SourcePoint = p(
    Guide,
    "Several cores for CPU-bound work",
    "Work bound by the CPU gains from running on several cores at once.",
);
pub const RIGHT_STRUCTURE: SourcePoint = p(
    Guide,
    "The right structure for the job",
    "A heap for the top k, a deque for a FIFO queue, binary search over sorted data instead of sorting again.",
);
pub const JOIN_STRINGS: SourcePoint = p(
    Guide,
    "Join strings rather than grow them",
    "Building a large string one append at a time is slow; collect the parts and join once.",
);
pub const PRESIZE_MAPS: SourcePoint = p(
    Guide,
    "Pre-size maps",
    "Give a dictionary its size when the count is known.",
);
pub const BOUNDED_CACHE: SourcePoint = p(
    Guide,
    "Memoise, with a cap",
    "Cache pure functions called with repeated arguments, and evict so the cache's memory stays bounded.",
);
pub const PRECOMPILE: SourcePoint = p(
    Guide,
    "Precompile regular expressions",
    "Compile a pattern once instead of inside the loop that uses it.",
);
pub const LAZY_SETUP: SourcePoint = p(
    Guide,
    "Expensive setup only when needed",
    "Keep costly setup off import time and cold paths: do it lazily, once.",
);
pub const SMALL_HELPERS: SourcePoint = p(
    Guide,
    "Inline small helpers in critical loops",
    "Tiny function calls inside a critical loop add up; inline them.",
);

// The caching and algorithms article.

pub const DUPLICATES_430X: SourcePoint = p(
    Patterns,
    "A seen-set for duplicates",
    "Replacing an all-pairs duplicate search by a seen-set measured 430x on 1,500 items (in Python).",
);
pub const STRING_CONCAT: SourcePoint = p(
    Patterns,
    "Appending to a string in a loop",
    "Each append copies everything so far, about 50 million character copies at 10,000 appends; joining once is linear.",
);
pub const SORT_IN_LOOP: SourcePoint = p(
    Patterns,
    "Sort once, not per iteration",
    "Sorting inside a loop multiplies the sort's cost by the iterations; sort once before it.",
);
pub const QUERIES_IN_LOOP: SourcePoint = p(
    Patterns,
    "Queries in a loop (N+1)",
    "One query per item of a loop is the classic N+1 problem; fetch them together.",
);
pub const MEMO_TIER: SourcePoint = p(
    Patterns,
    "Memoisation's tier",
    "Caching a pure function's results is the next lever after the algorithm, worth about 10x in its decision tree.",
);
pub const ONE_PASS_COUNT: SourcePoint = p(
    Patterns,
    "Count in one pass",
    "A check-then-update counting loop looks every word up twice; a one-pass counter was 5-10x faster there.",
);
pub const GENERATORS: SourcePoint = p(
    Patterns,
    "Generators for memory",
    "A lazy generator holds one item at a time where a list comprehension holds them all.",
);

// The triage workflow.

pub const SET_MEMBERSHIP: SourcePoint = p(
    Triage,
    "A set, not a list, for membership",
    "In its story a membership test against a large list inside a nested loop was the bottleneck, and a set fixed it.",
);
pub const SORTED_INSERT: SourcePoint = p(
    Triage,
    "Sorted data: fast search, slow insert",
    "A sorted list with binary search suits mostly-read data: O(log n) search, but O(n) per insert.",
);
pub const ASYNC_CPU_BOUND: SourcePoint = p(
    Triage,
    "Async does not help CPU-bound work",
    "Moving a CPU-bound loop onto an async runtime does not make it faster.",
);
pub const MEMORY_BOUND: SourcePoint = p(
    Triage,
    "More workers do not help memory-bound work",
    "Extra workers do not speed up a pipeline that is limited by memory rather than by the CPU.",
);
pub const STREAM_WHEN: SourcePoint = p(
    Triage,
    "Stream only when nothing needs the whole",
    "Streaming saves memory, but materialise when the next step needs the whole collection, its length or random access.",
);

/// Every point a hint measures, in the order the published table gives them.
pub const ALL: &[SourcePoint] = &[
    BULK_APIS,
    ROUND_TRIPS,
    VIEW_TYPES,
    SHARDED_MAPS,
    MESSAGE_PASSING,
    ASYNC_FOR_WAITING,
    QUADRATIC,
    INTERSECTION,
    HASH_OVER_TREE,
    PADDING,
    INDICES,
    SMALL_COLLECTIONS,
    CONTIGUOUS_NUMBERS,
    RESERVE,
    BORROW,
    STREAMING,
    REUSE,
    HOT_LOOP_STRINGS,
    NO_BOX,
    ARC_CLONE,
    FAST_PATH,
    DEFER,
    HOIST,
    CACHE_RESULTS,
    BOUNDARY_BATCH,
    RELEASE_GIL,
    ZERO_COPY,
    BOUNDED_CONCURRENCY,
    LOG_FORMATTING,
    STATIC_LOG_FILTER,
    TYPED_DECODE,
    ONE_SHOT,
    SPECIALISE,
    INLINE,
    SPAWN_COST,
    LOCK_CONTENTION,
    BLOCKING_IN_ASYNC,
    COMPILER_FRIENDLY,
    MISPREDICT,
    CHUNKED_IO,
    POOLING,
    CPU_PARALLEL,
    RIGHT_STRUCTURE,
    JOIN_STRINGS,
    PRESIZE_MAPS,
    BOUNDED_CACHE,
    PRECOMPILE,
    LAZY_SETUP,
    SMALL_HELPERS,
    DUPLICATES_430X,
    STRING_CONCAT,
    SORT_IN_LOOP,
    QUERIES_IN_LOOP,
    MEMO_TIER,
    ONE_PASS_COUNT,
    GENERATORS,
    SET_MEMBERSHIP,
    SORTED_INSERT,
    ASYNC_CPU_BOUND,
    MEMORY_BOUND,
    STREAM_WHEN,
];

/// The points with a meaning in Rust that no hint measures, and why.
pub const UNMEASURED: &[Unmeasured] = &[
    Unmeasured {
        document: Hints,
        point: "Per-thread state",
        why: "`lock_contention` keeps each worker's sum in a local and merges once; a \
              `thread_local!` cell reached from shared code is not timed on its own.",
    },
    Unmeasured {
        document: Hints,
        point: "No Python objects built in hot Rust loops",
        why: "Not isolated: `python_batching`'s variants differ in how often they cross the \
              boundary and what they copy, not in how many Python objects the Rust side builds.",
    },
    Unmeasured {
        document: Hints,
        point: "The latency table's disk and network rows",
        why: "No hint pairs them. The cost table measures each row it can measure honestly on \
              the machine at hand and says per row why not for the rest (SSD, disk seek, a fast \
              network, a packet across continents): `results/costs.md`.",
    },
    Unmeasured {
        document: Patterns,
        point: "Persistent and shared caches",
        why: "A cache on disk or in another process matters across restarts; the paired bench \
              times calls inside one process, so only in-process memoisation (`memoize`) is \
              measured.",
    },
    Unmeasured {
        document: Triage,
        point: "Processes do not help when serialisation dominates",
        why: "`parallel_memory_bound` measures threads sharing one buffer and the memory \
              bandwidth; no hint copies data between processes, so the serialisation half of \
              the point is not measured.",
    },
    Unmeasured {
        document: Triage,
        point: "A performance change shows before and after",
        why: "A rule for the method, not a claim about code: every record names its machine, \
              command and commit, and every speedup carries its interval over builds \
              (`docs/METHOD.md`).",
    },
];
