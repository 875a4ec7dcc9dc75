//! The machine a run is on, as a record describes it: the CPU (with family,
//! model, stepping and caches, which tell apart machines whose model name is
//! generic), cores, OS, and the compiler and revision `build.rs` recorded when
//! the binary was built (so a machine without rustc or git still records both).

use crate::model::Machine;

/// Reads this machine's description; a part that cannot be read says
/// "unknown" (the CPU details and caches are left empty). The compiler and
/// revision are those `build.rs` recorded when the binary was built.
pub fn detect() -> Machine {
    let cmd = |prog: &str, args: &[&str]| -> Option<String> {
        let out = std::process::Command::new(prog).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let sysctl = |key: &str| cmd("sysctl", &["-n", key]);
    let (name, mut cpu_family, mut cpu_model, mut cpu_stepping) =
        match std::fs::read_to_string("/proc/cpuinfo") {
            Ok(text) => parse_cpuinfo(&text),
            Err(_) => Default::default(),
        };
    // Linux on arm64 has no "model name" in /proc/cpuinfo; lscpu names the
    // core (Neoverse-N1, say). Windows has neither: the registry names the
    // CPU and PROCESSOR_IDENTIFIER gives family, model and stepping.
    if cfg!(windows)
        && let Ok(id) = std::env::var("PROCESSOR_IDENTIFIER")
    {
        let (f, m, st) = parse_processor_identifier(&id);
        cpu_family = cpu_family.or(f);
        cpu_model = cpu_model.or(m);
        cpu_stepping = cpu_stepping.or(st);
    }
    let cpu = name
        .or_else(|| sysctl("machdep.cpu.brand_string"))
        .or_else(|| {
            cmd("lscpu", &[]).and_then(|t| {
                t.lines().find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    (k.trim() == "Model name" && !v.trim().is_empty()).then(|| v.trim().to_string())
                })
            })
        })
        .or_else(|| {
            cmd(
                "reg",
                &[
                    "query",
                    r"HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0",
                    "/v",
                    "ProcessorNameString",
                ],
            )
            .and_then(|t| parse_reg_value(&t))
        })
        .unwrap_or_else(|| "unknown".into());
    if cfg!(target_os = "macos") {
        cpu_family = cpu_family.or_else(|| sysctl("machdep.cpu.family"));
        cpu_model = cpu_model.or_else(|| sysctl("machdep.cpu.model"));
        cpu_stepping = cpu_stepping.or_else(|| sysctl("machdep.cpu.stepping"));
    }
    let caches = Caches::detect().lines();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = cmd("uname", &["-srm"])
        .or_else(|| cmd("cmd", &["/c", "ver"]))
        .unwrap_or_else(|| format!("{} {}", std::env::consts::OS, std::env::consts::ARCH));
    Machine {
        cpu,
        cpu_family,
        cpu_model,
        cpu_stepping,
        caches,
        cores,
        os,
        rustc: env!("PERF_HINTS_RUSTC").to_string(),
        git_revision: env!("PERF_HINTS_GIT").to_string(),
    }
}

/// Model name, family, model and stepping from the first processor's
/// block of Linux's `/proc/cpuinfo`; `None` for a line that is absent or
/// empty.
pub fn parse_cpuinfo(
    text: &str,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let (mut name, mut family, mut model, mut stepping) = (None, None, None, None);
    for line in text.lines().take_while(|l| !l.trim().is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let slot = match key.trim() {
            "model name" => &mut name,
            "cpu family" => &mut family,
            "model" => &mut model,
            "stepping" => &mut stepping,
            _ => continue,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_string());
        }
    }
    (name, family, model, stepping)
}

/// Family, model and stepping from Windows' `PROCESSOR_IDENTIFIER`
/// (`Intel64 Family 6 Model 85 Stepping 7, GenuineIntel`).
pub fn parse_processor_identifier(id: &str) -> (Option<String>, Option<String>, Option<String>) {
    let words: Vec<&str> = id.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let after = |label: &str| {
        words
            .iter()
            .position(|w| *w == label)
            .and_then(|i| words.get(i + 1))
            .map(|w| w.to_string())
    };
    (after("Family"), after("Model"), after("Stepping"))
}

/// The value of the one `REG_SZ` line that `reg query ... /v NAME` prints.
pub fn parse_reg_value(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (_, value) = l.split_once("REG_SZ")?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// A cache as `L<level><d|i> <size>`: `cache_line("1", "Data", "48K")` is
/// `L1d 48K`, `cache_line("2", "Unified", "2048K")` is `L2 2048K`; another
/// type is spelled out (`L1 Other 8K`). The size is kept as given.
pub fn cache_line(level: &str, kind: &str, size: &str) -> String {
    let (level, size) = (level.trim(), size.trim());
    match kind.trim() {
        "Data" => format!("L{level}d {size}"),
        "Instruction" => format!("L{level}i {size}"),
        "Unified" | "" => format!("L{level} {size}"),
        other => format!("L{level} {other} {size}"),
    }
}

/// The caches under a Linux `.../cpu0/cache` directory, from each
/// `index*/{level,type,size}`, in index order, as a record writes them.
pub fn sysfs_caches(dir: impl AsRef<std::path::Path>) -> Vec<String> {
    sysfs(dir).lines()
}

/// The caches under a Linux `.../cpu0/cache` directory, from each
/// `index*/{level,type,size}`, in index order; empty when there is none.
fn sysfs(dir: impl AsRef<std::path::Path>) -> Caches {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Caches::default();
    };
    let mut found: Vec<(u32, Cache)> = entries
        .flatten()
        .filter_map(|entry| {
            let index = entry
                .file_name()
                .to_str()?
                .strip_prefix("index")?
                .parse()
                .ok()?;
            let read = |file: &str| std::fs::read_to_string(entry.path().join(file)).ok();
            let (level, kind, size) = (read("level")?, read("type")?, read("size")?);
            (!size.trim().is_empty()).then(|| (index, Cache::new(&level, &kind, &size)))
        })
        .collect();
    found.sort_by_key(|(index, _)| *index);
    Caches(found.into_iter().map(|(_, cache)| cache).collect())
}

/// A byte count as the shortest exact `<n>M`, `<n>K` or `<n>` (macOS
/// reports cache sizes in bytes).
fn size(bytes: u64) -> String {
    match bytes {
        b if b % (1 << 20) == 0 => format!("{}M", b >> 20),
        b if b % (1 << 10) == 0 => format!("{}K", b >> 10),
        b => b.to_string(),
    }
}

/// One cache of a core: its level, its type (`Data`, `Instruction`,
/// `Unified`), its size as the OS wrote it and that size in bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cache {
    pub level: String,
    pub kind: String,
    /// As given (`48K`, `105M`), which is how a record keeps it.
    pub size: String,
    /// `None` when the size is not `<n>`, `<n>K` or `<n>M`.
    pub bytes: Option<u64>,
}

impl Cache {
    /// A cache from the OS's words for it (surrounding whitespace ignored).
    pub fn new(level: &str, kind: &str, size: &str) -> Cache {
        let size = size.trim();
        let split = size
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(size.len());
        let (n, unit) = size.split_at(split);
        let bytes = n.parse::<u64>().ok().and_then(|n| match unit {
            "" => Some(n),
            "K" => Some(n << 10),
            "M" => Some(n << 20),
            _ => None,
        });
        Cache {
            level: level.trim().to_string(),
            kind: kind.trim().to_string(),
            size: size.to_string(),
            bytes,
        }
    }

    /// As a record writes it: [`cache_line`].
    pub fn line(&self) -> String {
        cache_line(&self.level, &self.kind, &self.size)
    }

    fn is(&self, level: &str, data: bool) -> bool {
        self.level == level
            && match self.kind.as_str() {
                "Data" => data,
                "Unified" | "" => !data,
                _ => false,
            }
    }
}

/// A core's caches, in the order the OS lists them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caches(pub Vec<Cache>);

impl Caches {
    /// This machine's caches: Linux's sysfs, or macOS's `sysctl`; empty
    /// where neither tells.
    pub fn detect() -> Caches {
        let mut caches = sysfs("/sys/devices/system/cpu/cpu0/cache");
        if cfg!(target_os = "macos") && caches.0.is_empty() {
            for (level, kind, key) in [
                ("1", "Data", "hw.l1dcachesize"),
                ("1", "Instruction", "hw.l1icachesize"),
                ("2", "Unified", "hw.l2cachesize"),
                ("3", "Unified", "hw.l3cachesize"),
            ] {
                let bytes = std::process::Command::new("sysctl")
                    .args(["-n", key])
                    .output()
                    .ok()
                    .filter(|out| out.status.success())
                    .and_then(|out| {
                        String::from_utf8_lossy(&out.stdout)
                            .trim()
                            .parse::<u64>()
                            .ok()
                    });
                if let Some(bytes) = bytes.filter(|&b| b > 0) {
                    caches.0.push(Cache::new(level, kind, &size(bytes)));
                }
            }
        }
        caches
    }

    /// Each cache as a record writes it: `L1d 48K`, `L2 2048K`.
    pub fn lines(&self) -> Vec<String> {
        self.0.iter().map(Cache::line).collect()
    }

    /// The L1 data cache's size in bytes.
    pub fn l1d(&self) -> Option<u64> {
        self.bytes("1", true)
    }

    /// The L2 (unified) cache's size in bytes.
    pub fn l2(&self) -> Option<u64> {
        self.bytes("2", false)
    }

    /// The last level's size in bytes: L3, or L2 where there is no L3.
    pub fn last_level(&self) -> Option<u64> {
        self.bytes("3", false).or_else(|| self.l2())
    }

    fn bytes(&self, level: &str, data: bool) -> Option<u64> {
        self.0.iter().find(|c| c.is(level, data))?.bytes
    }
}
