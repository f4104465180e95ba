//! Calls on oxcd's Hierarchy service (`oxcd.v1`, an extension etcd does not have).

use oxcd_proto::oxcd::v1::{hierarchy_client::HierarchyClient, Child, ListRequest, ListResponse};

use crate::client::{Client, Within};
use crate::error::CallError;

impl Client {
    /// `Hierarchy.List`: one level of the key hierarchy with per-child totals, within the
    /// command timeout. A server without the service (etcd) answers `Unimplemented`: see
    /// [`CallError::is_unimplemented`].
    pub async fn hierarchy_list(
        &mut self,
        request: ListRequest,
    ) -> Result<ListResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            HierarchyClient::new(ch)
                .max_decoding_message_size(usize::MAX)
                .list(req)
                .await
        })
        .await
    }
}

/// One level of oxcd's hierarchy listing, a page at a time (each page at its own revision: the
/// listing has no older ones).
pub struct LevelPager {
    request: ListRequest,
    finished: bool,
}

impl LevelPager {
    /// The level below `prefix` ("/a" and "/a/" are the same level), `page` children at a time.
    pub fn new(prefix: &[u8], page: i64) -> LevelPager {
        LevelPager {
            request: ListRequest {
                prefix: prefix.to_vec(),
                limit: page,
                ..Default::default()
            },
            finished: false,
        }
    }

    /// The next page, or `None` once the level is listed. A server without the service answers
    /// the first call with an error that [`CallError::is_unimplemented`] recognises.
    pub async fn next_page(
        &mut self,
        client: &mut Client,
    ) -> Result<Option<Vec<Child>>, CallError> {
        if self.finished {
            return Ok(None);
        }
        let response = client.hierarchy_list(self.request.clone()).await?;
        // A filtered page (`readable_only`) may show none of its children yet have more: it
        // names where it ended.
        let last = match response.children.last() {
            _ if !response.last.is_empty() => response.last.clone(),
            Some(child) => child.name.clone(),
            None => {
                self.finished = true;
                return Ok(None);
            }
        };
        self.request.after = last;
        self.finished = !response.more;
        Ok(Some(response.children))
    }
}
