//! etcdctl's output of the lease commands in every format.
//!
//! clientv3 wraps lease responses in structs that embed `*pb.ResponseHeader`, and etcdctl prints
//! those structs: in JSON the header's fields sit at the top level; in protobuf only the embedded
//! header marshals (and a revoke response, which embeds nothing, cannot be printed).

use oxcd_proto::etcdserverpb::{
    LeaseGrantResponse, LeaseKeepAliveResponse, LeaseLeasesResponse, LeaseRevokeResponse,
    LeaseTimeToLiveResponse, ResponseHeader,
};
use prost::Message;

use super::gojson::time_to_live_fields;
use super::json::string as json_string;
pub use super::records::hex_id;
use super::records::time_to_live_line;
use super::{Format, Printed, Printer};
use crate::error::{CtlError, CtlResult, EXIT_BAD_FEATURE};
use crate::goformat::quote_bytes;

/// The embedded header's JSON fields (`omitempty`), each followed by a comma.
fn flat_header(h: &Option<ResponseHeader>) -> String {
    let h = h.unwrap_or_default();
    let mut out = String::new();
    if h.cluster_id != 0 {
        out.push_str(&format!("\"cluster_id\":{},", h.cluster_id));
    }
    if h.member_id != 0 {
        out.push_str(&format!("\"member_id\":{},", h.member_id));
    }
    if h.revision != 0 {
        out.push_str(&format!("\"revision\":{},", h.revision));
    }
    if h.raft_term != 0 {
        out.push_str(&format!("\"raft_term\":{},", h.raft_term));
    }
    out
}

fn fields_header(out: &mut String, h: &Option<ResponseHeader>) {
    let h = h.unwrap_or_default();
    out.push_str(&format!("\"ClusterID\" : {}\n", h.cluster_id));
    out.push_str(&format!("\"MemberID\" : {}\n", h.member_id));
    out.push_str(&format!("\"Revision\" : {}\n", h.revision));
    out.push_str(&format!("\"RaftTerm\" : {}\n", h.raft_term));
}

/// What `-w protobuf` prints for a response embedding the header: the header alone.
fn header_protobuf(h: &Option<ResponseHeader>) -> Printed {
    h.unwrap_or_default().encode_to_vec().into()
}

fn text(s: String) -> Printed {
    s.into_bytes().into()
}

/// The golang/protobuf compact text of a header (`%v` of the message), as in etcdctl's
/// "marshal unsupported" error.
fn header_text(h: &Option<ResponseHeader>) -> String {
    let h = h.unwrap_or_default();
    let mut out = String::new();
    if h.cluster_id != 0 {
        out.push_str(&format!("cluster_id:{} ", h.cluster_id));
    }
    if h.member_id != 0 {
        out.push_str(&format!("member_id:{} ", h.member_id));
    }
    if h.revision != 0 {
        out.push_str(&format!("revision:{} ", h.revision));
    }
    if h.raft_term != 0 {
        out.push_str(&format!("raft_term:{} ", h.raft_term));
    }
    out
}

impl Printer {
    pub fn lease_grant(&self, r: &LeaseGrantResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => text(format!(
                "lease {} granted with TTL({}s)\n",
                hex_id(r.id),
                r.ttl
            )),
            Format::Json => text(format!(
                "{{{}\"ID\":{},\"TTL\":{},\"Error\":{}}}\n",
                flat_header(&r.header),
                r.id,
                r.ttl,
                json_string(r.error.as_bytes())
            )),
            Format::Fields => {
                let mut out = String::new();
                fields_header(&mut out, &r.header);
                out.push_str(&format!("\"ID\" : {}\n\"TTL\" : {}\n", r.id, r.ttl));
                text(out)
            }
            Format::Protobuf => header_protobuf(&r.header),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn lease_revoke(&self, id: i64, r: &LeaseRevokeResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => text(format!("lease {} revoked\n", hex_id(id))),
            Format::Json => text(format!(
                "{{\"header\":{{{}}}}}\n",
                flat_header(&r.header).trim_end_matches(',')
            )),
            Format::Fields => {
                let mut out = String::new();
                fields_header(&mut out, &r.header);
                text(out)
            }
            Format::Protobuf => {
                return Err(CtlError::new(
                    EXIT_BAD_FEATURE,
                    format!(
                        "marshal unsupported for type clientv3.LeaseRevokeResponse ({{{}}})",
                        header_text(&r.header)
                    ),
                ))
            }
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn lease_keep_alive(&self, r: &LeaseKeepAliveResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => text(format!(
                "lease {} keepalived with TTL({})\n",
                hex_id(r.id),
                r.ttl
            )),
            Format::Json => text(format!(
                "{{{}\"ID\":{},\"TTL\":{}}}\n",
                flat_header(&r.header),
                r.id,
                r.ttl
            )),
            Format::Fields => {
                let mut out = String::new();
                fields_header(&mut out, &r.header);
                out.push_str(&format!("\"ID\" : {}\n\"TTL\" : {}\n", r.id, r.ttl));
                text(out)
            }
            Format::Protobuf => header_protobuf(&r.header),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn lease_time_to_live(
        &self,
        r: &LeaseTimeToLiveResponse,
        with_keys: bool,
    ) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => {
                if r.granted_ttl == 0 && r.ttl == -1 {
                    return Ok(text(format!("lease {} already expired\n", hex_id(r.id))));
                }
                time_to_live_line(r, with_keys).into()
            }
            Format::Json => text(format!(
                "{{{}{}}}\n",
                flat_header(&r.header),
                time_to_live_fields(r)
            )),
            Format::Fields => {
                let mut out = String::new();
                fields_header(&mut out, &r.header);
                out.push_str(&format!(
                    "\"ID\" : {}\n\"TTL\" : {}\n\"GrantedTTL\" : {}\n",
                    r.id, r.ttl, r.granted_ttl
                ));
                for key in &r.keys {
                    out.push_str(&format!("\"Key\" : {}\n", quote_bytes(key)));
                }
                text(out)
            }
            Format::Protobuf => header_protobuf(&r.header),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn lease_list(&self, r: &LeaseLeasesResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => {
                let mut out = format!("found {} leases\n", r.leases.len());
                for lease in &r.leases {
                    out.push_str(&format!("{}\n", hex_id(lease.id)));
                }
                text(out)
            }
            Format::Json => {
                let items: Vec<String> = r
                    .leases
                    .iter()
                    .map(|l| format!("{{\"id\":{}}}", l.id))
                    .collect();
                text(format!(
                    "{{{}\"leases\":[{}]}}\n",
                    flat_header(&r.header),
                    items.join(",")
                ))
            }
            Format::Fields => {
                let mut out = String::new();
                fields_header(&mut out, &r.header);
                for lease in &r.leases {
                    out.push_str(&format!("\"ID\" : {}\n", lease.id));
                }
                text(out)
            }
            Format::Protobuf => header_protobuf(&r.header),
            Format::Table => return Err(self.format.unsupported()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printer(format: Format) -> Printer {
        Printer {
            format,
            hex: false,
            value_only: false,
        }
    }

    fn header() -> Option<ResponseHeader> {
        Some(ResponseHeader {
            cluster_id: 1,
            member_id: 2,
            revision: 3,
            raft_term: 4,
        })
    }

    #[test]
    fn time_to_live_in_each_format() {
        let r = LeaseTimeToLiveResponse {
            header: header(),
            id: 100,
            ttl: 299,
            granted_ttl: 300,
            keys: vec![b"k2".to_vec(), b"el/64".to_vec()],
        };
        let simple = printer(Format::Simple)
            .lease_time_to_live(&r, true)
            .unwrap();
        assert_eq!(
            String::from_utf8(simple.stdout).unwrap(),
            "lease 0000000000000064 granted with TTL(300s), remaining(299s), attached keys([k2 el/64])\n"
        );
        let json = printer(Format::Json).lease_time_to_live(&r, true).unwrap();
        assert_eq!(
            String::from_utf8(json.stdout).unwrap(),
            "{\"cluster_id\":1,\"member_id\":2,\"revision\":3,\"raft_term\":4,\"id\":100,\"ttl\":299,\"granted-ttl\":300,\"keys\":[\"azI=\",\"ZWwvNjQ=\"]}\n"
        );
        let expired = LeaseTimeToLiveResponse {
            header: header(),
            id: 0x999,
            ttl: -1,
            granted_ttl: 0,
            keys: vec![],
        };
        let simple = printer(Format::Simple)
            .lease_time_to_live(&expired, false)
            .unwrap();
        assert_eq!(
            String::from_utf8(simple.stdout).unwrap(),
            "lease 0000000000000999 already expired\n"
        );
    }

    #[test]
    fn revoke_cannot_print_as_protobuf() {
        let err = printer(Format::Protobuf)
            .lease_revoke(1, &LeaseRevokeResponse { header: header() })
            .unwrap_err();
        assert_eq!(err.code, EXIT_BAD_FEATURE);
        assert_eq!(
            err.stderr,
            "Error: marshal unsupported for type clientv3.LeaseRevokeResponse ({cluster_id:1 member_id:2 revision:3 raft_term:4 })\n"
        );
    }
}
