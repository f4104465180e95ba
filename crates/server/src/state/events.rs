//! How the applier tells the rest of the member about committed changes.

use oxcd_proto::mvccpb::Event;

/// Learns of every change once the batch that made it is applied, before its backend commit
/// publishes it to reads: the watch hub fans the events out from here.
pub trait EventSink: Send + Sync {
    /// `events` are in revision order; `revision` is the store's revision after the batch.
    fn committed(&self, revision: i64, events: &[Event]);

    /// The batch announced last is now visible to reads.
    fn published(&self) {}

    /// The store was replaced by a snapshot at `revision`: the changes since the last
    /// [`EventSink::committed`] are in its history, and were never announced.
    fn restored(&self, revision: i64);
}
