//! `-w fields`: one `"Name" : value` line per field, strings quoted as Go's `%q` quotes them.

use oxcd_proto::authpb::permission::Type as PermissionType;
use oxcd_proto::etcdserverpb::{
    response_op, AuthRoleGetResponse, AuthRoleListResponse, DeleteRangeResponse,
    MemberListResponse, PutResponse, RangeResponse, ResponseHeader, TxnResponse,
};
use oxcd_proto::mvccpb::KeyValue;

use super::{EndpointHealth, EndpointStatus};
use crate::goformat::quote_bytes;

fn header(out: &mut String, h: &Option<ResponseHeader>) {
    let h = h.unwrap_or_default();
    out.push_str(&format!("\"ClusterID\" : {}\n", h.cluster_id));
    out.push_str(&format!("\"MemberID\" : {}\n", h.member_id));
    out.push_str(&format!("\"Revision\" : {}\n", h.revision));
    out.push_str(&format!("\"RaftTerm\" : {}\n", h.raft_term));
}

fn kv(out: &mut String, prefix: &str, kv: &KeyValue) {
    out.push_str(&format!("\"{prefix}Key\" : {}\n", quote_bytes(&kv.key)));
    out.push_str(&format!(
        "\"{prefix}CreateRevision\" : {}\n",
        kv.create_revision
    ));
    out.push_str(&format!("\"{prefix}ModRevision\" : {}\n", kv.mod_revision));
    out.push_str(&format!("\"{prefix}Version\" : {}\n", kv.version));
    out.push_str(&format!("\"{prefix}Value\" : {}\n", quote_bytes(&kv.value)));
    out.push_str(&format!("\"{prefix}Lease\" : {}\n", kv.lease));
}

fn range_into(out: &mut String, r: &RangeResponse) {
    header(out, &r.header);
    for item in &r.kvs {
        kv(out, "", item);
    }
    out.push_str(&format!("\"More\" : {}\n", r.more));
    out.push_str(&format!("\"Count\" : {}\n", r.count));
}

fn put_into(out: &mut String, r: &PutResponse) {
    header(out, &r.header);
    if let Some(prev) = &r.prev_kv {
        kv(out, "Prev", prev);
    }
}

fn delete_into(out: &mut String, r: &DeleteRangeResponse) {
    header(out, &r.header);
    out.push_str(&format!("\"Deleted\" : {}\n", r.deleted));
    for prev in &r.prev_kvs {
        kv(out, "Prev", prev);
    }
}

fn txn_into(out: &mut String, r: &TxnResponse) {
    header(out, &r.header);
    out.push_str(&format!("\"Succeeded\" : {}\n", r.succeeded));
    for op in &r.responses {
        match &op.response {
            Some(response_op::Response::ResponseRange(r)) => range_into(out, r),
            Some(response_op::Response::ResponsePut(r)) => put_into(out, r),
            Some(response_op::Response::ResponseDeleteRange(r)) => delete_into(out, r),
            Some(response_op::Response::ResponseTxn(r)) => txn_into(out, r),
            None => out.push_str("\"Unknown\" : \"<nil>\"\n"),
        }
    }
}

fn finish(build: impl FnOnce(&mut String)) -> Vec<u8> {
    let mut out = String::new();
    build(&mut out);
    out.into_bytes()
}

pub fn range(r: &RangeResponse) -> Vec<u8> {
    finish(|out| range_into(out, r))
}

pub fn put(r: &PutResponse) -> Vec<u8> {
    finish(|out| put_into(out, r))
}

pub fn delete(r: &DeleteRangeResponse) -> Vec<u8> {
    finish(|out| delete_into(out, r))
}

pub fn txn(r: &TxnResponse) -> Vec<u8> {
    finish(|out| txn_into(out, r))
}

pub fn member_list(r: &MemberListResponse) -> Vec<u8> {
    finish(|out| {
        header(out, &r.header);
        for m in &r.members {
            out.push_str(&format!("\"ID\" : {}\n", m.id));
            out.push_str(&format!("\"Name\" : {}\n", quote_bytes(m.name.as_bytes())));
            for url in &m.peer_ur_ls {
                out.push_str(&format!("\"PeerURL\" : {}\n", quote_bytes(url.as_bytes())));
            }
            for url in &m.client_ur_ls {
                out.push_str(&format!(
                    "\"ClientURL\" : {}\n",
                    quote_bytes(url.as_bytes())
                ));
            }
            out.push_str(&format!("\"IsLearner\" : {}\n\n", m.is_learner));
        }
    })
}

pub fn endpoint_status(list: &[EndpointStatus]) -> Vec<u8> {
    finish(|out| {
        for s in list {
            let r = &s.response;
            header(out, &r.header);
            out.push_str(&format!(
                "\"Version\" : {}\n",
                quote_bytes(r.version.as_bytes())
            ));
            out.push_str(&format!("\"DBSize\" : {}\n", r.db_size));
            out.push_str(&format!("\"Leader\" : {}\n", r.leader));
            out.push_str(&format!("\"IsLearner\" : {}\n", r.is_learner));
            out.push_str(&format!("\"RaftIndex\" : {}\n", r.raft_index));
            out.push_str(&format!("\"RaftTerm\" : {}\n", r.raft_term));
            out.push_str(&format!(
                "\"RaftAppliedIndex\" : {}\n",
                r.raft_applied_index
            ));
            // Go's %v of a []string.
            out.push_str(&format!("\"Errors\" : [{}]\n", r.errors.join(" ")));
            out.push_str(&format!(
                "\"Endpoint\" : {}\n\n",
                quote_bytes(s.endpoint.as_bytes())
            ));
        }
    })
}

pub fn endpoint_health(list: &[EndpointHealth]) -> Vec<u8> {
    finish(|out| {
        for h in list {
            out.push_str(&format!(
                "\"Endpoint\" : {}\n",
                quote_bytes(h.endpoint.as_bytes())
            ));
            out.push_str(&format!("\"Health\" : {}\n", h.health));
            out.push_str(&format!("\"Took\" : {}\n", h.took));
            out.push_str(&format!("\"Error\" : {}\n\n", h.error));
        }
    })
}

pub fn watch(r: &oxcd_proto::etcdserverpb::WatchResponse) -> Vec<u8> {
    finish(|out| {
        header(out, &r.header);
        for e in &r.events {
            out.push_str(&format!(
                "\"Type\" : {}\n",
                super::simple::event_type_name(e.r#type)
            ));
            if let Some(prev) = &e.prev_kv {
                kv(out, "Prev", prev);
            }
            kv(out, "", e.kv.as_ref().unwrap_or(&KeyValue::default()));
        }
    })
}

/// An Auth response that carries nothing but its header.
pub fn header_only(h: &Option<ResponseHeader>) -> Vec<u8> {
    finish(|out| header(out, h))
}

pub fn role_get(r: &AuthRoleGetResponse) -> Vec<u8> {
    finish(|out| {
        header(out, &r.header);
        for p in &r.perm {
            let name = PermissionType::try_from(p.perm_type)
                .map_or_else(|_| p.perm_type.to_string(), |t| t.as_str_name().to_string());
            out.push_str(&format!("\"PermType\" :  {name}\n"));
            out.push_str(&format!("\"Key\" : {}\n", quote_bytes(&p.key)));
            out.push_str(&format!("\"RangeEnd\" : {}\n", quote_bytes(&p.range_end)));
        }
    })
}

pub fn role_list(r: &AuthRoleListResponse) -> Vec<u8> {
    finish(|out| {
        header(out, &r.header);
        out.push_str("\"Roles\" :");
        for role in &r.roles {
            out.push(' ');
            out.push_str(&quote_bytes(role.as_bytes()));
        }
        out.push('\n');
    })
}
