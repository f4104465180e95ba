//! oxcd's JSON log lines (`{"level":..,"ts":"2026-01-02T03:04:05.678Z",..,"msg":..}`) read
//! back: the events with a given message, and when they happened, on the same clock as
//! [`now_millis`], to order them against what a test did.

use std::time::{SystemTime, UNIX_EPOCH};

/// The log's events whose `msg` is `msg`, in order.
pub fn events(log: &str, msg: &str) -> Vec<serde_json::Value> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["msg"] == msg)
        .collect()
}

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis() as u64
}

/// When `event` was logged, in milliseconds since the Unix epoch (its `ts` is UTC, to the
/// millisecond, truncated: the event happened in `[ts, ts + 1)`).
pub fn millis(event: &serde_json::Value) -> u64 {
    let ts = event["ts"].as_str().unwrap_or_default();
    parse_ts(ts).unwrap_or_else(|| panic!("not a log timestamp: {event}"))
}

fn parse_ts(ts: &str) -> Option<u64> {
    let (date, time) = ts.strip_suffix('Z')?.split_once('T')?;
    let mut ymd = date.split('-').map(str::parse::<i64>);
    let (y, m, d) = (ymd.next()?.ok()?, ymd.next()?.ok()?, ymd.next()?.ok()?);
    let (hms, ms) = time.split_once('.')?;
    let mut hms = hms.split(':').map(str::parse::<u64>);
    let (h, min, s) = (hms.next()?.ok()?, hms.next()?.ok()?, hms.next()?.ok()?);
    let ms: u64 = ms.parse().ok()?;
    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    Some(((days * 24 + h) * 60 + min) * 60_000 + s * 1000 + ms)
}
