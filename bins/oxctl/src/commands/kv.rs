//! `get`, `put`, `del` and `compaction`, and the request builders that `txn` shares.

use std::io::Read;

use oxcd_proto::etcdserverpb::{
    range_request::{SortOrder, SortTarget},
    CompactionRequest, DeleteRangeRequest, PutRequest, RangeRequest,
};

use super::{emit, Ctx};
use crate::args::Flags;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR};
use crate::goformat;
use crate::output::Format;

pub use oxcd_client::prefix_end;

/// etcdctl's `getGetOp`: the checks, in order, and the request clientv3 builds from the options.
pub fn range_request(flags: &Flags, args: &[Vec<u8>]) -> CtlResult<RangeRequest> {
    if args.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "get command needs one argument as key and an optional argument as range_end",
        ));
    }
    let prefix = flags.bool("prefix");
    let from_key = flags.bool("from-key");
    if prefix && from_key {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    let consistency = flags.string("consistency");
    let serializable = match consistency.as_str() {
        "s" => true,
        "l" => false,
        other => {
            return Err(CtlError::new(
                EXIT_BAD_FEATURE,
                format!("unknown consistency flag {}", goformat::quote_str(other)),
            ))
        }
    };
    let mut request = RangeRequest {
        key: args[0].clone(),
        serializable,
        ..Default::default()
    };
    if args.len() > 1 {
        if prefix || from_key {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "too many arguments, only accept one argument when `--prefix` or `--from-key` is set",
            ));
        }
        request.range_end = args[1].clone();
    }
    request.limit = flags.int("limit");
    if flags.int("rev") > 0 {
        request.revision = flags.int("rev");
    }
    let order_text = flags.string("order");
    let order = match order_text.to_uppercase().as_str() {
        "ASCEND" => SortOrder::Ascend,
        "DESCEND" => SortOrder::Descend,
        "" => SortOrder::None,
        _ => {
            return Err(CtlError::new(
                EXIT_BAD_FEATURE,
                format!("bad sort order {order_text}"),
            ))
        }
    };
    let target_text = flags.string("sort-by");
    let target = match target_text.to_uppercase().as_str() {
        "CREATE" => SortTarget::Create,
        "KEY" | "" => SortTarget::Key,
        "MODIFY" => SortTarget::Mod,
        "VALUE" => SortTarget::Value,
        "VERSION" => SortTarget::Version,
        _ => {
            return Err(CtlError::new(
                EXIT_BAD_FEATURE,
                format!("bad sort target {target_text}"),
            ))
        }
    };
    // The server returns keys in ascending order anyway; clientv3 drops a redundant sort so the
    // server need not sort the whole range before applying the limit.
    let order = if target == SortTarget::Key && order == SortOrder::Ascend {
        SortOrder::None
    } else {
        order
    };
    request.sort_order = order as i32;
    request.sort_target = target as i32;
    if prefix {
        if request.key.is_empty() {
            request.key = vec![0];
            request.range_end = vec![0];
        } else {
            request.range_end = prefix_end(&request.key);
        }
    }
    if from_key {
        if request.key.is_empty() {
            request.key = vec![0];
        }
        request.range_end = vec![0];
    }
    request.keys_only = flags.bool("keys-only");
    request.count_only = flags.bool("count-only");
    request.min_mod_revision = flags.int("min-mod-revision");
    request.max_mod_revision = flags.int("max-mod-revision");
    request.min_create_revision = flags.int("min-create-revision");
    request.max_create_revision = flags.int("max-create-revision");
    Ok(request)
}

/// etcdctl's `getPutOp`; `stdin` supplies the value when only the key is given.
pub fn put_request(
    flags: &Flags,
    args: &[Vec<u8>],
    stdin: Option<&mut dyn Read>,
) -> CtlResult<PutRequest> {
    let needs_value = || {
        CtlError::new(
            EXIT_BAD_ARGS,
            "put command needs 1 argument and input from stdin or 2 arguments",
        )
    };
    if args.is_empty() {
        return Err(needs_value());
    }
    let ignore_value = flags.bool("ignore-value");
    if ignore_value && args.len() > 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "put command needs only 1 argument when 'ignore-value' is set",
        ));
    }
    let mut value = Vec::new();
    if !ignore_value {
        if let Some(given) = args.get(1) {
            value = given.clone();
        } else {
            if let Some(stdin) = stdin {
                stdin.read_to_end(&mut value).map_err(|_| needs_value())?;
            }
            if value.is_empty() {
                return Err(needs_value());
            }
        }
    }
    let lease = goformat::parse_int_base(&flags.string("lease"), 16, "ParseInt").map_err(|e| {
        CtlError::new(
            EXIT_BAD_ARGS,
            format!("bad lease ID ({e}), expecting ID in Hex"),
        )
    })?;
    Ok(PutRequest {
        key: args[0].clone(),
        value,
        lease,
        prev_kv: flags.bool("prev-kv"),
        ignore_value,
        ignore_lease: flags.bool("ignore-lease"),
    })
}

/// etcdctl's `getDelOp`.
pub fn delete_request(flags: &Flags, args: &[Vec<u8>]) -> CtlResult<DeleteRangeRequest> {
    if args.is_empty() || args.len() > 2 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "del command needs one argument as key and an optional argument as range_end",
        ));
    }
    let prefix = flags.bool("prefix");
    let from_key = flags.bool("from-key");
    if prefix && from_key {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    let mut request = DeleteRangeRequest {
        key: args[0].clone(),
        ..Default::default()
    };
    if args.len() > 1 {
        if prefix || from_key {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "too many arguments, only accept one argument when `--prefix` or `--from-key` is set",
            ));
        }
        request.range_end = args[1].clone();
    }
    if prefix {
        if request.key.is_empty() {
            request.key = vec![0];
            request.range_end = vec![0];
        } else {
            request.range_end = prefix_end(&request.key);
        }
    }
    request.prev_kv = flags.bool("prev-kv");
    if from_key {
        if request.key.is_empty() {
            request.key = vec![0];
        }
        request.range_end = vec![0];
    }
    Ok(request)
}

pub async fn get(ctx: &mut Ctx) -> CtlResult<()> {
    let request = range_request(&ctx.inv.flags, &ctx.inv.args)?;
    if ctx.inv.flags.bool("decode") {
        return super::k8s::get_decoded(ctx, request).await;
    }
    let (mut client, mut printer) = ctx.client()?;
    let response = client.range(request).await?;
    if ctx.inv.flags.bool("count-only") && printer.format == Format::Simple {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "--count-only is only for `--write-out=fields`",
        ));
    }
    if ctx.inv.flags.bool("print-value-only") {
        if printer.format != Format::Simple {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "print-value-only is only for `--write-out=simple`",
            ));
        }
        printer.value_only = true;
    }
    emit(printer.get(&response)?);
    Ok(())
}

pub async fn put(ctx: &mut Ctx) -> CtlResult<()> {
    let mut stdin = std::io::stdin().lock();
    let request = put_request(&ctx.inv.flags, &ctx.inv.args, Some(&mut stdin))?;
    let (mut client, printer) = ctx.client()?;
    let response = client.put(request).await?;
    emit(printer.put(&response)?);
    Ok(())
}

pub async fn del(ctx: &mut Ctx) -> CtlResult<()> {
    let request = delete_request(&ctx.inv.flags, &ctx.inv.args)?;
    let (mut client, printer) = ctx.client()?;
    let response = client.delete_range(request).await?;
    emit(printer.delete(&response)?);
    Ok(())
}

pub async fn compaction(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "compaction command needs 1 argument",
        ));
    }
    let revision =
        goformat::parse_int_base(&String::from_utf8_lossy(&ctx.inv.args[0]), 10, "ParseInt")
            .map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    let physical = ctx.inv.flags.bool("physical");
    let (mut client, _) = ctx.client()?;
    client
        .compact(CompactionRequest { revision, physical })
        .await?;
    println!("compacted revision {revision}");
    Ok(())
}
