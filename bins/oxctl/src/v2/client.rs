//! etcd's v2 `client.Client` as etcdctl configures it: the endpoints, tried in turn from the
//! last one that answered; per-request header timeouts and the command's total deadline;
//! redirects; basic auth; `--debug`'s cURL lines; and `Sync`, which replaces the endpoints with
//! the members' client URLs.

use std::time::{Duration, Instant};

use super::error::V2Error;
use super::http::{Request, Response, Transport, TransportError};
use super::url::{self, Endpoint};

/// Where a request goes on an endpoint.
#[derive(Debug, Clone)]
pub enum Target {
    /// `/v2/keys` + the key, made canonical (`pathutil.CanonicalURLPath`).
    Key(String),
    /// `/v2/members`, then the tail joined (`path.Join`).
    Members(String),
    /// `/v2/auth`, then the tail joined (`path.Join`).
    Auth(String),
}

/// One request, to be sent to whichever endpoint answers.
#[derive(Debug, Clone)]
pub struct Action {
    pub method: &'static str,
    pub target: Target,
    /// Already encoded.
    pub query: String,
    pub content_type: Option<&'static str>,
    pub body: Option<Vec<u8>>,
    /// A watch (`wait=true`): no header timeout.
    pub wait: bool,
    /// Create and delete requests go to one endpoint only, never retried on another.
    pub one_shot: bool,
}

impl Action {
    pub fn get(target: Target, query: String) -> Self {
        Action {
            method: "GET",
            target,
            query,
            content_type: None,
            body: None,
            wait: false,
            one_shot: false,
        }
    }

    fn url(&self, endpoint: &Endpoint) -> String {
        let path = match &self.target {
            Target::Key(key) => {
                let key = if key.is_empty() || key.starts_with('/') {
                    key.clone()
                } else {
                    format!("/{key}")
                };
                url::canonical(&format!("{}/v2/keys{key}", endpoint.path))
            }
            Target::Members(tail) => url::join(&url::join(&endpoint.path, "/v2/members"), tail),
            Target::Auth(tail) => url::join(&url::join(&endpoint.path, "/v2/auth"), tail),
        };
        endpoint.with(&path, &self.query)
    }
}

/// A complete answer: status, the headers that matter, the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub etcd_index: String,
    pub body: Vec<u8>,
}

pub struct Client {
    endpoints: Vec<Endpoint>,
    pinned: usize,
    transport: Transport,
    header_timeout: Duration,
    credentials: Option<(String, String)>,
    debug: bool,
}

impl Client {
    pub fn new(
        endpoints: Vec<Endpoint>,
        transport: Transport,
        header_timeout: Duration,
        credentials: Option<(String, String)>,
        debug: bool,
    ) -> Self {
        Client {
            endpoints,
            pinned: 0,
            transport,
            header_timeout,
            credentials,
            debug,
        }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The endpoints, as `Endpoints()` lists them.
    pub fn endpoint_list(&self) -> Vec<String> {
        self.endpoints.iter().map(|e| e.text.clone()).collect()
    }

    /// `httpClusterClient.Do`: the pinned endpoint first, then the others; `deadline` is the
    /// command's context (none for a watch).
    pub async fn call(
        &mut self,
        action: &Action,
        deadline: Option<Instant>,
    ) -> Result<Answer, V2Error> {
        if self.endpoints.is_empty() {
            return Err(V2Error::other("client: no endpoints available"));
        }
        let count = self.endpoints.len();
        let mut errors = Vec::new();
        for i in self.pinned..self.pinned + count {
            let k = i % count;
            let endpoint = self.endpoints[k].clone();
            let failure = match self.follow_redirects(action, &endpoint, deadline).await {
                Ok(answer) if answer.status / 100 == 5 => {
                    let message = if answer.status == 500 || answer.status == 503 {
                        format!("client: etcd member {} has no leader", endpoint.text)
                    } else {
                        format!(
                            "client: etcd member {} returns server error [{}]",
                            endpoint.text,
                            status_text(answer.status)
                        )
                    };
                    errors.push(TransportError {
                        message,
                        connection: false,
                    });
                    errors[0].clone()
                }
                Ok(answer) => {
                    self.pinned = k;
                    return Ok(answer);
                }
                Err(Attempt::Deadline) => return Err(V2Error::deadline()),
                Err(Attempt::Fatal(err)) => return Err(err),
                Err(Attempt::Failed(err)) => {
                    errors.push(err.clone());
                    err
                }
            };
            if action.one_shot {
                self.pinned = (k + 1) % count;
                return Err(V2Error::Single(failure));
            }
        }
        Err(V2Error::Cluster(errors))
    }

    async fn follow_redirects(
        &self,
        action: &Action,
        endpoint: &Endpoint,
        deadline: Option<Instant>,
    ) -> Result<Answer, Attempt> {
        let mut url = action.url(endpoint);
        for redirects in 0..100 {
            if redirects > 10 {
                return Err(Attempt::Fatal(V2Error::other("client: too many redirects")));
            }
            let response = self.exchange(action, &url, endpoint, deadline).await?;
            if response.status / 100 != 3 {
                let status = response.status;
                let etcd_index = response.header("X-Etcd-Index");
                let body = within(deadline, response.body()).await?;
                return Ok(Answer {
                    status,
                    etcd_index,
                    body,
                });
            }
            let location = response.header("Location");
            if location.is_empty() {
                return Err(Attempt::Fatal(V2Error::other("location header not set")));
            }
            url = location;
        }
        Err(Attempt::Fatal(V2Error::other(
            "client: too many redirect checks",
        )))
    }

    /// One request and its response headers, within the header timeout and the deadline.
    async fn exchange(
        &self,
        action: &Action,
        url: &str,
        endpoint: &Endpoint,
        deadline: Option<Instant>,
    ) -> Result<Response, Attempt> {
        let request = Request {
            method: action.method,
            url: url.to_string(),
            content_type: action.content_type,
            body: action.body.clone(),
            basic_auth: self.credentials.clone(),
        };
        if self.debug {
            let mut command = format!("curl -X {} {}", request.method, request.url);
            if let Some(body) = &request.body {
                command.push_str(&format!(" -d {}", crate::goformat::quote_bytes(body)));
            }
            eprintln!("cURL Command: {command}");
        }
        let header_deadline = (!action.wait && !self.header_timeout.is_zero())
            .then(|| Instant::now() + self.header_timeout);
        let limit = match (deadline, header_deadline) {
            (Some(d), Some(h)) => Some(d.min(h)),
            (d, h) => d.or(h),
        };
        let trip = self.transport.round_trip(&request);
        let result = match limit {
            Some(limit) => match tokio::time::timeout_at(limit.into(), trip).await {
                Ok(result) => result,
                Err(_) if deadline.is_some_and(|d| Instant::now() >= d) => {
                    return Err(Attempt::Deadline)
                }
                Err(_) => {
                    return Err(Attempt::Failed(TransportError {
                        message: format!(
                            "client: endpoint {} exceeded header timeout",
                            endpoint.text
                        ),
                        connection: false,
                    }))
                }
            },
            None => trip.await,
        };
        result.map_err(Attempt::Failed)
    }

    /// The tail of `Client.Sync`: the endpoints are replaced only when the set changed, so the
    /// pinned endpoint survives a sync that found the same members.
    pub fn replace_endpoints(&mut self, fresh: Vec<Endpoint>) {
        let mut current = self.endpoint_list();
        let mut texts: Vec<String> = fresh.iter().map(|e| e.text.clone()).collect();
        current.sort();
        texts.sort();
        if current != texts {
            self.endpoints = fresh;
            self.pinned = 0;
        }
    }
}

/// How one endpoint's attempt ended, when it did not answer.
enum Attempt {
    /// The command's deadline passed: no other endpoint is tried.
    Deadline,
    /// This endpoint failed; the next one may be tried.
    Failed(TransportError),
    /// A failure that ends the call (bad redirect).
    Fatal(V2Error),
}

async fn within<T>(
    deadline: Option<Instant>,
    work: impl std::future::Future<Output = Result<T, TransportError>>,
) -> Result<T, Attempt> {
    match deadline {
        Some(d) => match tokio::time::timeout_at(d.into(), work).await {
            Ok(r) => r.map_err(Attempt::Failed),
            Err(_) => Err(Attempt::Deadline),
        },
        None => work.await.map_err(Attempt::Failed),
    }
}

/// Go's `http.StatusText` for the 5xx codes etcd may answer with.
fn status_text(code: u16) -> &'static str {
    match code {
        501 => "Not Implemented",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        _ => "",
    }
}
