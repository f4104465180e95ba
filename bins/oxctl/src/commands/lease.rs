//! `lease grant|revoke|timetolive|list|keep-alive`, and the keep-alive loop that `lock` and
//! `elect` sessions share, behaving as clientv3's `Lease` does.

use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    lease_client::LeaseClient, LeaseGrantRequest, LeaseGrantResponse, LeaseKeepAliveRequest,
    LeaseKeepAliveResponse, LeaseLeasesRequest, LeaseLeasesResponse, LeaseRevokeRequest,
    LeaseRevokeResponse, LeaseTimeToLiveRequest, LeaseTimeToLiveResponse,
};
use tokio::time::Instant;
use tonic::transport::Channel;

use super::{emit, Ctx};
use crate::client::{CallError, Client};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_BAD_CONNECTION, EXIT_ERROR};
use crate::goformat;
use crate::output::lease::hex_id;

/// clientv3's message for a keep-alive answered with TTL 0.
const LEASE_NOT_FOUND: &str = "etcdserver: requested lease not found";

/// How often clientv3's keep-alive loop looks for renewals that are due.
const SEND_TICK: Duration = Duration::from_millis(500);

/// How long clientv3 waits for the first keep-alive response before giving the lease up.
const FIRST_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(1);

fn lease(channel: Channel) -> LeaseClient<Channel> {
    LeaseClient::new(channel).max_decoding_message_size(usize::MAX)
}

impl Client {
    pub async fn lease_grant(
        &mut self,
        ttl: i64,
        timed: bool,
    ) -> Result<LeaseGrantResponse, CallError> {
        self.call(
            LeaseGrantRequest { ttl, id: 0 },
            timed,
            |ch, req| async move { lease(ch).lease_grant(req).await },
        )
        .await
    }

    pub async fn lease_revoke(&mut self, id: i64) -> Result<LeaseRevokeResponse, CallError> {
        self.call(LeaseRevokeRequest { id }, true, |ch, req| async move {
            lease(ch).lease_revoke(req).await
        })
        .await
    }

    pub async fn lease_time_to_live(
        &mut self,
        id: i64,
        keys: bool,
    ) -> Result<LeaseTimeToLiveResponse, CallError> {
        self.call(
            LeaseTimeToLiveRequest { id, keys },
            false,
            |ch, req| async move { lease(ch).lease_time_to_live(req).await },
        )
        .await
    }

    pub async fn lease_leases(&mut self) -> Result<LeaseLeasesResponse, CallError> {
        self.call(LeaseLeasesRequest {}, false, |ch, req| async move {
            lease(ch).lease_leases(req).await
        })
        .await
    }

    /// clientv3's `KeepAliveOnce`: one request on a fresh stream; TTL 0 means the lease is gone.
    pub async fn lease_keep_alive_once(
        &mut self,
        id: i64,
    ) -> Result<LeaseKeepAliveResponse, CallError> {
        let channel = self.channel(Some(self.deadline())).await?;
        let request = self.request(tokio_stream::once(LeaseKeepAliveRequest { id }), None);
        let mut stream = lease(channel)
            .lease_keep_alive(request)
            .await
            .map_err(CallError::Status)?
            .into_inner();
        match stream.message().await.map_err(CallError::Status)? {
            Some(resp) if resp.ttl > 0 => Ok(resp),
            Some(_) => Err(CallError::Status(tonic::Status::not_found(LEASE_NOT_FOUND))),
            None => Err(CallError::Status(tonic::Status::unavailable(
                "keep-alive stream closed",
            ))),
        }
    }

    /// clientv3's `KeepAlive`: renews `id` a third of its TTL after each renewal, handing every
    /// response to `on_response`, reconnecting when the stream breaks. Returns once the lease is
    /// gone (a response with TTL 0) or its deadline passed without a renewal.
    pub async fn lease_keep_alive_loop(
        &mut self,
        id: i64,
        mut on_response: impl FnMut(&LeaseKeepAliveResponse),
    ) {
        let mut deadline = Instant::now() + FIRST_KEEPALIVE_TIMEOUT + SEND_TICK;
        let mut next_send = Instant::now();
        loop {
            if Instant::now() >= deadline {
                return;
            }
            let Ok(channel) = self.channel(Some(deadline)).await else {
                return;
            };
            let (tx, rx) = tokio::sync::mpsc::channel(4);
            // grpc-go answers the call only with its first response: the first renewal must be
            // on its way before the call returns.
            if Instant::now() >= next_send {
                next_send = deadline + SEND_TICK;
                let _ = tx.try_send(LeaseKeepAliveRequest { id });
            }
            let request = self.request(tokio_stream::wrappers::ReceiverStream::new(rx), None);
            let mut rpc = lease(channel);
            let opened = tokio::time::timeout_at(deadline, rpc.lease_keep_alive(request));
            let mut stream = match opened.await {
                Ok(Ok(response)) => response.into_inner(),
                Ok(Err(_)) => {
                    tokio::time::sleep(SEND_TICK).await;
                    continue;
                }
                Err(_) => return,
            };
            let mut tick = tokio::time::interval(SEND_TICK);
            loop {
                tokio::select! {
                    message = stream.message() => match message {
                        Ok(Some(resp)) => {
                            if resp.ttl <= 0 {
                                return;
                            }
                            let now = Instant::now();
                            let ttl = Duration::from_secs(resp.ttl as u64);
                            deadline = now + ttl;
                            next_send = now + ttl / 3;
                            on_response(&resp);
                        }
                        _ => break,
                    },
                    _ = tick.tick() => {
                        if Instant::now() >= next_send {
                            // Not again until a response schedules the next renewal.
                            next_send = deadline + SEND_TICK;
                            if tx.send(LeaseKeepAliveRequest { id }).await.is_err() {
                                break;
                            }
                        }
                    }
                    _ = tokio::time::sleep_until(deadline) => return,
                }
            }
            next_send = Instant::now();
            tokio::time::sleep(SEND_TICK).await;
        }
    }
}

/// etcdctl's `leaseFromArgs`.
pub fn lease_from_arg(arg: &[u8]) -> CtlResult<i64> {
    goformat::parse_int_base(&String::from_utf8_lossy(arg), 16, "ParseInt").map_err(|e| {
        CtlError::new(
            EXIT_BAD_ARGS,
            format!("bad lease ID arg ({e}), expecting ID in Hex"),
        )
    })
}

pub async fn grant(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease grant command needs TTL argument",
        ));
    }
    let ttl = goformat::parse_int_base(&String::from_utf8_lossy(&ctx.inv.args[0]), 10, "ParseInt")
        .map_err(|e| CtlError::new(EXIT_BAD_ARGS, format!("bad TTL ({e})")))?;
    let (mut client, printer) = ctx.client()?;
    let response = client.lease_grant(ttl, true).await.map_err(|e| {
        CtlError::new(
            EXIT_ERROR,
            format!("failed to grant lease ({})", e.message()),
        )
    })?;
    emit(printer.lease_grant(&response)?);
    Ok(())
}

pub async fn revoke(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease revoke command needs 1 argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let (mut client, printer) = ctx.client()?;
    let response = client.lease_revoke(id).await.map_err(|e| {
        CtlError::new(
            EXIT_ERROR,
            format!("failed to revoke lease ({})", e.message()),
        )
    })?;
    emit(printer.lease_revoke(id, &response)?);
    Ok(())
}

pub async fn time_to_live(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease timetolive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let keys = ctx.inv.flags.bool("keys");
    let (mut client, printer) = ctx.client()?;
    let response = client
        .lease_time_to_live(id, keys)
        .await
        .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
    emit(printer.lease_time_to_live(&response, keys)?);
    Ok(())
}

pub async fn list(ctx: &mut Ctx) -> CtlResult<()> {
    let (mut client, printer) = ctx.client()?;
    let response = client
        .lease_leases()
        .await
        .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
    emit(printer.lease_list(&response)?);
    Ok(())
}

pub async fn keep_alive(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease keep-alive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let (mut client, printer) = ctx.client()?;
    if ctx.inv.flags.bool("once") {
        let response = client
            .lease_keep_alive_once(id)
            .await
            .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
        emit(printer.lease_keep_alive(&response)?);
        return Ok(());
    }
    let mut failure = None;
    client
        .lease_keep_alive_loop(id, |resp| match printer.lease_keep_alive(resp) {
            Ok(printed) => emit(printed),
            Err(e) => failure = failure.take().or(Some(e)),
        })
        .await;
    if let Some(e) = failure {
        return Err(e);
    }
    if printer.format == crate::output::Format::Simple {
        println!("lease {} expired or revoked.", hex_id(id));
    }
    Ok(())
}
