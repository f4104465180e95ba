//! A decoded protobuf message as Go's `encoding/json` prints the Go type behind it, which is what
//! kube-apiserver serves and `kubectl get -o json` prints: field names and `omitempty` from the
//! schema's table, the API machinery's types that marshal themselves (times, quantities,
//! int-or-string, raw JSON, the CRD schema's "or" types), byte fields in base64.

use base64::Engine as _;
use prost_reflect::{DynamicMessage, Kind, MapKey, ReflectMessage, Value};
use serde_json::{Map, Number, Value as Json};

use crate::envelope::{self, Envelope, EnvelopeError};
use crate::schema::Schema;

const META: &str = "k8s.io.apimachinery.pkg.apis.meta.v1.";
const APIEXT_V1: &str = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";
const APIEXT_V1BETA1: &str = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1beta1.";

/// The message as JSON (an object for every message but the self-marshalling ones).
pub(crate) fn message_to_json(schema: &Schema, message: &DynamicMessage) -> Json {
    let descriptor = message.descriptor();
    let name = descriptor.full_name();
    if let Some(json) = custom_json(schema, name, message) {
        return json;
    }
    let mut object = Map::new();
    for field in descriptor.fields() {
        let how = schema.json_field(name, field.name());
        let json_name = how
            .rename
            .clone()
            .unwrap_or_else(|| field.name().to_string());
        let present = message.has_field(&field);
        let is_struct =
            matches!(field.kind(), Kind::Message(_)) && !field.is_list() && !field.is_map();
        let json = if present || (is_struct && !how.pointer) {
            // A struct held by value is always there in Go, written or not.
            let value = message.get_field(&field);
            let json = value_to_json(schema, &value);
            if !how.always && !how.pointer && !is_struct && is_go_empty(&json) {
                continue;
            }
            if is_struct && how.omit_zero && is_zero_message(&value) {
                continue;
            }
            json
        } else if how.always {
            // A nil slice, map or pointer without omitempty; a scalar left out by an old writer
            // is Go's zero value.
            if field.is_list() || field.is_map() || how.pointer {
                Json::Null
            } else {
                value_to_json(schema, &Value::default_value_for_field(&field))
            }
        } else {
            continue;
        };
        if how.inline {
            if let Json::Object(inner) = json {
                object.extend(inner);
            }
        } else {
            object.insert(json_name, json);
        }
    }
    Json::Object(object)
}

/// The object inside an envelope, as JSON, with the envelope's apiVersion and kind.
pub fn envelope_to_json(schema: &Schema, envelope: &Envelope) -> Result<Json, EnvelopeError> {
    if !envelope.content_encoding.is_empty() {
        return Err(EnvelopeError::ContentEncoding(
            envelope.content_encoding.clone(),
        ));
    }
    let descriptor = schema
        .message_for(&envelope.api_version, &envelope.kind)
        .ok_or_else(|| EnvelopeError::UnknownKind {
            api_version: envelope.api_version.clone(),
            kind: envelope.kind.clone(),
        })?;
    let message = DynamicMessage::decode(descriptor, envelope.raw.as_slice()).map_err(|e| {
        EnvelopeError::Object {
            api_version: envelope.api_version.clone(),
            kind: envelope.kind.clone(),
            reason: e.to_string(),
        }
    })?;
    let mut object = serde_json::Map::new();
    object.insert(
        "apiVersion".into(),
        Json::String(envelope.api_version.clone()),
    );
    object.insert("kind".into(), Json::String(envelope.kind.clone()));
    if let Json::Object(fields) = message_to_json(schema, &message) {
        object.extend(fields);
    }
    Ok(Json::Object(object))
}

/// How many objects embedded in objects (a RawExtension holding a whole envelope) are decoded
/// before the rest is shown as bytes.
pub(crate) const MAX_EMBEDDED_OBJECTS: usize = 8;

thread_local! {
    static EMBEDDING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A whole protobuf value (magic, envelope, object) embedded in another as JSON; `Ok(None)` when
/// `bytes` is not one, or when it is nested too deep: every embedded envelope is a fresh decode,
/// so prost's recursion limit does not span them, and a value of objects within objects would
/// otherwise exhaust the stack.
fn decode_protobuf_object(schema: &Schema, bytes: &[u8]) -> Result<Option<Json>, EnvelopeError> {
    let depth = EMBEDDING.with(std::cell::Cell::get);
    if !bytes.starts_with(envelope::PROTOBUF_MAGIC) || depth >= MAX_EMBEDDED_OBJECTS {
        return Ok(None);
    }
    EMBEDDING.with(|d| d.set(depth + 1));
    let decoded = envelope::read_envelope(schema, bytes)
        .and_then(|envelope| envelope_to_json(schema, &envelope));
    EMBEDDING.with(|d| d.set(depth));
    decoded.map(Some)
}

fn is_zero_message(value: &Value) -> bool {
    match value {
        Value::Message(m) => {
            m.fields().next().is_none() || m.fields().all(|(_, v)| is_zero_value(v))
        }
        _ => false,
    }
}

fn is_zero_value(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::I32(n) => *n == 0,
        Value::I64(n) => *n == 0,
        Value::U32(n) => *n == 0,
        Value::U64(n) => *n == 0,
        Value::F32(n) => *n == 0.0,
        Value::F64(n) => *n == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::EnumNumber(n) => *n == 0,
        Value::Message(_) => is_zero_message(value),
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
    }
}

/// What `omitempty` leaves out: false, 0, "", and empty slices and maps.
fn is_go_empty(json: &Json) -> bool {
    match json {
        Json::Null => true,
        Json::Bool(b) => !b,
        Json::Number(n) => n.as_f64() == Some(0.0),
        Json::String(s) => s.is_empty(),
        Json::Array(items) => items.is_empty(),
        Json::Object(entries) => entries.is_empty(),
    }
}

fn value_to_json(schema: &Schema, value: &Value) -> Json {
    match value {
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|item| scalar_to_json(schema, item))
                .collect(),
        ),
        Value::Map(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                object.insert(map_key(key), scalar_to_json(schema, value));
            }
            Json::Object(object)
        }
        other => scalar_to_json(schema, other),
    }
}

fn map_key(key: &MapKey) -> String {
    match key {
        MapKey::Bool(b) => b.to_string(),
        MapKey::I32(n) => n.to_string(),
        MapKey::I64(n) => n.to_string(),
        MapKey::U32(n) => n.to_string(),
        MapKey::U64(n) => n.to_string(),
        MapKey::String(s) => s.clone(),
    }
}

fn scalar_to_json(schema: &Schema, value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::I32(n) => Json::from(*n),
        Value::I64(n) => Json::from(*n),
        Value::U32(n) => Json::from(*n),
        Value::U64(n) => Json::from(*n),
        Value::F32(n) => go_float(f64::from(*n)),
        Value::F64(n) => go_float(*n),
        Value::EnumNumber(n) => Json::from(*n),
        Value::String(s) => Json::String(s.clone()),
        // Go marshals []byte as standard base64.
        Value::Bytes(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Message(m) => message_to_json(schema, m),
        Value::List(_) | Value::Map(_) => Json::Null,
    }
}

/// Go prints a whole float64 without a fraction (`1`, not `1.0`).
fn go_float(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Exact: the value is a whole number well inside i64's range.
        Json::from(n as i64)
    } else {
        Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

fn field_value(message: &DynamicMessage, name: &str) -> Option<Value> {
    let field = message.descriptor().get_field_by_name(name)?;
    message
        .has_field(&field)
        .then(|| message.get_field(&field).into_owned())
}

fn string_field(message: &DynamicMessage, name: &str) -> String {
    match field_value(message, name) {
        Some(Value::String(s)) => s,
        _ => String::new(),
    }
}

fn int_field(message: &DynamicMessage, name: &str) -> i64 {
    match field_value(message, name) {
        Some(Value::I64(n)) => n,
        Some(Value::I32(n)) => i64::from(n),
        _ => 0,
    }
}

fn bytes_field(message: &DynamicMessage, name: &str) -> Vec<u8> {
    match field_value(message, name) {
        Some(Value::Bytes(b)) => b.to_vec(),
        _ => Vec::new(),
    }
}

/// Embedded JSON as its Go type's MarshalJSON returns it: the bytes themselves (`null` when
/// there are none); bytes that are a nested protobuf object are decoded, anything else is shown
/// in base64 rather than breaking the document.
fn raw_json(schema: &Schema, raw: &[u8]) -> Json {
    if raw.is_empty() {
        return Json::Null;
    }
    if let Ok(json) = serde_json::from_slice(raw) {
        return json;
    }
    if let Some(json) = decode_protobuf_object(schema, raw).ok().flatten() {
        return json;
    }
    Json::String(base64::engine::general_purpose::STANDARD.encode(raw))
}

fn custom_json(schema: &Schema, name: &str, message: &DynamicMessage) -> Option<Json> {
    if schema.is_list_wrapper(name) {
        // A nil slice in Go (nothing survives protobuf to tell nil from empty) is `null`.
        return Some(match field_value(message, "items") {
            Some(Value::List(items)) if !items.is_empty() => {
                Json::Array(items.iter().map(|i| scalar_to_json(schema, i)).collect())
            }
            _ => Json::Null,
        });
    }
    let json = if let Some(short) = name.strip_prefix(META) {
        match short {
            "Time" => time_json(message, false),
            "MicroTime" => time_json(message, true),
            "FieldsV1" => raw_json(schema, &bytes_field(message, "Raw")),
            "Duration" => Json::String(go_duration(int_field(message, "duration"))),
            _ => return None,
        }
    } else if let Some(short) = name
        .strip_prefix(APIEXT_V1)
        .or_else(|| name.strip_prefix(APIEXT_V1BETA1))
    {
        match short {
            "JSON" => raw_json(schema, &bytes_field(message, "raw")),
            "JSONSchemaPropsOrArray" => match field_value(message, "jSONSchemas") {
                Some(Value::List(items)) if !items.is_empty() => {
                    Json::Array(items.iter().map(|i| scalar_to_json(schema, i)).collect())
                }
                _ => schema_or_null(schema, message),
            },
            "JSONSchemaPropsOrBool" => match field_value(message, "schema") {
                Some(Value::Message(m)) => message_to_json(schema, &m),
                _ => Json::Bool(matches!(
                    field_value(message, "allows"),
                    Some(Value::Bool(true))
                )),
            },
            "JSONSchemaPropsOrStringArray" => match field_value(message, "property") {
                Some(Value::List(items)) if !items.is_empty() => {
                    Json::Array(items.iter().map(|i| scalar_to_json(schema, i)).collect())
                }
                _ => schema_or_null(schema, message),
            },
            _ => return None,
        }
    } else {
        match name {
            "k8s.io.apimachinery.pkg.api.resource.Quantity" => {
                Json::String(string_field(message, "string"))
            }
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString" => {
                if int_field(message, "type") == 1 {
                    Json::String(string_field(message, "strVal"))
                } else {
                    Json::from(int_field(message, "intVal"))
                }
            }
            "k8s.io.apimachinery.pkg.runtime.RawExtension" => {
                raw_json(schema, &bytes_field(message, "raw"))
            }
            _ => return None,
        }
    };
    Some(json)
}

fn schema_or_null(schema: &Schema, message: &DynamicMessage) -> Json {
    match field_value(message, "schema") {
        Some(Value::Message(m)) => message_to_json(schema, &m),
        _ => Json::Null,
    }
}

/// `metav1.Time` (RFC 3339 to the second, UTC) or `MicroTime` (to the microsecond); the zero
/// time is `null`.
fn time_json(message: &DynamicMessage, micro: bool) -> Json {
    let seconds = int_field(message, "seconds");
    let nanos = int_field(message, "nanos");
    if seconds == 0 && nanos == 0 {
        return Json::Null;
    }
    let (date, clock) = civil_from_unix(seconds);
    let text = if micro {
        format!("{date}T{clock}.{:06}Z", nanos / 1000)
    } else {
        format!("{date}T{clock}Z")
    };
    Json::String(text)
}

/// ("YYYY-MM-DD", "hh:mm:ss") of a Unix time, in the proleptic Gregorian calendar.
pub(crate) fn civil_from_unix(seconds: i64) -> (String, String) {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

/// The Unix time of an RFC 3339 UTC time as the API server writes them ("2018-06-25T11:32:50Z",
/// optionally with a fraction, which is dropped).
pub fn unix_from_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if !text.ends_with('Z') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Go's `time.Duration.String()`: "1h0m0s", "1.5s", "300ms", "0s".
fn go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    if n < 1_000_000_000 {
        let (unit, scale) = match n {
            0..1_000 => return format!("{sign}{n}ns"),
            1_000..1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{sign}{}{unit}", fraction(n, scale));
    }
    let hours = n / 3_600_000_000_000;
    let minutes = n / 60_000_000_000 % 60;
    let seconds = fraction(n % 60_000_000_000, 1_000_000_000);
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{seconds}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{seconds}s")
    } else {
        format!("{sign}{seconds}s")
    }
}

/// `n / scale` with the fraction's trailing zeros removed.
fn fraction(n: u64, scale: u64) -> String {
    let whole = n / scale;
    let part = n % scale;
    if part == 0 {
        return whole.to_string();
    }
    let width = scale.ilog10() as usize;
    let digits = format!("{part:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(300_000_000), "300ms");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(-2_000), "-2µs");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_unix(0), ("1970-01-01".into(), "00:00:00".into()));
        // 2018-06-25T11:32:50Z, the game-config fixture's creation time.
        assert_eq!(
            civil_from_unix(1_529_926_370),
            ("2018-06-25".into(), "11:32:50".into())
        );
        assert_eq!(
            civil_from_unix(951_782_400),
            ("2000-02-29".into(), "00:00:00".into())
        );
    }

    #[test]
    fn rfc3339_round_trips() {
        for seconds in [0, 951_782_400, 1_529_926_370, 1_796_000_000] {
            let (date, clock) = civil_from_unix(seconds);
            assert_eq!(
                unix_from_rfc3339(&format!("{date}T{clock}Z")),
                Some(seconds)
            );
        }
        assert_eq!(
            unix_from_rfc3339("2018-06-25T11:32:50.123456Z"),
            Some(1_529_926_370)
        );
        assert_eq!(unix_from_rfc3339("2018-13-25T11:32:50Z"), None);
        assert_eq!(unix_from_rfc3339("yesterday"), None);
    }

    #[test]
    fn go_floats_print_whole_numbers_bare() {
        assert_eq!(go_float(1.0).to_string(), "1");
        assert_eq!(go_float(0.5).to_string(), "0.5");
    }
}
