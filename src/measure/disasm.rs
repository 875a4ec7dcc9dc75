//! The hot loop of each variant of the lessons about generated code, as the
//! timed binary has it: captured when a run is recorded, shown on the site.
//!
//! Which instructions are a variant's: the bench binary's `exec ID VARIANT
//! SIZE` calls the variant once inside its own copy of
//! [`perf_hints_measured_call`](crate::measure::callgrind::perf_hints_measured_call)
//! (the variant inlined into one function, the code callgrind counts), and
//! its `locate ID VARIANT` prints where that copy is, as an offset from
//! `perf_hints::tool::commands::exec`. The symbol table (`nm`) gives that
//! function's address and size; `objdump` disassembles it; [`hot_loop`]
//! keeps the loop that is most of it. The timed loops
//! (`measure::paired::time_arm`) inline the same closures, but their copies
//! all have one name in the symbol table and are not told apart.
//!
//! Without `nm` or `objdump` (or on a binary without symbols) there is
//! nothing to show, and the record has no disassembly.

use std::path::Path;
use std::process::Command;

pub use crate::model::Disassembly;

/// The lessons about the instructions the compiler emits.
pub const LESSONS: [&str; 4] = [
    "bounds_checks",
    "simd_reduction",
    "inlining",
    "branch_predictability",
];

/// The most lines kept of one variant.
pub const MAX_LINES: usize = 40;

/// One instruction of `objdump -d --no-show-raw-insn` output: its address
/// and the text after the address (`mov    %rdi,%rax`).
#[derive(Clone, Debug, PartialEq)]
pub struct Insn {
    pub at: u64,
    pub text: String,
}

/// The instructions in objdump's text, in order (headers, blank lines and
/// anything else skipped).
pub fn parse(objdump: &str) -> Vec<Insn> {
    objdump
        .lines()
        .filter_map(|l| {
            let (addr, text) = l.trim_start().split_once(":\t")?;
            let at = u64::from_str_radix(addr, 16).ok()?;
            Some(Insn {
                at,
                text: text.trim_end().to_string(),
            })
        })
        .collect()
}

/// The target of a jump (`jne    4514c0 <f+0x80>`), if `insn` is one with
/// a direct target.
fn jump_target(insn: &Insn) -> Option<u64> {
    let mut words = insn.text.split_whitespace();
    let op = words.next()?;
    if !op.starts_with('j') {
        return None;
    }
    u64::from_str_radix(words.next()?, 16).ok()
}

/// The hot loop of a function's instructions: of the loops its backward
/// jumps close (with no `ret` inside), the one with the most instructions that fits in `max`
/// (the first `max` of the largest when none fits); the whole function
/// when it has no loop and fits, else its first `max`. Lines read
/// `address: instruction`, with jump targets inside the function written
/// `<+0x40>`.
pub fn hot_loop(insns: &[Insn], max: usize) -> Vec<String> {
    let Some(start) = insns.first().map(|i| i.at) else {
        return Vec::new();
    };
    let mut loops: Vec<(usize, usize)> = insns
        .iter()
        .enumerate()
        .filter_map(|(end, i)| {
            let target = jump_target(i)?;
            if target > i.at || target < start {
                return None;
            }
            let first = insns.iter().position(|j| j.at == target)?;
            // A jump back to an epilogue (a `ret` between) closes no loop.
            let body = &insns[first..end];
            (!body.iter().any(|j| j.text.starts_with("ret"))).then_some((first, end))
        })
        .collect();
    loops.sort_by_key(|&(a, b)| std::cmp::Reverse(b - a));
    let (first, last) = loops
        .iter()
        .find(|&&(a, b)| b - a < max)
        .or(loops.first())
        .copied()
        .unwrap_or((0, insns.len().saturating_sub(1)));
    let last = last.min(first + max - 1);
    insns[first..=last]
        .iter()
        .map(|i| {
            let text = match i.text.split_once(" <") {
                Some((head, tail)) if tail.contains('+') && jump_target(i).is_some() => {
                    let offset = tail.rsplit_once('+').map_or("", |(_, o)| o);
                    format!("{head} <+{offset}")
                }
                _ => i.text.clone(),
            };
            format!("{:x}: {text}", i.at)
        })
        .collect()
}

/// `address size` of the function named `name` in `nm -S -C` output that
/// starts at `at`, or of the first so named when `at` is `None`.
fn symbol(nm: &str, name: &str, at: Option<u64>) -> Option<(u64, u64)> {
    nm.lines().find_map(|l| {
        let mut w = l.splitn(4, ' ');
        let (addr, size, _kind, sym) = (w.next()?, w.next()?, w.next()?, w.next()?);
        let addr = u64::from_str_radix(addr, 16).ok()?;
        let size = u64::from_str_radix(size, 16).ok()?;
        (sym == name && at.is_none_or(|a| a == addr)).then_some((addr, size))
    })
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The hot loop of each named variant of each hint of `lessons` (a hint id
/// with its variants, as the registry gives them) in `binary`, a bench
/// binary (it answers `locate`); an error when `nm` or `objdump` cannot be
/// run or the binary does not answer.
pub fn capture(binary: &Path, lessons: &[(&str, Vec<&str>)]) -> Result<Vec<Disassembly>, String> {
    let nm = output(Command::new("nm").arg("-S").arg("-C").arg(binary))?;
    let (exec, _) = symbol(&nm, "perf_hints::tool::commands::exec", None)
        .ok_or("the binary has no symbol perf_hints::tool::commands::exec")?;
    let mut out = Vec::new();
    for (id, variants) in lessons {
        for variant in variants {
            let offset = output(Command::new(binary).args(["locate", id, variant]))?;
            let offset: i128 = offset
                .trim()
                .parse()
                .map_err(|e| format!("`locate {id} {variant}` printed {offset:?}: {e}"))?;
            let at = u64::try_from(exec as i128 + offset)
                .map_err(|_| format!("`locate {id} {variant}`: offset {offset} out of range"))?;
            let name = "perf_hints::measure::callgrind::perf_hints_measured_call";
            let (addr, size) = symbol(&nm, name, Some(at))
                .ok_or_else(|| format!("no {name} at {at:x} for {id}/{variant}"))?;
            let text = output(
                Command::new("objdump")
                    .args(["-d", "--no-show-raw-insn", "-C"])
                    .arg(format!("--start-address=0x{addr:x}"))
                    .arg(format!("--stop-address=0x{:x}", addr + size))
                    .arg(binary),
            )?;
            let insns = parse(&text);
            out.push(Disassembly {
                hint: id.to_string(),
                variant: variant.to_string(),
                instructions: insns.len(),
                lines: hot_loop(&insns, MAX_LINES),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJDUMP: &str = "
target/release/deps/hints-x:     file format elf64-x86-64


Disassembly of section .text:

0000000000451440 <perf_hints::measure::callgrind::perf_hints_measured_call>:
  451440:\tcmp    %rcx,%rsi
  451443:\tja     45151b <perf_hints::measure::callgrind::perf_hints_measured_call+0xdb>
  451449:\ttest   %rsi,%rsi
  45144c:\txor    %eax,%eax
  451450:\tmov    (%rdi,%rax,4),%edx
  451453:\timul   (%r8,%rax,4),%edx
  451457:\tadd    %rdx,%rcx
  45145a:\tinc    %rax
  45145d:\tcmp    %rax,%rsi
  451460:\tjne    451450 <perf_hints::measure::callgrind::perf_hints_measured_call+0x10>
  451462:\tret
";

    #[test]
    fn parses_instructions_and_keeps_the_loop() {
        let insns = parse(OBJDUMP);
        assert_eq!(insns.len(), 11);
        assert_eq!(insns[0].at, 0x451440);
        assert_eq!(insns[0].text, "cmp    %rcx,%rsi");
        let lines = hot_loop(&insns, 40);
        assert_eq!(
            lines,
            [
                "451450: mov    (%rdi,%rax,4),%edx",
                "451453: imul   (%r8,%rax,4),%edx",
                "451457: add    %rdx,%rcx",
                "45145a: inc    %rax",
                "45145d: cmp    %rax,%rsi",
                "451460: jne    451450 <+0x10>",
            ]
        );
        // A loop longer than the limit: its first lines.
        assert_eq!(hot_loop(&insns, 3).len(), 3);
        assert_eq!(hot_loop(&insns, 3)[0], lines[0]);
        // No loop: the whole function, up to the limit.
        assert_eq!(hot_loop(&insns[..3], 40).len(), 3);
        assert!(hot_loop(&[], 40).is_empty());
    }

    #[test]
    fn finds_a_symbol_by_name_and_address() {
        let nm = "0000000000451440 0000000000000023 T perf_hints::measure::callgrind::perf_hints_measured_call\n\
                  0000000000451480 0000000000000040 T perf_hints::measure::callgrind::perf_hints_measured_call\n\
                  0000000000400000 0000000000000010 T perf_hints::tool::commands::exec\n";
        let name = "perf_hints::measure::callgrind::perf_hints_measured_call";
        assert_eq!(symbol(nm, name, Some(0x451480)), Some((0x451480, 0x40)));
        assert_eq!(symbol(nm, name, None), Some((0x451440, 0x23)));
        assert_eq!(symbol(nm, name, Some(0x451481)), None);
        assert_eq!(
            symbol(nm, "perf_hints::tool::commands::exec", None),
            Some((0x400000, 0x10))
        );
    }
}
