//! `member list|add|remove|update` and `cluster-health`, with etcdctl v2's messages (these
//! commands print their own errors, without `Error:`) and exit codes.

use std::time::Duration;

use serde_json::Value;

use crate::error::{CtlError, CtlResult};

use super::http::Request;
use super::members::{self, Member};
use super::{Session, EXIT_CLUSTER_NOT_HEALTHY, EXIT_SERVER_ERROR};

/// Exit 1 after `text`, which etcdctl's member commands print as is.
fn fail(text: String) -> CtlError {
    CtlError::raw(1, text)
}

pub async fn member_list(s: &mut Session) -> CtlResult<()> {
    if !s.args().is_empty() {
        return Err(fail("No arguments accepted\n".to_string()));
    }
    let mut client = s.client().await?;
    let deadline = Some(s.deadline());
    let list = members::list(&mut client, deadline)
        .await
        .map_err(|e| fail(format!("{e}\n")))?;
    let leader = members::leader(&mut client, deadline)
        .await
        .map_err(|e| fail(format!("Failed to get leader:  {e}\n")))?;
    let mut out = String::new();
    for m in &list {
        if m.name.is_empty() {
            out.push_str(&format!(
                "{}[unstarted]: peerURLs={}\n",
                m.id,
                m.peer_urls.join(",")
            ));
        } else {
            out.push_str(&format!(
                "{}: name={} peerURLs={} clientURLs={} isLeader={}\n",
                m.id,
                m.name,
                m.peer_urls.join(","),
                m.client_urls.join(","),
                m.id == leader.id
            ));
        }
    }
    print!("{out}");
    Ok(())
}

pub async fn member_add(s: &mut Session) -> CtlResult<()> {
    let args = s.args().to_vec();
    if args.len() != 2 {
        return Err(fail(
            "Provide a name and a single member peerURL\n".to_string(),
        ));
    }
    let mut client = s.client().await?;
    let deadline = Some(s.deadline());
    let added = members::add(&mut client, &args[1], deadline)
        .await
        .map_err(|e| fail(format!("{e}\n")))?;
    let name = &args[0];
    println!("Added member named {name} with ID {} to cluster", added.id);
    let list = members::list(&mut client, deadline)
        .await
        .map_err(|e| fail(format!("{e}\n")))?;
    let mut conf = Vec::new();
    for m in &list {
        for u in &m.peer_urls {
            let n = if m.id == added.id { name } else { &m.name };
            conf.push(format!("{n}={u}"));
        }
    }
    let quote = crate::goformat::quote_str;
    print!(
        "\nETCD_NAME={}\nETCD_INITIAL_CLUSTER={}\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n",
        quote(name),
        quote(&conf.join(","))
    );
    Ok(())
}

pub async fn member_remove(s: &mut Session) -> CtlResult<()> {
    let args = s.args().to_vec();
    if args.len() != 1 {
        return Err(fail("Provide a single member ID\n".to_string()));
    }
    let id = &args[0];
    let mut client = s.client().await?;
    let deadline = Some(s.deadline());
    let list = members::list(&mut client, deadline).await.map_err(|e| {
        fail(format!(
            "Error while verifying ID against known members: {e}\n"
        ))
    })?;
    let mut warnings = String::new();
    let mut found = false;
    for m in &list {
        if &m.id == id {
            found = true;
        }
        if &m.name == id {
            warnings.push_str(&format!(
                "Found a member named {}; if this is correct, please use its ID, eg:\n\tetcdctl member remove {}\n",
                m.name, m.id
            ));
            warnings.push_str("For more details, read the documentation at https://github.com/etcd-io/etcd/blob/master/Documentation/runtime-configuration.md#remove-a-member\n\n");
        }
    }
    eprint!("{warnings}");
    if !found {
        return Err(fail(format!(
            "Couldn't find a member in the cluster with an ID of {id}.\n"
        )));
    }
    members::remove(&mut client, id, deadline)
        .await
        .map_err(|e| {
            fail(format!(
                "Received an error trying to remove member {id}: {e}"
            ))
        })?;
    println!("Removed member {id} from cluster");
    Ok(())
}

pub async fn member_update(s: &mut Session) -> CtlResult<()> {
    let args = s.args().to_vec();
    if args.len() != 2 {
        return Err(fail("Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)\n".to_string()));
    }
    let mut client = s.client().await?;
    let urls: Vec<String> = args[1].split(',').map(str::to_string).collect();
    members::update(&mut client, &args[0], &urls, Some(s.deadline()))
        .await
        .map_err(|e| fail(format!("{e}\n")))?;
    println!("Updated member with ID {} in cluster", args[0]);
    Ok(())
}

/// `cluster-health`: each member's `/health` through its client URLs, without syncing.
pub async fn health(s: &mut Session) -> CtlResult<()> {
    let forever = s.inv.local.bool("forever");
    let mut client = s.client_no_sync()?;
    let list = match members::list(&mut client, None).await {
        Ok(list) => list,
        Err(err) => {
            println!("cluster may be unhealthy: failed to list members");
            return Err(s.error(EXIT_SERVER_ERROR, &err));
        }
    };
    let check = async {
        loop {
            let mut healthy = 0;
            for m in &list {
                if check_member(&client, m).await {
                    healthy += 1;
                }
            }
            if healthy == list.len() {
                println!("cluster is healthy");
            } else if healthy == 0 {
                println!("cluster is unavailable");
            } else {
                println!("cluster is degraded");
            }
            if !forever {
                return if healthy == list.len() {
                    Ok(())
                } else {
                    Err(CtlError::silent(EXIT_CLUSTER_NOT_HEALTHY))
                };
            }
            println!("\nnext check after 10 second...\n");
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
    };
    tokio::select! {
        result = check => result,
        _ = tokio::signal::ctrl_c(), if forever => Ok(()),
    }
}

/// One member's health line; whether it is healthy.
async fn check_member(client: &super::client::Client, m: &Member) -> bool {
    if m.client_urls.is_empty() {
        println!(
            "member {} is unreachable: no available published client urls",
            m.id
        );
        return false;
    }
    for url in &m.client_urls {
        let target = format!("{url}/health");
        let request = Request {
            method: "GET",
            url: target.clone(),
            content_type: None,
            body: None,
            basic_auth: None,
        };
        let body = match client.transport().round_trip(&request).await {
            Ok(response) => response.body().await,
            Err(err) => Err(err),
        };
        let body = match body {
            Ok(body) => body,
            Err(err) => {
                println!(
                    "failed to check the health of member {} on {url}: Get {}: {}",
                    m.id,
                    crate::goformat::quote_str(&target),
                    err.message
                );
                continue;
            }
        };
        let Some(healthy) = health_of(&body) else {
            println!(
                "failed to check the health of member {} on {url}: invalid character looking for beginning of value",
                m.id
            );
            continue;
        };
        if healthy {
            println!("member {} is healthy: got healthy result from {url}", m.id);
            return true;
        }
        println!(
            "member {} is unhealthy: got unhealthy result from {url}",
            m.id
        );
        return false;
    }
    println!(
        "member {} is unreachable: [{}] are all unreachable",
        m.id,
        m.client_urls.join(" ")
    );
    false
}

/// `{"health": "true"}` (or a JSON bool, as older members answer); `None` if not JSON.
fn health_of(body: &[u8]) -> Option<bool> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let health = value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("health"))
        .map(|(_, v)| v.clone());
    Some(match health {
        Some(Value::String(s)) => s == "true",
        Some(Value::Bool(b)) => b,
        _ => false,
    })
}
