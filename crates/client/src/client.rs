//! The connection to the cluster, as etcdctl's clientv3 behaves from the outside: the first
//! endpoint that answers, retried until the call's deadline, an auth token in the `token`
//! metadata, each call bounded by the command timeout. The typed calls are in the modules named
//! after etcd's services.

use std::future::Future;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{auth_client::AuthClient, AuthenticateRequest};
use tokio::time::Instant;
use tonic::metadata::AsciiMetadataValue;
use tonic::transport::Channel;
use tonic::Status;

use crate::dial::{connect_channel, ConnectError, DialConfig};
use crate::error::CallError;

/// How long to wait between rounds of connection attempts when no endpoint answers.
const RECONNECT_BACKOFF: Duration = Duration::from_millis(200);

/// etcd's answer to `Authenticate` while auth is disabled.
const AUTH_NOT_ENABLED: &str = "etcdserver: authentication is not enabled";

/// etcdctl's default `--dial-timeout`.
const DEFAULT_DIAL_TIMEOUT: Duration = Duration::from_secs(2);

/// etcdctl's default `--command-timeout`.
const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(5);

/// A user name and password for `Authenticate`.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user's name.
    pub user: String,
    /// The user's password.
    pub password: String,
}

impl Credentials {
    /// etcdctl's `--user` and `--password` (etcd's benchmark has `--user` alone): `name:password`,
    /// or the whole of `user` as the name with `password`, or else with what `ask` prompts for.
    /// `None` unless both a name and a password result, as clientv3 authenticates only then.
    pub fn from_flags(
        user: &str,
        password: &str,
        ask: impl FnOnce() -> std::io::Result<String>,
    ) -> std::io::Result<Option<Credentials>> {
        if user.is_empty() {
            return Ok(None);
        }
        let (name, password) = if !password.is_empty() {
            (user.to_string(), password.to_string())
        } else if let Some((name, password)) = user.split_once(':') {
            (name.to_string(), password.to_string())
        } else {
            (user.to_string(), ask()?)
        };
        if name.is_empty() || password.is_empty() {
            return Ok(None);
        }
        Ok(Some(Credentials {
            user: name,
            password,
        }))
    }
}

/// Where a [`Client`] connects, how, and how long its calls may take.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The cluster's client URLs (`host:port` or `http://host:port`), tried in this order.
    pub endpoints: Vec<String>,
    /// How each connection is opened. A call's deadline may shorten the dial timeout.
    pub dial: DialConfig,
    /// The deadline of each call (etcdctl's `--command-timeout`), except those documented as
    /// untimed, which wait for as long as the server takes.
    pub command_timeout: Duration,
    /// Authenticate each new connection as this user and send the token with every request.
    pub credentials: Option<Credentials>,
}

impl ClientConfig {
    /// `endpoints` with etcdctl's defaults: a 2 s dial timeout, a 5 s command timeout, no user.
    pub fn new(endpoints: Vec<String>) -> Self {
        ClientConfig {
            endpoints,
            dial: DialConfig::new(DEFAULT_DIAL_TIMEOUT),
            command_timeout: DEFAULT_COMMAND_TIMEOUT,
            credentials: None,
        }
    }
}

/// A lazily connected client over the endpoints of its [`ClientConfig`]. It keeps the first
/// connection it opens (and its token) for all later calls.
pub struct Client {
    config: ClientConfig,
    channel: Option<Channel>,
    token: Option<AsciiMetadataValue>,
}

impl Client {
    /// A client that connects on its first call.
    pub fn new(config: ClientConfig) -> Self {
        Client {
            config,
            channel: None,
            token: None,
        }
    }

    /// A client for one endpoint of `config` (etcdctl's endpoint status and health dial each
    /// one in turn).
    pub fn for_endpoint(config: &ClientConfig, endpoint: &str) -> Self {
        Client::new(ClientConfig {
            endpoints: vec![endpoint.to_string()],
            ..config.clone()
        })
    }

    /// Connects (and authenticates) now rather than on the first call: etcdctl builds an
    /// authenticated client before it starts timing a health check.
    pub async fn connect(&mut self) -> Result<(), CallError> {
        let deadline = self.deadline();
        self.channel(Some(deadline)).await.map(|_| ())
    }

    /// The connection, opened (and authenticated on) within the command timeout if it is not
    /// yet: for callers that send their own requests on it, made by [`Client::authorized`].
    pub async fn connection(&mut self) -> Result<Channel, CallError> {
        let deadline = self.deadline();
        self.channel(Some(deadline)).await
    }

    /// `message` as a request carrying this client's auth token, if it has one, and no deadline.
    pub fn authorized<T>(&self, message: T) -> tonic::Request<T> {
        self.request(message, None)
    }

    /// The deadline of a call that starts now.
    pub(crate) fn deadline(&self) -> Instant {
        Instant::now() + self.config.command_timeout
    }

    /// Connects to the first endpoint that accepts, retrying all of them until `deadline`; an
    /// endpoint that speaks the other protocol (TLS or plain) ends the attempt at once.
    pub(crate) async fn channel(
        &mut self,
        deadline: Option<Instant>,
    ) -> Result<Channel, CallError> {
        if let Some(channel) = &self.channel {
            return Ok(channel.clone());
        }
        let mut last_error = None;
        loop {
            for endpoint in &self.config.endpoints {
                let mut dial = self.config.dial.clone();
                if let Some(deadline) = deadline {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(timed_out(last_error));
                    }
                    dial.timeout = dial.timeout.min(left);
                }
                let channel = match connect_channel(endpoint, &dial).await {
                    Ok(channel) => channel,
                    Err(error) if error.is_permanent() => {
                        return Err(CallError::WrongProtocol(error))
                    }
                    Err(error) => {
                        last_error = Some(error);
                        continue;
                    }
                };
                self.channel = Some(channel.clone());
                if self.config.credentials.is_some() && self.token.is_none() {
                    self.authenticate(channel.clone(), deadline)
                        .await
                        .map_err(|e| CallError::Authenticate(e.message()))?;
                }
                return Ok(channel);
            }
            let pause = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(timed_out(last_error));
                    }
                    left.min(RECONNECT_BACKOFF)
                }
                None => RECONNECT_BACKOFF,
            };
            tokio::time::sleep(pause).await;
        }
    }

    async fn authenticate(
        &mut self,
        channel: Channel,
        deadline: Option<Instant>,
    ) -> Result<(), CallError> {
        let credentials = self
            .config
            .credentials
            .clone()
            .expect("checked by the caller");
        let request = AuthenticateRequest {
            name: credentials.user,
            password: credentials.password,
        };
        let response = match with_deadline(deadline, AuthClient::new(channel).authenticate(request))
            .await
        {
            Ok(response) => response,
            // clientv3's getToken: a server without auth serves the user unauthenticated.
            Err(CallError::Status(status)) if status.message() == AUTH_NOT_ENABLED => return Ok(()),
            Err(e) => return Err(e),
        };
        let token = response.into_inner().token;
        self.token = AsciiMetadataValue::try_from(token.as_str()).ok();
        Ok(())
    }

    /// `message` as a request carrying the auth token and, if given, the deadline.
    pub(crate) fn request<T>(&self, message: T, deadline: Option<Instant>) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        if let Some(token) = &self.token {
            request.metadata_mut().insert("token", token.clone());
        }
        if let Some(deadline) = deadline {
            request.set_timeout(deadline.saturating_duration_since(Instant::now()));
        }
        request
    }

    /// Runs one unary call, connecting first if need be, both bounded by `within`.
    pub(crate) async fn call<M, T, F, Fut>(
        &mut self,
        within: Within,
        message: M,
        rpc: F,
    ) -> Result<T, CallError>
    where
        F: FnOnce(Channel, tonic::Request<M>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<T>, Status>>,
    {
        let deadline = match within {
            Within::CommandTimeout => Some(self.deadline()),
            Within::Deadline(deadline) => Some(deadline),
            Within::Unbounded => None,
        };
        let channel = self.channel(deadline).await?;
        let request = self.request(message, deadline);
        with_deadline(deadline, rpc(channel, request))
            .await
            .map(tonic::Response::into_inner)
    }
}

/// How long a call may take.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Within {
    /// The command timeout, from the start of the call.
    CommandTimeout,
    /// A deadline shared with other calls (etcdctl's single context for a command).
    Deadline(Instant),
    /// As long as the server takes.
    Unbounded,
}

/// Awaits `call`, giving up with [`CallError::DeadlineExceeded`] at `deadline`.
async fn with_deadline<T, Fut>(deadline: Option<Instant>, call: Fut) -> Result<T, CallError>
where
    Fut: Future<Output = Result<T, Status>>,
{
    let result = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline, call).await {
            Ok(result) => result,
            Err(_) => return Err(CallError::DeadlineExceeded),
        },
        None => call.await,
    };
    result.map_err(CallError::Status)
}

/// The deadline passed while connecting: with the last endpoint's failure if there was one.
fn timed_out(last_error: Option<ConnectError>) -> CallError {
    match last_error {
        Some(error) => CallError::Unreachable(error),
        None => CallError::DeadlineExceeded,
    }
}
