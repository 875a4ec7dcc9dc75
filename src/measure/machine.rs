//! The machine a run is on, as a record describes it.

use crate::model::Machine;

/// Reads this machine's description; a part that cannot be read says "unknown".
pub fn detect() -> Machine {
    let cmd = |prog: &str, args: &[&str]| -> Option<String> {
        let out = std::process::Command::new(prog).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .or_else(|| cmd("sysctl", &["-n", "machdep.cpu.brand_string"]))
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = cmd("uname", &["-srm"]).unwrap_or_else(|| std::env::consts::OS.to_string());
    let rustc = cmd("rustc", &["-V"]).unwrap_or_else(|| "unknown".into());
    let git_revision = match cmd("git", &["rev-parse", "--short=12", "HEAD"]) {
        Some(rev) => {
            let dirty = cmd("git", &["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty { format!("{rev}-dirty") } else { rev }
        }
        None => "unknown".into(),
    };
    Machine {
        cpu,
        cores,
        os,
        rustc,
        git_revision,
    }
}
