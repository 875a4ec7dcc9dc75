//! Records under `results/records/`: one full, unfiltered `cargo bench` run
//! each, with the machine it came from, or a record imported from runs made
//! on another machine (`perf-hints import`, marked as such). Records are only
//! ever added: a new one gets a new dated file name and an existing file is
//! never written.
//!
//! Machines are told apart by what a record says about the CPU and cores
//! ([`Run::machine_key`]). One of them is the *reference machine*, named in
//! `results/reference-machine.txt`: the published tables come from its newest
//! record, so a record from any other machine, however new, never replaces
//! them; it shows beside them (the atlas) instead.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::measure::machine::Cache;
use crate::model::{Origin, Run, SCHEMA, Source};

/// The command that records a run, as the README and the errors give it.
pub const RECORD_COMMAND: &str = "PERF_HINTS_RECORD=1 cargo bench";
/// The repository this crate was built from.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn records_dir(root: &Path) -> PathBuf {
    root.join("results").join("records")
}

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// failure midway leaves the old file whole.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// Reads one record, naming the file and the fix when it cannot.
pub fn load(path: &Path) -> Result<Run, String> {
    let text = fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {}: {e}; record a run with `{RECORD_COMMAND}`",
            path.display()
        )
    })?;
    let mut run: Run = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a valid record ({e}); restore it with `git checkout -- {}` \
             or record a new run with `{RECORD_COMMAND}`",
            path.display(),
            path.display()
        )
    })?;
    match run.schema {
        SCHEMA => {}
        1 => migrate_schema_1(&mut run),
        other => {
            return Err(format!(
                "{} has record schema {other}, this build reads {SCHEMA} and 1; \
                 record a new run with `{RECORD_COMMAND}`",
                path.display(),
            ));
        }
    }
    if let Some(row) = run
        .hints
        .iter()
        .flat_map(|h| h.rows.iter().map(move |r| (h, r)))
        .find(|(_, r)| r.param.is_empty())
    {
        return Err(format!(
            "{}: a row of {} has no size key; restore it with `git checkout -- {}` \
             or record a new run with `{RECORD_COMMAND}`",
            path.display(),
            row.0.id,
            path.display()
        ));
    }
    Ok(run)
}

/// A schema-1 record keyed its rows by a packed number (`"size": 20100`);
/// each becomes the key of the size it stood for (`"2t-100w"`), as the
/// hint's [`crate::model::Param::from_legacy`] decodes it. The file is not
/// rewritten: records are never changed, only read.
fn migrate_schema_1(run: &mut Run) {
    for h in &mut run.hints {
        let entry = crate::hints::get(&h.id);
        for r in &mut h.rows {
            if let Some(size) = r.legacy_size.take() {
                r.param = entry
                    .and_then(|e| e.legacy_key(size))
                    .unwrap_or_else(|| size.to_string());
            }
        }
    }
    run.schema = SCHEMA;
}

/// Record files, oldest first (their names start with the UTC date and time).
pub fn records(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = records_dir(root);
    let entries = fs::read_dir(&dir).map_err(|e| {
        format!(
            "no records in {} ({e}); record a full run with `{RECORD_COMMAND}`",
            dir.display()
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no records in {}; record a full run with `{RECORD_COMMAND}`",
            dir.display()
        ));
    }
    Ok(files)
}

/// Saves a complete run as a new record under `results/records/`, writing
/// nothing else. A filtered, quick or incomplete run is refused and nothing
/// is written.
pub fn save(run: &Run) -> Result<PathBuf, String> {
    if let Some(f) = &run.filter {
        return Err(format!(
            "refusing to record a filtered run (filter {f:?}); run `{RECORD_COMMAND}` with no filter"
        ));
    }
    if run.quick {
        return Err(format!(
            "refusing to record a quick run; unset PERF_HINTS_QUICK and run `{RECORD_COMMAND}`"
        ));
    }
    let missing = missing(run);
    if !missing.is_empty() {
        return Err(format!(
            "refusing to record an incomplete run: no time for {}; rerun `{RECORD_COMMAND}`",
            missing.join(", ")
        ));
    }
    let rev = run.machine.git_revision.replace("-dirty", "+");
    write_new(&repo_root(), run, &rev)
}

/// Hints of the list this build can run, with every size and variant, that
/// `run` lacks a time for.
pub fn missing(run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    for e in crate::hints::enabled() {
        let got = run.hints.iter().find(|h| h.id == e.id());
        for size in e.sizes() {
            let size = size.key;
            let row = got.and_then(|h| h.rows.iter().find(|r| r.param == size));
            for name in e.variants() {
                if row.and_then(|r| r.time(name)).is_none() {
                    out.push(format!("{}/{name}/{size}", e.id()));
                }
            }
        }
    }
    out
}

/// The file that names the reference machine, relative to the repository.
pub const REFERENCE_FILE: &str = "results/reference-machine.txt";

/// A record and the file it was read from.
#[derive(Clone, Debug)]
pub struct Stored {
    pub path: PathBuf,
    pub run: Run,
}

/// Every record, loaded, oldest first; the first that cannot be read is an
/// error naming it.
pub fn load_all(root: &Path) -> Result<Vec<Stored>, String> {
    records(root)?
        .into_iter()
        .map(|path| load(&path).map(|run| Stored { path, run }))
        .collect()
}

/// The records of one machine, oldest first.
#[derive(Clone, Debug)]
pub struct MachineRecords {
    /// [`Run::machine_key`] of every record here.
    pub key: String,
    /// Whether this is the reference machine.
    pub reference: bool,
    pub records: Vec<Stored>,
}

impl MachineRecords {
    /// The newest record of the machine.
    pub fn newest(&self) -> &Stored {
        self.records
            .last()
            .expect("a machine has at least one record")
    }
}

/// The reference machine's key: the line of [`REFERENCE_FILE`], or, when
/// that file is absent, the machine of the newest record that was not
/// imported.
pub fn reference_key(root: &Path, all: &[Stored]) -> Result<String, String> {
    let file = root.join(REFERENCE_FILE);
    match fs::read_to_string(&file) {
        Ok(text) => {
            let key = text.trim().to_string();
            if all.iter().any(|s| s.run.machine_key() == key) {
                Ok(key)
            } else {
                Err(format!(
                    "{} names the machine {key:?}, which no record under results/records/ has; \
                     write the machine line of one of them there (`cargo run --release -- machines` \
                     lists them)",
                    file.display()
                ))
            }
        }
        Err(_) => all
            .iter()
            .rev()
            .find(|s| s.run.origin.is_none())
            .or(all.last())
            .map(|s| s.run.machine_key())
            .ok_or_else(|| format!("no records; record a full run with `{RECORD_COMMAND}`")),
    }
}

/// The records grouped by machine: the reference machine first, then the
/// others by core count and key.
pub fn machines(root: &Path) -> Result<Vec<MachineRecords>, String> {
    let all = load_all(root)?;
    let reference = reference_key(root, &all)?;
    Ok(group(all, &reference))
}

/// Whether a record describes its CPU by name only (made before family,
/// model, stepping and caches were recorded).
fn name_only(run: &Run) -> bool {
    let m = &run.machine;
    m.cpu_family.is_none() && m.cpu_model.is_none() && m.caches.is_empty()
}

/// [`machines`] on loaded records: grouped by [`Run::machine_key`], except
/// that a record describing its CPU by name only joins the one machine with
/// the same name and cores that is described in full, when there is exactly
/// one (older records of the same machine).
pub fn group(all: Vec<Stored>, reference: &str) -> Vec<MachineRecords> {
    let mut out: Vec<MachineRecords> = Vec::new();
    let (detailed, bare): (Vec<Stored>, Vec<Stored>) =
        all.into_iter().partition(|s| !name_only(&s.run));
    let add = |out: &mut Vec<MachineRecords>, key: String, s: Stored| match out
        .iter_mut()
        .find(|m| m.key == key)
    {
        Some(m) => m.records.push(s),
        None => out.push(MachineRecords {
            reference: key == reference,
            key,
            records: vec![s],
        }),
    };
    for s in detailed {
        add(&mut out, s.run.machine_key(), s);
    }
    for s in bare {
        let same = |m: &&MachineRecords| {
            let n = &m.newest().run.machine;
            n.cpu == s.run.machine.cpu && n.cores == s.run.machine.cores
        };
        let key = match out.iter().filter(same).collect::<Vec<_>>().as_slice() {
            [one] => one.key.clone(),
            _ => s.run.machine_key(),
        };
        add(&mut out, key, s);
    }
    for m in &mut out {
        m.records.sort_by(|a, b| a.path.cmp(&b.path));
    }
    out.sort_by(|a, b| {
        b.reference
            .cmp(&a.reference)
            .then(
                a.newest()
                    .run
                    .machine
                    .cores
                    .cmp(&b.newest().run.machine.cores),
            )
            .then(a.key.cmp(&b.key))
    });
    out
}

/// The record the published tables come from: the reference machine's newest.
pub fn published(root: &Path) -> Result<Stored, String> {
    let machines = machines(root)?;
    let reference = machines
        .into_iter()
        .find(|m| m.reference)
        .expect("reference_key names a machine with a record");
    Ok(reference.newest().clone())
}

/// Per-core cache sizes and the CPU's family, model and stepping from the
/// text `lscpu` prints (`L2 cache: 32 MiB (16 instances)` is 2048K per
/// core), in the form [`crate::measure::machine::detect`] records them.
pub fn lscpu_facts(text: &str) -> (Vec<String>, [Option<String>; 3]) {
    let field = |name: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == name).then(|| v.trim().to_string())
        })
    };
    let kib = |v: &str| -> Option<u64> {
        let mut words = v.split_whitespace();
        let n: f64 = words.next()?.parse().ok()?;
        let unit = match words.next()? {
            "KiB" | "K" => 1.0,
            "MiB" | "M" => 1024.0,
            "GiB" | "G" => 1024.0 * 1024.0,
            _ => return None,
        };
        let instances: f64 = v
            .split_once('(')
            .and_then(|(_, r)| r.split_whitespace().next()?.parse().ok())
            .unwrap_or(1.0);
        Some((n * unit / instances).round() as u64)
    };
    let mut caches = Vec::new();
    for (name, level, kind) in [
        ("L1d cache", "1", "Data"),
        ("L1i cache", "1", "Instruction"),
        ("L2 cache", "2", "Unified"),
        ("L3 cache", "3", "Unified"),
    ] {
        if let Some(k) = field(name).as_deref().and_then(kib) {
            caches.push(Cache::new(level, kind, &format!("{k}K")).line());
        }
    }
    (
        caches,
        [field("CPU family"), field("Model"), field("Stepping")],
    )
}

/// `perf-hints import`: one record from runs made on another machine (raw
/// `last-run.json` files or records, of schema 1 or 2), combined when there
/// are several (filtered runs that together cover the list), with the
/// machine's CPU facts filled in from `lscpu` output when given. The sources
/// are only read; the new record is added under `results/records/` and
/// nothing else there changes. Returns the new record's path.
pub fn import(
    root: &Path,
    files: &[PathBuf],
    lscpu: Option<&Path>,
    note: &str,
) -> Result<PathBuf, String> {
    if files.is_empty() {
        return Err("nothing to import: name one or more run files".into());
    }
    let mut parts = Vec::new();
    for f in files {
        let text =
            fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        let raw: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not JSON ({e}); name a run's last-run.json",
                f.display()
            )
        })?;
        let schema = raw.get("schema").and_then(|s| s.as_u64()).unwrap_or(0) as u32;
        parts.push((f, load(f)?, schema));
    }
    let facts = match lscpu {
        Some(p) => Some(lscpu_facts(
            &fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        )),
        None => None,
    };
    let mut sources = Vec::new();
    let mut out: Option<Run> = None;
    for (f, mut run, schema) in parts {
        if let Some((caches, [family, model, stepping])) = &facts {
            let m = &mut run.machine;
            if m.caches.is_empty() {
                m.caches = caches.clone();
            }
            m.cpu_family = m.cpu_family.take().or(family.clone());
            m.cpu_model = m.cpu_model.take().or(model.clone());
            m.cpu_stepping = m.cpu_stepping.take().or(stepping.clone());
        }
        if run.quick {
            return Err(format!(
                "{} is a quick run (PERF_HINTS_QUICK=1): its figures are for a smoke test only",
                f.display()
            ));
        }
        sources.push(Source {
            file: f
                .file_name()
                .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into()),
            command: run.command.clone(),
            schema,
            hints: run.hints.len(),
        });
        match &mut out {
            None => out = Some(run),
            Some(acc) => {
                if acc.machine_key() != run.machine_key() {
                    return Err(format!(
                        "{} is from another machine ({}) than the first file ({}); import each \
                         machine's runs separately",
                        f.display(),
                        run.machine_key(),
                        acc.machine_key()
                    ));
                }
                for h in run.hints {
                    if acc.hints.iter().any(|a| a.id == h.id) {
                        return Err(format!(
                            "{} measures {} again; each hint must come from one run",
                            f.display(),
                            h.id
                        ));
                    }
                    acc.hints.push(h);
                }
                acc.seconds += run.seconds;
                if run.started < acc.started {
                    acc.started = run.started;
                }
            }
        }
    }
    let mut run = out.expect("at least one file");
    run.filter = None;
    run.schema = SCHEMA;
    if sources.len() > 1 {
        run.command = format!(
            "{} filtered runs, assembled by `perf-hints import`",
            sources.len()
        );
    }
    run.origin = Some(Origin {
        sources,
        note: note.to_string(),
    });
    write_new(root, &run, &format!("imported-{}c", run.machine.cores))
}

/// Writes `run` as a new record under `root`'s `results/records/`, named by
/// its start time and `tag`; an existing record is never overwritten.
fn write_new(root: &Path, run: &Run, tag: &str) -> Result<PathBuf, String> {
    let dir = records_dir(root);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stamp: String = run
        .started
        .chars()
        .take(19)
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
    create_new(&dir, &format!("{stamp}Z-{tag}"), &json)
}

/// Writes `json` to a new file `<base>.json` (or `<base>-1.json`, ...)
/// under `dir`, never over an existing one.
fn create_new(dir: &Path, base: &str, json: &str) -> Result<PathBuf, String> {
    for n in 0.. {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!("{base}{suffix}.json"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(json.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    unreachable!("the loop returns")
}
