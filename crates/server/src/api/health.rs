//! gRPC's standard health service (`grpc.health.v1.Health`), which etcd serves too.

use std::sync::Arc;

use oxcd_proto::health::{
    health_check_response::ServingStatus, health_server::Health, HealthCheckRequest,
    HealthCheckResponse,
};
use tonic::{Request, Response, Status};

use crate::member::Member;

#[derive(Clone)]
pub struct HealthService(pub Arc<Member>);

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let status = if self.0.leader() != 0 {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        Ok(Response::new(HealthCheckResponse {
            status: status as i32,
        }))
    }
}
