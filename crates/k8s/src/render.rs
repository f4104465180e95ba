//! Objects printed as kubectl prints them: `-o json` is Go's `json.MarshalIndent` with four spaces
//! over the object's map (keys sorted, `<>&` escaped as Go escapes them); `-o yaml` is what
//! `sigs.k8s.io/yaml` makes of that JSON (go-yaml v2's style: sorted keys, sequences at their
//! key's indentation, multi-line strings as literal blocks, quotes only where a plain scalar would
//! read back as something else).

use serde_json::Value as Json;

/// `kubectl get -o json`, with the final newline.
pub fn to_json(value: &Json) -> String {
    let mut out = String::new();
    write_json(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_json(value: &Json, depth: usize, out: &mut String) {
    let pad = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("    ", depth));
    match value {
        Json::Object(map) if !map.is_empty() => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push_str("{\n");
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(out, depth + 1);
                write_json_string(key, out);
                out.push_str(": ");
                write_json(value, depth + 1, out);
            }
            out.push('\n');
            pad(out, depth);
            out.push('}');
        }
        Json::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(out, depth + 1);
                write_json(item, depth + 1, out);
            }
            out.push('\n');
            pad(out, depth);
            out.push(']');
        }
        Json::Object(_) => out.push_str("{}"),
        Json::Array(_) => out.push_str("[]"),
        Json::String(s) => write_json_string(s, out),
        Json::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
            Some(f) => out.push_str(&go_json_float(f)),
            None => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
}

/// Go's `encoding/json` float64: plain decimal from 1e-6 to 1e21, exponent form outside
/// (`1e-7`, `1e+21`), shortest digits that read back the same.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        return exponent_form(f, 1);
    }
    format!("{f}")
}

/// What kubectl's YAML shows for a float64 that came through JSON: a whole number as an
/// integer (JSON kept no fraction), anything else as Go's `%g` with shortest digits
/// (`0.5`, `1.2345675e+06`, `1e-05`).
fn go_yaml_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return format!("{f}");
    }
    let exponent = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if !(-4..6).contains(&exponent) {
        return exponent_form(f, 2);
    }
    format!("{f}")
}

/// `d.ddde±XX` with the shortest digits, the exponent signed and at least `width` digits.
fn exponent_form(f: f64, width: usize) -> String {
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(digits) => ('-', digits),
        None => ('+', exponent),
    };
    format!("{mantissa}e{sign}{digits:0>width$}")
}

fn write_json_string(s: &str, out: &mut String) {
    out.push_str(&oxcd_proto::go_json::go_json_string(s.as_bytes()));
}

/// `kubectl get -o yaml`.
pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    match value {
        Json::Object(map) if !map.is_empty() => write_mapping(map, 0, &mut out),
        Json::Array(items) if !items.is_empty() => write_sequence(items, 0, &mut out),
        scalar => {
            write_value_after_key(scalar, 0, &mut out);
            // A top-level scalar has no key before it: drop the separating space.
            out.remove(0);
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_mapping(map: &serde_json::Map<String, Json>, at: usize, out: &mut String) {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (key, value)) in entries.into_iter().enumerate() {
        // The first entry of a mapping inside a sequence item follows its "- ".
        if i > 0 || !out.ends_with("- ") {
            indent(out, at);
        }
        // A key is a simple key: never folded.
        out.push_str(&scalar_string(key, at, None));
        out.push(':');
        write_value_after_key(value, at, out);
    }
}

fn write_value_after_key(value: &Json, at: usize, out: &mut String) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_mapping(map, at + 2, out);
        }
        // go-yaml v2 puts a mapping's sequence at the key's own indentation.
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(items, at, out);
        }
        scalar => {
            out.push(' ');
            write_scalar(scalar, at, out);
        }
    }
}

/// A scalar (or empty collection) where `out`'s last line ends, and the line's end.
fn write_scalar(value: &Json, at: usize, out: &mut String) {
    match value {
        Json::Object(_) => out.push_str("{}"),
        Json::Array(_) => out.push_str("[]"),
        Json::String(s) => {
            let column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
            let column = out[out.len() - column..].chars().count();
            out.push_str(&scalar_string(s, at, Some(column)));
        }
        Json::Null => out.push_str("null"),
        Json::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
            Some(f) => out.push_str(&go_yaml_float(f)),
            None => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
    out.push('\n');
}

fn write_sequence(items: &[Json], at: usize, out: &mut String) {
    for item in items {
        if !out.ends_with("- ") {
            indent(out, at);
        }
        out.push_str("- ");
        match item {
            Json::Object(map) if !map.is_empty() => write_mapping(map, at + 2, out),
            Json::Array(inner) if !inner.is_empty() => write_sequence(inner, at + 2, out),
            scalar => write_scalar(scalar, at, out),
        }
    }
}

/// go-yaml's preferred line width: a longer scalar is folded at a space past it.
const BEST_WIDTH: usize = 80;

/// A string as go-yaml v2 writes it: a literal block for several lines, double quotes where the
/// plain form would read back as another type, single quotes where YAML's syntax forbids plain.
/// `column` is where it starts on its line when it may be folded (not for keys); folded lines
/// continue at `at + 2`.
fn scalar_string(s: &str, at: usize, column: Option<usize>) -> String {
    if s.contains('\n') && literal_allowed(s) {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        // Content that starts with a space or a break says its indentation explicitly.
        let indentation = if s.starts_with([' ', '\n']) { "2" } else { "" };
        let mut block = format!("|{indentation}{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            block.push('\n');
            if !line.is_empty() {
                indent(&mut block, at + 2);
                block.push_str(line);
            }
        }
        return block;
    }
    let style = if !printable(s) || s.contains('\n') || resolves_to_non_string(s) {
        Style::Double
    } else if plain_allowed(s) {
        Style::Plain
    } else {
        Style::Single
    };
    fold(s, style, at + 2, column)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's scalar writers: a space may become a line break (and the next line's indentation)
/// once the line is past the preferred width, if it does not start or end the text and is not
/// one of several spaces (a double-quoted run of spaces breaks with an escaping backslash).
fn fold(s: &str, style: Style, continuation: usize, column: Option<usize>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut col = column.unwrap_or(0);
    let put = |out: &mut String, text: &str, col: &mut usize| {
        out.push_str(text);
        *col += text.chars().count();
    };
    match style {
        Style::Single => put(&mut out, "'", &mut col),
        Style::Double => put(&mut out, "\"", &mut col),
        Style::Plain => {}
    }
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_is_space = chars.get(i + 1) == Some(&' ');
            let inside = i != 0 && i != chars.len() - 1;
            let may_break = column.is_some()
                && !spaces
                && col > BEST_WIDTH
                && match style {
                    Style::Plain => !next_is_space,
                    Style::Single => inside && !next_is_space,
                    Style::Double => inside,
                };
            if may_break {
                out.push('\n');
                col = 0;
                let pad = " ".repeat(continuation);
                put(&mut out, &pad, &mut col);
                if style == Style::Double && next_is_space {
                    put(&mut out, "\\", &mut col);
                }
            } else {
                put(&mut out, " ", &mut col);
            }
            spaces = true;
            continue;
        }
        spaces = false;
        match (style, c) {
            (Style::Single, '\'') => put(&mut out, "''", &mut col),
            (Style::Double, _) => put(&mut out, &double_quoted_char(c), &mut col),
            _ => {
                let mut buf = [0; 4];
                put(&mut out, c.encode_utf8(&mut buf), &mut col);
            }
        }
    }
    match style {
        Style::Single => put(&mut out, "'", &mut col),
        Style::Double => put(&mut out, "\"", &mut col),
        Style::Plain => {}
    }
    out
}

/// go-yaml's `is_printable`: line feed, printable ASCII, and the BMP from U+00A0 but for
/// surrogates, U+FEFF, U+FFFE and U+FFFF. Tabs, other controls and characters beyond the BMP
/// are not: a string holding one is written double-quoted, with escapes.
fn printable_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

fn printable(s: &str) -> bool {
    s.chars().all(printable_char)
}

/// libyaml's `block_allowed`: no special character, no space before a line break, no trailing
/// space.
fn literal_allowed(s: &str) -> bool {
    printable(s) && !s.contains(" \n") && !s.ends_with(' ')
}

/// One character inside double quotes, escaped as go-yaml escapes it.
fn double_quoted_char(c: char) -> String {
    let escape = match c {
        '\0' => "\\0",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\t' => "\\t",
        '\n' => "\\n",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        '\r' => "\\r",
        '\u{1b}' => "\\e",
        '"' => "\\\"",
        '\\' => "\\\\",
        '\u{85}' => "\\N",
        '\u{2028}' => "\\L",
        '\u{2029}' => "\\P",
        c if printable_char(c) && c != '\u{feff}' => return c.to_string(),
        c => {
            let code = u32::from(c);
            return if code <= 0xff {
                format!("\\x{code:02X}")
            } else if code <= 0xffff {
                format!("\\u{code:04X}")
            } else {
                format!("\\U{code:08X}")
            };
        }
    };
    escape.to_string()
}

/// What YAML 1.1 (go-yaml v2's resolver) reads as null, a bool, a number or a timestamp.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = unsigned.replace('_', "");
    let is_int = !digits.is_empty()
        && (digits.bytes().all(|b| b.is_ascii_digit())
            || digits
                .strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
            || digits
                .strip_prefix("0o")
                .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)))
            || digits
                .strip_prefix("0b")
                .is_some_and(|b| !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1')));
    if is_int || (unsigned.contains(':') && sexagesimal(unsigned)) {
        return true;
    }
    if is_float(&digits) {
        return true;
    }
    timestamp(s)
}

fn sexagesimal(s: &str) -> bool {
    let mut parts = s.split(':');
    parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts.all(|p| {
            let p = p.split('.').next().unwrap_or(p);
            !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())
        })
}

fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut seen_digit = false;
    let mut seen_dot = false;
    for b in mantissa.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_dot => seen_dot = true,
            _ => return false,
        }
    }
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    seen_digit && (seen_dot || exponent.is_some()) && exponent_ok
}

/// YAML's timestamp forms: a date, optionally with a time (the resolver turns these into times).
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let date = b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b.get(5).is_some_and(u8::is_ascii_digit);
    if !date {
        return false;
    }
    let rest = &s[4..];
    let mut parts = rest.splitn(3, '-');
    let _ = parts.next();
    let month = parts.next().unwrap_or("");
    let day_and_time = parts.next().unwrap_or("");
    let day: String = day_and_time
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (1..=2).contains(&month.len())
        && month.bytes().all(|b| b.is_ascii_digit())
        && (1..=2).contains(&day.len())
        && {
            let time = &day_and_time[day.len()..];
            time.is_empty() || time.starts_with(['T', 't', ' ', '\t'])
        }
}

/// Whether libyaml's emitter lets `s` stand unquoted in block context.
fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with('\t') || s.ends_with('\t') {
        return false;
    }
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && (s.len() == 1 || s[1..].starts_with([' ', '\t'])) {
        return false;
    }
    if s.ends_with(':') || s.contains(": ") || s.contains(" #") || s.contains(":\t") {
        return false;
    }
    !s.starts_with("---") && !s.starts_with("...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_go_marshal_indent_with_sorted_keys() {
        let value = json!({"kind": "ConfigMap", "apiVersion": "v1", "data": {"a": "<b>&"}, "e": [], "o": {}});
        assert_eq!(
            to_json(&value),
            "{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"a\": \"\\u003cb\\u003e\\u0026\"\n    },\n    \"e\": [],\n    \"kind\": \"ConfigMap\",\n    \"o\": {}\n}\n"
        );
    }

    #[test]
    fn yaml_in_go_yaml_style() {
        let value = json!({
            "metadata": {"name": "x", "resourceVersion": "218", "labels": {"app": "web"}},
            "data": {"multi": "a\nb\n", "nonl": "a\nb", "colon": "a: b", "empty": "", "ts": "2018-06-25T11:32:50Z", "yes": "yes", "num": "1.5"},
            "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}], "args": ["-x", "y"], "n": 3, "f": true, "z": null}
        });
        let expected = "\
data:
  colon: 'a: b'
  empty: \"\"
  multi: |
    a
    b
  nonl: |-
    a
    b
  num: \"1.5\"
  ts: \"2018-06-25T11:32:50Z\"
  \"yes\": \"yes\"
metadata:
  labels:
    app: web
  name: x
  resourceVersion: \"218\"
spec:
  args:
  - -x
  - \"y\"
  containers:
  - name: c
    ports:
    - containerPort: 80
  f: true
  \"n\": 3
  z: null
";
        assert_eq!(to_yaml(&value), expected);
        let back: Json = serde_yaml_ng::from_str(expected).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn floats_are_printed_as_go_prints_them() {
        for (f, json, yaml) in [
            (0.5, "0.5", "0.5"),
            (1.0, "1", "1"),
            (1234567.5, "1234567.5", "1.2345675e+06"),
            (1e-7, "1e-7", "1e-07"),
            (0.0001, "0.0001", "0.0001"),
            (0.00001, "0.00001", "1e-05"),
            (1e21, "1e+21", "1e+21"),
            (-2.5e-10, "-2.5e-10", "-2.5e-10"),
        ] {
            assert_eq!(go_json_float(f), json, "{f} in JSON");
            assert_eq!(go_yaml_float(f), yaml, "{f} in YAML");
        }
    }

    #[test]
    fn yaml_reads_back_as_the_same_strings() {
        for s in [
            "0x1F",
            "1e3",
            "-",
            "- a",
            "? x",
            "#c",
            "a #b",
            "~",
            "Off",
            "12:30",
            "2024-01-02",
            "  lead",
            "trail ",
            "it's",
            "tab\there",
            "ctl\u{1}",
            "%x",
            "@x",
            "`x",
            "x:",
            "a\n b\n",
            "--- x",
            "\"q\"",
            "{a}",
            "[a]",
            "*a",
            "&a",
            "!a",
            "|a",
            ">a",
            "'",
            "1_000",
            "+1",
            ".5",
        ] {
            let value = json!({ "k": s });
            let text = to_yaml(&value);
            let back: Json =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{s:?} as {text:?}: {e}"));
            assert_eq!(back, value, "{s:?} printed as {text:?}");
        }
    }
}

#[cfg(test)]
mod kubectl_tests {
    /// testdata/long-strings.kubectl.yaml is what kubectl 1.37 printed for long-strings.json
    /// (`kubectl patch --local --type merge -p '{}' -o yaml -f`): long strings folded at 80
    /// columns in mappings and sequences, quoted ones too, runs of spaces never broken.
    #[test]
    fn long_strings_fold_as_kubectl_folds_them() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let object: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("long-strings.json")).unwrap())
                .unwrap();
        let expected = std::fs::read_to_string(dir.join("long-strings.kubectl.yaml")).unwrap();
        assert_eq!(super::to_yaml(&object), expected);
        let back: serde_json::Value = serde_yaml_ng::from_str(&expected).unwrap();
        assert_eq!(back, object);
    }
}
