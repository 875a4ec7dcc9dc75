//! Differently laid-out builds of the same code: replication over code and
//! data placement.
//!
//! Where a function and its data land in memory (which 64-byte lines and
//! 32-byte fetch windows a hot loop straddles, which branches alias in the
//! predictor, which pages a table shares) moves a short call's time by tens
//! of percent, and it changes whenever any code is added or moved, even code
//! that never runs. A rerun of one binary sees one placement only, so a
//! speedup taken from it describes that build, not the code.
//!
//! So a full run measures several builds of the one bench binary that
//! differ only in placement: on x86_64 Linux, every link goes through
//! `tools/link-kit.sh` (`.cargo/config.toml`), which links as rustc's
//! default driver does and keeps the bench binary's objects and link line
//! (its "kit", `<binary>.kit/`). [`prepare`] links that kit again once per
//! layout seed with rust-lld's `--shuffle-sections`, which shuffles the
//! order of the input sections (every function and every static has its
//! own, as rustc emits them) and changes no instruction. A link takes a
//! second or two; all of them happen before the first measuring process
//! starts, outside every timing window. Where there is no kit (another
//! platform or linker), the run measures its one build and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The section globs shuffled: code, read-only data and data. Not
/// `.init_array` and the like, whose order is meaningful.
pub const SHUFFLED: [&str; 3] = [".text*", ".rodata*", ".data*"];

/// The layout seeds of a run's builds: `count` seeds from `first` on.
pub fn seeds(first: u64, count: u32) -> Vec<u64> {
    (first..first + u64::from(count)).collect()
}

/// One build a run measures: its layout seed and its binary.
#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    /// The `--shuffle-sections` seed; 0 for the binary as cargo linked it.
    pub seed: u64,
    pub exe: PathBuf,
}

/// The arguments `cc` linked `exe` with, kept beside it, pointing at the
/// kit's copies of the objects; `None` when there is no kit (or it cannot
/// be read).
pub fn kit(exe: &Path) -> Option<Vec<String>> {
    let mut dir = exe.as_os_str().to_owned();
    dir.push(".kit");
    let bytes = std::fs::read(Path::new(&dir).join("args")).ok()?;
    let args: Vec<String> = bytes
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    args.iter().any(|a| a == "-o").then_some(args)
}

/// `args` (a kit's link line) with its output replaced by `out` and the
/// shuffle of `seed` appended.
pub fn relink_args(args: &[String], seed: u64, out: &Path) -> Vec<String> {
    let mut v = Vec::with_capacity(args.len() + SHUFFLED.len());
    let mut after_o = false;
    for a in args {
        if after_o {
            v.push(out.display().to_string());
            after_o = false;
        } else {
            after_o = a == "-o";
            v.push(a.clone());
        }
    }
    for glob in SHUFFLED {
        v.push(format!("-Wl,--shuffle-sections={glob}={seed}"));
    }
    // No debug info (the standard library's; non-allocated sections, so
    // the layout is the same): valgrind reads it at every start, which
    // costs the counts a sixth of a second a job. Symbols stay.
    v.push("-Wl,--strip-debug".to_string());
    v
}

/// The builds of a run: `exe` linked again in `dir` once per seed. `Err`
/// says why there is only `exe` itself (no kit on this platform, a link
/// that failed); the caller then measures that one build and says so.
pub fn prepare(exe: &Path, dir: &Path, seeds: &[u64]) -> Result<Vec<Build>, String> {
    let args = kit(exe).ok_or_else(|| {
        format!(
            "no relink kit beside {} (layouts need x86_64 Linux with rust-lld, \
             linked through tools/link-kit.sh)",
            exe.display()
        )
    })?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let linker = "cc";
    // As many links at once as there are cores: nothing is timed yet.
    let width = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut builds = Vec::new();
    for chunk in seeds.chunks(width) {
        let mut links = Vec::new();
        for &seed in chunk {
            let out = dir.join(format!("hints-layout-{seed}"));
            let child = Command::new(linker)
                .args(relink_args(&args, seed, &out))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .map_err(|e| format!("cannot run {linker}: {e}"))?;
            links.push((seed, out, child));
        }
        for (seed, out, mut child) in links {
            let status = child
                .wait()
                .map_err(|e| format!("cannot wait for {linker}: {e}"))?;
            if !status.success() {
                return Err(format!(
                    "relinking with --shuffle-sections (seed {seed}) failed ({status})"
                ));
            }
            builds.push(Build { seed, exe: out });
        }
    }
    Ok(builds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relink_replaces_the_output_and_adds_the_shuffle() {
        let args: Vec<String> = ["-m64", "a.o", "-o", "/t/hints-1", "-lc"]
            .map(String::from)
            .to_vec();
        let v = relink_args(&args, 7, Path::new("/x/hints-layout-7"));
        assert_eq!(&v[..5], ["-m64", "a.o", "-o", "/x/hints-layout-7", "-lc"]);
        assert_eq!(v[5], "-Wl,--shuffle-sections=.text*=7");
        assert_eq!(v.len(), 5 + SHUFFLED.len() + 1);
        assert_eq!(v.last().unwrap(), "-Wl,--strip-debug");
        assert_eq!(seeds(3, 2), vec![3, 4]);
    }
}
