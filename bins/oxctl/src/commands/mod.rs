//! The commands: each validates its arguments as etcdctl does (and in the same order), builds
//! the client, makes its calls and prints.

mod cluster;
mod cluster_ops;
pub mod kv;
mod lease;
mod lock;
pub mod ls;
mod txn;
mod watch;

use std::io::{BufRead, Write};

use oxcd_client::{Client, ClientConfig, Credentials, DialConfig};

use crate::args::{Invocation, API_VERSION, OXCTL_VERSION};
use crate::error::{CtlError, CtlResult, EXIT_ERROR};
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
        Ok(ClientConfig {
            endpoints: flags.list("endpoints"),
            dial: DialConfig::new(flags.duration("dial-timeout")),
            command_timeout: flags.duration("command-timeout"),
            credentials: credentials(&flags.string("user"), &flags.string("password"))?,
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

/// etcdctl's `authCfgFromCmd`.
fn credentials(user: &str, password: &str) -> CtlResult<Option<Credentials>> {
    if user.is_empty() {
        return Ok(None);
    }
    // etcdctl 3.4 takes `--user` whole as the name when `--password` is given.
    if !password.is_empty() {
        return Ok(Some(Credentials {
            user: user.to_string(),
            password: password.to_string(),
        }));
    }
    if let Some((name, password)) = user.split_once(':') {
        return Ok(Some(Credentials {
            user: name.to_string(),
            password: password.to_string(),
        }));
    }
    print!("Password: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    Ok(Some(Credentials {
        user: user.to_string(),
        password: line.trim_end_matches(['\r', '\n']).to_string(),
    }))
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
        "version" => {
            println!("oxctl version: {OXCTL_VERSION}");
            println!("API version: {API_VERSION}");
            Ok(())
        }
        other => unreachable!("command {other:?} is declared but has no implementation"),
    }
}
