//! oxctl in v2 mode (`ETCDCTL_API=2`): etcdctl 3.4's v2 commands over etcd's HTTP v2 API
//! (`/v2/keys`, `/v2/members`, `/health`), with etcdctl v2's command line (urfave/cli), output,
//! error lines and exit codes.
//!
//! - `spec`, `cli`, `help`: the command line and its help;
//! - `url`, `http`, `client`: requests, one exchange, and etcd's v2 cluster client;
//! - `keys`, `members`, `auth`: the three APIs; `kv`, `watch`, `cluster`, `access`: the
//!   commands.

mod access;
mod auth;
mod cli;
pub(crate) mod client;
mod cluster;
pub(crate) mod error;
mod help;
pub(crate) mod http;
pub(crate) mod keys;
mod kv;
mod members;
mod spec;
pub(crate) mod url;
mod watch;

use std::time::{Duration, Instant};

use crate::error::{CtlError, CtlResult};

use cli::{Invocation, Parsed};
use client::Client;
use error::V2Error;

/// etcdctl v2's exit codes (`ctlv2/command/error.go`).
pub const EXIT_BAD_ARGS: i32 = 1;
pub const EXIT_BAD_CONNECTION: i32 = 2;
pub const EXIT_SERVER_ERROR: i32 = 4;
pub const EXIT_CLUSTER_NOT_HEALTHY: i32 = 5;

/// Runs oxctl in v2 mode on `argv` (without the program name).
pub fn main(argv: Vec<String>, env: Vec<(String, String)>) -> CtlResult<()> {
    let invocation = match cli::parse(&argv) {
        Parsed::Exit {
            stdout,
            stderr,
            code,
        } => {
            print!("{stdout}");
            if code == 0 {
                return Ok(());
            }
            return Err(CtlError::raw(code, stderr));
        }
        Parsed::Run(invocation) => invocation,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded tokio runtime can be built");
    let mut session = Session {
        inv: invocation,
        env,
    };
    runtime.block_on(dispatch(&mut session))
}

async fn dispatch(s: &mut Session) -> CtlResult<()> {
    let path = s.inv.path.join(" ");
    match path.as_str() {
        "get" => kv::get(s).await,
        "ls" => kv::ls(s).await,
        "set" => kv::set(s).await,
        "mk" => kv::mk(s).await,
        "mkdir" => kv::mkdir(s, Some("false")).await,
        "setdir" => kv::mkdir(s, None).await,
        "update" => kv::update(s).await,
        "updatedir" => kv::updatedir(s).await,
        "rm" => kv::rm(s).await,
        "rmdir" => kv::rmdir(s).await,
        "watch" => watch::watch(s).await,
        "exec-watch" => watch::exec_watch(s).await,
        "member list" => cluster::member_list(s).await,
        "member add" => cluster::member_add(s).await,
        "member remove" => cluster::member_remove(s).await,
        "member update" => cluster::member_update(s).await,
        "cluster-health" => cluster::health(s).await,
        "user add" => access::user_add(s).await,
        "user get" => access::user_get(s).await,
        "user list" => access::user_list(s).await,
        "user remove" => access::user_remove(s).await,
        "user grant" => access::user_grant_revoke(s, true).await,
        "user revoke" => access::user_grant_revoke(s, false).await,
        "user passwd" => access::user_passwd(s).await,
        "role add" => access::role_add(s).await,
        "role get" => access::role_get(s).await,
        "role list" => access::role_list(s).await,
        "role remove" => access::role_remove(s).await,
        "role grant" => access::role_grant_revoke(s, true).await,
        "role revoke" => access::role_grant_revoke(s, false).await,
        "auth enable" => access::auth_enable_disable(s, true).await,
        "auth disable" => access::auth_enable_disable(s, false).await,
        // `backup` (of a v2 data dir) is not implemented: its help is there, its run says so.
        other => Err(CtlError::raw(
            EXIT_BAD_ARGS,
            format!("oxctl: the v2 command {other:?} is not supported\n"),
        )),
    }
}

/// One run of a v2 command: its invocation and the environment etcdctl v2 reads.
pub struct Session {
    pub inv: Invocation,
    env: Vec<(String, String)>,
}

impl Session {
    fn env(&self, name: &str) -> String {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A global flag, or its variable when the flag is empty.
    fn global_or_env(&self, flag: &str, var: &str) -> String {
        let value = self.inv.global.string(flag);
        if value.is_empty() {
            self.env(var)
        } else {
            value
        }
    }

    pub fn output(&self) -> String {
        self.inv.global.string("output")
    }

    pub fn args(&self) -> &[String] {
        &self.inv.args
    }

    /// The command's deadline (`--total-timeout`), from now.
    pub fn deadline(&self) -> Instant {
        Instant::now() + self.inv.global.duration("total-timeout")
    }

    /// `getPeersFlagValue`: the first of `--endpoints`, `ETCDCTL_ENDPOINTS`, `--endpoint`,
    /// `ETCDCTL_ENDPOINT`, `--peers`, `ETCDCTL_PEERS`, else etcd's two default ports.
    fn endpoint_texts(&self) -> Vec<String> {
        let mut text = self.global_or_env("endpoints", "ETCDCTL_ENDPOINTS");
        if text.is_empty() {
            text = self.global_or_env("endpoint", "ETCDCTL_ENDPOINT");
        }
        if text.is_empty() {
            text = self.global_or_env("peers", "ETCDCTL_PEERS");
        }
        if text.is_empty() {
            text = "http://127.0.0.1:2379,http://127.0.0.1:4001".to_string();
        }
        text.split(',').map(str::to_string).collect()
    }

    /// etcdctl's `newClient`: endpoints, transport, credentials; errors end the run (exit 1).
    fn new_client(&self) -> CtlResult<Client> {
        let fail = |message: String| CtlError::raw(EXIT_BAD_ARGS, format!("{message}\n"));
        let mut endpoints = Vec::new();
        for text in self.endpoint_texts() {
            let mut endpoint = url::parse_endpoint(&text).map_err(fail)?;
            if endpoint.scheme.is_empty() {
                endpoint = url::parse_endpoint(&format!("http://{text}")).map_err(fail)?;
            }
            endpoints.push(endpoint);
        }
        let tls = http::tls_config(
            &self.global_or_env("ca-file", "ETCDCTL_CA_FILE"),
            &self.global_or_env("cert-file", "ETCDCTL_CERT_FILE"),
            &self.global_or_env("key-file", "ETCDCTL_KEY_FILE"),
        )
        .map_err(fail)?;
        let total = self.inv.global.duration("total-timeout");
        let mut dial_timeout = Duration::from_secs(30);
        if !total.is_zero() && total < dial_timeout {
            dial_timeout = total;
        }
        let transport = http::Transport { tls, dial_timeout };
        let user = self.global_or_env("username", "ETCDCTL_USERNAME");
        let credentials = if user.is_empty() {
            None
        } else {
            Some(match user.split_once(':') {
                Some((name, password)) => (name.to_string(), password.to_string()),
                None => {
                    let password =
                        oxcd_client::ask_password("Password: ").map_err(|e| fail(e.to_string()))?;
                    (user.clone(), password)
                }
            })
        };
        Ok(Client::new(
            endpoints,
            transport,
            self.inv.global.duration("timeout"),
            credentials,
            self.inv.global.bool("debug"),
        ))
    }

    /// etcdctl's `mustNewClient`: a client synced with the cluster's member list unless
    /// `--no-sync`. A sync that could not connect ends the run; other sync failures are ignored.
    pub async fn client(&self) -> CtlResult<Client> {
        let mut client = self.new_client()?;
        let debug = self.inv.global.bool("debug");
        if !self.inv.global.bool("no-sync") {
            if debug {
                eprintln!(
                    "start to sync cluster using endpoints({})",
                    client.endpoint_list().join(",")
                );
            }
            match members::sync(&mut client, self.deadline()).await {
                Err(V2Error::Other { message, .. })
                    if message == "client: no endpoints available" =>
                {
                    let mut text = "etcd cluster has no published client endpoints.\n".to_string();
                    text.push_str(&format!(
                        "Try '--no-sync' if you want to access non-published client endpoints({}).\n",
                        client.endpoint_list().join(",")
                    ));
                    let err = self.error(EXIT_SERVER_ERROR, &V2Error::other(message));
                    return Err(CtlError::raw(err.code, text + &err.stderr));
                }
                Err(err) if err.is_connection() => {
                    return Err(self.error(EXIT_BAD_CONNECTION, &err))
                }
                _ => {}
            }
            if debug {
                eprintln!(
                    "got endpoints({}) after sync",
                    client.endpoint_list().join(",")
                );
            }
        }
        if debug {
            eprintln!("Cluster-Endpoints: {}", client.endpoint_list().join(", "));
        }
        Ok(client)
    }

    /// `mustNewClientNoSync`.
    pub fn client_no_sync(&self) -> CtlResult<Client> {
        let client = self.new_client()?;
        if self.inv.global.bool("debug") {
            eprintln!("Cluster-Endpoints: {}", client.endpoint_list().join(", "));
        }
        Ok(client)
    }

    /// etcdctl v2's `handleError`: `Error:  <err>`, a cluster error's detail, the exit code.
    pub fn error(&self, code: i32, err: &V2Error) -> CtlError {
        let mut text = format!("Error:  {err}\n");
        if let Some(detail) = err.detail() {
            text.push_str(&detail);
            text.push('\n');
        }
        CtlError::raw(code, text)
    }

    /// `handleError` for an error that is only a message.
    pub fn fail(&self, code: i32, message: &str) -> CtlError {
        self.error(code, &V2Error::other(message))
    }
}
