//! The connection to the cluster, as etcdctl's clientv3 behaves from the outside: plain-HTTP gRPC
//! to the first endpoint that answers, retried until the command's deadline, an auth token in
//! the `token` metadata, and errors turned into the text etcdctl prints.

use std::future::Future;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    auth_client::AuthClient, cluster_client::ClusterClient, kv_client::KvClient,
    maintenance_client::MaintenanceClient, AuthenticateRequest, CompactionRequest,
    CompactionResponse, DeleteRangeRequest, DeleteRangeResponse, MemberListRequest,
    MemberListResponse, PutRequest, PutResponse, RangeRequest, RangeResponse, StatusRequest,
    StatusResponse, TxnRequest, TxnResponse,
};
use tokio::time::Instant;
use tonic::metadata::AsciiMetadataValue;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Status};

use crate::error::{CtlError, EXIT_BAD_CONNECTION, EXIT_ERROR};

/// How long to wait between rounds of connection attempts when no endpoint answers.
const RECONNECT_BACKOFF: Duration = Duration::from_millis(200);

/// The text etcdctl prints when its context runs out.
pub const DEADLINE_EXCEEDED: &str = "context deadline exceeded";

/// A user name and password for `Authenticate`.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

/// What a client needs from the global flags.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub endpoints: Vec<String>,
    pub dial_timeout: Duration,
    /// The deadline of each request (`--command-timeout`); `None` waits forever (txn).
    pub command_timeout: Duration,
    pub credentials: Option<Credentials>,
}

/// Turns `127.0.0.1:2379` or `http://127.0.0.1:2379` into the URL tonic dials.
pub fn endpoint_url(endpoint: &str) -> String {
    if let Some(rest) = endpoint.strip_prefix("https://") {
        // TLS is not implemented: dial the same address in plain text.
        format!("http://{rest}")
    } else if endpoint.starts_with("http://") {
        endpoint.to_string()
    } else {
        format!("http://{endpoint}")
    }
}

/// A gRPC error as etcdctl prints it: etcd's own errors by their message, anything else as Go's
/// `rpc error: code = ... desc = ...`.
pub fn status_message(status: &Status) -> String {
    let message = status.message();
    if message.starts_with("etcdserver: ") {
        return message.to_string();
    }
    if matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled) {
        return DEADLINE_EXCEEDED.to_string();
    }
    format!(
        "rpc error: code = {} desc = {message}",
        code_name(status.code())
    )
}

fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "Canceled",
        Code::Unknown => "Unknown",
        Code::InvalidArgument => "InvalidArgument",
        Code::DeadlineExceeded => "DeadlineExceeded",
        Code::NotFound => "NotFound",
        Code::AlreadyExists => "AlreadyExists",
        Code::PermissionDenied => "PermissionDenied",
        Code::ResourceExhausted => "ResourceExhausted",
        Code::FailedPrecondition => "FailedPrecondition",
        Code::Aborted => "Aborted",
        Code::OutOfRange => "OutOfRange",
        Code::Unimplemented => "Unimplemented",
        Code::Internal => "Internal",
        Code::Unavailable => "Unavailable",
        Code::DataLoss => "DataLoss",
        Code::Unauthenticated => "Unauthenticated",
    }
}

/// Why a call failed, before it is turned into etcdctl's error line.
#[derive(Debug, Clone)]
pub enum CallError {
    Status(Status),
    DeadlineExceeded,
    /// Authenticating the new connection failed: etcdctl cannot build its client (exit 2).
    Authenticate(String),
}

impl CallError {
    pub fn message(&self) -> String {
        match self {
            CallError::Status(s) => status_message(s),
            CallError::DeadlineExceeded => DEADLINE_EXCEEDED.to_string(),
            CallError::Authenticate(message) => message.clone(),
        }
    }

    pub fn is_permission_denied(&self) -> bool {
        matches!(self, CallError::Status(s) if s.message() == "etcdserver: permission denied")
    }
}

impl From<CallError> for CtlError {
    fn from(err: CallError) -> Self {
        let code = if matches!(err, CallError::Authenticate(_)) {
            EXIT_BAD_CONNECTION
        } else {
            EXIT_ERROR
        };
        CtlError::new(code, err.message())
    }
}

/// A lazily connected client over the configured endpoints.
pub struct Client {
    config: ClientConfig,
    channel: Option<Channel>,
    token: Option<AsciiMetadataValue>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Self {
        Client {
            config,
            channel: None,
            token: None,
        }
    }

    /// A client for one endpoint of `config` (endpoint status/health dial each one).
    pub fn for_endpoint(config: &ClientConfig, endpoint: &str) -> Self {
        Client::new(ClientConfig {
            endpoints: vec![endpoint.to_string()],
            ..config.clone()
        })
    }

    pub(crate) fn deadline(&self) -> Instant {
        Instant::now() + self.config.command_timeout
    }

    /// Connects to the first endpoint that accepts, retrying all of them until `deadline`.
    pub(crate) async fn channel(
        &mut self,
        deadline: Option<Instant>,
    ) -> Result<Channel, CallError> {
        if let Some(channel) = &self.channel {
            return Ok(channel.clone());
        }
        loop {
            for endpoint in &self.config.endpoints {
                let mut dial = self.config.dial_timeout;
                if let Some(deadline) = deadline {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(CallError::DeadlineExceeded);
                    }
                    dial = dial.min(left);
                }
                let Ok(target) = Endpoint::from_shared(endpoint_url(endpoint)) else {
                    continue;
                };
                let target = target.connect_timeout(dial).tcp_nodelay(true);
                if let Ok(channel) = target.connect().await {
                    self.channel = Some(channel.clone());
                    if self.config.credentials.is_some() && self.token.is_none() {
                        self.authenticate(channel.clone(), deadline)
                            .await
                            .map_err(|e| CallError::Authenticate(e.message()))?;
                    }
                    return Ok(channel);
                }
            }
            let pause = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(CallError::DeadlineExceeded);
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
        let response =
            with_deadline(deadline, AuthClient::new(channel).authenticate(request)).await?;
        let token = response.into_inner().token;
        self.token = AsciiMetadataValue::try_from(token.as_str()).ok();
        Ok(())
    }

    /// Connects (and authenticates) now rather than on the first call: etcdctl builds an
    /// authenticated client before it starts timing a health check.
    pub async fn connect(&mut self) -> Result<(), CallError> {
        let deadline = self.deadline();
        self.channel(Some(deadline)).await.map(|_| ())
    }

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

    /// Runs one unary call within the command timeout (or none, for `txn`).
    pub(crate) async fn call<M, T, F, Fut>(
        &mut self,
        message: M,
        timed: bool,
        rpc: F,
    ) -> Result<T, CallError>
    where
        F: FnOnce(Channel, tonic::Request<M>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<T>, Status>>,
    {
        let deadline = timed.then(|| self.deadline());
        let channel = self.channel(deadline).await?;
        let request = self.request(message, deadline);
        with_deadline(deadline, rpc(channel, request))
            .await
            .map(tonic::Response::into_inner)
    }

    pub async fn range(&mut self, request: RangeRequest) -> Result<RangeResponse, CallError> {
        self.call(
            request,
            true,
            |ch, req| async move { kv(ch).range(req).await },
        )
        .await
    }

    pub async fn put(&mut self, request: PutRequest) -> Result<PutResponse, CallError> {
        self.call(
            request,
            true,
            |ch, req| async move { kv(ch).put(req).await },
        )
        .await
    }

    pub async fn delete_range(
        &mut self,
        request: DeleteRangeRequest,
    ) -> Result<DeleteRangeResponse, CallError> {
        self.call(request, true, |ch, req| async move {
            kv(ch).delete_range(req).await
        })
        .await
    }

    /// etcdctl commits a txn without a deadline.
    pub async fn txn(&mut self, request: TxnRequest) -> Result<TxnResponse, CallError> {
        self.call(
            request,
            false,
            |ch, req| async move { kv(ch).txn(req).await },
        )
        .await
    }

    pub async fn compact(
        &mut self,
        request: CompactionRequest,
    ) -> Result<CompactionResponse, CallError> {
        self.call(
            request,
            true,
            |ch, req| async move { kv(ch).compact(req).await },
        )
        .await
    }

    pub async fn member_list(&mut self) -> Result<MemberListResponse, CallError> {
        self.call(MemberListRequest::default(), true, |ch, req| async move {
            ClusterClient::new(ch)
                .max_decoding_message_size(usize::MAX)
                .member_list(req)
                .await
        })
        .await
    }

    /// Opens a Watch stream carrying `requests`; connecting is bounded by the command timeout,
    /// the stream itself is not.
    pub async fn watch(
        &mut self,
        requests: tokio::sync::mpsc::Receiver<oxcd_proto::etcdserverpb::WatchRequest>,
    ) -> Result<tonic::Streaming<oxcd_proto::etcdserverpb::WatchResponse>, CallError> {
        let deadline = self.deadline();
        let channel = self.channel(Some(deadline)).await?;
        let stream = tonic::codegen::tokio_stream::wrappers::ReceiverStream::new(requests);
        let request = self.request(stream, None);
        oxcd_proto::etcdserverpb::watch_client::WatchClient::new(channel)
            .max_decoding_message_size(usize::MAX)
            .watch(request)
            .await
            .map(tonic::Response::into_inner)
            .map_err(CallError::Status)
    }

    pub async fn status(&mut self) -> Result<StatusResponse, CallError> {
        self.call(StatusRequest {}, true, |ch, req| async move {
            MaintenanceClient::new(ch)
                .max_decoding_message_size(usize::MAX)
                .status(req)
                .await
        })
        .await
    }
}

fn kv(channel: Channel) -> KvClient<Channel> {
    KvClient::new(channel)
        .max_decoding_message_size(usize::MAX)
        .max_encoding_message_size(usize::MAX)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etcd_errors_print_their_message() {
        let status = Status::out_of_range("etcdserver: mvcc: required revision has been compacted");
        assert_eq!(
            status_message(&status),
            "etcdserver: mvcc: required revision has been compacted"
        );
        let status = Status::unavailable("connection refused");
        assert_eq!(
            status_message(&status),
            "rpc error: code = Unavailable desc = connection refused"
        );
    }

    #[test]
    fn endpoints_with_or_without_scheme() {
        assert_eq!(endpoint_url("127.0.0.1:2379"), "http://127.0.0.1:2379");
        assert_eq!(
            endpoint_url("http://127.0.0.1:2379"),
            "http://127.0.0.1:2379"
        );
    }
}
