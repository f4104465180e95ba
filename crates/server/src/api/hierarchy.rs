//! oxcd's Hierarchy service (`oxcd.v1.Hierarchy`, not etcd's): one level of the
//! '/'-separated key hierarchy with per-child totals, from the store's directory totals; read
//! like a Range over every key below the level (barrier, permission); and its gateway route.

use std::sync::Arc;

use oxcd_client::prefix_end;
use oxcd_proto::oxcd::v1::{hierarchy_server::Hierarchy, Child, ListRequest, ListResponse};
use oxcd_storage::mvcc::{level_range, HierarchyChild, HierarchyLevel};
use tonic::{Request, Response, Status};

use crate::api::caller::credentials;
use crate::api::json::{unary_route, GatewayRoute};
use crate::error::ServerError;
use crate::member::Member;

/// The Hierarchy service's gateway route, beside etcd's under `/v3/`.
pub const GATEWAY: &[GatewayRoute] = &[unary_route!(
    "oxcd/hierarchy/list",
    HierarchyService::list,
    "oxcd.v1.ListRequest",
    "oxcd.v1.ListResponse"
)];

/// The most children one answer holds; `more` says when others follow.
pub const MAX_PAGE: usize = 10_000;

/// Listings slower than this are logged: the first one builds the directory totals.
const SLOW_LISTING: std::time::Duration = std::time::Duration::from_millis(100);

#[derive(Clone)]
pub struct HierarchyService(pub Arc<Member>);

#[tonic::async_trait]
impl Hierarchy for HierarchyService {
    async fn list(&self, request: Request<ListRequest>) -> Result<Response<ListResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let req = request.into_inner();
        let limit = usize::try_from(req.limit)
            .map_err(|_| Status::invalid_argument("oxcd: limit must not be negative"))?;
        // A level is listed under the store's read lock: a page is bounded so that a flat level
        // of millions of keys cannot hold writers back for its whole length in one answer.
        let limit = if limit == 0 {
            MAX_PAGE
        } else {
            limit.min(MAX_PAGE)
        };
        if !req.serializable && self.0.is_learner() {
            return Err(ServerError::NotSupportedForLearner.into());
        }
        let (key, range_end) = level_range(&req.prefix);
        let store = &self.0.store;
        let list = || {
            let started = std::time::Instant::now();
            let level = store.list_level(&req.prefix, &req.after, limit);
            if started.elapsed() > SLOW_LISTING {
                tracing::warn!(
                    took = ?started.elapsed(),
                    prefix = %String::from_utf8_lossy(&req.prefix),
                    "hierarchy listing took long"
                );
            }
            Ok(level)
        };
        let level = if req.readable_only {
            self.0
                .readable_part(&credentials, req.serializable, list, readable_children)
                .await?
        } else {
            self.0
                .checked_read(&credentials, req.serializable, &key, &range_end, list)
                .await?
        };
        let writable = self.0.may_write(&credentials, &key, &range_end).await?;
        Ok(Response::new(ListResponse {
            header: Some(self.0.header(level.revision)),
            children: level.children.into_iter().map(child).collect(),
            more: level.more,
            last: level.last,
            writable,
        }))
    }
}

/// The children of a level the caller may read entirely: the key at the child's name, and every
/// key below `name/`.
fn readable_children(
    mut level: HierarchyLevel,
    may_read: &dyn Fn(&[u8], &[u8]) -> bool,
) -> HierarchyLevel {
    level.children.retain(|child| {
        let below = [child.name.as_slice(), b"/"].concat();
        let below_end = prefix_end(&below);
        (!child.is_key || may_read(&child.name, b""))
            && (!child.has_children || may_read(&below, &below_end))
    });
    level
}

fn child(child: HierarchyChild) -> Child {
    Child {
        name: child.name,
        is_key: child.is_key,
        has_children: child.has_children,
        // Both count at most the store's keys and bytes, far below i64::MAX.
        keys: i64::try_from(child.keys).unwrap_or(i64::MAX),
        value_bytes: i64::try_from(child.value_bytes).unwrap_or(i64::MAX),
        key_bytes: i64::try_from(child.key_bytes).unwrap_or(i64::MAX),
    }
}
