//! A range read a page at a time, every page at the first page's revision, so that a listing
//! of many pages is one consistent snapshot.

use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::mvccpb::KeyValue;

use crate::client::Client;
use crate::error::CallError;

/// Pages of `[key, range_end)`; each starts after the last key of the one before, or further on
/// where the caller skips ahead.
pub struct RangePager {
    request: RangeRequest,
    finished: bool,
}

impl RangePager {
    /// `request` names the range and what to read (`keys_only`...); its `limit` is the page size
    /// and its `revision`, when 0, becomes the first page's. Pages follow each other by key, so
    /// the request must keep etcd's key order and no revision filter (with another sort, or
    /// filters applied after the limit, a page would not end where the next begins).
    pub fn new(request: RangeRequest) -> RangePager {
        RangePager {
            request,
            finished: false,
        }
    }

    /// The next page, or `None` once the range is read.
    pub async fn next_page(
        &mut self,
        client: &mut Client,
    ) -> Result<Option<Vec<KeyValue>>, CallError> {
        if self.finished {
            return Ok(None);
        }
        let response = client.range(self.request.clone()).await?;
        if self.request.revision == 0 {
            self.request.revision = response.header.as_ref().map_or(0, |h| h.revision);
        }
        let Some(last) = response.kvs.last() else {
            self.finished = true;
            return Ok(None);
        };
        let mut next = last.key.to_vec();
        next.push(0);
        self.request.key = next;
        self.finished = !response.more;
        Ok(Some(response.kvs))
    }

    /// Moves the next page's start to `key` if it is further on (to jump over keys the caller
    /// does not need).
    pub fn skip_to(&mut self, key: Vec<u8>) {
        if key > self.request.key {
            self.request.key = key;
        }
        let end = &self.request.range_end;
        if !end.is_empty() && end.as_slice() != [0] && self.request.key >= *end {
            self.finished = true;
        }
    }
}
