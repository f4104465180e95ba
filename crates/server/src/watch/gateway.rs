//! `POST /v3/watch` on the JSON gateway: the request body holds one or more JSON
//! `WatchRequest`s; the response streams each `WatchResponse` as a line
//! `{"result":{...}}`, as grpc-gateway streams etcd's watch, until the client disconnects.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use oxcd_proto::etcdserverpb::{WatchRequest, WatchResponse};
use prost::Message;
use prost_reflect::DynamicMessage;
use tokio_stream::StreamExt;
use tonic::Code;

use super::serve_stream;
use crate::api::gateway::{decode_json, descriptor, encode_json, error_response};
use crate::member::Member;

/// Serves one gateway watch stream.
pub fn serve_gateway(member: Arc<Member>, body: &[u8]) -> Response {
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
    let responses = serve_stream(member, tokio_stream::iter(requests));
    let lines = responses.map(|item| {
        let line = match item {
            Ok(response) => format!("{{\"result\":{}}}\n", to_json(&response)),
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

fn to_json(response: &WatchResponse) -> String {
    let desc = descriptor("etcdserverpb.WatchResponse");
    let dynamic = DynamicMessage::decode(desc, response.encode_to_vec().as_slice())
        .expect("a message we encoded decodes with its own descriptor");
    encode_json(&dynamic)
}
