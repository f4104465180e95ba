//! `user add|get|list|remove|grant|revoke|passwd`, `role add|get|list|remove|grant|revoke` and
//! `auth enable|disable` (`ctlv2/command/{user,role,auth}_commands.go`): these commands print
//! their own errors, without `Error:`, and exit 1.

use crate::error::{CtlError, CtlResult};

use super::auth::{self, Permission};
use super::client::Client;
use super::error::V2Error;
use super::{url, Session};

/// Exit 1 after `text`, printed as is.
fn fail(text: impl Into<String>) -> CtlError {
    CtlError::raw(1, text.into())
}

/// `fmt.Fprintln(os.Stderr, err.Error())`, exit 1.
fn failed(err: V2Error) -> CtlError {
    fail(format!("{err}\n"))
}

/// `mustNewAuth*API`: a synced client, and its endpoints again under `--debug`.
async fn api(s: &Session) -> CtlResult<Client> {
    let client = s.client().await?;
    if s.inv.global.bool("debug") {
        eprintln!("Cluster-Endpoints: {}", client.endpoint_list().join(", "));
    }
    Ok(client)
}

/// `mustUserAPIAndName` / `mustRoleAPIAndName`: exactly one argument, then the client.
async fn api_and_name(s: &Session, missing: &str) -> CtlResult<(Client, String)> {
    let [name] = s.args() else {
        return Err(fail(format!("{missing}\n")));
    };
    let name = name.clone();
    Ok((api(s).await?, name))
}

async fn user_api_and_name(s: &Session) -> CtlResult<(Client, String)> {
    api_and_name(s, "Please provide a username").await
}

async fn role_api_and_name(s: &Session) -> CtlResult<(Client, String)> {
    api_and_name(s, "Please provide a role name").await
}

fn no_arguments(s: &Session) -> CtlResult<()> {
    if s.args().is_empty() {
        Ok(())
    } else {
        Err(fail("No arguments accepted\n"))
    }
}

fn ask_new_password() -> CtlResult<String> {
    oxcd_client::ask_password("New password: ")
        .map_err(|e| fail(format!("Error reading password: {e}\n")))
}

pub async fn user_list(s: &mut Session) -> CtlResult<()> {
    no_arguments(s)?;
    let mut client = api(s).await?;
    let users = auth::list_users(&mut client, Some(s.deadline()))
        .await
        .map_err(failed)?;
    for user in users {
        println!("{user}");
    }
    Ok(())
}

pub async fn user_add(s: &mut Session) -> CtlResult<()> {
    let (mut client, arg) = user_api_and_name(s).await?;
    let deadline = Some(s.deadline());
    // `getUsernamePassword`: `name:password`, or the name and a prompt.
    let (user, password) = match arg.split_once(':') {
        Some((user, password)) => (user.to_string(), password.to_string()),
        None => (arg.clone(), ask_new_password()?),
    };
    auth::add_user(&mut client, &user, &password, deadline)
        .await
        .map_err(failed)?;
    println!("User {user} created");
    Ok(())
}

pub async fn user_remove(s: &mut Session) -> CtlResult<()> {
    let (mut client, user) = user_api_and_name(s).await?;
    auth::remove_user(&mut client, &user, Some(s.deadline()))
        .await
        .map_err(failed)?;
    println!("User {user} removed");
    Ok(())
}

pub async fn user_passwd(s: &mut Session) -> CtlResult<()> {
    let (mut client, user) = user_api_and_name(s).await?;
    let deadline = Some(s.deadline());
    let password = ask_new_password()?;
    auth::change_password(&mut client, &user, &password, deadline)
        .await
        .map_err(failed)?;
    println!("Password updated");
    Ok(())
}

/// `user grant` (`grant`) or `user revoke`.
pub async fn user_grant_revoke(s: &mut Session, grant: bool) -> CtlResult<()> {
    let roles = s.inv.local.all("roles");
    if roles.is_empty() {
        return Err(fail("No roles specified; please use `--roles`\n"));
    }
    let deadline = Some(s.deadline());
    let (mut client, user) = user_api_and_name(s).await?;
    auth::change_user_roles(&mut client, &user, &roles, grant, deadline)
        .await
        .map_err(failed)?;
    println!("User {user} updated");
    Ok(())
}

pub async fn user_get(s: &mut Session) -> CtlResult<()> {
    let (mut client, name) = user_api_and_name(s).await?;
    let user = auth::get_user(&mut client, &name, Some(s.deadline()))
        .await
        .map_err(failed)?;
    println!("User: {}", user.user);
    println!("Roles: {}", user.roles.join(" "));
    Ok(())
}

pub async fn role_list(s: &mut Session) -> CtlResult<()> {
    no_arguments(s)?;
    let mut client = api(s).await?;
    let roles = auth::list_roles(&mut client, Some(s.deadline()))
        .await
        .map_err(failed)?;
    for role in roles {
        println!("{role}");
    }
    Ok(())
}

pub async fn role_add(s: &mut Session) -> CtlResult<()> {
    let (mut client, role) = role_api_and_name(s).await?;
    let deadline = Some(s.deadline());
    if auth::get_role(&mut client, &role, deadline).await.is_ok() {
        return Err(fail(format!("Role {role} already exists\n")));
    }
    auth::add_role(&mut client, &role, deadline)
        .await
        .map_err(failed)?;
    println!("Role {role} created");
    Ok(())
}

pub async fn role_remove(s: &mut Session) -> CtlResult<()> {
    let (mut client, role) = role_api_and_name(s).await?;
    auth::remove_role(&mut client, &role, Some(s.deadline()))
        .await
        .map_err(failed)?;
    println!("Role {role} removed");
    Ok(())
}

/// `role grant` (`grant`) or `role revoke`: one canonical path, exactly one permission.
pub async fn role_grant_revoke(s: &mut Session, grant: bool) -> CtlResult<()> {
    let path = s.inv.local.string("path");
    if path.is_empty() {
        return Err(fail("No path specified; please use `--path`\n"));
    }
    let canonical = url::canonical(&path);
    if canonical != path {
        return Err(fail(format!(
            "Not canonical path; please use `--path={canonical}`\n"
        )));
    }
    let flags = [
        (s.inv.local.bool("read"), Permission::Read),
        (s.inv.local.bool("write"), Permission::Write),
        (s.inv.local.bool("readwrite"), Permission::ReadWrite),
    ];
    let chosen: Vec<Permission> = flags.iter().filter(|(on, _)| *on).map(|f| f.1).collect();
    let [permission] = chosen[..] else {
        return Err(fail(
            "Please specify exactly one of --read, --write or --readwrite\n",
        ));
    };
    let (mut client, role) = role_api_and_name(s).await?;
    let deadline = Some(s.deadline());
    let current = auth::get_role(&mut client, &role, deadline)
        .await
        .map_err(failed)?;
    let changed = auth::change_role_kv(&mut client, &role, &path, permission, grant, deadline)
        .await
        .map_err(failed)?;
    if changed == current {
        if grant {
            print!("Role unchanged; already granted");
        } else {
            print!("Role unchanged; already revoked");
        }
    }
    println!("Role {role} updated");
    Ok(())
}

pub async fn role_get(s: &mut Session) -> CtlResult<()> {
    let (mut client, name) = role_api_and_name(s).await?;
    let role = auth::get_role(&mut client, &name, Some(s.deadline()))
        .await
        .map_err(failed)?;
    let mut out = format!("Role: {}\nKV Read:\n", role.role);
    for path in role.read.iter().flatten() {
        out.push_str(&format!("\t{path}\n"));
    }
    out.push_str("KV Write:\n");
    for path in role.write.iter().flatten() {
        out.push_str(&format!("\t{path}\n"));
    }
    print!("{out}");
    Ok(())
}

/// `auth enable` (`on`) or `auth disable`.
pub async fn auth_enable_disable(s: &mut Session, on: bool) -> CtlResult<()> {
    no_arguments(s)?;
    let mut client = api(s).await?;
    auth::enable(&mut client, on, Some(s.deadline()))
        .await
        .map_err(failed)?;
    if on {
        println!("Authentication Enabled");
    } else {
        println!("Authentication Disabled");
    }
    Ok(())
}
