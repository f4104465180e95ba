//! etcdctl 3.4's output of the cluster-changing and maintenance commands: `member add|remove|
//! update|promote`, `move-leader`, `endpoint hashkv` and `alarm list|disarm`.
//!
//! etcdctl 3.4 prints some of these only in some formats. Where its printer has no method for a
//! response the format's "not supported" error ends the command (after the call was made); where
//! the method resolves to a nil embedded printer, or dereferences a missing response header,
//! etcdctl crashes with a nil pointer panic (exit 2). Both are reproduced here.

use oxcd_proto::etcdserverpb::{
    AlarmResponse, HashKvResponse, Member, MemberAddResponse, MemberPromoteResponse,
    MemberRemoveResponse, MemberUpdateResponse, MoveLeaderResponse, ResponseHeader,
};
use prost::Message;

use super::gojson;
use super::json;
use super::records::{alarm_name, alarm_text};
use super::{table, Format, Printed, Printer};
use crate::error::{CtlError, CtlResult};
use crate::goformat::quote_bytes;

/// What a Go nil pointer dereference prints before the stack trace, and its exit code. `addr`
/// and `pc` are the ones etcdctl 3.4.23's binary reports for the crash site.
fn nil_dereference(addr: &str, pc: &str) -> CtlError {
    CtlError::raw(
        2,
        format!(
            "panic: runtime error: invalid memory address or nil pointer dereference\n\
             [signal SIGSEGV: segmentation violation code=0x1 addr={addr} pc={pc}]\n\n\
             goroutine 1 [running]:\n"
        ),
    )
}

/// `printerRPC` has no `MemberPromote`; calling it reaches the nil printer embedded at the
/// bottom of every non-simple printer.
fn promote_panic() -> CtlError {
    nil_dereference("0x78", "0xbab2ee")
}

/// `fieldsPrinter.hdr` of a response without a header.
fn fields_header_panic() -> CtlError {
    nil_dereference("0x0", "0xb9181e")
}

fn line(text: String) -> Printed {
    let mut bytes = text.into_bytes();
    bytes.push(b'\n');
    bytes.into()
}

/// Joins already-encoded JSON members into an object.
fn json_object(fields: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("\"{name}\":{v}")))
        .collect();
    format!("{{{}}}", parts.join(","))
}

fn json_members(members: &[Member]) -> Option<String> {
    if members.is_empty() {
        return None;
    }
    let items: Vec<String> = members.iter().map(gojson::member).collect();
    Some(format!("[{}]", items.join(",")))
}

fn nonzero<T: PartialEq + Default + ToString>(value: T) -> Option<String> {
    (value != T::default()).then(|| value.to_string())
}

/// The `"Name" : value` lines of a header in `-w fields`.
fn fields_header(out: &mut String, h: &ResponseHeader) {
    out.push_str(&format!("\"ClusterID\" : {}\n", h.cluster_id));
    out.push_str(&format!("\"MemberID\" : {}\n", h.member_id));
    out.push_str(&format!("\"Revision\" : {}\n", h.revision));
    out.push_str(&format!("\"RaftTerm\" : {}\n", h.raft_term));
}

fn cluster_id(h: &Option<ResponseHeader>) -> u64 {
    h.as_ref().map_or(0, |h| h.cluster_id)
}

/// One line of a membership change in the simple format: Go's `%16x` pads with spaces.
fn member_line(id: u64, what: &str, header: &Option<ResponseHeader>) -> Printed {
    line(format!(
        "Member {id:16x} {what} cluster {:16x}",
        cluster_id(header)
    ))
}

/// A membership response that etcdctl prints as JSON or protobuf and refuses in fields and table.
fn membership_change(
    p: &Printer,
    simple: impl FnOnce() -> Printed,
    json: impl FnOnce() -> String,
    encoded: impl FnOnce() -> Vec<u8>,
) -> CtlResult<Printed> {
    Ok(match p.format {
        Format::Simple => simple(),
        Format::Json => line(json()),
        Format::Protobuf => encoded().into(),
        Format::Fields | Format::Table => return Err(p.format.unsupported()),
    })
}

/// The first line of `member add`; the simple format's environment lines follow separately.
pub fn member_add(p: &Printer, r: &MemberAddResponse) -> CtlResult<Printed> {
    membership_change(
        p,
        || {
            let id = r.member.as_ref().map_or(0, |m| m.id);
            member_line(id, "added to", &r.header)
        },
        || {
            json_object(&[
                ("header", json::header(&r.header)),
                ("member", r.member.as_ref().map(gojson::member)),
                ("members", json_members(&r.members)),
            ])
        },
        || r.encode_to_vec(),
    )
}

fn members_json(header: &Option<ResponseHeader>, members: &[Member]) -> String {
    json_object(&[
        ("header", json::header(header)),
        ("members", json_members(members)),
    ])
}

pub fn member_remove(p: &Printer, id: u64, r: &MemberRemoveResponse) -> CtlResult<Printed> {
    membership_change(
        p,
        || member_line(id, "removed from", &r.header),
        || members_json(&r.header, &r.members),
        || r.encode_to_vec(),
    )
}

pub fn member_update(p: &Printer, id: u64, r: &MemberUpdateResponse) -> CtlResult<Printed> {
    membership_change(
        p,
        || member_line(id, "updated in", &r.header),
        || members_json(&r.header, &r.members),
        || r.encode_to_vec(),
    )
}

/// Only the simple printer knows `MemberPromote`; every other format crashes.
pub fn member_promote(p: &Printer, id: u64, r: &MemberPromoteResponse) -> CtlResult<Printed> {
    match p.format {
        Format::Simple => Ok(member_line(id, "promoted in", &r.header)),
        _ => Err(promote_panic()),
    }
}

/// `Leadership transferred from <leader> to <target>`, IDs as `types.ID` prints them (hex, no
/// padding).
pub fn move_leader(
    p: &Printer,
    leader: u64,
    target: u64,
    r: &MoveLeaderResponse,
) -> CtlResult<Printed> {
    Ok(match p.format {
        Format::Simple => line(format!(
            "Leadership transferred from {leader:x} to {target:x}"
        )),
        Format::Json => line(json_object(&[("header", json::header(&r.header))])),
        Format::Protobuf => r.encode_to_vec().into(),
        Format::Fields | Format::Table => return Err(p.format.unsupported()),
    })
}

/// One row of `endpoint hashkv`.
#[derive(Debug, Clone)]
pub struct EndpointHash {
    pub endpoint: String,
    pub response: HashKvResponse,
}

pub fn endpoint_hashkv(p: &Printer, list: &[EndpointHash]) -> CtlResult<Printed> {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|h| vec![h.endpoint.clone(), h.response.hash.to_string()])
        .collect();
    Ok(match p.format {
        Format::Simple => {
            let text: String = rows.iter().map(|r| format!("{}\n", r.join(", "))).collect();
            text.into_bytes().into()
        }
        Format::Json => {
            // etcd 3.4's HashKVResponse has no hash_revision: it is not printed.
            let items: Vec<String> = list
                .iter()
                .map(|h| {
                    let r = &h.response;
                    let inner = json_object(&[
                        ("header", json::header(&r.header)),
                        ("hash", nonzero(r.hash)),
                        ("compact_revision", nonzero(r.compact_revision)),
                    ]);
                    json_object(&[
                        ("Endpoint", Some(json::string(h.endpoint.as_bytes()))),
                        ("HashKV", Some(inner)),
                    ])
                })
                .collect();
            line(format!("[{}]", items.join(",")))
        }
        Format::Fields => {
            let mut out = String::new();
            for h in list {
                let Some(header) = &h.response.header else {
                    return Err(fields_header_panic());
                };
                fields_header(&mut out, header);
                out.push_str(&format!(
                    "\"Endpoint\" : {}\n",
                    quote_bytes(h.endpoint.as_bytes())
                ));
                out.push_str(&format!("\"Hash\" : {}\n\n", h.response.hash));
            }
            out.into_bytes().into()
        }
        Format::Table => table::render(&["ENDPOINT", "HASH"], &rows)
            .into_bytes()
            .into(),
        Format::Protobuf => return Err(p.format.unsupported()),
    })
}

pub fn alarm(p: &Printer, r: &AlarmResponse) -> CtlResult<Printed> {
    Ok(match p.format {
        Format::Simple => {
            let text: String = r
                .alarms
                .iter()
                .map(|a| format!("{}\n", alarm_text(a)))
                .collect();
            text.into_bytes().into()
        }
        Format::Json => {
            let alarms: Vec<String> = r.alarms.iter().map(gojson::alarm).collect();
            line(json_object(&[
                ("header", json::header(&r.header)),
                (
                    "alarms",
                    (!alarms.is_empty()).then(|| format!("[{}]", alarms.join(","))),
                ),
            ]))
        }
        Format::Fields => {
            // An alarm list comes without a header, and so does a disarm's merged answer.
            let Some(header) = &r.header else {
                return Err(fields_header_panic());
            };
            let mut out = String::new();
            fields_header(&mut out, header);
            for a in &r.alarms {
                out.push_str(&format!("\"MemberID\" : {}\n", a.member_id));
                out.push_str(&format!("\"AlarmType\" : {}\n\n", alarm_name(a.alarm)));
            }
            out.into_bytes().into()
        }
        Format::Protobuf => r.encode_to_vec().into(),
        Format::Table => return Err(p.format.unsupported()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::etcdserverpb::AlarmMember;

    fn printer(format: Format) -> Printer {
        Printer {
            format,
            hex: false,
            value_only: false,
        }
    }

    fn header() -> Option<ResponseHeader> {
        Some(ResponseHeader {
            cluster_id: 0x6a72_2dac_d71d_b70d,
            member_id: 17,
            revision: 0,
            raft_term: 2,
        })
    }

    #[test]
    fn simple_ids_pad_to_sixteen_columns() {
        let r = MemberAddResponse {
            header: header(),
            member: Some(Member {
                id: 0x0b69_3353_4fbc_35af,
                ..Default::default()
            }),
            members: vec![],
        };
        let out = member_add(&printer(Format::Simple), &r).expect("simple");
        assert_eq!(
            String::from_utf8(out.stdout).expect("utf-8"),
            "Member  b6933534fbc35af added to cluster 6a722dacd71db70d\n"
        );
    }

    #[test]
    fn alarms_print_as_compact_text_and_json() {
        let r = AlarmResponse {
            header: None,
            alarms: vec![AlarmMember {
                member_id: 13737338043094546326,
                alarm: 1,
            }],
        };
        let simple = alarm(&printer(Format::Simple), &r).expect("simple").stdout;
        assert_eq!(simple, b"memberID:13737338043094546326 alarm:NOSPACE \n");
        let json = alarm(&printer(Format::Json), &r).expect("json").stdout;
        assert_eq!(
            json,
            b"{\"alarms\":[{\"memberID\":13737338043094546326,\"alarm\":1}]}\n"
        );
        let empty = alarm(&printer(Format::Json), &AlarmResponse::default()).expect("json");
        assert_eq!(empty.stdout, b"{}\n");
        assert_eq!(
            alarm(&printer(Format::Fields), &r).unwrap_err().code,
            2,
            "no header: etcdctl's fields printer crashes"
        );
    }

    #[test]
    fn unsupported_formats() {
        let r = MemberRemoveResponse::default();
        let err = member_remove(&printer(Format::Table), 1, &r).unwrap_err();
        assert_eq!(
            (err.code, err.stderr.as_str()),
            (4, "Error: table not supported as output format\n")
        );
        let err = endpoint_hashkv(&printer(Format::Protobuf), &[]).unwrap_err();
        assert_eq!(err.code, 4);
        let err = member_promote(&printer(Format::Json), 1, &Default::default()).unwrap_err();
        assert_eq!(err.code, 2);
    }
}
