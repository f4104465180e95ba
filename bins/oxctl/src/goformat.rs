//! The Go standard library's text conventions that show in etcdctl's output and errors:
//! `strconv.Quote`, `strconv.ParseBool/ParseInt`, `time.ParseDuration`, `time.Duration.String`,
//! go-humanize's `Bytes`, and capnslog's timestamp.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

/// Go's `strconv.Quote` of a string holding arbitrary bytes (what `%q` prints).
pub fn quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    let mut rest = bytes;
    while !rest.is_empty() {
        match decode_utf8(rest) {
            Some((c, width)) => {
                escape_char(&mut out, c);
                rest = &rest[width..];
            }
            None => {
                let _ = write!(out, "\\x{:02x}", rest[0]);
                rest = &rest[1..];
            }
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.Quote`.
pub fn quote_str(s: &str) -> String {
    quote_bytes(s.as_bytes())
}

/// Decodes the first UTF-8 sequence of `bytes`, or `None` where Go's decoder yields `RuneError`
/// of width 1.
fn decode_utf8(bytes: &[u8]) -> Option<(char, usize)> {
    let first = bytes[0];
    let width = match first {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let candidate = bytes.get(..width)?;
    let s = std::str::from_utf8(candidate).ok()?;
    s.chars().next().map(|c| (c, width))
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        c if is_print(c) => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `unicode.IsPrint`: everything but controls, non-ASCII spaces, format
/// characters, private use and noncharacters (unassigned code points are taken as printable).
fn is_print(c: char) -> bool {
    let u = c as u32;
    !matches!(u,
        0x00..=0x1f | 0x7f..=0x9f | 0xad
        | 0xa0 | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f | 0x3000
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x8e2 | 0x180e
        | 0xd800..=0xf8ff | 0xfeff | 0xfff9..=0xfffb
        | 0x110bd | 0x110cd | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a
        | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..=0x10ffff)
        && (u & 0xfffe) != 0xfffe
}

/// Go's `strconv.ParseBool`, with its error text.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            quote_str(s)
        )),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` (pflag's int64 flags): sign, then `0x`, `0o`, `0b` or `0`
/// prefixes select the base.
pub fn parse_int(s: &str) -> Result<i64, String> {
    parse_int_base(s, 0, "ParseInt")
}

/// Go's `strconv.ParseInt(s, base, 64)`; `func_name` names the function in the error text.
pub fn parse_int_base(s: &str, base: u32, func_name: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.{func_name}: parsing {}: invalid syntax",
            quote_str(s)
        )
    };
    let range = || {
        format!(
            "strconv.{func_name}: parsing {}: value out of range",
            quote_str(s)
        )
    };
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if base == 0 {
        let lower = unsigned.to_ascii_lowercase();
        if lower.starts_with("0x") {
            (16, &unsigned[2..])
        } else if lower.starts_with("0o") {
            (8, &unsigned[2..])
        } else if lower.starts_with("0b") {
            (2, &unsigned[2..])
        } else if unsigned.len() > 1 && unsigned.starts_with('0') {
            (8, &unsigned[1..])
        } else {
            (10, unsigned)
        }
    } else {
        (base, unsigned)
    };
    let digits: String = if base == 0 && radix != 10 {
        digits.replace('_', "")
    } else {
        digits.to_string()
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let magnitude = u128::from_str_radix(&digits, radix).map_err(|_| range())?;
    let limit = if negative {
        1u128 << 63
    } else {
        (1u128 << 63) - 1
    };
    if magnitude > limit {
        return Err(range());
    }
    Ok(if negative {
        (magnitude as i128).wrapping_neg() as i64
    } else {
        magnitude as i64
    })
}

/// Go's `time.ParseDuration`, with its error texts.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {}", quote_str(s));
    let mut rest = s;
    let negative = rest.starts_with('-');
    if rest.starts_with('-') || rest.starts_with('+') {
        rest = &rest[1..];
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &after_dot[..frac_len];
            rest = &after_dot[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", quote_str(s)));
        }
        let nanos_per_unit: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote_str(unit),
                    quote_str(s)
                ))
            }
        };
        let number: f64 = format!(
            "{}.{}",
            if int_part.is_empty() { "0" } else { int_part },
            frac_part
        )
        .trim_end_matches('.')
        .parse()
        .map_err(|_| invalid())?;
        total += number * nanos_per_unit;
    }
    if negative || total > u64::MAX as f64 {
        return Err(invalid());
    }
    Ok(Duration::from_nanos(total.round() as u64))
}

/// Go's `time.Duration.String`: `1.5s`, `1m0s`, `2.345ms`, `150µs`, `0s`.
pub fn duration_string(d: Duration) -> String {
    let nanos = d.as_nanos() as u64;
    if nanos == 0 {
        return "0s".to_string();
    }
    if nanos < 1_000_000_000 {
        let (precision, unit) = match nanos {
            n if n < 1_000 => (0, "ns"),
            n if n < 1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        return format!("{}{unit}", fixed_fraction(nanos, precision));
    }
    let seconds = fixed_fraction(nanos % 60_000_000_000, 9);
    let minutes_total = nanos / 60_000_000_000;
    if minutes_total == 0 {
        return format!("{seconds}s");
    }
    let hours = minutes_total / 60;
    if hours == 0 {
        return format!("{minutes_total}m{seconds}s");
    }
    format!("{hours}h{}m{seconds}s", minutes_total % 60)
}

/// `value / 10^precision` with the fraction's trailing zeros (and a bare point) dropped.
fn fixed_fraction(value: u64, precision: u32) -> String {
    let scale = 10u64.pow(precision);
    let whole = value / scale;
    let fraction = value % scale;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = precision as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// go-humanize's `Bytes`: SI units, e.g. `20 kB`, `1.6 MB`.
pub fn humanize_bytes(size: u64) -> String {
    if size < 10 {
        return format!("{size} B");
    }
    const SUFFIXES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let exponent = ((size as f64).ln() / 1000f64.ln()).floor();
    let suffix = SUFFIXES[exponent as usize];
    let value = (size as f64 / 1000f64.powf(exponent) * 10.0 + 0.5).floor() / 10.0;
    if value < 10.0 {
        format!("{value:.1} {suffix}")
    } else {
        format!("{value:.0} {suffix}")
    }
}

/// The timestamp capnslog puts before etcdctl's flag warnings, in UTC:
/// `2006-01-02 15:04:05.000000`.
pub fn log_timestamp() -> String {
    // RFC 3339 in UTC with microseconds is `2006-01-02T15:04:05.000000Z`.
    humantime::format_rfc3339_micros(SystemTime::now())
        .to_string()
        .trim_end_matches('Z')
        .replacen('T', " ", 1)
}

/// `\x66\x6f\x6f`: how etcdctl's `--hex` prints a byte string.
pub fn hex_escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4);
    for b in bytes {
        let _ = write!(out, "\\x{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote_bytes(b"foo"), "\"foo\"");
        assert_eq!(
            quote_bytes(b"a\"b\\c\n\t\x01\x7f"),
            "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\""
        );
        assert_eq!(quote_bytes(b"\xff\xfe"), "\"\\xff\\xfe\"");
        assert_eq!(quote_bytes("héllo ✓".as_bytes()), "\"héllo ✓\"");
        assert_eq!(
            quote_bytes("\u{a0}\u{200b}".as_bytes()),
            "\"\\u00a0\\u200b\""
        );
    }

    #[test]
    fn parses_ints_and_bools() {
        assert_eq!(parse_int("0x10"), Ok(16));
        assert_eq!(parse_int("-12"), Ok(-12));
        assert_eq!(
            parse_int("x"),
            Err("strconv.ParseInt: parsing \"x\": invalid syntax".to_string())
        );
        assert_eq!(
            parse_int("99999999999999999999"),
            Err(
                "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"
                    .to_string()
            )
        );
        assert_eq!(parse_int_base("1234abc", 16, "ParseInt"), Ok(0x1234abc));
        assert_eq!(parse_bool("T"), Ok(true));
        assert!(parse_bool("yes").is_err());
    }

    #[test]
    fn durations_round_trip_go_text() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m30.5s"), Ok(Duration::from_millis(90_500)));
        assert_eq!(
            parse_duration("x"),
            Err("time: invalid duration \"x\"".to_string())
        );
        assert_eq!(
            parse_duration("5"),
            Err("time: missing unit in duration \"5\"".to_string())
        );
        assert_eq!(
            duration_string(Duration::from_nanos(1_758_281)),
            "1.758281ms"
        );
        assert_eq!(duration_string(Duration::from_micros(150)), "150µs");
        assert_eq!(duration_string(Duration::from_millis(2500)), "2.5s");
        assert_eq!(duration_string(Duration::from_secs(60)), "1m0s");
        assert_eq!(duration_string(Duration::from_secs(3723)), "1h2m3s");
        assert_eq!(duration_string(Duration::ZERO), "0s");
    }

    #[test]
    fn humanizes_like_go_humanize() {
        assert_eq!(humanize_bytes(5), "5 B");
        assert_eq!(humanize_bytes(20_480), "20 kB");
        assert_eq!(humanize_bytes(1_581_056), "1.6 MB");
        assert_eq!(humanize_bytes(21_500), "22 kB");
    }

    #[test]
    fn log_timestamps_look_like_capnslog_ones() {
        let stamp = log_timestamp();
        let shape: String = stamp
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        assert_eq!(shape, "0000-00-00 00:00:00.000000", "{stamp}");
    }
}
