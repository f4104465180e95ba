//! The server's buckets: leases, members and alarms, each read by the loader a starting member
//! uses and printed by etcdctl's printers.

use std::io::Write;
use std::time::Duration;

use oxcd_server::state::alarms::Alarms;
use oxcd_server::state::lessor::Lessor;
use oxcd_server::state::membership::Membership;
use oxcd_storage::mvcc::MvccStore;

use super::output::{cell, json_list, write_failure, Format, Out};
use crate::error::{Failure, EXIT_ERROR};
use crate::gojson;
use crate::records::{
    alarm_name, alarm_text, hex_id, member_row, time_to_live_line, MEMBER_HEADER,
};
use crate::table;

/// Every lease, by ID: its granted TTL, the TTL left at its last checkpoint (the granted TTL
/// when none was taken: what a restart gives it), and the keys attached to it.
pub fn leases(store: &MvccStore, format: Format, out: &mut Out) -> Result<(), Failure> {
    // Never primary, so no deadline runs: the TTLs are the stored ones.
    let lessor =
        Lessor::restore(store, 0, 0, Duration::ZERO).map_err(|e| Failure::error(EXIT_ERROR, e))?;
    let leases: Vec<_> = lessor
        .leases()
        .into_iter()
        .filter_map(|id| lessor.time_to_live(id, true))
        .collect();
    let text = match format {
        Format::Simple => leases
            .iter()
            .flat_map(|r| time_to_live_line(r, true))
            .collect(),
        Format::Json => {
            let items: Vec<String> = leases
                .iter()
                .map(|r| format!("{{{}}}", gojson::time_to_live_fields(r)))
                .collect();
            json_list("leases", &items).into_bytes()
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = leases
                .iter()
                .map(|r| {
                    let keys: Vec<String> = r.keys.iter().map(|k| cell(k)).collect();
                    vec![
                        hex_id(r.id),
                        format!("{}s", r.granted_ttl),
                        format!("{}s", r.ttl),
                        keys.join(" "),
                    ]
                })
                .collect();
            let header = ["ID", "GRANTED TTL", "REMAINING TTL", "ATTACHED KEYS"];
            table::render(&header, &rows).into_bytes()
        }
    };
    out.write_all(&text).map_err(write_failure)
}

/// The members as `member list` prints them (STATUS comes from the stored name, as etcdctl
/// derives it).
pub fn members(store: &MvccStore, format: Format, out: &mut Out) -> Result<(), Failure> {
    let members = Membership::load(store, &[], "")
        .map_err(|e| Failure::error(EXIT_ERROR, e))?
        .list();
    let rows: Vec<Vec<String>> = members.iter().map(member_row).collect();
    let text = match format {
        Format::Simple => rows.iter().map(|r| format!("{}\n", r.join(", "))).collect(),
        Format::Json => {
            let items: Vec<String> = members.iter().map(gojson::member).collect();
            json_list("members", &items)
        }
        Format::Table => table::render(&MEMBER_HEADER, &rows),
    };
    out.write_all(text.as_bytes()).map_err(write_failure)
}

/// The raised alarms as `alarm list` prints them.
pub fn alarms(store: &MvccStore, format: Format, out: &mut Out) -> Result<(), Failure> {
    let alarms = Alarms::load(store)
        .map_err(|e| Failure::error(EXIT_ERROR, e))?
        .list();
    let text = match format {
        Format::Simple => alarms
            .iter()
            .map(|a| format!("{}\n", alarm_text(a)))
            .collect(),
        Format::Json => {
            let items: Vec<String> = alarms.iter().map(gojson::alarm).collect();
            json_list("alarms", &items)
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = alarms
                .iter()
                .map(|a| vec![a.member_id.to_string(), alarm_name(a.alarm)])
                .collect();
            table::render(&["MEMBER ID", "ALARM"], &rows)
        }
    };
    out.write_all(text.as_bytes()).map_err(write_failure)
}
