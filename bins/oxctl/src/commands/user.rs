//! `user add|get|list|delete|passwd|grant-role|revoke-role`, as etcdctl 3.4's: the password
//! comes from `name:password`, `--new-user-password`, the prompt (`--interactive`, the default)
//! or the first word on stdin.

use super::auth::{read_password_interactive, scan_word};
use super::{emit, no_args, only_arg, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS};

/// The user and role of `grant-role` and `revoke-role`, or etcdctl's `message`.
fn user_and_role(ctx: &Ctx, message: &str) -> CtlResult<(String, String)> {
    match ctx.inv.args.as_slice() {
        [user, role] => Ok((
            String::from_utf8_lossy(user).into_owned(),
            String::from_utf8_lossy(role).into_owned(),
        )),
        _ => Err(CtlError::new(EXIT_BAD_ARGS, message)),
    }
}

/// The password of `user add` or `user passwd` when the command line does not give it.
fn password_from_stdin(ctx: &Ctx, name: &str) -> CtlResult<String> {
    if ctx.inv.flags.bool("interactive") {
        read_password_interactive(name)
    } else {
        scan_word()
    }
}

pub async fn add(ctx: &mut Ctx) -> CtlResult<()> {
    let arg = only_arg(ctx, "user add command requires user name as its argument")?;
    let no_password = ctx.inv.flags.bool("no-password");
    let from_flag = ctx.inv.flags.string("new-user-password");
    let (name, password) = if no_password {
        (arg, String::new())
    } else if !from_flag.is_empty() {
        (arg, from_flag)
    } else if let Some((name, password)) = arg.split_once(':') {
        if name.is_empty() {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "empty user name is not allowed",
            ));
        }
        (name.to_string(), password.to_string())
    } else {
        let password = password_from_stdin(ctx, &arg)?;
        (arg, password)
    };
    let (mut client, printer) = ctx.client()?;
    let r = client.user_add(&name, &password, no_password).await?;
    emit(printer.auth_header_only(format!("User {name} created\n").into_bytes(), &r, &r.header)?);
    Ok(())
}

/// `user get`; with `--detail`, the user's name and then each of its roles as `role get`
/// prints them (in every format, the name line being etcdctl's plain text).
pub async fn get(ctx: &mut Ctx) -> CtlResult<()> {
    let name = only_arg(ctx, "user get command requires user name as its argument")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_get(&name).await?;
    if !ctx.inv.flags.bool("detail") {
        emit(printer.user_get(&name, &r)?);
        return Ok(());
    }
    println!("User: {name}");
    for role in &r.roles {
        println!();
        let role_response = client.role_get(role).await?;
        emit(printer.role_get(role, &role_response)?);
    }
    Ok(())
}

pub async fn list(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "user list command requires no arguments")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_list().await?;
    emit(printer.user_list(&r)?);
    Ok(())
}

pub async fn delete(ctx: &mut Ctx) -> CtlResult<()> {
    let name = only_arg(
        ctx,
        "user delete command requires user name as its argument",
    )?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_delete(&name).await?;
    emit(printer.auth_header_only(format!("User {name} deleted\n").into_bytes(), &r, &r.header)?);
    Ok(())
}

pub async fn passwd(ctx: &mut Ctx) -> CtlResult<()> {
    let name = only_arg(
        ctx,
        "user passwd command requires user name as its argument",
    )?;
    let password = password_from_stdin(ctx, &name)?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_change_password(&name, &password).await?;
    emit(printer.auth_header_only(b"Password updated\n".to_vec(), &r, &r.header)?);
    Ok(())
}

pub async fn grant_role(ctx: &mut Ctx) -> CtlResult<()> {
    let (user, role) = user_and_role(
        ctx,
        "user grant command requires user name and role name as its argument",
    )?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_grant_role(&user, &role).await?;
    let sentence = format!("Role {role} is granted to user {user}\n");
    emit(printer.auth_header_only(sentence.into_bytes(), &r, &r.header)?);
    Ok(())
}

pub async fn revoke_role(ctx: &mut Ctx) -> CtlResult<()> {
    let (user, role) = user_and_role(
        ctx,
        "user revoke-role requires user name and role name as its argument",
    )?;
    let (mut client, printer) = ctx.client()?;
    let r = client.user_revoke_role(&user, &role).await?;
    let sentence = format!("Role {role} is revoked from user {user}\n");
    emit(printer.auth_header_only(sentence.into_bytes(), &r, &r.header)?);
    Ok(())
}
