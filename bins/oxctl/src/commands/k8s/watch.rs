//! `k8s watch TYPE [-n NS]`: a resource type's events as they happen, decoded, as
//! `kubectl get -w --output-watch-events` prints them (ADDED, MODIFIED, DELETED with the object).

use oxcd_client::Client;
use oxcd_proto::etcdserverpb::{watch_request::RequestUnion, WatchCreateRequest, WatchRequest};
use oxcd_proto::mvccpb::event::EventType;
use serde_json::json;
use tokio::sync::mpsc;

use super::common::{resolve_type, write_out, Output, Reader};
use crate::commands::Ctx;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};
use oxcd_client::prefix_end;

pub async fn watch(ctx: &mut Ctx) -> CtlResult<()> {
    let output = Output::from_flags(&ctx.inv.flags)?;
    let [type_arg] = ctx.inv.args.as_slice() else {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "k8s watch needs one resource type",
        ));
    };
    let type_arg = String::from_utf8_lossy(type_arg).into_owned();
    let namespace = ctx.inv.flags.string("namespace");
    let reader = Reader::from_flags(&ctx.inv.flags)?;
    let mut client = Client::new(ctx.client_config()?);
    let (_, mut prefix) = resolve_type(&mut client, &type_arg).await?;
    if !namespace.is_empty() {
        prefix.extend_from_slice(namespace.as_bytes());
        prefix.push(b'/');
    }
    let (sender, receiver) = mpsc::channel(1);
    sender
        .send(WatchRequest {
            request_union: Some(RequestUnion::CreateRequest(WatchCreateRequest {
                range_end: prefix_end(&prefix),
                key: prefix,
                prev_kv: true,
                ..Default::default()
            })),
        })
        .await
        .map_err(|_| CtlError::new(EXIT_ERROR, "watch stream closed"))?;
    let mut stream = client.watch(receiver).await?;
    loop {
        let response = match stream.message().await {
            Ok(Some(response)) => response,
            Ok(None) => return Ok(()),
            Err(status) => return Err(CtlError::new(EXIT_ERROR, status.message().to_string())),
        };
        if response.canceled {
            return Err(CtlError::new(
                EXIT_ERROR,
                format!("watch canceled: {}", response.cancel_reason),
            ));
        }
        for event in response.events {
            let deleted = event.r#type == EventType::Delete as i32;
            let (kind, kv) = if deleted {
                // The object as it was, at the deletion's revision, as the API server shows it.
                let revision = event.kv.as_ref().map(|kv| kv.mod_revision);
                let object = event.prev_kv.map(|mut kv| {
                    kv.mod_revision = revision.unwrap_or(kv.mod_revision);
                    kv
                });
                ("DELETED", object.or(event.kv))
            } else {
                let created = event.kv.as_ref().is_some_and(|kv| kv.version == 1);
                (if created { "ADDED" } else { "MODIFIED" }, event.kv)
            };
            let Some(kv) = kv else { continue };
            let object = reader.object(&kv);
            let text = match output {
                Output::Json => oxcd_k8s::to_json(&json!({"type": kind, "object": object})),
                Output::Simple | Output::Yaml => format!(
                    "---\n{}",
                    oxcd_k8s::to_yaml(&json!({"type": kind, "object": object}))
                ),
            };
            write_out(&text)?;
        }
    }
}
