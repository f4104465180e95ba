//! `role add|get|list|delete|grant-permission|revoke-permission`, as etcdctl 3.4's: a
//! permission covers one key, `[key, endkey)`, a prefix (`--prefix`) or every key from `key` on
//! (`--from-key`, a `"\0"` end); an empty key stands for `"\0"`, the start of the key space.

use oxcd_proto::authpb::{permission::Type as PermissionType, Permission};

use super::kv::prefix_end;
use super::{emit, no_args, only_arg, Ctx};
use crate::args::Flags;
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS};

pub async fn add(ctx: &mut Ctx) -> CtlResult<()> {
    let role = only_arg(ctx, "role add command requires role name as its argument")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.role_add(&role).await?;
    emit(printer.auth_header_only(format!("Role {role} created\n").into_bytes(), &r, &r.header)?);
    Ok(())
}

pub async fn get(ctx: &mut Ctx) -> CtlResult<()> {
    let role = only_arg(ctx, "role get command requires role name as its argument")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.role_get(&role).await?;
    emit(printer.role_get(&role, &r)?);
    Ok(())
}

pub async fn list(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "role list command requires no arguments")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.role_list().await?;
    emit(printer.role_list(&r)?);
    Ok(())
}

pub async fn delete(ctx: &mut Ctx) -> CtlResult<()> {
    let role = only_arg(
        ctx,
        "role delete command requires role name as its argument",
    )?;
    let (mut client, printer) = ctx.client()?;
    let r = client.role_delete(&role).await?;
    emit(printer.auth_header_only(format!("Role {role} deleted\n").into_bytes(), &r, &r.header)?);
    Ok(())
}

/// clientv3's `StrToPermissionType`: `read`, `write` or `readwrite`, in any case.
fn permission_type(arg: &[u8]) -> CtlResult<PermissionType> {
    let text = String::from_utf8_lossy(arg);
    PermissionType::from_str_name(&text.to_uppercase())
        .ok_or_else(|| CtlError::new(EXIT_BAD_ARGS, format!("invalid permission type: {text}")))
}

pub async fn grant_permission(ctx: &mut Ctx) -> CtlResult<()> {
    let args = &ctx.inv.args;
    if args.len() < 3 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "role grant command requires role name, permission type, and key [endkey] as its argument",
        ));
    }
    let role = String::from_utf8_lossy(&args[0]).into_owned();
    let perm_type = permission_type(&args[1])?;
    let (key, range_end) = perm_range(&ctx.inv.flags, &args[2..])?;
    let (mut client, printer) = ctx.client()?;
    let perm = Permission {
        perm_type: perm_type as i32,
        key,
        range_end,
    };
    let r = client.role_grant_permission(&role, perm).await?;
    emit(printer.auth_header_only(format!("Role {role} updated\n").into_bytes(), &r, &r.header)?);
    Ok(())
}

pub async fn revoke_permission(ctx: &mut Ctx) -> CtlResult<()> {
    let args = &ctx.inv.args;
    if args.len() < 2 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "role revoke-permission command requires role name and key [endkey] as its argument",
        ));
    }
    let role = String::from_utf8_lossy(&args[0]).into_owned();
    let given_key = args[1].clone();
    let (key, range_end) = perm_range(&ctx.inv.flags, &args[1..])?;
    let (mut client, printer) = ctx.client()?;
    let r = client
        .role_revoke_permission(&role, &key, &range_end)
        .await?;
    // etcdctl names the key as given, not the `"\0"` an empty one became.
    let mut sentence = Vec::new();
    if range_end.is_empty() {
        sentence.extend_from_slice(b"Permission of key ");
        sentence.extend_from_slice(&given_key);
    } else {
        sentence.extend_from_slice(b"Permission of range [");
        sentence.extend_from_slice(&given_key);
        if range_end == b"\0" {
            sentence.extend_from_slice(b", <open ended>");
        } else {
            sentence.extend_from_slice(b", ");
            sentence.extend_from_slice(&range_end);
            sentence.push(b')');
        }
    }
    sentence.extend_from_slice(format!(" is revoked from role {role}\n").as_bytes());
    emit(printer.auth_header_only(sentence, &r, &r.header)?);
    Ok(())
}

/// etcdctl's `permRange`: the key and range end of a permission from `args` (the key and an
/// optional end; more are ignored) and `--prefix` / `--from-key`.
fn perm_range(flags: &Flags, args: &[Vec<u8>]) -> CtlResult<(Vec<u8>, Vec<u8>)> {
    range_of(flags.bool("prefix"), flags.bool("from-key"), args)
}

fn range_of(prefix: bool, from_key: bool, args: &[Vec<u8>]) -> CtlResult<(Vec<u8>, Vec<u8>)> {
    let exclusive = || {
        CtlError::new(
            EXIT_BAD_ARGS,
            "--from-key and --prefix flags are mutually exclusive",
        )
    };
    let key = &args[0];
    if key.is_empty() {
        if prefix && from_key {
            return Err(exclusive());
        }
        // etcd's permissions are intervals over bytes: the empty key is "\0", and a "\0" end
        // opens the interval to the end of the key space.
        let range_end = if prefix || from_key {
            vec![0]
        } else {
            Vec::new()
        };
        return Ok((vec![0], range_end));
    }
    let range_end = match (args.get(1), prefix, from_key) {
        (None, true, true) => return Err(exclusive()),
        (None, true, false) => prefix_end(key),
        (None, false, true) => vec![0],
        (None, false, false) => Vec::new(),
        (Some(_), true, _) => {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "unexpected endkey argument with --prefix flag",
            ))
        }
        (Some(_), false, true) => {
            return Err(CtlError::new(
                EXIT_BAD_ARGS,
                "unexpected endkey argument with --from-key flag",
            ))
        }
        (Some(end), false, false) => end.clone(),
    };
    Ok((key.clone(), range_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(prefix: bool, from_key: bool, args: &[&str]) -> Result<(String, String), String> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        range_of(prefix, from_key, &args)
            .map(|(k, e)| (String::from_utf8(k).unwrap(), String::from_utf8(e).unwrap()))
            .map_err(|e| e.stderr)
    }

    fn ok(key: &str, end: &str) -> Result<(String, String), String> {
        Ok((key.to_string(), end.to_string()))
    }

    #[test]
    fn permission_ranges_as_etcdctl_builds_them() {
        assert_eq!(range(false, false, &["k"]), ok("k", ""));
        assert_eq!(range(false, false, &["a", "b", "c"]), ok("a", "b"));
        assert_eq!(range(true, false, &["/app/"]), ok("/app/", "/app0"));
        assert_eq!(range(false, true, &["k"]), ok("k", "\0"));
        assert_eq!(range(false, false, &[""]), ok("\0", ""));
        assert_eq!(range(true, false, &[""]), ok("\0", "\0"));
        assert_eq!(range(false, true, &[""]), ok("\0", "\0"));
    }

    #[test]
    fn conflicting_range_flags_fail_as_etcdctl_does() {
        let exclusive = "Error: --from-key and --prefix flags are mutually exclusive\n";
        assert_eq!(range(true, true, &["k"]), Err(exclusive.to_string()));
        assert_eq!(range(true, true, &[""]), Err(exclusive.to_string()));
        assert_eq!(
            range(true, false, &["a", "b"]),
            Err("Error: unexpected endkey argument with --prefix flag\n".to_string())
        );
        assert_eq!(
            range(false, true, &["a", "b"]),
            Err("Error: unexpected endkey argument with --from-key flag\n".to_string())
        );
    }
}
