//! Connections to the cluster: each opened (and, with `--user`, authenticated) once and shared
//! by the request loops that use it.

use std::sync::Arc;

use oxcd_client::{Client, ClientConfig};
use tonic::transport::Channel;

/// One connection, shared by the request loops that use it.
#[derive(Clone)]
pub struct Connection {
    pub channel: Channel,
    /// The client that opened the connection: it holds the token of its user, if any.
    client: Arc<Client>,
}

impl Connection {
    /// `message` as a request carrying the connection's auth token, if it has one.
    pub fn request<T>(&self, message: T) -> tonic::Request<T> {
        self.client.authorized(message)
    }
}

/// `count` connections, spread round-robin over the endpoints of `config`; each one
/// authenticates once if `config` names a user, as each of etcd's benchmark clients does.
pub async fn connect_all(config: &ClientConfig, count: usize) -> Result<Vec<Connection>, String> {
    assert!(!config.endpoints.is_empty(), "clap requires an endpoint");
    let mut connections = Vec::with_capacity(count);
    for i in 0..count {
        let endpoint = &config.endpoints[i % config.endpoints.len()];
        let mut client = Client::for_endpoint(config, endpoint);
        let channel = client
            .connection()
            .await
            .map_err(|e| match e.connect_error() {
                // Why the endpoint was unreachable says more than the deadline that passed.
                Some(error) => error.to_string(),
                None => format!("{endpoint}: {e}"),
            })?;
        connections.push(Connection {
            channel,
            client: Arc::new(client),
        });
    }
    Ok(connections)
}
