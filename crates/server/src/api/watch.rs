//! The Watch service, and `POST /v3/watch` on the JSON gateway: there the request body holds
//! one or more JSON `WatchRequest`s, and the response streams each `WatchResponse` as a line
//! `{"result":{...}}`, as grpc-gateway streams etcd's watch, until the client disconnects.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use oxcd_proto::etcdserverpb::watch_request::RequestUnion;
use oxcd_proto::etcdserverpb::WatchRequest;
use oxcd_proto::watch_frames::watch_server::Watch;
use tokio_stream::{Stream, StreamExt};
use tonic::{Code, Request, Response as GrpcResponse, Status, Streaming};

use crate::api::caller::credentials;
use crate::api::json::{decode_json, descriptor, error_response, message_json, GatewayRoute};
use crate::member::Member;
use crate::state::auth::Credentials;
use crate::watch::stream::{serve_stream, Responses, StreamAuth};

/// The Watch method of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[GatewayRoute {
    path: "watch",
    serve: |member, call| {
        Box::pin(async move {
            let credentials = credentials(&member, &call.metadata, &Default::default());
            member.await_token(&credentials).await;
            serve_gateway(member, credentials, &call.body)
        })
    },
}];

/// One watch stream of `member`'s hub, for a client that presented `credentials`.
fn open_stream<S>(member: &Arc<Member>, credentials: Credentials, requests: S) -> Responses
where
    S: Stream<Item = Result<WatchRequest, Status>> + Send + Unpin + 'static,
{
    let auth = StreamAuth {
        store: member.auth.clone(),
        credentials,
    };
    // A watch created after a write was answered, or after an event, starts after it, as in
    // etcd; reading history from the store, it needs the change published first. (The wait
    // fails only when a commit stalls past the request timeout, as the member stops: the
    // watch is created anyway.)
    let publisher = member.clone();
    let requests = Box::pin(requests.then(move |request| {
        let member = publisher.clone();
        async move {
            let creates = matches!(
                &request,
                Ok(WatchRequest {
                    request_union: Some(RequestUnion::CreateRequest(_)),
                })
            );
            if creates {
                let _ = member.await_published().await;
            }
            request
        }
    }));
    serve_stream(
        member.watch_hub.clone(),
        member.headers(),
        member.config.max_request_bytes_with_overhead(),
        auth,
        requests,
    )
}

#[derive(Clone)]
pub struct WatchService(pub Arc<Member>);

#[tonic::async_trait]
impl Watch for WatchService {
    type WatchStream = Responses;

    async fn watch(
        &self,
        request: Request<Streaming<WatchRequest>>,
    ) -> Result<GrpcResponse<Self::WatchStream>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        // A simple token from a login through another member is known here once it is applied.
        self.0.await_token(&credentials).await;
        let responses = open_stream(&self.0, credentials, request.into_inner());
        Ok(GrpcResponse::new(responses))
    }
}

/// Serves one gateway watch stream.
fn serve_gateway(member: Arc<Member>, credentials: Credentials, body: &[u8]) -> Response {
    let request_desc = descriptor("etcdserverpb.WatchRequest");
    let mut requests = Vec::new();
    let values = serde_json::Deserializer::from_slice(body).into_iter::<serde_json::Value>();
    for value in values {
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
    let responses = open_stream(&member, credentials, tokio_stream::iter(requests));
    let lines = responses.map(|item| {
        let response = item.and_then(|frame| {
            frame
                .to_response()
                .map_err(|e| Status::internal(e.to_string()))
        });
        let line = match response {
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
