//! Calls on the Lease service, and clientv3's keep-alive loop.

use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    lease_client::LeaseClient, LeaseGrantRequest, LeaseGrantResponse, LeaseKeepAliveRequest,
    LeaseKeepAliveResponse, LeaseLeasesRequest, LeaseLeasesResponse, LeaseRevokeRequest,
    LeaseRevokeResponse, LeaseTimeToLiveRequest, LeaseTimeToLiveResponse,
};
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;
use tonic::Status;

use crate::client::Within;
use crate::{CallError, Client};

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
    /// `LeaseGrant` of a lease with `ttl` seconds and a server-chosen ID, within the command
    /// timeout if `timed` (etcdctl's `lease grant`) or without a deadline (a session's lease).
    pub async fn lease_grant(
        &mut self,
        ttl: i64,
        timed: bool,
    ) -> Result<LeaseGrantResponse, CallError> {
        let within = if timed {
            Within::CommandTimeout
        } else {
            Within::Unbounded
        };
        self.call(
            within,
            LeaseGrantRequest { ttl, id: 0 },
            |ch, req| async move { lease(ch).lease_grant(req).await },
        )
        .await
    }

    /// `LeaseRevoke` of lease `id`, within the command timeout.
    pub async fn lease_revoke(&mut self, id: i64) -> Result<LeaseRevokeResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            LeaseRevokeRequest { id },
            |ch, req| async move { lease(ch).lease_revoke(req).await },
        )
        .await
    }

    /// `LeaseTimeToLive` of lease `id`, with its keys if `keys`; untimed, as etcdctl's.
    pub async fn lease_time_to_live(
        &mut self,
        id: i64,
        keys: bool,
    ) -> Result<LeaseTimeToLiveResponse, CallError> {
        self.call(
            Within::Unbounded,
            LeaseTimeToLiveRequest { id, keys },
            |ch, req| async move { lease(ch).lease_time_to_live(req).await },
        )
        .await
    }

    /// `LeaseLeases`: every lease; untimed, as etcdctl's.
    pub async fn lease_leases(&mut self) -> Result<LeaseLeasesResponse, CallError> {
        self.call(
            Within::Unbounded,
            LeaseLeasesRequest {},
            |ch, req| async move { lease(ch).lease_leases(req).await },
        )
        .await
    }

    /// clientv3's `KeepAliveOnce`: one request on a fresh stream; a TTL of 0 (the lease is gone)
    /// is etcd's
    /// `requested lease not found` error.
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
            Some(_) => Err(CallError::Status(Status::not_found(LEASE_NOT_FOUND))),
            None => Err(CallError::Status(Status::unavailable(
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
            let request = self.request(ReceiverStream::new(rx), None);
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
