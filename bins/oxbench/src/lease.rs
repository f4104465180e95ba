//! The `lease-keepalive` workload, as etcd's benchmark runs it: each client grants one lease,
//! then every request is clientv3's `KeepAliveOnce` on it (a fresh stream, one request, one
//! response).

use oxcd_proto::etcdserverpb::lease_client::LeaseClient;
use oxcd_proto::etcdserverpb::{LeaseGrantRequest, LeaseKeepAliveRequest};
use tonic::transport::Channel;
use tonic::{Code, Status};

use crate::conn::Connection;

/// The TTL of each client's lease (etcd's benchmark grants 100 s).
const LEASE_TTL: i64 = 100;

/// One client's lease and the connection it renews it on.
pub struct KeepAliveClient {
    client: LeaseClient<Channel>,
    connection: Connection,
    id: i64,
}

impl KeepAliveClient {
    /// Grants the lease this client keeps alive.
    pub async fn grant(connection: Connection) -> Result<Self, Status> {
        let mut client = LeaseClient::new(connection.channel.clone());
        let request = connection.request(LeaseGrantRequest {
            ttl: LEASE_TTL,
            id: 0,
        });
        let id = client.lease_grant(request).await?.into_inner().id;
        Ok(Self {
            client,
            connection,
            id,
        })
    }

    /// One keep-alive round trip on its own stream; a TTL of 0 (the lease is gone) is an error.
    pub async fn keep_alive_once(&mut self) -> Result<(), Status> {
        let request = self
            .connection
            .request(tokio_stream::once(LeaseKeepAliveRequest { id: self.id }));
        let mut replies = self.client.lease_keep_alive(request).await?.into_inner();
        match replies.message().await? {
            Some(reply) if reply.ttl > 0 => Ok(()),
            Some(_) => Err(Status::new(
                Code::NotFound,
                "etcdserver: requested lease not found",
            )),
            None => Err(Status::new(
                Code::Unavailable,
                "keep-alive stream closed without a reply",
            )),
        }
    }
}
