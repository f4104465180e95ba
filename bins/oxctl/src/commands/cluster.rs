//! `member list`, `endpoint status` and `endpoint health`.

use std::time::Instant;

use oxcd_client::{Client, ClientConfig};
use oxcd_proto::etcdserverpb::RangeRequest;
use tokio::task::JoinSet;

use super::{emit, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_ERROR};
use crate::goformat;
use crate::output::{EndpointHealth, EndpointStatus};

pub async fn member_list(ctx: &mut Ctx) -> CtlResult<()> {
    let (mut client, printer) = ctx.client()?;
    let response = client.member_list().await?;
    emit(printer.member_list(&response)?);
    Ok(())
}

/// etcdctl's `endpointsFromCluster`: `--endpoints`, or with `--cluster` every client URL of the
/// member list (fetched without credentials, as MemberList needs none).
pub(super) async fn endpoints(ctx: &mut Ctx, config: &ClientConfig) -> CtlResult<Vec<String>> {
    if !ctx.inv.flags.bool("cluster") {
        return Ok(config.endpoints.clone());
    }
    let mut client = Client::new(ClientConfig {
        credentials: None,
        ..config.clone()
    });
    let members = client.member_list().await.map_err(|e| {
        CtlError::new(
            EXIT_ERROR,
            format!(
                "failed to fetch endpoints from etcd cluster member list: {}",
                e.message()
            ),
        )
    })?;
    Ok(members
        .members
        .into_iter()
        .flat_map(|m| m.client_ur_ls)
        .collect())
}

pub async fn endpoint_status(ctx: &mut Ctx) -> CtlResult<()> {
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let mut statuses = Vec::new();
    let mut failed = false;
    for endpoint in endpoints(ctx, &config).await? {
        match Client::for_endpoint(&config, &endpoint).status().await {
            Ok(response) => statuses.push(EndpointStatus { endpoint, response }),
            Err(err) => {
                failed = true;
                eprintln!(
                    "Failed to get the status of endpoint {endpoint} ({})",
                    err.message()
                );
            }
        }
    }
    emit(printer.endpoint_status(&statuses)?);
    if failed {
        return Err(CtlError::silent(EXIT_ERROR));
    }
    Ok(())
}

/// A member is healthy when a linearizable read of the key `health` commits (permission denied
/// counts: the request went through consensus).
async fn check_health(config: ClientConfig, endpoint: String) -> EndpointHealth {
    let mut client = Client::for_endpoint(&config, &endpoint);
    if config.credentials.is_some() {
        if let Err(err) = client.connect().await {
            return EndpointHealth {
                endpoint,
                health: false,
                took: String::new(),
                error: err.message(),
            };
        }
    }
    let started = Instant::now();
    let result = client
        .range(RangeRequest {
            key: b"health".to_vec(),
            ..Default::default()
        })
        .await;
    let took = goformat::duration_string(started.elapsed());
    match result {
        Ok(_) => EndpointHealth {
            endpoint,
            health: true,
            took,
            error: String::new(),
        },
        Err(err) if err.is_permission_denied() => EndpointHealth {
            endpoint,
            health: true,
            took,
            error: String::new(),
        },
        Err(err) => EndpointHealth {
            endpoint,
            health: false,
            took,
            error: err.message(),
        },
    }
}

pub async fn endpoint_health(ctx: &mut Ctx) -> CtlResult<()> {
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let mut checks = JoinSet::new();
    for endpoint in endpoints(ctx, &config).await? {
        checks.spawn(check_health(config.clone(), endpoint));
    }
    // Reported in the order the checks finish, as etcdctl collects them from a channel.
    let mut results = Vec::new();
    while let Some(done) = checks.join_next().await {
        results.push(done.map_err(|e| CtlError::new(EXIT_ERROR, e))?);
    }
    emit(printer.endpoint_health(&results)?);
    if results.iter().any(|h| !h.error.is_empty()) {
        return Err(CtlError::new(EXIT_ERROR, "unhealthy cluster"));
    }
    Ok(())
}
