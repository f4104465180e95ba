//! Every v3 gRPC service of a member (etcd's and oxcd's own) in one router, with etcd's message size limits.

use std::sync::Arc;

use axum::Router;
use oxcd_proto::etcdserverpb::auth_server::AuthServer;
use oxcd_proto::etcdserverpb::{
    cluster_server::ClusterServer, kv_server::KvServer, lease_server::LeaseServer,
    maintenance_server::MaintenanceServer,
};
use oxcd_proto::health::health_server::HealthServer;
use oxcd_proto::oxcd::v1::hierarchy_server::HierarchyServer;
use oxcd_proto::oxcd::v1::values_server::ValuesServer;
use oxcd_proto::v3electionpb::election_server::ElectionServer;
use oxcd_proto::v3lockpb::lock_server::LockServer;
use oxcd_proto::watch_frames::watch_server::WatchServer;

use crate::api::auth::AuthService;
use crate::api::cluster::ClusterService;
use crate::api::election::ElectionService;
use crate::api::grpc_metrics;
use crate::api::health::HealthService;
use crate::api::hierarchy::HierarchyService;
use crate::api::kv::KvService;
use crate::api::lease::LeaseService;
use crate::api::lock::LockService;
use crate::api::maintenance::MaintenanceService;
use crate::api::values::ValuesService;
use crate::api::watch::WatchService;
use crate::member::Member;

/// The gRPC services as an axum router, to share the client listeners with HTTP.
pub fn router(member: &Arc<Member>) -> Router {
    let max_recv = member.config.max_request_bytes_with_overhead();
    macro_rules! svc {
        ($server:ident, $inner:expr) => {
            $server::new($inner)
                .max_decoding_message_size(max_recv)
                .max_encoding_message_size(usize::MAX)
        };
    }
    tonic::service::Routes::new(svc!(KvServer, KvService(member.clone())))
        .add_service(svc!(MaintenanceServer, MaintenanceService(member.clone())))
        .add_service(svc!(ClusterServer, ClusterService(member.clone())))
        .add_service(svc!(HealthServer, HealthService(member.clone())))
        .add_service(svc!(WatchServer, WatchService(member.clone())))
        .add_service(svc!(LeaseServer, LeaseService(member.clone())))
        .add_service(svc!(AuthServer, AuthService(member.clone())))
        .add_service(svc!(LockServer, LockService(member.clone())))
        .add_service(svc!(ElectionServer, ElectionService(member.clone())))
        .add_service(svc!(HierarchyServer, HierarchyService(member.clone())))
        .add_service(svc!(ValuesServer, ValuesService(member.clone())))
        .into_axum_router()
        .layer(axum::middleware::from_fn_with_state(
            member.metrics.clone(),
            |axum::extract::State(metrics), request, next| {
                grpc_metrics::count(metrics, request, next)
            },
        ))
}
