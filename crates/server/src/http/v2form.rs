//! Go's `Request.ParseForm` as the v2 API sees it: body values (for PUT and POST with a
//! url-encoded body) first, then the query's, with Go's errors for bad escapes and `;`
//! separators, so a malformed form gets etcd's exact `Invalid POST form` cause.

/// A parsed form: every value of every key, in order.
#[derive(Debug, Default)]
pub struct Form {
    values: Vec<(String, String)>,
}

impl Form {
    /// Parses the query and, for PUT and POST, a url-encoded body; the first error found (body
    /// before query) is Go's `ParseForm` error, the values parsed anyway are kept as Go keeps
    /// them.
    pub fn parse(
        method: &str,
        content_type: Option<&str>,
        body: &[u8],
        query: &str,
    ) -> (Form, Option<String>) {
        let mut form = Form::default();
        let mut error = None;
        if method == "PUT" || method == "POST" || method == "PATCH" {
            let media_type = content_type
                .unwrap_or("application/octet-stream")
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if media_type.is_empty() {
                error = Some("mime: no media type".to_string());
            } else if media_type == "application/x-www-form-urlencoded" {
                let text = String::from_utf8_lossy(body);
                error = parse_query(&text, &mut form.values);
            }
        }
        let query_error = parse_query(query, &mut form.values);
        (form, error.or(query_error))
    }

    /// The first value of `key` (Go's `FormValue`: empty when absent).
    pub fn value(&self, key: &str) -> &str {
        self.first(key).unwrap_or_default()
    }

    /// The first value of `key`, if the key is present at all.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, key: &str) -> bool {
        self.first(key).is_some()
    }

    /// Go's `strconv.ParseBool` of the first value: absent is false, a bad value none.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.first(key) {
            None => Some(false),
            Some("1" | "t" | "T" | "TRUE" | "true" | "True") => Some(true),
            Some("0" | "f" | "F" | "FALSE" | "false" | "False") => Some(false),
            Some(_) => None,
        }
    }

    /// Go's `strconv.ParseUint(v, 10, 64)` of the first value: absent is 0, a bad value none.
    pub fn uint(&self, key: &str) -> Option<u64> {
        match self.first(key) {
            None => Some(0),
            Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v.parse().ok(),
            Some(_) => None,
        }
    }
}

/// Go's `url.ParseQuery` into `out`: the first error, if any; bad pairs are skipped.
fn parse_query(query: &str, out: &mut Vec<(String, String)>) -> Option<String> {
    let mut error = None;
    for pair in query.split('&') {
        if pair.contains(';') {
            error.get_or_insert_with(|| "invalid semicolon separator in query".to_string());
            continue;
        }
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (unescape(key), unescape(value)) {
            (Ok(k), Ok(v)) => out.push((k, v)),
            (Err(e), _) | (_, Err(e)) => {
                error.get_or_insert(e);
            }
        }
    }
    error
}

/// Go's `url.QueryUnescape`: `+` is a space, `%XX` a byte; a bad escape is Go's error text.
pub fn unescape(s: &str) -> Result<String, String> {
    match percent_decode(s, true) {
        (out, None) => Ok(out),
        (_, Some(bad)) => Err(format!("invalid URL escape {}", go_quote(&bad))),
    }
}

/// A request path decoded as the server hands it on (`+` stays a plus). Go's server refuses a
/// path with a bad escape before any handler; here such an escape is kept as it is.
pub fn path_unescape(raw: &str) -> String {
    percent_decode(raw, false).0
}

/// `%XX` escapes decoded (and `+` as a space if asked); the first bad escape, if any, is
/// reported and kept literally.
fn percent_decode(s: &str, plus_is_space: bool) -> (String, Option<String>) {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut bad = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                match hex {
                    Some(h) => {
                        let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                        out.push(digit(h[0]) * 16 + digit(h[1]));
                        i += 3;
                    }
                    None => {
                        let end = (i + 3).min(bytes.len());
                        bad.get_or_insert_with(|| {
                            String::from_utf8_lossy(&bytes[i..end]).into_owned()
                        });
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), bad)
}

/// Go's `strconv.Quote` for the printable ASCII an escape error shows.
fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_values_come_before_query_values() {
        let (form, err) = Form::parse(
            "PUT",
            Some("application/x-www-form-urlencoded"),
            b"value=body&ttl=5",
            "value=query&dir=true",
        );
        assert_eq!(err, None);
        assert_eq!(form.value("value"), "body");
        assert_eq!(form.value("ttl"), "5");
        assert_eq!(form.bool("dir"), Some(true));
        assert!(!form.has("prevExist"));
    }

    #[test]
    fn go_errors_for_bad_forms() {
        let (_, err) = Form::parse("GET", None, b"", "a=%zz");
        assert_eq!(err.as_deref(), Some("invalid URL escape \"%zz\""));
        let (_, err) = Form::parse("GET", None, b"", "a=%a");
        assert_eq!(err.as_deref(), Some("invalid URL escape \"%a\""));
        let (form, err) = Form::parse("GET", None, b"", "a=1;b=2&c=3");
        assert_eq!(err.as_deref(), Some("invalid semicolon separator in query"));
        assert_eq!(form.value("c"), "3");
        let (form, _) = Form::parse(
            "DELETE",
            Some("application/x-www-form-urlencoded"),
            b"x=1",
            "",
        );
        assert!(
            !form.has("x"),
            "Go parses a body only for PUT, POST and PATCH"
        );
        assert_eq!(
            Form::parse("GET", None, b"", "v=a+b%21").0.value("v"),
            "a b!"
        );
    }

    #[test]
    fn numbers_and_bools_as_go_parses_them() {
        let (form, _) = Form::parse("GET", None, b"", "n=12&bad=1x&neg=-1&b=T&bb=yes");
        assert_eq!(form.uint("n"), Some(12));
        assert_eq!(form.uint("absent"), Some(0));
        assert!(form.uint("bad").is_none());
        assert!(form.uint("neg").is_none());
        assert_eq!(form.bool("b"), Some(true));
        assert!(form.bool("bb").is_none());
    }
}
