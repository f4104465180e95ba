//! The commands: each validates its arguments as etcdctl does (and in the same order), builds
//! the client, makes its calls and prints.

mod auth;
mod cluster;
mod cluster_ops;
pub mod k8s;
pub mod kv;
mod lease;
mod lock;
pub mod ls;
mod migrate;
mod role;
mod snapshot;
mod txn;
mod user;
mod watch;

use std::io::Write;
use std::path::PathBuf;

use oxcd_client::{Client, ClientConfig, ClientTls, Credentials, DialConfig, TlsFiles};

use crate::args::Flags;
use crate::args::{Invocation, API_VERSION, OXCTL_VERSION};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::output::{Format, Printed, Printer};

/// One run of a command: its invocation and the environment it may read.
pub struct Ctx {
    pub inv: Invocation,
    env: Vec<(String, String)>,
    env_applied: bool,
}

impl Ctx {
    pub fn new(inv: Invocation, env: Vec<(String, String)>) -> Self {
        Ctx {
            inv,
            env,
            env_applied: false,
        }
    }

    /// etcdctl's `mustClientFromCmd`: global flags from `ETCDCTL_*`, the client configuration
    /// and the display, in that order.
    pub fn client(&mut self) -> CtlResult<(Client, Printer)> {
        let config = self.client_config()?;
        let printer = self.printer()?;
        Ok((Client::new(config), printer))
    }

    pub fn client_config(&mut self) -> CtlResult<ClientConfig> {
        self.apply_env()?;
        let flags = &self.inv.flags;
        let files = tls_files(flags)?;
        let credentials = credentials(&flags.string("user"), &flags.string("password"))?;
        let dial = dial_config(flags, &files)?;
        Ok(ClientConfig {
            endpoints: flags.list("endpoints"),
            dial,
            command_timeout: flags.duration("command-timeout"),
            credentials,
        })
    }

    fn apply_env(&mut self) -> CtlResult<()> {
        if !self.env_applied {
            self.env_applied = true;
            let warnings = self.inv.apply_env(&self.env)?;
            eprint!("{warnings}");
        }
        Ok(())
    }

    pub fn printer(&mut self) -> CtlResult<Printer> {
        self.apply_env()?;
        Ok(Printer {
            format: Format::parse(&self.inv.flags.string("write-out"))?,
            hex: self.inv.flags.bool("hex"),
            value_only: false,
        })
    }
}

/// etcdctl's `keyAndCertFromCmd`: `--cert`, `--key` and `--cacert`, which may not be given
/// empty.
fn tls_files(flags: &Flags) -> CtlResult<TlsFiles> {
    let file = |name: &str| -> CtlResult<Option<PathBuf>> {
        let value = flags.string(name);
        if value.is_empty() && flags.changed(name) {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                format!("empty string is passed to --{name} option"),
            ));
        }
        Ok((!value.is_empty()).then(|| PathBuf::from(value)))
    };
    let cert_file = file("cert")?;
    let key_file = file("key")?;
    let ca_file = file("cacert")?;
    Ok(TlsFiles {
        ca_file,
        cert_file,
        key_file,
        insecure_skip_verify: flags.bool("insecure-skip-tls-verify"),
        server_name: None,
    })
}

/// etcdctl's `newClientCfg`: TLS settings exist when a file is named or
/// `--insecure-transport=false`, and then an endpoint without a scheme speaks TLS too. Unlike
/// etcdctl 3.4, `--insecure-skip-tls-verify` alone also makes settings, so that it applies to
/// `https://` endpoints (etcdctl 3.4 ignores it there and verifies against the system's CAs).
/// A file that cannot be loaded ends the command as etcdctl's does.
fn dial_config(flags: &Flags, files: &TlsFiles) -> CtlResult<DialConfig> {
    let named = files.ca_file.is_some() || files.cert_file.is_some() || files.key_file.is_some();
    let tls_without_scheme = named || !flags.bool("insecure-transport");
    let tls = if tls_without_scheme || files.insecure_skip_verify {
        Some(ClientTls::load(files).map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?)
    } else {
        None
    };
    Ok(DialConfig {
        tls,
        tls_without_scheme,
        ..DialConfig::new(flags.duration("dial-timeout"))
    })
}

/// etcdctl's `authCfgFromCmd`, and clientv3's rule that only a non-empty name with a non-empty
/// password authenticates (otherwise requests go unauthenticated).
fn credentials(user: &str, password: &str) -> CtlResult<Option<Credentials>> {
    Credentials::from_flags(user, password, || oxcd_client::ask_password("Password: "))
        .map_err(|e| CtlError::new(EXIT_ERROR, e))
}

/// The one argument of a command that takes exactly one, or etcdctl's usage `message`.
fn only_arg(ctx: &Ctx, message: &str) -> CtlResult<String> {
    match ctx.inv.args.as_slice() {
        [arg] => Ok(String::from_utf8_lossy(arg).into_owned()),
        _ => Err(CtlError::new(EXIT_BAD_ARGS, message)),
    }
}

/// Checks that a command that takes no arguments got none, or fails with etcdctl's `message`.
fn no_args(ctx: &Ctx, message: &str) -> CtlResult<()> {
    if ctx.inv.args.is_empty() {
        Ok(())
    } else {
        Err(CtlError::new(EXIT_BAD_ARGS, message))
    }
}

/// Writes a printer's output: stdout first, then stderr.
pub fn emit(printed: Printed) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&printed.stdout);
    let _ = stdout.flush();
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(&printed.stderr);
}

/// Runs the parsed command.
pub async fn run(inv: Invocation, env: Vec<(String, String)>) -> CtlResult<()> {
    let mut ctx = Ctx::new(inv, env);
    match ctx.inv.command.path {
        "get" => kv::get(&mut ctx).await,
        "put" => kv::put(&mut ctx).await,
        "del" => kv::del(&mut ctx).await,
        "compaction" => kv::compaction(&mut ctx).await,
        "txn" => txn::txn(&mut ctx).await,
        "lease grant" => lease::grant(&mut ctx).await,
        "lease revoke" => lease::revoke(&mut ctx).await,
        "lease timetolive" => lease::time_to_live(&mut ctx).await,
        "lease list" => lease::list(&mut ctx).await,
        "lease keep-alive" => lease::keep_alive(&mut ctx).await,
        "lock" => lock::lock(&mut ctx).await,
        "elect" => lock::elect(&mut ctx).await,
        "ls" => ls::ls(&mut ctx).await,
        "k8s ls" => k8s::ls(&mut ctx).await,
        "k8s get" => k8s::get(&mut ctx).await,
        "k8s top" => k8s::top(&mut ctx).await,
        "k8s watch" => k8s::watch(&mut ctx).await,
        "k8s history" => k8s::history(&mut ctx).await,
        "migrate" => migrate::migrate(&mut ctx).await,
        "member list" => cluster::member_list(&mut ctx).await,
        "endpoint status" => cluster::endpoint_status(&mut ctx).await,
        "endpoint health" => cluster::endpoint_health(&mut ctx).await,
        "endpoint hashkv" => cluster_ops::endpoint_hashkv(&mut ctx).await,
        "member add" => cluster_ops::member_add(&mut ctx).await,
        "member remove" => cluster_ops::member_remove(&mut ctx).await,
        "member update" => cluster_ops::member_update(&mut ctx).await,
        "member promote" => cluster_ops::member_promote(&mut ctx).await,
        "move-leader" => cluster_ops::move_leader(&mut ctx).await,
        "alarm list" => cluster_ops::alarm_list(&mut ctx).await,
        "alarm disarm" => cluster_ops::alarm_disarm(&mut ctx).await,
        "watch" => watch::watch(&mut ctx).await,
        "auth enable" => auth::enable(&mut ctx).await,
        "auth disable" => auth::disable(&mut ctx).await,
        "auth status" => auth::status(&mut ctx).await,
        "user add" => user::add(&mut ctx).await,
        "user get" => user::get(&mut ctx).await,
        "user list" => user::list(&mut ctx).await,
        "user delete" => user::delete(&mut ctx).await,
        "user passwd" => user::passwd(&mut ctx).await,
        "user grant-role" => user::grant_role(&mut ctx).await,
        "user revoke-role" => user::revoke_role(&mut ctx).await,
        "role add" => role::add(&mut ctx).await,
        "role get" => role::get(&mut ctx).await,
        "role list" => role::list(&mut ctx).await,
        "role delete" => role::delete(&mut ctx).await,
        "role grant-permission" => role::grant_permission(&mut ctx).await,
        "role revoke-permission" => role::revoke_permission(&mut ctx).await,
        "snapshot save" => snapshot::save(&mut ctx).await,
        "snapshot status" => snapshot::status(&mut ctx),
        "snapshot restore" => snapshot::restore(&mut ctx),
        "version" => {
            println!("oxctl version: {OXCTL_VERSION}");
            println!("API version: {API_VERSION}");
            Ok(())
        }
        other => unreachable!("command {other:?} is declared but has no implementation"),
    }
}
