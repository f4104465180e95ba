//! Go's `time.Duration` text ("5m0s", "-1.5h", "300ms"), as etcd's flags and options take it.

use std::time::Duration;

/// Go's `time.ParseDuration`, in nanoseconds: "300ms", "-1.5h", "2h45m", "0".
pub fn go_duration_nanos(text: &str) -> Option<i64> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let limit: u128 = if negative { 1 << 63 } else { i64::MAX as u128 };
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(after) => after.split_at(after.bytes().take_while(u8::is_ascii_digit).count()),
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3600 * 1_000_000_000,
            _ => return None,
        };
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            // Too many digits to parse is too long a duration anyway.
            int_part.parse().ok()?
        };
        // Digits past nanosecond precision of the largest unit cannot change the result.
        let frac_digits = &frac_part[..frac_part.len().min(18)];
        let fraction = if frac_digits.is_empty() {
            0
        } else {
            let value: u128 = frac_digits.parse().ok()?;
            value * scale / 10u128.pow(frac_digits.len() as u32)
        };
        total = whole
            .checked_mul(scale)?
            .checked_add(fraction)?
            .checked_add(total)?;
        if total > limit {
            return None;
        }
        rest = after;
    }
    let total = i128::try_from(total).ok()?;
    i64::try_from(if negative { -total } else { total }).ok()
}

/// A Go duration that cannot be negative (etcd's duration flags).
pub fn parse_go_duration(text: &str) -> Result<Duration, String> {
    go_duration_nanos(text)
        .and_then(|nanos| u64::try_from(nanos).ok())
        .map(Duration::from_nanos)
        .ok_or_else(|| format!("time: invalid duration {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        let s = 1_000_000_000i64;
        assert_eq!(go_duration_nanos("5m"), Some(300 * s));
        assert_eq!(go_duration_nanos("5m0s"), Some(300 * s));
        assert_eq!(go_duration_nanos("10s"), Some(10 * s));
        assert_eq!(go_duration_nanos("1h30m"), Some(5400 * s));
        assert_eq!(go_duration_nanos("1.5h"), Some(5400 * s));
        assert_eq!(go_duration_nanos(".5s"), Some(s / 2));
        assert_eq!(go_duration_nanos("1.s"), Some(s));
        assert_eq!(go_duration_nanos("300ms"), Some(300_000_000));
        assert_eq!(go_duration_nanos("2us"), Some(2_000));
        assert_eq!(go_duration_nanos("2µs"), Some(2_000));
        assert_eq!(go_duration_nanos("7ns"), Some(7));
        assert_eq!(go_duration_nanos("0"), Some(0));
        assert_eq!(go_duration_nanos("-0"), Some(0));
        assert_eq!(go_duration_nanos("-1m"), Some(-60 * s));
        assert_eq!(go_duration_nanos("+2s"), Some(2 * s));
        assert_eq!(go_duration_nanos("9223372036854775807ns"), Some(i64::MAX));
        assert_eq!(go_duration_nanos("-9223372036854775808ns"), Some(i64::MIN));
        for bad in [
            "",
            "5",
            "-",
            "s",
            ".s",
            "1d",
            "5 m",
            "1m 2s",
            "forever",
            "1..5s",
            "9223372036854775808ns",
            "3000000h",
            "99999999999999999999999999999999999999999h",
        ] {
            assert_eq!(go_duration_nanos(bad), None, "{bad:?}");
        }
    }
}
