//! Comparing v2 answers of etcd 3.4 and oxcd: what legitimately differs between two servers
//! (IDs, ports, expiration times, ticking TTLs) made opaque, everything else kept.

use super::{http_exchange, HttpReply};

/// An answer with what legitimately differs between two servers made opaque: member and
/// cluster IDs, ports, expiration times and TTLs (compared to ±2 s), raft positions.
pub fn normalise(r: &HttpReply, ids: &[(String, &str)]) -> String {
    let mut body = r.body.clone();
    for (from, to) in ids {
        body = body.replace(from.as_str(), to);
    }
    let exp = regex_lite_replace(&body, "\"expiration\":\"", "\"", "<EXP>");
    let ttl = regex_lite_ttl(&exp);
    format!(
        "{} idx={} ct={} allow={} location={} cors={}\n{}",
        r.status,
        r.header("x-etcd-index").unwrap_or("-"),
        r.header("content-type").unwrap_or("-"),
        r.header("allow").unwrap_or("-"),
        r.header("location").unwrap_or("-"),
        r.header("access-control-allow-origin").unwrap_or("-"),
        ttl
    )
}

/// Replaces everything between `start` and the next `end` after it with `with`.
pub fn regex_lite_replace(s: &str, start: &str, end: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i + start.len()]);
        rest = &rest[i + start.len()..];
        let j = rest.find(end).unwrap_or(rest.len());
        out.push_str(with);
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

/// TTLs tick while the steps run: `"ttl":99` and `"ttl":100` both become `"ttl":~100`.
pub fn regex_lite_ttl(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\"ttl\":") {
        out.push_str(&rest[..i + 6]);
        rest = &rest[i + 6..];
        let j = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let n: i64 = rest[..j].parse().unwrap_or(-1);
        out.push_str(&format!("~{}", (n + 5) / 10 * 10));
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

/// The first member's ID, name, peer URL and this client address, with their placeholders.
pub fn member_ids(port: u16) -> Vec<(String, &'static str)> {
    let r = http_exchange(port, "GET", "/v2/members", "application/json", "").expect("members");
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("members json");
    let id = v["members"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let name = v["members"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let peer = v["members"][0]["peerURLs"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut ids = vec![
        (id, "<MEMBER>"),
        (format!("\"{name}\""), "<NAME>"),
        (peer, "<PEER>"),
    ];
    ids.push((format!("127.0.0.1:{port}"), "<CLIENT>"));
    ids
}
