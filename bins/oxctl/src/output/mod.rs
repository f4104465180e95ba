//! etcdctl's five output formats (`-w simple|json|fields|table|protobuf`), one function per
//! response type. Each returns the bytes for stdout (and, where etcdctl writes there, stderr).

mod auth;
pub mod cluster_ops;
mod db_status;
mod fields;
mod gojson;
pub mod json;
pub mod lease;
mod records;
mod simple;
pub mod table;

use oxcd_proto::etcdserverpb::{
    DeleteRangeResponse, MemberListResponse, PutResponse, RangeResponse, StatusResponse,
    TxnResponse,
};
use oxcd_server::member::restore::SnapshotStatus;
use prost::Message;

use crate::error::{CtlError, CtlResult, EXIT_BAD_FEATURE};
use crate::goformat;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Simple,
    Json,
    Fields,
    Table,
    Protobuf,
}

impl Format {
    /// etcdctl's `NewPrinter`: an unknown name is `unsupported output format` (exit 4).
    pub fn parse(name: &str) -> CtlResult<Format> {
        Ok(match name {
            "simple" => Format::Simple,
            "json" => Format::Json,
            "fields" => Format::Fields,
            "table" => Format::Table,
            "protobuf" => Format::Protobuf,
            _ => return Err(CtlError::new(EXIT_BAD_FEATURE, "unsupported output format")),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Simple => "simple",
            Format::Json => "json",
            Format::Fields => "fields",
            Format::Table => "table",
            Format::Protobuf => "protobuf",
        }
    }

    fn unsupported(self) -> CtlError {
        CtlError::new(
            EXIT_BAD_FEATURE,
            format!("{} not supported as output format", self.name()),
        )
    }
}

/// One row of `endpoint status`.
#[derive(Debug, Clone)]
pub struct EndpointStatus {
    pub endpoint: String,
    pub response: StatusResponse,
}

/// One row of `endpoint health`.
#[derive(Debug, Clone)]
pub struct EndpointHealth {
    pub endpoint: String,
    pub health: bool,
    /// Go's `time.Duration.String` of the check's latency.
    pub took: String,
    pub error: String,
}

/// What a printer produced.
#[derive(Debug, Default)]
pub struct Printed {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl From<Vec<u8>> for Printed {
    fn from(stdout: Vec<u8>) -> Self {
        Printed {
            stdout,
            stderr: Vec::new(),
        }
    }
}

/// etcdctl's `display`: the chosen format and the flags that change it.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub format: Format,
    /// `--hex`: byte strings as `\x..` in the simple format.
    pub hex: bool,
    /// `get --print-value-only`.
    pub value_only: bool,
}

fn line(text: String) -> Vec<u8> {
    let mut bytes = text.into_bytes();
    bytes.push(b'\n');
    bytes
}

impl Printer {
    pub fn get(&self, r: &RangeResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple::range(self, r).into(),
            Format::Json => line(json::range(r)).into(),
            Format::Fields => fields::range(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn put(&self, r: &PutResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple::put(self, r).into(),
            Format::Json => line(json::put(r)).into(),
            Format::Fields => fields::put(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn delete(&self, r: &DeleteRangeResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple::delete(self, r).into(),
            Format::Json => line(json::delete(r)).into(),
            Format::Fields => fields::delete(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    pub fn txn(&self, r: &TxnResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple::txn(self, r).into(),
            Format::Json => line(json::txn(r)).into(),
            Format::Fields => fields::txn(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    /// etcdctl's `display.Watch` of one response delivered to the user (`r` has only the fields
    /// clientv3's `WatchResponse` has: header, events, compact revision, canceled, created).
    pub fn watch(&self, r: &oxcd_proto::etcdserverpb::WatchResponse) -> CtlResult<Printed> {
        Ok(match self.format {
            Format::Simple => simple::watch(self, &r.events).into(),
            Format::Json => line(json::watch(r)).into(),
            Format::Fields => fields::watch(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => return Err(self.format.unsupported()),
        })
    }

    /// `snapshot status`.
    pub fn db_status(&self, s: &SnapshotStatus) -> CtlResult<Printed> {
        db_status::render(self.format.name(), s)
            .map(|text| text.into_bytes().into())
            .ok_or_else(|| self.format.unsupported())
    }

    pub fn member_list(&self, r: &MemberListResponse) -> CtlResult<Printed> {
        let (header, rows) = member_table(r);
        Ok(match self.format {
            Format::Simple => simple::rows(&rows).into(),
            Format::Json => line(json::member_list(r)).into(),
            Format::Fields => fields::member_list(r).into(),
            Format::Protobuf => r.encode_to_vec().into(),
            Format::Table => table::render(&header, &rows).into_bytes().into(),
        })
    }

    pub fn endpoint_status(&self, list: &[EndpointStatus]) -> CtlResult<Printed> {
        let (header, rows) = status_table(list);
        Ok(match self.format {
            Format::Simple => simple::rows(&rows).into(),
            Format::Json => line(json::endpoint_status(list)).into(),
            Format::Fields => fields::endpoint_status(list).into(),
            Format::Table => table::render(&header, &rows).into_bytes().into(),
            Format::Protobuf => return Err(self.format.unsupported()),
        })
    }

    pub fn endpoint_health(&self, list: &[EndpointHealth]) -> CtlResult<Printed> {
        let (header, rows) = health_table(list);
        Ok(match self.format {
            // etcdctl writes the simple health report to stderr.
            Format::Simple => Printed {
                stdout: Vec::new(),
                stderr: simple::health(list),
            },
            Format::Json => line(json::endpoint_health(list)).into(),
            Format::Fields => fields::endpoint_health(list).into(),
            Format::Table => table::render(&header, &rows).into_bytes().into(),
            Format::Protobuf => return Err(self.format.unsupported()),
        })
    }
}

fn member_table(r: &MemberListResponse) -> ([&'static str; 6], Vec<Vec<String>>) {
    (
        records::MEMBER_HEADER,
        r.members.iter().map(records::member_row).collect(),
    )
}

fn status_table(list: &[EndpointStatus]) -> ([&'static str; 10], Vec<Vec<String>>) {
    let header = [
        "ENDPOINT",
        "ID",
        "VERSION",
        "DB SIZE",
        "IS LEADER",
        "IS LEARNER",
        "RAFT TERM",
        "RAFT INDEX",
        "RAFT APPLIED INDEX",
        "ERRORS",
    ];
    let rows = list
        .iter()
        .map(|s| {
            let r = &s.response;
            let member_id = r.header.as_ref().map_or(0, |h| h.member_id);
            vec![
                s.endpoint.clone(),
                format!("{member_id:x}"),
                r.version.clone(),
                goformat::humanize_bytes(r.db_size as u64),
                (r.leader == member_id).to_string(),
                r.is_learner.to_string(),
                r.raft_term.to_string(),
                r.raft_index.to_string(),
                r.raft_applied_index.to_string(),
                r.errors.join(", "),
            ]
        })
        .collect();
    (header, rows)
}

fn health_table(list: &[EndpointHealth]) -> ([&'static str; 4], Vec<Vec<String>>) {
    let header = ["ENDPOINT", "HEALTH", "TOOK", "ERROR"];
    let rows = list
        .iter()
        .map(|h| {
            vec![
                h.endpoint.clone(),
                h.health.to_string(),
                h.took.clone(),
                h.error.clone(),
            ]
        })
        .collect();
    (header, rows)
}
