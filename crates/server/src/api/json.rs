//! The JSON side of etcd's grpc-gateway (`POST /v3/<service>/<method>`): bodies are transcoded
//! by reflection over the protobuf descriptors into the same request types the gRPC services
//! take, so both front doors share one implementation. Output follows grpc-gateway's marshaler
//! as etcd configures it: proto field names, 64-bit integers as strings, zero values omitted,
//! enums by name. Each service module lists its own [`GatewayRoute`]s; `api::gateway` dispatches.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use prost::Message;
use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, Kind, MessageDescriptor, SerializeOptions,
};
use serde_json::Value;
use tonic::{Code, Status};

use crate::member::Member;

/// What a gateway handler returns.
pub type GatewayFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

/// One gateway method: its path below `/v3/` and the function that serves a call to it.
pub struct GatewayRoute {
    pub path: &'static str,
    pub serve: fn(Arc<Member>, GatewayCall) -> GatewayFuture,
}

/// One gateway request: its JSON body and, as gRPC metadata, the `Authorization` header that
/// carries its token (grpc-gateway forwards it the same way).
pub struct GatewayCall {
    pub body: Bytes,
    pub metadata: tonic::metadata::MetadataMap,
}

impl GatewayCall {
    /// `message` as a gRPC request with this call's metadata.
    pub fn request<T>(&self, message: T) -> tonic::Request<T> {
        tonic::Request::from_parts(self.metadata.clone(), tonic::Extensions::default(), message)
    }
}

/// A [`GatewayRoute`] for a unary gRPC method: the JSON body is transcoded into the request
/// message `$req`, served by `$service`'s gRPC method, and the `$resp` answer transcoded back.
/// Message names without a package are `etcdserverpb`'s.
macro_rules! unary_route {
    ($path:literal, $service:ident :: $method:ident, $req:literal, $resp:literal) => {
        $crate::api::json::GatewayRoute {
            path: $path,
            serve: |member, call| {
                Box::pin(async move {
                    $crate::api::json::call(&call.body, $req, $resp, |r| {
                        let request = call.request(r);
                        async move { $service(member).$method(request).await }
                    })
                    .await
                })
            },
        }
    };
}
pub(crate) use unary_route;

fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        DescriptorPool::decode(oxcd_proto::FILE_DESCRIPTOR_SET)
            .expect("descriptors generated at build time decode")
    })
}

/// Whether `service` (its full name) has a method `method`: the RPCs this server answers.
pub(crate) fn is_method(service: &str, method: &str) -> bool {
    // Asked for every call: a map, instead of the pool's linear searches.
    static METHODS: OnceLock<HashMap<String, HashSet<String>>> = OnceLock::new();
    METHODS
        .get_or_init(|| {
            pool()
                .services()
                .map(|s| {
                    let methods = s.methods().map(|m| m.name().to_string()).collect();
                    (s.full_name().to_string(), methods)
                })
                .collect()
        })
        .get(service)
        .is_some_and(|methods| methods.contains(method))
}

pub(crate) fn descriptor(name: &str) -> MessageDescriptor {
    pool()
        .get_message_by_name(name)
        .unwrap_or_else(|| panic!("{name} is in the descriptor set"))
}

/// Names without a package are `etcdserverpb`'s.
fn qualified(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("etcdserverpb.{name}")
    }
}

pub(crate) async fn call<Req, Resp, F, Fut>(
    body: &[u8],
    req_name: &str,
    resp_name: &str,
    f: F,
) -> Response
where
    Req: Message + Default,
    Resp: Message,
    F: FnOnce(Req) -> Fut,
    Fut: Future<Output = Result<tonic::Response<Resp>, Status>>,
{
    let req_desc = descriptor(&qualified(req_name));
    let req = match decode_json::<Req>(&req_desc, body) {
        Ok(r) => r,
        Err(msg) => return error_response(Code::InvalidArgument, &msg),
    };
    match f(req).await {
        Ok(resp) => {
            let bytes = resp.into_inner().encode_to_vec();
            let desc = descriptor(&qualified(resp_name));
            match DynamicMessage::decode(desc, bytes.as_slice()) {
                Ok(dynamic) => json_response(StatusCode::OK, encode_json(&dynamic)),
                Err(e) => error_response(Code::Internal, &e.to_string()),
            }
        }
        Err(status) => error_response(status.code(), status.message()),
    }
}

pub(crate) fn decode_json<Req: Message + Default>(
    desc: &MessageDescriptor,
    body: &[u8],
) -> Result<Req, String> {
    let encoded = json_to_protobuf(desc, body)?;
    Req::decode(encoded.as_slice()).map_err(|e| e.to_string())
}

/// A gateway request body for the message `full_name` ("etcdserverpb.TxnRequest"), as every
/// route reads it: JSON in, the message's protobuf encoding out, or the gateway's error.
pub fn request_json_to_protobuf(full_name: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let desc = pool()
        .get_message_by_name(full_name)
        .ok_or_else(|| format!("no message {full_name}"))?;
    json_to_protobuf(&desc, body)
}

fn json_to_protobuf(desc: &MessageDescriptor, body: &[u8]) -> Result<Vec<u8>, String> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| format!("invalid character in JSON input: {e}"))?;
    check_enums(desc, &value)?;
    let options = DeserializeOptions::new().deny_unknown_fields(false);
    let dynamic = DynamicMessage::deserialize_with_options(desc.clone(), value, &options)
        .map_err(|e| e.to_string())?;
    Ok(dynamic.encode_to_vec())
}

/// A message as the gateway writes it; `full_name` names its descriptor.
pub(crate) fn message_json<M: Message>(full_name: &str, message: &M) -> String {
    let dynamic = DynamicMessage::decode(descriptor(full_name), message.encode_to_vec().as_slice())
        .expect("a message we encoded decodes with its own descriptor");
    encode_json(&dynamic)
}

/// Serializes like etcd's gateway marshaler.
pub fn encode_json(message: &DynamicMessage) -> String {
    let options = SerializeOptions::new()
        .stringify_64_bit_integers(true)
        .use_proto_field_name(true)
        .skip_default_fields(true);
    let mut out = serde_json::Serializer::new(Vec::new());
    message
        .serialize_with_options(&mut out, &options)
        .expect("serializing a decoded message to memory cannot fail");
    String::from_utf8(out.into_inner()).expect("serde_json writes UTF-8")
}

/// Finds an enum given by an unknown name and reports it the way etcd's gateway (Go's jsonpb) does.
fn check_enums(desc: &MessageDescriptor, value: &Value) -> Result<(), String> {
    let Value::Object(map) = value else {
        return Ok(());
    };
    for (name, v) in map {
        let Some(field) = desc
            .get_field_by_name(name)
            .or_else(|| desc.get_field_by_json_name(name))
        else {
            continue;
        };
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match field.kind() {
                Kind::Enum(e) => {
                    if let Value::String(s) = item {
                        if e.get_value_by_name(s).is_none() {
                            let go_name = e
                                .full_name()
                                .replacen(&format!("{}.", e.package_name()), "", 1)
                                .replace('.', "_");
                            return Err(format!(
                                "unknown value {s:?} for enum {}.{go_name}",
                                e.package_name()
                            ));
                        }
                    }
                }
                Kind::Message(m) => check_enums(&m, item)?,
                _ => {}
            }
        }
    }
    Ok(())
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// grpc-gateway's error body and its gRPC-code-to-HTTP-status mapping.
pub fn error_response(code: Code, message: &str) -> Response {
    let status = match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::REQUEST_TIMEOUT,
        Code::InvalidArgument | Code::OutOfRange => StatusCode::BAD_REQUEST,
        // grpc-gateway v1, which etcd 3.4 serves with.
        Code::FailedPrecondition => StatusCode::PRECONDITION_FAILED,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let body = serde_json::json!({"error": message, "message": message, "code": code as i32});
    json_response(status, body.to_string())
}

/// grpc-gateway's error object inside a stream.
pub(crate) fn stream_error(status: &Status) -> String {
    let http = match status.code() {
        Code::NotFound => 404,
        Code::InvalidArgument | Code::OutOfRange => 400,
        Code::FailedPrecondition => 412,
        Code::Unavailable => 503,
        Code::DeadlineExceeded => 504,
        Code::Cancelled => 408,
        _ => 500,
    };
    let reason = StatusCode::from_u16(http)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let error = serde_json::json!({
        "grpc_code": status.code() as i32,
        "http_code": http,
        "message": status.message(),
        "http_status": reason,
    });
    format!("{}\n", serde_json::json!({ "error": error }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::etcdserverpb::RangeRequest;

    #[test]
    fn accepts_proto_and_json_names_and_string_integers() {
        let desc = descriptor("etcdserverpb.RangeRequest");
        let r: RangeRequest = decode_json(
            &desc,
            br#"{"key":"YQ==","rangeEnd":"Yg==","revision":"7","limit":2}"#,
        )
        .unwrap();
        assert_eq!(
            (
                r.key.as_slice(),
                r.range_end.as_slice(),
                r.revision,
                r.limit
            ),
            (&b"a"[..], &b"b"[..], 7, 2)
        );
    }

    #[test]
    fn unknown_enum_names_get_etcds_message() {
        let desc = descriptor("etcdserverpb.RangeRequest");
        let err = decode_json::<RangeRequest>(&desc, br#"{"key":"YQ==","sort_order":"BOGUS"}"#)
            .unwrap_err();
        assert_eq!(
            err,
            r#"unknown value "BOGUS" for enum etcdserverpb.RangeRequest_SortOrder"#
        );
    }

    #[test]
    fn output_uses_proto_names_string_int64_and_omits_zeros() {
        let desc = descriptor("etcdserverpb.ResponseHeader");
        let header = oxcd_proto::etcdserverpb::ResponseHeader {
            cluster_id: 1,
            member_id: 0,
            revision: 5,
            raft_term: 2,
        };
        let dynamic = DynamicMessage::decode(desc, header.encode_to_vec().as_slice()).unwrap();
        assert_eq!(
            encode_json(&dynamic),
            r#"{"cluster_id":"1","revision":"5","raft_term":"2"}"#
        );
    }
}
