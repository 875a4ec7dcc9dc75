//! Figures as text, the same way everywhere: in verdicts, tables and charts.

/// `v` with three significant digits, then `unit`.
pub fn sig3(v: f64, unit: &str) -> String {
    if v < 10.0 {
        format!("{v:.2}{unit}")
    } else if v < 100.0 {
        format!("{v:.1}{unit}")
    } else {
        format!("{v:.0}{unit}")
    }
}

/// A duration in nanoseconds as a value and the unit that keeps it between
/// 1 and 1000 (below 1 only in ns, above 1000 only in s).
pub fn ns_unit(ns: f64) -> (f64, &'static str) {
    if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    }
}

/// A duration in nanoseconds, with a unit that keeps three significant digits.
pub fn fmt_ns(ns: f64) -> String {
    let (v, unit) = ns_unit(ns);
    sig3(v, &format!(" {unit}"))
}

/// A byte count in B, KB, MB or GB (powers of 1000), three significant digits.
pub fn fmt_bytes(bytes: usize) -> String {
    let b = bytes as f64;
    let (v, unit) = if b < 1e3 {
        return format!("{bytes} B");
    } else if b < 1e6 {
        (b / 1e3, "KB")
    } else if b < 1e9 {
        (b / 1e6, "MB")
    } else {
        (b / 1e9, "GB")
    };
    sig3(v, &format!(" {unit}"))
}

/// A byte count in B, KiB, MiB or GiB (powers of 1024): exact below 1 KiB,
/// three significant digits above (`512 B`, `8.00 KiB`, `1.50 MiB`).
pub fn fmt_bytes_binary(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    let (v, unit) = if b < KIB {
        return format!("{bytes} B");
    } else if b < KIB * KIB {
        (b / KIB, "KiB")
    } else if b < KIB * KIB * KIB {
        (b / (KIB * KIB), "MiB")
    } else {
        (b / (KIB * KIB * KIB), "GiB")
    };
    sig3(v, &format!(" {unit}"))
}

/// A count with three significant digits: `987`, `12.3k`, `4.56M`, `1.23G`.
pub fn fmt_count(n: u64) -> String {
    let x = n as f64;
    let (v, unit) = if x < 1e3 {
        return n.to_string();
    } else if x < 1e6 {
        (x / 1e3, "k")
    } else if x < 1e9 {
        (x / 1e6, "M")
    } else {
        (x / 1e9, "G")
    };
    sig3(v, unit)
}

/// A count and the noun it counts, singular for one: `1 round`, `0 rounds`,
/// `2 rounds`. The plural adds `s` (or `es` after `s`, `x`, `ch`, `sh`:
/// `2 processes`); a noun that ends in a phrase (`consumer round`) is
/// pluralised on its last word.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let es = ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end));
    format!("{n} {noun}{}", if es { "es" } else { "s" })
}

/// A ratio with about two significant digits, for overviews: `0.82`, `3.1`, `120`.
pub fn fmt_ratio_short(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}")
    } else if x >= 1.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// A size as a short number: `950`, `2.3k`, `1.2M`.
pub fn short_number(x: f64) -> String {
    let (v, unit) = if x.abs() >= 1e9 {
        (x / 1e9, "G")
    } else if x.abs() >= 1e6 {
        (x / 1e6, "M")
    } else if x.abs() >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    if v.abs() >= 10.0 || v.fract().abs() < 0.05 {
        format!("{v:.0}{unit}")
    } else {
        format!("{v:.1}{unit}")
    }
}

/// A ratio's number with about three significant digits: `0.81`, `33.3`,
/// `864`; more decimals below 0.1, so a variant that loses by a lot keeps
/// three digits (`0.0512`).
pub fn ratio_digits(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 0.1 {
        format!("{x:.2}")
    } else {
        let digits = (-x.max(1e-9).log10()).ceil() as usize + 2;
        format!("{x:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_of_one_takes_the_singular_and_every_other_the_plural() {
        assert_eq!(plural(1, "round"), "1 round");
        assert_eq!(plural(0, "round"), "0 rounds");
        assert_eq!(plural(2, "round"), "2 rounds");
        assert_eq!(plural(1000, "consumer round"), "1000 consumer rounds");
        assert_eq!(plural(1, "process"), "1 process");
        assert_eq!(plural(5, "process"), "5 processes");
        assert_eq!(plural(16, "core"), "16 cores");
    }
}
