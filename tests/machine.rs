//! What a record says about the machine: CPU details parsed from the OS's
//! text, the one-line CPU id, the compiler and revision recorded at build
//! time, and records written before the CPU details existed.

use perf_hints::measure::machine;
use perf_hints::model::Machine;

/// First block of a KVM guest's `/proc/cpuinfo` on a Sapphire Rapids host,
/// which hides the model name behind a generic one (and a second block, to
/// check that only the first is read).
const XEON_VM: &str = "\
processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 143
model name\t: Intel(R) Xeon(R) Processor
stepping\t: 8
microcode\t: 0xffffffff
cpu MHz\t\t: 2100.000
cache size\t: 107520 KB
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov

processor\t: 1
vendor_id\t: GenuineIntel
cpu family\t: 7
model\t\t: 1
model name\t: Something Else
stepping\t: 2
";

/// An AMD EPYC guest, whose model name is just as generic.
const EPYC_VM: &str = "\
processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
stepping\t: 1
microcode\t: 0x1000065
cache size\t: 1024 KB
";

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn cpuinfo_of_an_intel_vm() {
    assert_eq!(
        machine::parse_cpuinfo(XEON_VM),
        (
            some("Intel(R) Xeon(R) Processor"),
            some("6"),
            some("143"),
            some("8")
        )
    );
}

#[test]
fn cpuinfo_of_an_amd_vm() {
    assert_eq!(
        machine::parse_cpuinfo(EPYC_VM),
        (some("AMD EPYC"), some("26"), some("2"), some("1"))
    );
}

#[test]
fn cpuinfo_without_the_lines() {
    assert_eq!(
        machine::parse_cpuinfo("processor\t: 0\nBogoMIPS\t: 50.00\nmodel name\t:\n"),
        (None, None, None, None)
    );
    assert_eq!(machine::parse_cpuinfo(""), (None, None, None, None));
}

#[test]
fn cache_lines() {
    assert_eq!(machine::cache_line("1", "Data", "48K"), "L1d 48K");
    assert_eq!(machine::cache_line("1", "Instruction", "32K"), "L1i 32K");
    assert_eq!(machine::cache_line("2", "Unified", "2048K"), "L2 2048K");
    // As read from sysfs: each value ends with a newline.
    assert_eq!(machine::cache_line("3\n", "Unified\n", "105M\n"), "L3 105M");
    assert_eq!(machine::cache_line("1", "Trace", "12K"), "L1 Trace 12K");
}

#[test]
fn caches_from_a_sysfs_directory() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("machine-sysfs-cache");
    let _ = std::fs::remove_dir_all(&dir);
    // index10 sorts after index2 by number, not by name.
    for (index, level, kind, size) in [
        ("index0", "1", "Data", "48K"),
        ("index1", "1", "Instruction", "32K"),
        ("index2", "2", "Unified", "2048K"),
        ("index10", "3", "Unified", "107520K"),
    ] {
        let d = dir.join(index);
        std::fs::create_dir_all(&d).unwrap();
        for (file, text) in [("level", level), ("type", kind), ("size", size)] {
            std::fs::write(d.join(file), format!("{text}\n")).unwrap();
        }
    }
    std::fs::create_dir_all(dir.join("power")).unwrap();
    assert_eq!(
        machine::sysfs_caches(&dir),
        ["L1d 48K", "L1i 32K", "L2 2048K", "L3 107520K"]
    );
    assert!(machine::sysfs_caches(dir.join("absent")).is_empty());
}

fn vm(name: &str, fms: [Option<&str>; 3], caches: &[&str]) -> Machine {
    Machine {
        cpu: name.into(),
        cpu_family: fms[0].map(Into::into),
        cpu_model: fms[1].map(Into::into),
        cpu_stepping: fms[2].map(Into::into),
        caches: caches.iter().map(|s| s.to_string()).collect(),
        ..Machine::default()
    }
}

#[test]
fn cpu_id_tells_two_generic_names_apart() {
    let spr = vm(
        "Intel(R) Xeon(R) Processor",
        [Some("6"), Some("143"), Some("8")],
        &["L1d 48K", "L1i 32K", "L2 2048K", "L3 105M"],
    );
    let icx = vm(
        "Intel(R) Xeon(R) Processor",
        [Some("6"), Some("106"), Some("6")],
        &["L1d 48K", "L1i 32K", "L2 1280K", "L3 48M"],
    );
    assert_eq!(
        spr.cpu_id(),
        "Intel(R) Xeon(R) Processor, family 6 model 143 stepping 8, \
         L1d 48K, L1i 32K, L2 2048K, L3 105M"
    );
    assert_ne!(spr.cpu_id(), icx.cpu_id());
}

#[test]
fn cpu_id_with_parts_missing() {
    assert_eq!(vm("Apple M2", [None; 3], &[]).cpu_id(), "Apple M2");
    assert_eq!(
        vm("Apple M2", [None; 3], &["L1d 64K", "L2 4M"]).cpu_id(),
        "Apple M2, L1d 64K, L2 4M"
    );
    assert_eq!(
        vm("x", [Some("6"), None, Some("3")], &[]).cpu_id(),
        "x, family 6 stepping 3"
    );
}

#[test]
fn records_without_cpu_details_load_and_serialize_as_before() {
    let old = r#"{"cpu":"AMD EPYC","cores":2,"os":"Linux 6.1 x86_64","rustc":"rustc 1.95.0","git_revision":"abc"}"#;
    let machine: Machine = serde_json::from_str(old).unwrap();
    assert_eq!(machine.cpu_family, None);
    assert!(machine.caches.is_empty());
    assert_eq!(serde_json::to_string(&machine).unwrap(), old);

    let new = vm("AMD EPYC", [Some("26"), Some("2"), Some("1")], &["L1d 48K"]);
    let back: Machine = serde_json::from_str(&serde_json::to_string(&new).unwrap()).unwrap();
    assert_eq!(back, new);
}

/// Compiler and revision come from build time, so they are there whatever
/// is on PATH now. Prints the whole description (`--nocapture` shows it).
#[test]
fn detect_records_compiler_and_revision() {
    let machine = machine::detect();
    println!("{}", serde_json::to_string_pretty(&machine).unwrap());
    println!("cpu_id: {}", machine.cpu_id());
    assert!(machine.rustc.starts_with("rustc "), "{:?}", machine.rustc);
    assert!(!machine.git_revision.is_empty());
    assert!(!machine.cpu.is_empty() && machine.cores > 0);
}

#[test]
fn windows_processor_identifier_and_registry_name_are_read() {
    assert_eq!(
        machine::parse_processor_identifier("Intel64 Family 6 Model 85 Stepping 7, GenuineIntel"),
        (Some("6".into()), Some("85".into()), Some("7".into()))
    );
    assert_eq!(
        machine::parse_processor_identifier("ARMv8 (64-bit) Family 8 Model D40 Revision 1, Ampere"),
        (Some("8".into()), Some("D40".into()), None)
    );
    let reg = "\r\nHKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0\r\n    \
               ProcessorNameString    REG_SZ    Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz\r\n";
    assert_eq!(
        machine::parse_reg_value(reg).as_deref(),
        Some("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz")
    );
    assert_eq!(machine::parse_reg_value("ERROR: not found"), None);
}

#[test]
fn typed_caches_give_sizes_in_bytes_and_the_lines_records_keep() {
    use machine::{Cache, Caches};
    let c = Caches(vec![
        Cache::new("1", "Data", "48K"),
        Cache::new("1", "Instruction", "32K"),
        Cache::new("2", "Unified", "2048K\n"),
        Cache::new("3", "Unified", "105M"),
    ]);
    assert_eq!(c.l1d(), Some(48 << 10));
    assert_eq!(c.l2(), Some(2048 << 10));
    assert_eq!(c.last_level(), Some(105 << 20));
    assert_eq!(c.lines(), ["L1d 48K", "L1i 32K", "L2 2048K", "L3 105M"]);
    let no_l3 = Caches(vec![Cache::new("2", "", "1024K")]);
    assert_eq!(no_l3.last_level(), Some(1 << 20));
    assert_eq!(Cache::new("1", "Data", "48 KiB").bytes, None);
}
