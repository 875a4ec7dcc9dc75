//! Records under `results/records/`: one full, unfiltered `cargo bench` run
//! each, with the machine it came from. Records are only ever added: a new
//! one gets a new dated file name and an existing file is never written.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{Run, SCHEMA};
use crate::publish::report::report;

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

/// Saves a complete run as a new record and regenerates the published table.
/// A filtered, quick or incomplete run is refused and nothing is written.
pub fn record(run: &Run) -> Result<PathBuf, String> {
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
    let root = repo_root();
    let dir = records_dir(&root);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stamp: String = run
        .started
        .chars()
        .take(19)
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let rev = run.machine.git_revision.replace("-dirty", "+");
    let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
    for n in 0.. {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!("{stamp}Z-{rev}{suffix}.json"));
        // create_new: an existing record is never overwritten.
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(json.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                report(false)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    unreachable!("the loop returns")
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
