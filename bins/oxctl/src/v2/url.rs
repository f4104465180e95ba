//! The URLs etcd's v2 client builds, with Go's `net/url` rules where they show: endpoint
//! parsing (and its errors), path escaping, sorted query encoding and `path.Clean`.

/// An endpoint as `url.Parse` reads it; `text` is what `URL.String()` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: String,
    /// `host:port` (or `host`), as written.
    pub host: String,
    /// The path, unescaped.
    pub path: String,
    pub text: String,
}

impl Endpoint {
    /// The endpoint with `path` (unescaped) and `query` (already encoded) in place of its own.
    pub fn with(&self, path: &str, query: &str) -> String {
        let mut url = format!("{}://{}{}", self.scheme, self.host, escape_path(path));
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

/// `url.Parse` as etcdctl meets it: `scheme://host[:port][/path]`, or `scheme:opaque` (which
/// no request can use), or a relative path (an empty scheme).
pub fn parse_endpoint(text: &str) -> Result<Endpoint, String> {
    let quoted = crate::goformat::quote_str(text);
    let scheme_end = text.find(':');
    let scheme = match scheme_end {
        Some(0) => return Err(format!("parse {quoted}: missing protocol scheme")),
        Some(at)
            if text[..at].chars().enumerate().all(|(i, c)| {
                c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
            }) =>
        {
            Some(&text[..at])
        }
        Some(at) if !text[..at].contains('/') => {
            return Err(format!(
                "parse {quoted}: first path segment in URL cannot contain colon"
            ))
        }
        _ => None,
    };
    let Some(scheme) = scheme else {
        // No scheme: a relative path (etcdctl then puts `http://` before it).
        return Ok(Endpoint {
            scheme: String::new(),
            host: String::new(),
            path: text.to_string(),
            text: text.to_string(),
        });
    };
    let rest = &text[scheme.len() + 1..];
    let scheme = scheme.to_ascii_lowercase();
    let Some(authority_and_path) = rest.strip_prefix("//") else {
        return Ok(Endpoint {
            scheme: scheme.clone(),
            host: String::new(),
            path: String::new(),
            text: format!("{scheme}:{rest}"),
        });
    };
    let (authority, path) = match authority_and_path.find('/') {
        Some(at) => authority_and_path.split_at(at),
        None => (authority_and_path, ""),
    };
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .to_string();
    Ok(Endpoint {
        text: format!("{scheme}://{host}{path}"),
        scheme,
        host,
        path: path.to_string(),
    })
}

/// Go's `url.PathEscape`-like escaping of a URL path (`shouldEscape(c, encodePath)`).
pub fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Go's `url.QueryEscape`: spaces become `+`.
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Go's `url.Values.Encode`: sorted by key.
pub fn encode_query(pairs: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = pairs.iter().collect();
    sorted.sort_by_key(|(k, _)| *k);
    sorted
        .iter()
        .map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Go's `path.Clean`.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// etcd's `pathutil.CanonicalURLPath`: cleaned, rooted, a trailing slash kept.
pub fn canonical(path: &str) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    let rooted = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let mut cleaned = clean(&rooted);
    if rooted.ends_with('/') && cleaned != "/" {
        cleaned.push('/');
    }
    cleaned
}

/// Go's `path.Join`.
pub fn join(a: &str, b: &str) -> String {
    let joined = match (a.is_empty(), b.is_empty()) {
        (true, true) => return String::new(),
        (true, false) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{b}"),
    };
    clean(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_as_go_parses_them() {
        let e = parse_endpoint("http://127.0.0.1:2379").expect("valid");
        assert_eq!(
            (e.host.as_str(), e.text.as_str()),
            ("127.0.0.1:2379", "http://127.0.0.1:2379")
        );
        assert_eq!(
            parse_endpoint("127.0.0.1:1").unwrap_err(),
            "parse \"127.0.0.1:1\": first path segment in URL cannot contain colon"
        );
        assert_eq!(
            parse_endpoint("localhost:1").expect("opaque").scheme,
            "localhost"
        );
    }

    #[test]
    fn paths_are_canonical_and_escaped() {
        assert_eq!(canonical("/v2/keys/a/../b/"), "/v2/keys/b/");
        assert_eq!(canonical("/v2/keys/"), "/v2/keys/");
        assert_eq!(escape_path("/a b?c"), "/a%20b%3Fc");
        assert_eq!(
            encode_query(&[("sorted", "false".into()), ("quorum", "a b".into())]),
            "quorum=a+b&sorted=false"
        );
        assert_eq!(join("/v2/members", "/leader"), "/v2/members/leader");
    }
}
