//! etcdctl's output of the `user`, `role` and `auth` commands in every format it supports.
//!
//! Most Auth responses carry only a header: etcdctl prints a sentence in the simple format and
//! the header in the others. The `fields` printer of etcdctl 3.4 has no `UserGet` or
//! `UserList`, and no format has a table for any Auth response; those fail as unsupported after
//! the call was made, as etcdctl's do.

use oxcd_proto::authpb::{permission::Type as PermissionType, Permission};
use oxcd_proto::etcdserverpb::{
    AuthRoleGetResponse, AuthRoleListResponse, AuthStatusResponse, AuthUserGetResponse,
    AuthUserListResponse, ResponseHeader,
};
use prost::Message;

use super::{fields, json, line, Format, Printed, Printer};
use crate::commands::kv::prefix_end;
use crate::error::CtlResult;

impl Printer {
    /// A response that carries only its header; `sentence` is what the simple format says.
    pub fn auth_header_only<M: Message>(
        &self,
        sentence: Vec<u8>,
        r: &M,
        header: &Option<ResponseHeader>,
    ) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => sentence.into(),
            Format::Json => line(json::header_only(header)).into(),
            Format::Fields => fields::header_only(header).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn user_get(&self, name: &str, r: &AuthUserGetResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => {
                let roles: String = r.roles.iter().map(|role| format!(" {role}")).collect();
                format!("User: {name}\nRoles:{roles}\n").into_bytes().into()
            }
            Format::Json => line(json::user_get(r)).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Fields | Format::Table => return Err(self.format.unsupported()),
        })
    }

    /// etcdctl 3.5+'s `auth status` (its fields and table printers have none).
    pub fn auth_status(&self, r: &AuthStatusResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => format!(
                "Authentication Status: {}\nAuthRevision: {}\n",
                r.enabled, r.auth_revision
            )
            .into_bytes()
            .into(),
            Format::Json => line(json::auth_status(r)).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Fields | Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn user_list(&self, r: &AuthUserListResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => names(&r.users).into(),
            Format::Json => line(json::user_list(r)).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Fields | Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn role_get(&self, role: &str, r: &AuthRoleGetResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple_role(role, &r.perm).into(),
            Format::Json => line(json::role_get(r)).into(),
            Format::Fields => fields::role_get(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn role_list(&self, r: &AuthRoleListResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => names(&r.roles).into(),
            Format::Json => line(json::role_list(r)).into(),
            Format::Fields => fields::role_list(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }
}

fn names(names: &[String]) -> Vec<u8> {
    names
        .iter()
        .flat_map(|n| format!("{n}\n").into_bytes())
        .collect()
}

/// etcdctl's simple `RoleGet`: the read permissions, then the write ones; a single key as is, a
/// range as `[key, end)` (`[key, <open ended>` for a `"\0"` end), marked when it is a prefix.
fn simple_role(role: &str, perms: &[Permission]) -> Vec<u8> {
    let mut out = format!("Role {role}\nKV Read:\n").into_bytes();
    let reads = |t: i32| t == PermissionType::Read as i32 || t == PermissionType::Readwrite as i32;
    let writes =
        |t: i32| t == PermissionType::Write as i32 || t == PermissionType::Readwrite as i32;
    list_permissions(&mut out, perms, reads);
    out.extend_from_slice(b"KV Write:\n");
    list_permissions(&mut out, perms, writes);
    out
}

fn list_permissions(out: &mut Vec<u8>, perms: &[Permission], wanted: impl Fn(i32) -> bool) {
    for perm in perms.iter().filter(|p| wanted(p.perm_type)) {
        out.push(b'\t');
        if perm.range_end.is_empty() {
            out.extend_from_slice(&perm.key);
            out.push(b'\n');
            continue;
        }
        out.push(b'[');
        out.extend_from_slice(&perm.key);
        if perm.range_end == b"\0" {
            out.extend_from_slice(b", <open ended>");
        } else {
            out.extend_from_slice(b", ");
            out.extend_from_slice(&perm.range_end);
            out.push(b')');
        }
        if prefix_end(&perm.key) == perm.range_end {
            out.extend_from_slice(b" (prefix ");
            out.extend_from_slice(&perm.key);
            out.push(b')');
        }
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use oxcd_proto::etcdserverpb::{AuthStatusResponse, ResponseHeader};

    use super::super::{Format, Printer};

    fn print(format: Format, r: &AuthStatusResponse) -> String {
        let printer = Printer {
            format,
            hex: false,
            value_only: false,
        };
        String::from_utf8(printer.auth_status(r).expect("printable").stdout).expect("text")
    }

    /// etcdctl 3.5+'s printers: `Authentication Status:` and `AuthRevision:` lines; JSON as Go's
    /// encoding/json writes the response (zero fields left out, the revision a number).
    #[test]
    fn auth_status_prints_as_etcdctl_3_5() {
        let r = AuthStatusResponse {
            header: Some(ResponseHeader {
                cluster_id: 1,
                member_id: 2,
                revision: 3,
                raft_term: 4,
            }),
            enabled: true,
            auth_revision: 7,
        };
        assert_eq!(
            print(Format::Simple, &r),
            "Authentication Status: true\nAuthRevision: 7\n"
        );
        assert_eq!(
            print(Format::Json, &r),
            "{\"header\":{\"cluster_id\":1,\"member_id\":2,\"revision\":3,\"raft_term\":4},\
             \"enabled\":true,\"authRevision\":7}\n"
        );
        let off = AuthStatusResponse {
            auth_revision: 1,
            ..Default::default()
        };
        assert_eq!(
            print(Format::Simple, &off),
            "Authentication Status: false\nAuthRevision: 1\n"
        );
    }
}
