//! oxcd's Values service (`oxcd.v1.Values`, not etcd's): one key's value decoded as the
//! Kubernetes object it holds, by `oxcd-k8s`, for the dashboard; read as a Range of the key.

use std::sync::Arc;

use oxcd_proto::etcdserverpb::RangeRequest;
use oxcd_proto::oxcd::v1::{values_server::Values, DecodeRequest, DecodeResponse};
use tonic::{Request, Response, Status};

use crate::api::caller::credentials;
use crate::api::json::{unary_route, GatewayRoute};
use crate::member::Member;

/// The Values service's gateway route, beside etcd's under `/v3/`.
pub const GATEWAY: &[GatewayRoute] = &[unary_route!(
    "oxcd/values/decode",
    ValuesService::decode,
    "oxcd.v1.DecodeRequest",
    "oxcd.v1.DecodeResponse"
)];

#[derive(Clone)]
pub struct ValuesService(pub Arc<Member>);

#[tonic::async_trait]
impl Values for ValuesService {
    async fn decode(
        &self,
        request: Request<DecodeRequest>,
    ) -> Result<Response<DecodeResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let req = request.into_inner();
        let range = RangeRequest {
            key: req.key,
            revision: req.revision,
            serializable: req.serializable,
            ..Default::default()
        };
        let mut found = self.0.range(&credentials, &range).await?;
        let Some(mut kv) = found.kvs.pop() else {
            return Ok(Response::new(DecodeResponse {
                header: found.header,
                ..Default::default()
            }));
        };
        let decoded = oxcd_k8s::decode(&kv.key, &kv.value, Some(kv.mod_revision), None);
        let object = decoded.to_printed_value(req.show_managed_fields);
        let error = match &decoded.content {
            oxcd_k8s::Content::Undecodable { reason, .. } => reason.clone(),
            oxcd_k8s::Content::Object { .. } => String::new(),
        };
        let writable = self.0.may_write(&credentials, &kv.key, b"").await?;
        kv.value = Default::default();
        Ok(Response::new(DecodeResponse {
            header: found.header,
            found: true,
            kv: Some(kv),
            r#type: decoded.type_name().unwrap_or_default(),
            encryption: decoded
                .encryption
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            json: oxcd_k8s::to_json(&object),
            yaml: oxcd_k8s::to_yaml(&object),
            error,
            writable,
        }))
    }
}
