//! The v2 key commands: `get`, `ls`, `set`, `mk`, `mkdir`, `setdir`, `update`, `updatedir`,
//! `rm`, `rmdir`, and `printResponseKey`, their shared output.

use std::io::{Read, Write};

use crate::error::{CtlError, CtlResult};

use super::client::{Action, Client};
use super::keys::{self, KeysResponse, Node, SetOptions};
use super::{Session, EXIT_BAD_ARGS, EXIT_SERVER_ERROR};

/// `printResponseKey`: the response in the `-o` format.
pub fn response_text(response: &KeysResponse, format: &str) -> (String, String) {
    let node = response.node();
    let mut out = String::new();
    match format {
        "simple" => {
            if response.action != "delete" {
                out.push_str(&format!("{}\n", node.value));
            } else {
                let prev = response.prev_node.clone().unwrap_or_default();
                out.push_str(&format!("PrevNode.Value: {}\n", prev.value));
            }
        }
        "extended" => {
            out.push_str(&format!("Key: {}\n", node.key));
            out.push_str(&format!("Created-Index: {}\n", node.created_index));
            out.push_str(&format!("Modified-Index: {}\n", node.modified_index));
            if let Some(prev) = &response.prev_node {
                out.push_str(&format!("PrevNode.Value: {}\n", prev.value));
            }
            out.push_str(&format!("TTL: {}\n", node.ttl));
            out.push_str(&format!("Index: {}\n", response.index));
            if response.action != "delete" {
                out.push_str(&format!("\n{}\n", node.value));
            }
        }
        "json" => out.push_str(&format!("{}\n", response.to_json())),
        other => return (out, format!("Unsupported output format: {other}\n")),
    }
    (out, String::new())
}

pub fn print_response(response: &KeysResponse, format: &str) {
    let (out, err) = response_text(response, format);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    let _ = std::io::stderr().lock().write_all(err.as_bytes());
}

/// The first argument, or etcdctl's `key required`.
fn key(s: &Session) -> CtlResult<String> {
    s.args()
        .first()
        .cloned()
        .ok_or_else(|| s.fail(EXIT_BAD_ARGS, "key required"))
}

/// `argOrStdin(args, os.Stdin, 1)`: the second argument, or all of stdin.
fn value(s: &Session) -> CtlResult<String> {
    if let Some(v) = s.args().get(1) {
        return Ok(v.clone());
    }
    let mut bytes = Vec::new();
    match std::io::stdin().read_to_end(&mut bytes) {
        Ok(_) if !bytes.is_empty() => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        _ => Err(s.fail(EXIT_BAD_ARGS, "value required")),
    }
}

/// Sends `action` within the command's deadline; a failure is etcdctl's `handleError(4)`.
async fn call(s: &Session, client: &mut Client, action: &Action) -> CtlResult<KeysResponse> {
    let result = match client.call(action, Some(s.deadline())).await {
        Ok(answer) => keys::parse_answer(&answer),
        Err(err) => Err(err),
    };
    result.map_err(|err| s.error(EXIT_SERVER_ERROR, &err))
}

fn ttl(s: &Session) -> i64 {
    s.inv.local.int("ttl")
}

pub async fn get(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let local = &s.inv.local;
    let action = keys::get(&key, false, local.bool("sort"), local.bool("quorum"));
    let response = call(s, &mut client, &action).await?;
    let node = response.node();
    if node.dir {
        return Err(CtlError::raw(1, format!("{}: is a directory\n", node.key)));
    }
    print_response(&response, &s.output());
    Ok(())
}

pub async fn ls(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = s.args().first().cloned().unwrap_or_else(|| "/".to_string());
    let local = &s.inv.local;
    let action = keys::get(
        &key,
        local.bool("recursive"),
        local.bool("sort"),
        local.bool("quorum"),
    );
    let response = call(s, &mut client, &action).await?;
    if s.output() != "simple" {
        print_response(&response, &s.output());
        return Ok(());
    }
    let node = response.node();
    let mut out = String::new();
    if !node.dir {
        out.push_str(&format!("{}\n", node.key));
    }
    let slash = s.inv.local.bool("p");
    for child in node.nodes.iter().flatten() {
        list_node(child, slash, &mut out);
    }
    print!("{out}");
    Ok(())
}

/// `rPrint`: the node and everything below it, depth first.
fn list_node(node: &Node, slash: bool, out: &mut String) {
    if node.dir && slash {
        out.push_str(&format!("{}/\n", node.key));
    } else {
        out.push_str(&format!("{}\n", node.key));
    }
    for child in node.nodes.iter().flatten() {
        list_node(child, slash, out);
    }
}

pub async fn set(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let value = value(s)?;
    let options = SetOptions {
        prev_value: s.inv.local.string("swap-with-value"),
        // Go's `uint64(int)`: a negative index wraps, as etcdctl sends it.
        prev_index: s.inv.local.int("swap-with-index") as u64,
        ttl_seconds: ttl(s),
        ..SetOptions::default()
    };
    let response = call(s, &mut client, &keys::set(&key, &value, &options)).await?;
    print_response(&response, &s.output());
    Ok(())
}

pub async fn mk(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let value = value(s)?;
    let action = if s.inv.local.bool("in-order") {
        keys::create_in_order(&key, &value, ttl(s))
    } else {
        let options = SetOptions {
            prev_exist: Some("false"),
            ttl_seconds: ttl(s),
            ..SetOptions::default()
        };
        keys::set(&key, &value, &options)
    };
    let response = call(s, &mut client, &action).await?;
    print_response(&response, &s.output());
    Ok(())
}

/// `mkdir` (`prev_exist` false) and `setdir` (unset).
pub async fn mkdir(s: &mut Session, prev_exist: Option<&'static str>) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let options = SetOptions {
        prev_exist,
        ttl_seconds: ttl(s),
        dir: true,
        ..SetOptions::default()
    };
    let response = call(s, &mut client, &keys::set(&key, "", &options)).await?;
    if s.output() != "simple" {
        print_response(&response, &s.output());
    }
    Ok(())
}

pub async fn update(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let value = value(s)?;
    let options = SetOptions {
        prev_exist: Some("true"),
        ttl_seconds: ttl(s),
        ..SetOptions::default()
    };
    let response = call(s, &mut client, &keys::set(&key, &value, &options)).await?;
    print_response(&response, &s.output());
    Ok(())
}

pub async fn updatedir(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let options = SetOptions {
        prev_exist: Some("true"),
        ttl_seconds: ttl(s),
        dir: true,
        ..SetOptions::default()
    };
    let response = call(s, &mut client, &keys::set(&key, "", &options)).await?;
    if s.output() != "simple" {
        print_response(&response, &s.output());
    }
    Ok(())
}

pub async fn rm(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let local = &s.inv.local;
    let action = keys::delete(
        &key,
        &local.string("with-value"),
        local.int("with-index") as u64,
        local.bool("dir"),
        local.bool("recursive"),
    );
    let response = call(s, &mut client, &action).await?;
    if !response.node().dir || s.output() != "simple" {
        print_response(&response, &s.output());
    }
    Ok(())
}

pub async fn rmdir(s: &mut Session) -> CtlResult<()> {
    let mut client = s.client().await?;
    let key = key(s)?;
    let action = keys::delete(&key, "", 0, true, false);
    let response = call(s, &mut client, &action).await?;
    if !response.node().dir || s.output() != "simple" {
        print_response(&response, &s.output());
    }
    Ok(())
}
