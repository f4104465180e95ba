//! The Watch service, and `POST /v3/watch` on the JSON gateway: there the request body holds
//! one or more JSON `WatchRequest`s, and the response streams each `WatchResponse` as a line
//! `{"result":{...}}`, as grpc-gateway streams etcd's watch, until the client disconnects.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use oxcd_proto::etcdserverpb::{watch_server::Watch, WatchRequest, WatchResponse};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::codegen::BoxStream;
use tonic::{Code, Request, Response as GrpcResponse, Status, Streaming};

use crate::api::json::{decode_json, descriptor, error_response, message_json, GatewayRoute};
use crate::member::Member;
use crate::watch::stream::serve_stream;

/// The Watch method of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[GatewayRoute {
    path: "watch",
    serve: |member, body| Box::pin(async move { serve_gateway(member, &body) }),
}];

/// One watch stream of `member`'s hub.
fn open_stream<S>(member: &Member, requests: S) -> ReceiverStream<Result<WatchResponse, Status>>
where
    S: Stream<Item = Result<WatchRequest, Status>> + Send + Unpin + 'static,
{
    serve_stream(
        member.watch_hub.clone(),
        member.headers(),
        member.config.max_request_bytes as usize,
        requests,
    )
}

#[derive(Clone)]
pub struct WatchService(pub Arc<Member>);

#[tonic::async_trait]
impl Watch for WatchService {
    async fn watch(
        &self,
        request: Request<Streaming<WatchRequest>>,
    ) -> Result<GrpcResponse<BoxStream<WatchResponse>>, Status> {
        let responses = open_stream(&self.0, request.into_inner());
        Ok(GrpcResponse::new(Box::pin(responses)))
    }
}

/// Serves one gateway watch stream.
fn serve_gateway(member: Arc<Member>, body: &[u8]) -> Response {
    let request_desc = descriptor("etcdserverpb.WatchRequest");
    let mut requests = Vec::new();
    for value in serde_json::Deserializer::from_slice(body).into_iter::<serde_json::Value>() {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("invalid character in JSON input: {e}");
                return error_response(Code::InvalidArgument, &msg);
            }
        };
        let bytes = serde_json::to_vec(&value).expect("a parsed JSON value serializes");
        match decode_json::<WatchRequest>(&request_desc, &bytes) {
            Ok(request) => requests.push(Ok(request)),
            Err(msg) => return error_response(Code::InvalidArgument, &msg),
        }
    }
    let responses = open_stream(&member, tokio_stream::iter(requests));
    let lines = responses.map(|item| {
        let line = match item {
            Ok(response) => format!(
                "{{\"result\":{}}}\n",
                message_json("etcdserverpb.WatchResponse", &response)
            ),
            Err(status) => {
                let error = serde_json::json!({
                    "error": {
                        "grpc_code": status.code() as i32,
                        "message": status.message(),
                    }
                });
                format!("{error}\n")
            }
        };
        Ok::<_, Infallible>(line)
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(lines))
        .expect("a static status and header make a valid response")
}
