//! Latency statistics and the two report formats: etcd benchmark's text, and one JSON line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use oxcd_client::go_json_string;

/// Percentiles shown in the text report, in thousandths so that 99.9 is exact.
const TEXT_PERCENTILES: [u64; 8] = [100, 250, 500, 750, 900, 950, 990, 999];

/// Buckets of the response time histogram.
const HISTOGRAM_BUCKETS: usize = 10;
/// Width of the longest histogram bar.
const BAR_WIDTH: u64 = 40;

/// The results of one run, with latencies sorted ascending.
#[derive(Debug)]
pub struct Summary {
    elapsed: Duration,
    /// Invariant: sorted ascending.
    latencies: Vec<Duration>,
    errors: BTreeMap<String, u64>,
}

impl Summary {
    pub fn new(
        elapsed: Duration,
        mut latencies: Vec<Duration>,
        errors: BTreeMap<String, u64>,
    ) -> Self {
        latencies.sort_unstable();
        Self {
            elapsed,
            latencies,
            errors,
        }
    }

    /// Number of successful requests.
    pub fn ok(&self) -> usize {
        self.latencies.len()
    }

    fn failed(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Successful requests per second of wall time, as etcd's benchmark counts them.
    fn requests_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.ok() as f64 / secs
        } else {
            0.0
        }
    }

    fn mean_secs(&self) -> Option<f64> {
        if self.latencies.is_empty() {
            return None;
        }
        let sum: f64 = self.latencies.iter().map(Duration::as_secs_f64).sum();
        Some(sum / self.latencies.len() as f64)
    }

    /// Population standard deviation of the latencies, in seconds.
    fn stddev_secs(&self) -> Option<f64> {
        let mean = self.mean_secs()?;
        let squares: f64 = self
            .latencies
            .iter()
            .map(|l| (l.as_secs_f64() - mean).powi(2))
            .sum();
        Some((squares / self.latencies.len() as f64).sqrt())
    }

    /// The latency at `permille` thousandths (500 = median, 999 = p99.9), by nearest rank.
    pub fn percentile(&self, permille: u64) -> Option<Duration> {
        percentile(&self.latencies, permille)
    }

    /// `HISTOGRAM_BUCKETS` equal-width buckets from fastest to slowest: (upper edge, count).
    fn histogram(&self) -> Vec<(Duration, u64)> {
        let (Some(&fastest), Some(&slowest)) = (self.latencies.first(), self.latencies.last())
        else {
            return Vec::new();
        };
        let width = (slowest - fastest) / HISTOGRAM_BUCKETS as u32;
        let mut buckets: Vec<(Duration, u64)> = (1..=HISTOGRAM_BUCKETS)
            .map(|i| (fastest + width * i as u32, 0))
            .collect();
        // Integer division may leave the last edge short of the slowest request.
        buckets[HISTOGRAM_BUCKETS - 1].0 = slowest;
        let mut bucket = 0;
        for latency in &self.latencies {
            while *latency > buckets[bucket].0 {
                bucket += 1;
            }
            buckets[bucket].1 += 1;
        }
        buckets
    }

    /// The report etcd's benchmark prints: summary, histogram, percentiles, errors.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let secs = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64());
        let w = &mut out;
        // Writing to a String cannot fail.
        let _ = writeln!(w, "\nSummary:");
        let _ = writeln!(w, "  Total:\t{:.4} secs.", self.elapsed.as_secs_f64());
        let _ = writeln!(
            w,
            "  Slowest:\t{:.4} secs.",
            secs(self.latencies.last().copied())
        );
        let _ = writeln!(
            w,
            "  Fastest:\t{:.4} secs.",
            secs(self.latencies.first().copied())
        );
        let _ = writeln!(
            w,
            "  Average:\t{:.4} secs.",
            self.mean_secs().unwrap_or(f64::NAN)
        );
        let _ = writeln!(
            w,
            "  Stddev:\t{:.4} secs.",
            self.stddev_secs().unwrap_or(f64::NAN)
        );
        let _ = writeln!(w, "  Requests/sec:\t{:.4}", self.requests_per_sec());

        let histogram = self.histogram();
        if !histogram.is_empty() {
            let _ = writeln!(w, "\nResponse time histogram:");
            let most = histogram.iter().map(|&(_, c)| c).max().unwrap_or(0).max(1);
            for (edge, count) in histogram {
                let bar = "∎".repeat((count * BAR_WIDTH / most) as usize);
                let _ = writeln!(w, "  {:.4} [{count}]\t|{bar}", edge.as_secs_f64());
            }
            let _ = writeln!(w, "\nLatency distribution:");
            for permille in TEXT_PERCENTILES {
                let _ = writeln!(
                    w,
                    "  {}% in {:.4} secs.",
                    permille_label(permille),
                    secs(self.percentile(permille))
                );
            }
        }

        if !self.errors.is_empty() {
            let _ = writeln!(w, "\nError distribution:");
            for (error, count) in &self.errors {
                let _ = writeln!(w, "  [{count}]\t{error}");
            }
        }
        out
    }

    /// One JSON object for scripts; latencies in milliseconds, `null` when nothing succeeded.
    pub fn to_json(&self, workload: &str, clients: usize, conns: usize, total: u64) -> String {
        let ms = |d: Option<Duration>| json_number(d.map(|d| d.as_secs_f64() * 1e3));
        format!(
            concat!(
                "{{\"workload\":\"{}\",\"clients\":{},\"conns\":{},\"total\":{},",
                "\"ok\":{},\"errors\":{},\"seconds\":{},\"rps\":{},",
                "\"avg_ms\":{},\"p50_ms\":{},\"p90_ms\":{},\"p99_ms\":{},\"p999_ms\":{},\"max_ms\":{},",
                "\"error_kinds\":{{{}}}}}"
            ),
            workload,
            clients,
            conns,
            total,
            self.ok(),
            self.failed(),
            json_number(Some(self.elapsed.as_secs_f64())),
            json_number(Some(self.requests_per_sec())),
            json_number(self.mean_secs().map(|s| s * 1e3)),
            ms(self.percentile(500)),
            ms(self.percentile(900)),
            ms(self.percentile(990)),
            ms(self.percentile(999)),
            ms(self.latencies.last().copied()),
            self.errors
                .iter()
                .map(|(error, count)| format!("{}:{count}", go_json_string(error.as_bytes())))
                .collect::<Vec<_>>()
                .join(","),
        )
    }
}

/// Nearest-rank percentile of ascending `sorted`: the smallest value with at least
/// `permille`/1000 of all values at or below it. Integer arithmetic, so p99.9 of 1000 values is the 999th.
fn percentile(sorted: &[Duration], permille: u64) -> Option<Duration> {
    assert!(permille <= 1000, "a percentile is at most 100%");
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (permille * n).div_ceil(1000).max(1);
    Some(sorted[(rank - 1) as usize])
}

/// `999` -> `"99.9"`, `500` -> `"50"`.
fn permille_label(permille: u64) -> String {
    if permille.is_multiple_of(10) {
        format!("{}", permille / 10)
    } else {
        format!("{}.{}", permille / 10, permille % 10)
    }
}

fn json_number(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let lats = ms(1..=1000);
        assert_eq!(percentile(&lats, 100), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&lats, 500), Some(Duration::from_millis(500)));
        assert_eq!(percentile(&lats, 990), Some(Duration::from_millis(990)));
        assert_eq!(percentile(&lats, 999), Some(Duration::from_millis(999)));
        assert_eq!(percentile(&lats, 1000), Some(Duration::from_millis(1000)));
        assert_eq!(percentile(&lats, 0), Some(Duration::from_millis(1)));

        let few = ms([1, 2, 3]);
        assert_eq!(percentile(&few, 500), Some(Duration::from_millis(2)));
        assert_eq!(percentile(&few, 999), Some(Duration::from_millis(3)));
        assert_eq!(percentile(&few, 100), Some(Duration::from_millis(1)));
        assert_eq!(percentile(&[], 500), None);
    }

    #[test]
    fn summary_statistics() {
        let s = Summary::new(Duration::from_secs(2), ms([4, 2, 6, 8]), BTreeMap::new());
        assert_eq!(s.ok(), 4);
        assert!((s.requests_per_sec() - 2.0).abs() < 1e-9);
        assert!((s.mean_secs().expect("non-empty") - 0.005).abs() < 1e-12);
        // Deviations 3, 1, 1, 3 ms: sqrt(20/4) ms.
        let expected = 5f64.sqrt() / 1e3;
        assert!((s.stddev_secs().expect("non-empty") - expected).abs() < 1e-12);
        assert_eq!(s.percentile(500), Some(Duration::from_millis(4)));
    }

    #[test]
    fn histogram_counts_every_request_once() {
        let s = Summary::new(
            Duration::from_secs(1),
            ms([1, 1, 2, 5, 10, 10, 11]),
            BTreeMap::new(),
        );
        let h = s.histogram();
        assert_eq!(h.len(), HISTOGRAM_BUCKETS);
        assert_eq!(h.iter().map(|&(_, c)| c).sum::<u64>(), 7);
        assert_eq!(h[0], (Duration::from_millis(2), 3));
        assert_eq!(h[8], (Duration::from_millis(10), 2));
        assert_eq!(h[9], (Duration::from_millis(11), 1));
        // One value (every bucket edge equals it) lands in the first bucket.
        let one = Summary::new(Duration::from_secs(1), ms([3, 3]), BTreeMap::new());
        assert_eq!(one.histogram()[0].1, 2);
    }

    #[test]
    fn json_has_the_fields_scripts_read() {
        let mut errors = BTreeMap::new();
        errors.insert("Unavailable: x".to_string(), 2);
        let s = Summary::new(Duration::from_secs(1), ms(1..=100), errors);
        let json = s.to_json("put", 4, 2, 102);
        assert!(json.starts_with("{\"workload\":\"put\",\"clients\":4,\"conns\":2,"));
        assert!(json.contains("\"ok\":100,\"errors\":2,"));
        assert!(json.contains("\"rps\":100.000,"));
        assert!(json.contains("\"p50_ms\":50.000,"));
        assert!(json.contains("\"p99_ms\":99.000,"));
        assert!(json.contains("\"p999_ms\":100.000,"));
        assert!(json.ends_with(",\"error_kinds\":{\"Unavailable: x\":2}}"));
        let empty = Summary::new(Duration::from_secs(1), Vec::new(), BTreeMap::new());
        assert!(empty.to_json("range", 1, 1, 1).contains("\"p99_ms\":null,"));
        assert!(empty.to_text().contains("Requests/sec:\t0.0000"));
    }

    #[test]
    fn percentile_labels() {
        assert_eq!(permille_label(999), "99.9");
        assert_eq!(permille_label(100), "10");
        assert_eq!(permille_label(250), "25");
    }
}
