//! Calls on the KV and Watch services.

use oxcd_proto::etcdserverpb::{
    kv_client::KvClient, watch_client::WatchClient, CompactionRequest, CompactionResponse,
    DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse, RangeRequest, RangeResponse,
    TxnRequest, TxnResponse, WatchRequest, WatchResponse,
};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;
use tonic::Streaming;

use crate::client::Within;
use crate::{CallError, Client};

/// A KV client that takes and returns messages of any size, as clientv3's does.
fn kv(channel: Channel) -> KvClient<Channel> {
    KvClient::new(channel)
        .max_decoding_message_size(usize::MAX)
        .max_encoding_message_size(usize::MAX)
}

impl Client {
    /// `Range`, within the command timeout.
    pub async fn range(&mut self, request: RangeRequest) -> Result<RangeResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            kv(ch).range(req).await
        })
        .await
    }

    /// `Put`, within the command timeout.
    pub async fn put(&mut self, request: PutRequest) -> Result<PutResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            kv(ch).put(req).await
        })
        .await
    }

    /// `DeleteRange`, within the command timeout.
    pub async fn delete_range(
        &mut self,
        request: DeleteRangeRequest,
    ) -> Result<DeleteRangeResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            kv(ch).delete_range(req).await
        })
        .await
    }

    /// `Txn`, untimed: etcdctl commits a txn without a deadline.
    pub async fn txn(&mut self, request: TxnRequest) -> Result<TxnResponse, CallError> {
        self.call(Within::Unbounded, request, |ch, req| async move {
            kv(ch).txn(req).await
        })
        .await
    }

    /// `Compact`, within the command timeout.
    pub async fn compact(
        &mut self,
        request: CompactionRequest,
    ) -> Result<CompactionResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            kv(ch).compact(req).await
        })
        .await
    }

    /// Opens a Watch stream carrying `requests`; connecting is bounded by the command timeout,
    /// the stream itself is not.
    pub async fn watch(
        &mut self,
        requests: mpsc::Receiver<WatchRequest>,
    ) -> Result<Streaming<WatchResponse>, CallError> {
        let deadline = self.deadline();
        let channel = self.channel(Some(deadline)).await?;
        let request = self.request(ReceiverStream::new(requests), None);
        WatchClient::new(channel)
            .max_decoding_message_size(usize::MAX)
            .watch(request)
            .await
            .map(tonic::Response::into_inner)
            .map_err(CallError::Status)
    }
}
