//! Structured logs on stderr in etcd's JSON shape, one object per line:
//! `{"level":"info","ts":"2026-01-02T03:04:05.678Z","caller":"oxcd_server::member","msg":"...", ...fields}`,
//! so the queries operators run on etcd's logs work on oxcd's.

use std::fmt;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

/// Installs the global logger at etcd's `--log-level` (panic and fatal log as error).
/// `OXCD_LOG` (an `EnvFilter` directive) overrides it for debugging.
pub fn init(level: &str) {
    let level = match level {
        "debug" => "debug",
        "info" => "info",
        "warn" => "warn",
        _ => "error",
    };
    let filter = EnvFilter::try_from_env("OXCD_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("{level},h2=warn,hyper=warn,tower=warn")));
    let _ = tracing_subscriber::fmt()
        .event_format(EtcdJson)
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}

struct EtcdJson;

impl<S, N> FormatEvent<S, N> for EtcdJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        let level = match *meta.level() {
            Level::ERROR => "error",
            Level::WARN => "warn",
            Level::INFO => "info",
            Level::DEBUG | Level::TRACE => "debug",
        };
        let mut object = Map::new();
        object.insert("level".into(), level.into());
        object.insert("ts".into(), now_rfc3339().into());
        object.insert("caller".into(), meta.target().into());
        let mut fields = FieldsToJson(Map::new());
        event.record(&mut fields);
        let msg = fields
            .0
            .remove("message")
            .unwrap_or(Value::String(String::new()));
        object.insert("msg".into(), msg);
        object.extend(fields.0);
        writeln!(writer, "{}", Value::Object(object))
    }
}

struct FieldsToJson(Map<String, Value>);

impl Visit for FieldsToJson {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), value.into());
    }
}

/// UTC wall-clock time with milliseconds, as etcd's zap logger prints it.
fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::now_rfc3339;

    /// zap's ISO 8601 time: `2006-01-02T15:04:05.000Z`.
    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let now = now_rfc3339();
        let shape: String = now
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect();
        assert_eq!(shape, "9999-99-99T99:99:99.999Z", "{now}");
    }
}
