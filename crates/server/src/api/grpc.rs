//! Every v3 gRPC service of a member (etcd's and oxcd's own) behind one handler, with etcd's
//! message size limits.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
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
use tonic::server::NamedService;
use tonic::Code;
use tower::Service;

use crate::api::auth::AuthService;
use crate::api::cluster::ClusterService;
use crate::api::election::ElectionService;
use crate::api::grpc_metrics;
use crate::api::health::HealthService;
use crate::api::hierarchy::HierarchyService;
use crate::api::json::is_method;
use crate::api::kv::KvService;
use crate::api::lease::LeaseService;
use crate::api::lock::LockService;
use crate::api::maintenance::MaintenanceService;
use crate::api::values::ValuesService;
use crate::api::watch::WatchService;
use crate::member::Member;
use crate::transport::serve::GrpcHandler;

/// Every gRPC service of the member, each with etcd's message size limits.
struct Services {
    kv: KvServer<KvService>,
    maintenance: MaintenanceServer<MaintenanceService>,
    cluster: ClusterServer<ClusterService>,
    health: HealthServer<HealthService>,
    watch: WatchServer<WatchService>,
    lease: LeaseServer<LeaseService>,
    auth: AuthServer<AuthService>,
    lock: LockServer<LockService>,
    election: ElectionServer<ElectionService>,
    hierarchy: HierarchyServer<HierarchyService>,
    values: ValuesServer<ValuesService>,
}

type ServiceFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<tonic::body::Body>, Infallible>> + Send>>;

impl Services {
    /// The call of the service and method the path names (`/{service}/{method}`), or the error
    /// grpc-go answers, with its code and message, for a path that names no method.
    fn call(&self, request: Request) -> ServiceFuture {
        let path = request.uri().path();
        let name = path.strip_prefix('/').unwrap_or(path);
        let Some((service, method)) = name.rsplit_once('/') else {
            let message = format!("malformed method name: {path:?}");
            return refused(Code::ResourceExhausted, &message);
        };
        macro_rules! dispatch {
            ($($field:ident),*) => {
                $(
                    if service == named(&self.$field) {
                        if !is_method(service, method) {
                            let message = format!("unknown method {method} for service {service}");
                            return refused(Code::Unimplemented, &message);
                        }
                        return self.$field.clone().call(request);
                    }
                )*
            };
        }
        dispatch!(
            kv,
            watch,
            lease,
            maintenance,
            cluster,
            health,
            auth,
            lock,
            election,
            hierarchy,
            values
        );
        refused(Code::Unimplemented, &format!("unknown service {service}"))
    }
}

/// A call answered with a status alone, in the headers, as grpc-go answers one: its message
/// percent-encoded only where it is not printable ASCII (tonic's `Status` would encode spaces
/// too).
fn refused(code: Code, message: &str) -> ServiceFuture {
    let mut encoded = String::with_capacity(message.len());
    for byte in message.bytes() {
        match byte {
            b' '..=b'~' if byte != b'%' => encoded.push(byte as char),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    let mut response = http::Response::new(tonic::body::Body::default());
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/grpc"),
    );
    headers.insert("grpc-status", http::HeaderValue::from(code as i32));
    if let Ok(value) = http::HeaderValue::from_str(&encoded) {
        headers.insert("grpc-message", value);
    }
    Box::pin(async move { Ok(response) })
}

/// The gRPC name of a service, from its server's type.
fn named<S: NamedService>(_: &S) -> &'static str {
    S::NAME
}

/// The gRPC services, each call counted by [`grpc_metrics`], to share the client listeners
/// with HTTP.
pub fn handler(member: &Arc<Member>) -> GrpcHandler {
    let max_recv = member.config.max_request_bytes_with_overhead();
    macro_rules! svc {
        ($server:ident, $inner:expr) => {
            $server::new($inner)
                .max_decoding_message_size(max_recv)
                .max_encoding_message_size(usize::MAX)
        };
    }
    let services = Arc::new(Services {
        kv: svc!(KvServer, KvService(member.clone())),
        maintenance: svc!(MaintenanceServer, MaintenanceService(member.clone())),
        cluster: svc!(ClusterServer, ClusterService(member.clone())),
        health: svc!(HealthServer, HealthService(member.clone())),
        watch: svc!(WatchServer, WatchService(member.clone())),
        lease: svc!(LeaseServer, LeaseService(member.clone())),
        auth: svc!(AuthServer, AuthService(member.clone())),
        lock: svc!(LockServer, LockService(member.clone())),
        election: svc!(ElectionServer, ElectionService(member.clone())),
        hierarchy: svc!(HierarchyServer, HierarchyService(member.clone())),
        values: svc!(ValuesServer, ValuesService(member.clone())),
    });
    let counters = Arc::new(grpc_metrics::RpcCounters::new(member.metrics.clone()));
    Arc::new(move |request| {
        let services = services.clone();
        Box::pin(grpc_metrics::count(
            counters.clone(),
            request,
            move |request| async move {
                match services.call(request).await {
                    Ok(response) => response.map(Body::new),
                    Err(never) => match never {},
                }
            },
        ))
    })
}
