//! `lease grant|revoke|timetolive|list|keep-alive`, and the keep-alive loop that `lock` and
//! `elect` sessions share, behaving as clientv3's `Lease` does.

use super::{emit, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_BAD_CONNECTION, EXIT_ERROR};
use crate::goformat;
use crate::output::lease::hex_id;

/// etcdctl's `leaseFromArgs`.
pub fn lease_from_arg(arg: &[u8]) -> CtlResult<i64> {
    goformat::parse_int_base(&String::from_utf8_lossy(arg), 16, "ParseInt").map_err(|e| {
        CtlError::new(
            EXIT_BAD_ARGS,
            format!("bad lease ID arg ({e}), expecting ID in Hex"),
        )
    })
}

pub async fn grant(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease grant command needs TTL argument",
        ));
    }
    let ttl = goformat::parse_int_base(&String::from_utf8_lossy(&ctx.inv.args[0]), 10, "ParseInt")
        .map_err(|e| CtlError::new(EXIT_BAD_ARGS, format!("bad TTL ({e})")))?;
    let (mut client, printer) = ctx.client()?;
    let response = client.lease_grant(ttl, true).await.map_err(|e| {
        CtlError::new(
            EXIT_ERROR,
            format!("failed to grant lease ({})", e.message()),
        )
    })?;
    emit(printer.lease_grant(&response)?);
    Ok(())
}

pub async fn revoke(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease revoke command needs 1 argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let (mut client, printer) = ctx.client()?;
    let response = client.lease_revoke(id).await.map_err(|e| {
        CtlError::new(
            EXIT_ERROR,
            format!("failed to revoke lease ({})", e.message()),
        )
    })?;
    emit(printer.lease_revoke(id, &response)?);
    Ok(())
}

pub async fn time_to_live(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease timetolive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let keys = ctx.inv.flags.bool("keys");
    let (mut client, printer) = ctx.client()?;
    let response = client
        .lease_time_to_live(id, keys)
        .await
        .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
    emit(printer.lease_time_to_live(&response, keys)?);
    Ok(())
}

pub async fn list(ctx: &mut Ctx) -> CtlResult<()> {
    let (mut client, printer) = ctx.client()?;
    let response = client
        .lease_leases()
        .await
        .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
    emit(printer.lease_list(&response)?);
    Ok(())
}

pub async fn keep_alive(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "lease keep-alive command needs lease ID as argument",
        ));
    }
    let id = lease_from_arg(&ctx.inv.args[0])?;
    let (mut client, printer) = ctx.client()?;
    if ctx.inv.flags.bool("once") {
        let response = client
            .lease_keep_alive_once(id)
            .await
            .map_err(|e| CtlError::new(EXIT_BAD_CONNECTION, e.message()))?;
        emit(printer.lease_keep_alive(&response)?);
        return Ok(());
    }
    let mut failure = None;
    client
        .lease_keep_alive_loop(id, |resp| match printer.lease_keep_alive(resp) {
            Ok(printed) => emit(printed),
            Err(e) => failure = failure.take().or(Some(e)),
        })
        .await;
    if let Some(e) = failure {
        return Err(e);
    }
    if printer.format == crate::output::Format::Simple {
        println!("lease {} expired or revoked.", hex_id(id));
    }
    Ok(())
}
