//! The data model: what a run measured and how it is judged, as plain data.
//!
//! This module is a leaf: it imports nothing else from the crate. The record
//! schema ([`Run`], [`HintRun`], [`Row`], [`VariantFigures`], [`Estimate`],
//! [`Machine`]), the deterministic counts ([`AllocCounts`], [`CallgrindCounts`]) and
//! the verdict vocabulary ([`Level`], [`Verdict`]) live here, so
//! the lessons, the measuring code, the judges and the renderers can all
//! depend on it without depending on each other.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the record format, bumped when a field changes meaning.
/// Schema 2 keys rows by [`Param::key`] (`"param": "2t-100r"`); schema 1
/// keyed them by a packed number (`"size": 20100`), which
/// `publish::records::load` still reads and migrates in memory.
pub const SCHEMA: u32 = 2;

/// A figure and its 95 % interval: a time per call in nanoseconds or a
/// speedup. An interval a run could not bound (one process with one sample)
/// is `0 ..= ∞`, never a point: `hi` is then infinite, which a record
/// stores as `null`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub point: f64,
    pub lo: f64,
    #[serde(deserialize_with = "infinite_if_null")]
    pub hi: f64,
}

/// A record's `null` upper end: an unbounded interval (JSON has no infinity).
fn infinite_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

impl Estimate {
    /// `self / other`, with the widest interval the two intervals allow.
    pub fn ratio(&self, other: &Estimate) -> Estimate {
        Estimate {
            point: self.point / other.point,
            lo: self.lo / other.hi,
            hi: self.hi / other.lo,
        }
    }
}

/// Everything measured for one variant at one size.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VariantFigures {
    pub name: String,
    /// Time per call; `None` when the variant was not timed in this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Estimate>,
    /// How many times faster than `bad`, measured paired: the two timed in
    /// alternating order (ABBA) within each process, the interval taken
    /// across processes. `None` for `bad` itself, and in records made before
    /// paired measurement, whose speedups are the ratio of two times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speedup: Option<Estimate>,
    /// The paired speedup each process measured, in the order they ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replicas: Vec<f64>,
    /// The paired speedup each build measured (the geometric mean of its
    /// processes), in the order of [`Method::layouts`]: the spread across
    /// differently laid-out builds of the same code. Empty in records made
    /// before replication over builds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub builds: Vec<f64>,
    /// Allocations per call; `None` for hints whose allocations are not
    /// deterministic (work on other threads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocs: Option<AllocCounts>,
    /// Instructions and simulated cache misses per call, from callgrind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cg: Option<CallgrindCounts>,
    /// Other deterministic counts per call (lock acquisitions, peak in flight).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, u64>,
}

/// One size of one hint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The size's [`Param::key`]: `"1000"`, `"2t-100r"`.
    #[serde(default)]
    pub param: String,
    /// The packed number a schema-1 record keyed the row by; only read, and
    /// turned into [`Row::param`] when the record is loaded.
    #[serde(default, rename = "size", skip_serializing)]
    pub legacy_size: Option<usize>,
    /// `bad` first, then the others in the hint's order.
    pub variants: Vec<VariantFigures>,
}

impl Row {
    /// A row of `param` with these variants.
    pub fn new(param: impl Into<String>, variants: Vec<VariantFigures>) -> Row {
        Row {
            param: param.into(),
            legacy_size: None,
            variants,
        }
    }

    pub fn variant(&self, name: &str) -> Option<&VariantFigures> {
        self.variants.iter().find(|v| v.name == name)
    }

    pub fn time(&self, name: &str) -> Option<Estimate> {
        self.variant(name)?.time
    }

    /// How many times faster `name` is than the first variant (`bad`): the
    /// paired measurement where the record has one, otherwise the ratio of
    /// the two times.
    pub fn speedup(&self, name: &str) -> Option<Estimate> {
        if let Some(s) = self.variant(name)?.speedup {
            return Some(s);
        }
        let bad = self.variants.first()?.time?;
        Some(bad.ratio(&self.time(name)?))
    }

    /// Nanoseconds per item for `name` when a call handles `items` items;
    /// NaN when the variant was not timed.
    pub fn per_item(&self, name: &str, items: usize) -> f64 {
        self.time(name)
            .map_or(f64::NAN, |t| t.point / items.max(1) as f64)
    }

    pub fn allocs(&self, name: &str) -> Option<AllocCounts> {
        self.variant(name)?.allocs
    }

    pub fn counter(&self, name: &str, counter: &str) -> Option<u64> {
        self.variant(name)?.counters.get(counter).copied()
    }
}

/// One hint's figures across its sizes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HintRun {
    pub id: String,
    pub size_label: String,
    pub claim: String,
    #[serde(default)]
    pub layout: Vec<(String, usize)>,
    pub rows: Vec<Row>,
}

/// The machine a run came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub cpu: String,
    /// CPU family, model and stepping as the OS reports them (decimal on
    /// Linux and macOS), which tell apart machines whose model name is
    /// generic, as virtual machines' often is ("Intel(R) Xeon(R) Processor").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_stepping: Option<String>,
    /// The first core's caches, level and type then size, e.g. `L1d 48K`,
    /// `L2 2048K` (see `measure::machine::cache_line`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<String>,
    pub cores: usize,
    pub os: String,
    /// `rustc -V` of the compiler that built the binary.
    pub rustc: String,
    /// Short revision the binary was built from, `-dirty` when tracked files
    /// differed from it, `unknown` when built outside a git checkout.
    pub git_revision: String,
}

impl Machine {
    /// One line that tells two machines apart: the model name, then
    /// `family F model M stepping S` (the parts known), then the caches, all
    /// joined with ", ".
    pub fn cpu_id(&self) -> String {
        let mut parts = vec![self.cpu.clone()];
        let fms: Vec<String> = [
            ("family", &self.cpu_family),
            ("model", &self.cpu_model),
            ("stepping", &self.cpu_stepping),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.as_ref().map(|v| format!("{label} {v}")))
        .collect();
        if !fms.is_empty() {
            parts.push(fms.join(" "));
        }
        parts.extend(self.caches.iter().cloned());
        parts.join(", ")
    }
}

/// One `cargo bench` run: raw figures and where they came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub schema: u32,
    /// UTC start time, RFC 3339.
    pub started: String,
    /// The command that produced the run.
    pub command: String,
    /// Criterion filter, if the run was filtered.
    #[serde(default)]
    pub filter: Option<String>,
    /// Shortened measurement (`PERF_HINTS_QUICK=1`): figures for a smoke test only.
    #[serde(default)]
    pub quick: bool,
    /// Wall time of the whole run, in seconds.
    #[serde(default)]
    pub seconds: f64,
    pub machine: Machine,
    /// How the times were taken: `None` in records made before paired
    /// measurement (one criterion benchmark after the other, one process).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The instrument's noise floor on this machine, from the A/A control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<Noise>,
    /// The main source document's cost table as this run measured it (`costs`, the module);
    /// empty in records made before it existed and in filtered runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub costs: Vec<CostRow>,
    /// Set when the record was imported (`perf-hints import`) from runs made
    /// elsewhere rather than recorded by `PERF_HINTS_RECORD=1 cargo bench`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    pub hints: Vec<HintRun>,
    /// The hot loop of each variant of the lessons about generated code, from
    /// the timed binary (`measure::disasm`); empty in records made before it
    /// existed, in filtered runs without those hints and where `objdump` is
    /// missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disassembly: Vec<Disassembly>,
}

/// One variant's hot loop as the timed binary has it (`measure::disasm`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disassembly {
    pub hint: String,
    pub variant: String,
    /// Instructions in the whole function the variant is inlined into.
    pub instructions: usize,
    /// The loop, one `address: instruction` per line, at most a few dozen.
    pub lines: Vec<String>,
}

/// One measured row of the main source document's cost table: nanoseconds per operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostRow {
    /// The primitive's id (one of `costs::PRIMITIVES`).
    pub id: String,
    /// Nanoseconds per operation: the median of the samples, with a 95 %
    /// interval from their spread.
    pub ns: Estimate,
    /// What it was measured on (a working set, a buffer size).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// Where an imported record came from: the runs it was assembled from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// The runs, in the order they were combined.
    pub sources: Vec<Source>,
    /// What the importer said about them (the commit they were built from,
    /// say), as given to `perf-hints import --note`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One run an imported record was assembled from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The file's name as it was given to the import.
    pub file: String,
    /// The command that made the run, with its filter.
    pub command: String,
    /// Its schema before the import (1: keyed by packed numbers).
    pub schema: u32,
    /// The hints it measured.
    pub hints: usize,
}

impl Run {
    /// Whether the record was assembled from filtered runs made elsewhere.
    pub fn assembled(&self) -> bool {
        self.origin.as_ref().is_some_and(|o| o.sources.len() > 1)
    }

    /// The machine as records tell machines apart: what the record says
    /// about the CPU and the cores, never a file name.
    pub fn machine_key(&self) -> String {
        format!("{}, {} cores", self.machine.cpu_id(), self.machine.cores)
    }

    /// The practical margin the verdicts of this run are judged with:
    /// [`MARGIN`], declared in advance, in records made since; in older
    /// records the one their A/A control gave, or [`DEFAULT_MARGIN`] in
    /// records without one.
    pub fn margin(&self) -> f64 {
        match (&self.noise, &self.method) {
            (Some(n), _) => n.margin,
            (None, Some(m)) if !m.layouts.is_empty() => MARGIN,
            (None, _) => DEFAULT_MARGIN,
        }
    }

    /// Why the A/A control says this run is too noisy to judge, if it does
    /// (only records with a gate: see [`Noise::gate`]).
    pub fn too_noisy(&self) -> Option<&str> {
        self.noise.as_ref()?.failed.as_deref()
    }
}

/// The practical margin of records made before the A/A control: a speedup
/// within ±10 % of 1 is level.
pub const DEFAULT_MARGIN: f64 = 0.10;

/// The practical margin, declared before anything is measured and the same
/// on every machine: a speedup whose point lies within ±5 % of 1 is level.
/// A prediction that names the sources' factor is also held to that factor
/// (`judge::predict::Prediction::by`).
pub const MARGIN: f64 = 0.05;

/// How a run took its times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// Fresh processes that each measured every benchmark, over all builds.
    pub processes: u32,
    /// In words, for the table's header.
    pub text: String,
    /// The differently laid-out builds the processes were spread over, as
    /// their layout seeds (`--shuffle-sections`), in order; empty in records
    /// made before replication over builds, and `[0]` where the run had one
    /// build (no layout kit on this platform).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layouts: Vec<u64>,
}

impl Method {
    /// Builds the processes were spread over (1 in older records).
    pub fn builds(&self) -> usize {
        self.layouts.len().max(1)
    }
}

/// What the A/A control (`aa_control`: `bad` and `good` are the same code)
/// measured: the instrument's noise floor, and the margin derived from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Noise {
    /// The control's hint id.
    pub control: String,
    /// The median half-width of the control's speedup intervals over its
    /// sizes, as a fraction (0.02: the interval spans the point ×/÷ 1.02):
    /// the median, so that one size made noisy by a neighbour does not widen
    /// every verdict of the run (that size's own row then says so). Its bias
    /// (the point's distance from 1) is left out on purpose: the control is
    /// judged against the margin, so a biased method shows as a control that
    /// is not level.
    pub floor: f64,
    /// The verdicts' practical margin: [`MARGIN`], fixed in advance, in
    /// records with a gate; in older records twice the floor, at least
    /// [`MIN_MARGIN`] and at most [`MAX_MARGIN`].
    pub margin: f64,
    /// Whether the control was used as a gate ([`Noise::gate`]): the margin
    /// was fixed in advance and the control only decides whether the run
    /// can judge at it.
    #[serde(default)]
    pub gated: bool,
    /// Why the gate failed (the control not level, or its floor not under
    /// half the margin); `None` when it passed or there was no gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

/// The smallest practical margin: a real difference under 5 % is below what
/// these tables claim to resolve, whatever the control shows. Measured: in
/// four pairs of full records made one after the other on the 2-core
/// machine (`perf-hints compare`), speedups near 1x moved by a 90th
/// percentile of 3-6 % between the two runs of a pair, so a verdict drawn at
/// 3 % is one a rerun would often not repeat.
pub const MIN_MARGIN: f64 = 0.05;
/// The largest: a machine noisier than this makes the control fail rather
/// than every verdict vague.
pub const MAX_MARGIN: f64 = 0.25;

impl Noise {
    /// The noise of a control whose speedup intervals (one per size) are
    /// `intervals`; `None` when it has none.
    pub fn from_control(control: &str, intervals: &[Estimate]) -> Option<Noise> {
        let mut halves: Vec<f64> = intervals
            .iter()
            .map(|e| (e.hi / e.lo).sqrt() - 1.0)
            .collect();
        halves.sort_by(f64::total_cmp);
        let floor = match halves.len() {
            0 => return None,
            n if n % 2 == 1 => halves[n / 2],
            n => (halves[n / 2 - 1] + halves[n / 2]) / 2.0,
        };
        Some(Noise {
            control: control.to_string(),
            floor,
            margin: (2.0 * floor).clamp(MIN_MARGIN, MAX_MARGIN),
            gated: false,
            failed: None,
        })
    }

    /// The control as a gate on a run judged at [`MARGIN`], fixed in
    /// advance: the run can judge when every size's interval (`sizes`: key
    /// and speedup) contains 1 and the floor (the median half-width) is
    /// under half the margin; otherwise [`Noise::failed`] says why, and the
    /// table and the bench say the run is too noisy to judge (its verdicts
    /// are still shown).
    pub fn gate(control: &str, sizes: &[(String, Estimate)]) -> Option<Noise> {
        let intervals: Vec<Estimate> = sizes.iter().map(|(_, e)| *e).collect();
        let mut n = Noise::from_control(control, &intervals)?;
        n.margin = MARGIN;
        n.gated = true;
        let mut why = Vec::new();
        for (key, e) in sizes {
            if !(e.lo <= 1.0 && e.hi >= 1.0) {
                why.push(format!(
                    "the control at {key} reads {:.3}x [{:.3}, {:.3}], an interval without 1",
                    e.point, e.lo, e.hi
                ));
            }
        }
        if n.floor >= MARGIN / 2.0 {
            why.push(format!(
                "its floor ±{:.1} % is not under half the ±{:.0} % margin",
                n.floor * 100.0,
                MARGIN * 100.0
            ));
        }
        if !why.is_empty() {
            n.failed = Some(why.join("; "));
        }
        Some(n)
    }
}

/// Allocation activity on one thread over one measured call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocCounts {
    /// Calls to `alloc` / `alloc_zeroed`.
    pub allocs: u64,
    /// Calls to `realloc` (a `Vec` growing past its capacity).
    pub reallocs: u64,
    /// Calls to `dealloc`.
    pub deallocs: u64,
    /// Bytes requested by `alloc` plus the growth requested by `realloc`.
    pub bytes: u64,
    /// Bytes live in blocks that `realloc` moved or grew: an upper bound on the
    /// bytes copied (the allocator may grow in place).
    pub realloc_bytes: u64,
    /// Peak live bytes: the most bytes live at once during the measured call,
    /// above what was live on the thread when it started (what it allocated
    /// and had not yet freed, the returned value included; never below 0).
    /// Sizes as requested from the allocator, a `realloc` counted as its new
    /// size in place of the old. `None` in records made before it was
    /// counted, and from [`AllocCounts::since`]: a peak is not a difference
    /// of two counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
}

impl AllocCounts {
    pub const ZERO: AllocCounts = AllocCounts {
        allocs: 0,
        reallocs: 0,
        deallocs: 0,
        bytes: 0,
        realloc_bytes: 0,
        peak_bytes: None,
    };

    /// Allocator calls that hand out memory: `alloc` plus `realloc`.
    pub fn total(&self) -> u64 {
        self.allocs + self.reallocs
    }

    /// The counts made between `before` and `self`, two readings of the same
    /// counters; [`AllocCounts::peak_bytes`] is left `None`.
    pub fn since(self, before: AllocCounts) -> AllocCounts {
        AllocCounts {
            allocs: self.allocs - before.allocs,
            reallocs: self.reallocs - before.reallocs,
            deallocs: self.deallocs - before.deallocs,
            bytes: self.bytes - before.bytes,
            realloc_bytes: self.realloc_bytes - before.realloc_bytes,
            peak_bytes: None,
        }
    }
}

/// What callgrind counted for one call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallgrindCounts {
    /// Instructions executed.
    pub instructions: u64,
    /// L1 data-cache misses, reads and writes (with the cache simulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d1_misses: Option<u64>,
    /// Last-level misses, data reads and writes (with the cache simulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ll_misses: Option<u64>,
    /// Branches mispredicted, conditional and indirect (with the branch
    /// simulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mispredicts: Option<u64>,
}

/// How a measured row compares with the sources' claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Holds,
    Partly,
    DoesNotHold,
    /// The builds of the same code, laid out differently, disagree beyond
    /// the margin: the layout, not the code, decides this row's outcome, so
    /// it is named rather than judged.
    LayoutSensitive,
    /// A figure the judgement needs is missing (not timed in this run); the
    /// verdict says which.
    NotJudged,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Holds => "as modelled",
            Level::Partly => "partly",
            Level::DoesNotHold => "model missed",
            Level::LayoutSensitive => "layout-sensitive",
            Level::NotJudged => "not judged",
        }
    }

    /// How bad a level is, for the worst of several: holds, partly,
    /// layout-sensitive, not judged, does not hold.
    pub fn severity(self) -> u8 {
        match self {
            Level::Holds => 0,
            Level::Partly => 1,
            Level::LayoutSensitive => 2,
            Level::NotJudged => 3,
            Level::DoesNotHold => 4,
        }
    }
}

/// A level and the figures behind it, in one line.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub level: Level,
    pub why: String,
}

impl Verdict {
    pub fn new(level: Level, why: impl Into<String>) -> Self {
        Verdict {
            level,
            why: why.into(),
        }
    }
}

/// A hint's size parameter: a plain count for most hints, a struct for the
/// hints measured across thread counts or key types. It says how it is keyed
/// (criterion ids, records), labelled (tables), and drawn (which line of a
/// chart, where on the x axis), so no consumer decodes a packed number.
///
/// Values sort as the table lists them; within one [`Param::series`], by
/// their [`Param::x`].
pub trait Param: Copy + std::fmt::Debug + PartialOrd + Send + Sync + 'static {
    /// Short, readable and unique: the last part of a criterion id
    /// (`sharded_map/good/2t-100w`) and the row key of a record. No spaces,
    /// slashes or commas.
    fn key(&self) -> String;
    /// The value a [`Param::key`] was made from; `None` for a malformed key.
    fn parse(key: &str) -> Option<Self>;
    /// How the table shows it: `1000`, `2 threads, 100 % writes`.
    fn label(&self) -> String;
    /// The line of a chart it belongs to (`2 threads`); empty for a hint
    /// drawn as one line.
    fn series(&self) -> String {
        String::new()
    }
    /// Its position on the chart's x axis.
    fn x(&self) -> f64;
    /// The text of its tick on the x axis.
    fn tick(&self) -> String {
        self.label()
    }
    /// The edge cases the agreement tests add to the measured sizes (an
    /// empty input, one element).
    fn edges() -> Vec<Self>;
    /// The value a schema-1 record's packed number stood for.
    fn from_legacy(size: usize) -> Option<Self>;
}

impl Param for usize {
    fn key(&self) -> String {
        self.to_string()
    }
    fn parse(key: &str) -> Option<Self> {
        key.parse().ok()
    }
    fn label(&self) -> String {
        self.to_string()
    }
    fn x(&self) -> f64 {
        *self as f64
    }
    /// `64`, `100k`, `1M`, and `65536` rather than a rounded `65.5k`.
    fn tick(&self) -> String {
        match *self {
            n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
            n if n >= 10_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
            n => n.to_string(),
        }
    }
    fn edges() -> Vec<Self> {
        vec![0, 1]
    }
    fn from_legacy(size: usize) -> Option<Self> {
        Some(size)
    }
}

/// One size of a hint, described without its type: what a chart or a table
/// needs of a [`Param`].
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub key: String,
    pub label: String,
    pub series: String,
    pub x: f64,
    pub tick: String,
}

impl Point {
    /// The description of `p`.
    pub fn of<P: Param>(p: &P) -> Point {
        Point {
            key: p.key(),
            label: p.label(),
            series: p.series(),
            x: p.x(),
            tick: p.tick(),
        }
    }
}
