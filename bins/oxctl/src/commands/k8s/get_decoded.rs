//! `get --decode`: the range's values as Kubernetes objects.

use oxcd_client::Client;
use oxcd_proto::etcdserverpb::RangeRequest;
use serde_json::Value as Json;

use super::common::{list_of, write_out, Output, Reader};
use crate::commands::Ctx;
use crate::error::CtlResult;

/// `get --decode`: the range's values decoded; one object alone, several as kubectl's List (or,
/// in the simple format, each key followed by its object in YAML).
pub async fn get_decoded(ctx: &mut Ctx, request: RangeRequest) -> CtlResult<()> {
    let output = Output::from_flags(&ctx.inv.flags)?;
    let reader = Reader::from_flags(&ctx.inv.flags)?;
    let config = ctx.client_config()?;
    let mut client = Client::new(config);
    let response = client.range(request).await?;
    let decoded: Vec<(Vec<u8>, Json)> = response
        .kvs
        .iter()
        .map(|kv| (kv.key.to_vec(), reader.object(kv)))
        .collect();
    let text = match output {
        Output::Simple => decoded
            .iter()
            .map(|(key, object)| {
                format!(
                    "{}\n{}",
                    String::from_utf8_lossy(key),
                    oxcd_k8s::to_yaml(object)
                )
            })
            .collect(),
        _ if decoded.len() == 1 => output.object(&decoded[0].1),
        _ => output.object(&list_of(decoded.into_iter().map(|(_, o)| o).collect())),
    };
    write_out(&text)
}
