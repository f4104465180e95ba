//! etcdctl's text for the records that oxutl's `dump` prints too (a lease's time to live, a
//! member's row, an alarm), so oxutl includes this file as well.

use oxcd_proto::etcdserverpb::{AlarmMember, LeaseTimeToLiveResponse, Member};

/// Go's `%016x` of an int64 (a negative ID keeps its sign inside the width).
pub fn hex_id(id: i64) -> String {
    if id < 0 {
        format!("-{:015x}", id.unsigned_abs())
    } else {
        format!("{id:016x}")
    }
}

/// `lease timetolive`'s line for a lease that exists, with its keys when `with_keys`.
pub fn time_to_live_line(r: &LeaseTimeToLiveResponse, with_keys: bool) -> Vec<u8> {
    let mut out = format!(
        "lease {} granted with TTL({}s), remaining({}s)",
        hex_id(r.id),
        r.granted_ttl,
        r.ttl
    )
    .into_bytes();
    if with_keys {
        // Go's %v of a []string.
        out.extend_from_slice(b", attached keys([");
        for (n, key) in r.keys.iter().enumerate() {
            if n > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(key);
        }
        out.extend_from_slice(b"])");
    }
    out.push(b'\n');
    out
}

/// The columns of `member list -w table`.
pub const MEMBER_HEADER: [&str; 6] = [
    "ID",
    "STATUS",
    "NAME",
    "PEER ADDRS",
    "CLIENT ADDRS",
    "IS LEARNER",
];

/// A member's row in `member list` (its cells joined by ", " in the simple format).
pub fn member_row(m: &Member) -> Vec<String> {
    // etcdctl's STATUS: a member that never published its name has not started.
    let status = if m.name.is_empty() {
        "unstarted"
    } else {
        "started"
    };
    vec![
        format!("{:x}", m.id),
        status.to_string(),
        m.name.clone(),
        m.peer_ur_ls.join(","),
        m.client_ur_ls.join(","),
        m.is_learner.to_string(),
    ]
}

/// Go's `%v` of an `AlarmType`: its name, or the number when it has none.
pub fn alarm_name(alarm: i32) -> String {
    match alarm {
        0 => "NONE".to_string(),
        1 => "NOSPACE".to_string(),
        2 => "CORRUPT".to_string(),
        other => other.to_string(),
    }
}

/// `%+v` of a `*pb.AlarmMember`: gogo's compact text format, each set field followed by a space.
pub fn alarm_text(a: &AlarmMember) -> String {
    let mut out = String::new();
    if a.member_id != 0 {
        out.push_str(&format!("memberID:{} ", a.member_id));
    }
    if a.alarm != 0 {
        out.push_str(&format!("alarm:{} ", alarm_name(a.alarm)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_as_go_does() {
        assert_eq!(hex_id(0x64), "0000000000000064");
        assert_eq!(hex_id(-7), "-000000000000007");
    }
}
