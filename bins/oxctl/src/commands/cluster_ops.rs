//! `member add|remove|update|promote`, `move-leader`, `endpoint hashkv` and `alarm list|disarm`,
//! validating their arguments, calling the cluster and printing as etcdctl 3.4 does.

use oxcd_client::{CallError, Client};
use oxcd_proto::etcdserverpb::{
    alarm_request::AlarmAction, AlarmMember, AlarmRequest, AlarmResponse, RangeRequest,
};
use tokio::time::Instant;

use super::{emit, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};
use crate::goformat;
use crate::output::cluster_ops::{self as print, EndpointHash};
use crate::output::Format;

/// Go's `strconv.ParseUint(s, 16, 64)`, with its error text.
fn parse_hex_u64(arg: &[u8]) -> Result<u64, String> {
    let quoted = goformat::quote_bytes(arg);
    let syntax = || format!("strconv.ParseUint: parsing {quoted}: invalid syntax");
    if arg.is_empty() {
        return Err(syntax());
    }
    let mut value: u64 = 0;
    for &b in arg {
        let digit = match (b as char).to_digit(16) {
            Some(d) if b.is_ascii() => u64::from(d),
            _ => return Err(syntax()),
        };
        value = match value.checked_mul(16).and_then(|v| v.checked_add(digit)) {
            Some(v) => v,
            None => {
                return Err(format!(
                    "strconv.ParseUint: parsing {quoted}: value out of range"
                ))
            }
        };
    }
    Ok(value)
}

/// The member ID argument of `member remove|update|promote`.
fn member_id_arg(args: &[Vec<u8>]) -> CtlResult<u64> {
    if args.len() != 1 {
        return Err(CtlError::new(EXIT_BAD_ARGS, "member ID is not provided"));
    }
    parse_hex_u64(&args[0]).map_err(|e| {
        CtlError::new(
            EXIT_BAD_ARGS,
            format!("bad member ID arg ({e}), expecting ID in Hex"),
        )
    })
}

/// Whether `b` may stand unescaped in a URL's host (Go's `shouldEscape` in host mode).
fn host_byte_allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&b)
}

/// Go's `url.unescape` checks of `%` escapes (and, in a host, of the characters allowed).
fn check_escapes(s: &str, host: bool) -> Result<(), String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let valid = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !valid {
                let end = (i + 3).min(bytes.len());
                return Err(format!(
                    "invalid URL escape {}",
                    goformat::quote_bytes(&bytes[i..end])
                ));
            }
            if host && (bytes[i + 1] as char).to_digit(16).unwrap_or(0) < 8 && &s[i..i + 3] != "%25"
            {
                return Err(format!(
                    "invalid character {} in host name",
                    goformat::quote_bytes(&bytes[i..i + 3])
                ));
            }
            i += 3;
            continue;
        }
        if host && b < 0x80 && !host_byte_allowed(b) {
            return Err(format!(
                "invalid character {} in host name",
                goformat::quote_bytes(&bytes[i..i + 1])
            ));
        }
        i += 1;
    }
    Ok(())
}

/// Go's `validOptionalPort`.
fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// The parts of a URL that `types.NewURLs` looks at.
struct ParsedUrl {
    scheme: String,
    host: String,
    path: String,
}

/// Go's `url.Parse`, as far as its errors and the scheme, host and path go.
fn parse_url(raw: &str) -> Result<ParsedUrl, String> {
    let fail = |e: String| format!("parse {}: {e}", goformat::quote_str(raw));
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(fail(
            "net/url: invalid control character in URL".to_string(),
        ));
    }
    let (without_fragment, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let mut parsed = ParsedUrl {
        scheme: String::new(),
        host: String::new(),
        path: String::new(),
    };
    if without_fragment == "*" {
        parsed.path = "*".to_string();
    } else if !without_fragment.is_empty() {
        // The scheme: letters, then letters, digits, `+`, `-` or `.`, up to a colon.
        let mut rest = without_fragment;
        for (i, c) in without_fragment.char_indices() {
            if c.is_ascii_alphabetic() {
                continue;
            }
            if c.is_ascii_digit() || c == '+' || c == '-' || c == '.' {
                if i == 0 {
                    break;
                }
                continue;
            }
            if c == ':' {
                if i == 0 {
                    return Err(fail("missing protocol scheme".to_string()));
                }
                parsed.scheme = without_fragment[..i].to_ascii_lowercase();
                rest = &without_fragment[i + 1..];
            }
            break;
        }
        let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
            &rest[..rest.len() - 1]
        } else {
            rest.split_once('?').map_or(rest, |(before, _)| before)
        };
        if !rest.starts_with('/') && !parsed.scheme.is_empty() {
            // An opaque URL (`scheme:opaque`) has no host.
        } else {
            if parsed.scheme.is_empty() {
                let segment = rest.split('/').next().unwrap_or("");
                if segment.contains(':') {
                    return Err(fail(
                        "first path segment in URL cannot contain colon".to_string(),
                    ));
                }
            }
            let mut path = rest;
            if let Some(after) = rest.strip_prefix("//") {
                let (authority, remainder) = match after.find('/') {
                    Some(i) => (&after[..i], &after[i..]),
                    None => (after, ""),
                };
                path = remainder;
                let host = match authority.rfind('@') {
                    Some(i) => &authority[i + 1..],
                    None => authority,
                };
                if host.starts_with('[') {
                    let Some(close) = host.rfind(']') else {
                        return Err(fail("missing ']' in host".to_string()));
                    };
                    let port = &host[close + 1..];
                    if !valid_optional_port(port) {
                        return Err(fail(format!(
                            "invalid port {} after host",
                            goformat::quote_str(port)
                        )));
                    }
                } else if let Some(colon) = host.rfind(':') {
                    let port = &host[colon..];
                    if !valid_optional_port(port) {
                        return Err(fail(format!(
                            "invalid port {} after host",
                            goformat::quote_str(port)
                        )));
                    }
                }
                check_escapes(host, true).map_err(fail)?;
                parsed.host = host.to_string();
            }
            check_escapes(path, false).map_err(fail)?;
            parsed.path = path.to_string();
        }
    }
    if let Some(fragment) = fragment {
        check_escapes(fragment, false).map_err(fail)?;
    }
    Ok(parsed)
}

/// Whether Go's `net.SplitHostPort` accepts `hostport`.
fn splits_host_port(hostport: &str) -> bool {
    let Some(last_colon) = hostport.rfind(':') else {
        return false;
    };
    let (open_from, close_from) = if hostport.starts_with('[') {
        let Some(end) = hostport.find(']') else {
            return false;
        };
        if end + 1 != last_colon {
            return false;
        }
        (1, end + 1)
    } else {
        if hostport[..last_colon].contains(':') {
            return false;
        }
        (0, 0)
    };
    !hostport[open_from..].contains('[') && !hostport[close_from..].contains(']')
}

/// clientv3's check of peer URLs before MemberAdd and MemberUpdate (`types.NewURLs`).
fn validate_peer_urls(urls: &[String]) -> Result<(), String> {
    for raw in urls {
        let url = raw.trim_matches(|c: char| c.is_whitespace());
        let parsed = parse_url(url)?;
        if !["http", "https", "unix", "unixs"].contains(&parsed.scheme.as_str()) {
            return Err(format!(
                "URL scheme must be http, https, unix, or unixs: {url}"
            ));
        }
        if !splits_host_port(&parsed.host) {
            return Err(format!(
                "URL address does not have the form \"host:port\": {url}"
            ));
        }
        if !parsed.path.is_empty() {
            return Err(format!("URL must not contain a path: {url}"));
        }
    }
    Ok(())
}

pub async fn member_add(ctx: &mut Ctx) -> CtlResult<()> {
    let args = ctx.inv.args.clone();
    if args.is_empty() {
        return Err(CtlError::new(EXIT_BAD_ARGS, "member name not provided"));
    }
    if args.len() > 1 {
        let mut message = String::from("too many arguments");
        for arg in &args {
            let text = String::from_utf8_lossy(arg);
            if text.to_lowercase().starts_with("http") {
                message.push_str(&format!(", did you mean --peer-urls={text}"));
            }
        }
        return Err(CtlError::new(EXIT_BAD_ARGS, message));
    }
    let name = args[0].clone();
    let peer_urls_flag = ctx.inv.flags.string("peer-urls");
    if peer_urls_flag.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "member peer urls not provided",
        ));
    }
    let urls: Vec<String> = peer_urls_flag.split(',').map(str::to_string).collect();
    let learner = ctx.inv.flags.bool("learner");
    let (mut client, printer) = ctx.client()?;
    validate_peer_urls(&urls).map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    let mut response = client.member_add(urls, learner).await?;
    emit(print::member_add(&printer, &response)?);
    if printer.format != Format::Simple {
        return Ok(());
    }
    let new_id = response.member.as_ref().map_or(0, |m| m.id);
    let deadline = Instant::now() + ctx.client_config()?.command_timeout;
    // The member list must come from the member that added the new one: a member behind it may
    // not know the new member yet. etcdctl syncs with a quorum read until they agree.
    let mut list = client.member_list().await?;
    loop {
        let added_by = response.header.as_ref().map_or(0, |h| h.member_id);
        if list.header.as_ref().map_or(0, |h| h.member_id) == added_by {
            break;
        }
        if Instant::now() >= deadline {
            return Err(CallError::DeadlineExceeded.into());
        }
        let read = client
            .range(RangeRequest {
                key: b"_".to_vec(),
                ..Default::default()
            })
            .await
            .map_err(|_| CtlError::new(EXIT_ERROR, "<nil>"))?;
        if let Some(header) = response.header.as_mut() {
            header.member_id = read.header.as_ref().map_or(0, |h| h.member_id);
        }
        list = client.member_list().await?;
    }
    let mut conf = Vec::new();
    for member in &list.members {
        let member_name = if member.id == new_id {
            String::from_utf8_lossy(&name).into_owned()
        } else {
            member.name.clone()
        };
        for url in &member.peer_ur_ls {
            conf.push(format!("{member_name}={url}"));
        }
    }
    let mut text = String::from("\n");
    text.push_str(&format!("ETCD_NAME={}\n", goformat::quote_bytes(&name)));
    text.push_str(&format!(
        "ETCD_INITIAL_CLUSTER={}\n",
        goformat::quote_bytes(conf.join(",").as_bytes())
    ));
    text.push_str(&format!(
        "ETCD_INITIAL_ADVERTISE_PEER_URLS={}\n",
        goformat::quote_str(&peer_urls_flag)
    ));
    text.push_str("ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
    emit(text.into_bytes().into());
    Ok(())
}

pub async fn member_remove(ctx: &mut Ctx) -> CtlResult<()> {
    let id = member_id_arg(&ctx.inv.args)?;
    let (mut client, printer) = ctx.client()?;
    let response = client.member_remove(id).await?;
    emit(print::member_remove(&printer, id, &response)?);
    Ok(())
}

pub async fn member_update(ctx: &mut Ctx) -> CtlResult<()> {
    let id = member_id_arg(&ctx.inv.args)?;
    let peer_urls_flag = ctx.inv.flags.string("peer-urls");
    if peer_urls_flag.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "member peer urls not provided",
        ));
    }
    let urls: Vec<String> = peer_urls_flag.split(',').map(str::to_string).collect();
    let (mut client, printer) = ctx.client()?;
    validate_peer_urls(&urls).map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    let response = client.member_update(id, urls).await?;
    emit(print::member_update(&printer, id, &response)?);
    Ok(())
}

pub async fn member_promote(ctx: &mut Ctx) -> CtlResult<()> {
    let id = member_id_arg(&ctx.inv.args)?;
    let (mut client, printer) = ctx.client()?;
    let response = client.member_promote(id).await?;
    emit(print::member_promote(&printer, id, &response)?);
    Ok(())
}

/// Finds the leader among `--endpoints` (each asked for its status, all within one command
/// timeout) and asks it to hand leadership to the target.
pub async fn move_leader(ctx: &mut Ctx) -> CtlResult<()> {
    if ctx.inv.args.len() != 1 {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "move-leader command needs 1 argument",
        ));
    }
    let target = parse_hex_u64(&ctx.inv.args[0]).map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let deadline = Instant::now() + config.command_timeout;
    let mut leader = None;
    for endpoint in &config.endpoints {
        let mut client = Client::for_endpoint(&config, endpoint);
        let status = client.status_by(deadline).await?;
        let member_id = status.header.as_ref().map_or(0, |h| h.member_id);
        if member_id == status.leader {
            leader = Some((client, status.leader));
            break;
        }
    }
    let Some((mut client, leader_id)) = leader else {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            format!(
                "no leader endpoint given at [{}]",
                config.endpoints.join(" ")
            ),
        ));
    };
    let response = client.move_leader_by(deadline, target).await?;
    emit(print::move_leader(&printer, leader_id, target, &response)?);
    Ok(())
}

/// Each endpoint's KV hash; endpoints that fail are reported on stderr and end the command with
/// the last error, after the others are printed.
pub async fn endpoint_hashkv(ctx: &mut Ctx) -> CtlResult<()> {
    let config = ctx.client_config()?;
    let printer = ctx.printer()?;
    let revision = ctx.inv.flags.int("rev");
    let mut hashes = Vec::new();
    let mut last_error = None;
    for endpoint in super::cluster::endpoints(ctx, &config).await? {
        match Client::for_endpoint(&config, &endpoint)
            .hash_kv(revision)
            .await
        {
            Ok(response) => hashes.push(EndpointHash { endpoint, response }),
            Err(err) => {
                eprintln!(
                    "Failed to get the hash of endpoint {endpoint} ({})",
                    err.message()
                );
                last_error = Some(err);
            }
        }
    }
    emit(print::endpoint_hashkv(&printer, &hashes)?);
    match last_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

fn no_arguments(ctx: &Ctx, command: &str) -> CtlResult<()> {
    if ctx.inv.args.is_empty() {
        return Ok(());
    }
    Err(CtlError::new(
        EXIT_BAD_ARGS,
        format!("{command} command accepts no arguments"),
    ))
}

fn list_request() -> AlarmRequest {
    AlarmRequest {
        action: AlarmAction::Get as i32,
        member_id: 0,
        alarm: 0,
    }
}

pub async fn alarm_list(ctx: &mut Ctx) -> CtlResult<()> {
    no_arguments(ctx, "alarm list")?;
    let (mut client, printer) = ctx.client()?;
    let response = client.alarm(list_request()).await?;
    emit(print::alarm(&printer, &response)?);
    Ok(())
}

/// clientv3's `AlarmDisarm` of every alarm: the list, then one DEACTIVATE per alarm; the answer
/// gathers what each deactivation reports and has no header.
pub async fn alarm_disarm(ctx: &mut Ctx) -> CtlResult<()> {
    no_arguments(ctx, "alarm disarm")?;
    let (mut client, printer) = ctx.client()?;
    let raised = client.alarm(list_request()).await?;
    let mut disarmed = AlarmResponse::default();
    for AlarmMember { member_id, alarm } in raised.alarms {
        let response = client
            .alarm(AlarmRequest {
                action: AlarmAction::Deactivate as i32,
                member_id,
                alarm,
            })
            .await?;
        disarmed.alarms.extend(response.alarms);
    }
    emit(print::alarm(&printer, &disarmed)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_parse_as_go_does() {
        assert_eq!(parse_hex_u64(b"b6933534fbc35af"), Ok(0x0b69_3353_4fbc_35af));
        assert_eq!(parse_hex_u64(b"FFFFFFFFFFFFFFFF"), Ok(u64::MAX));
        assert_eq!(
            parse_hex_u64(b"0x12").unwrap_err(),
            "strconv.ParseUint: parsing \"0x12\": invalid syntax"
        );
        assert_eq!(
            parse_hex_u64(b"123456789012345678901").unwrap_err(),
            "strconv.ParseUint: parsing \"123456789012345678901\": value out of range"
        );
        assert!(parse_hex_u64(b"").is_err());
    }

    #[test]
    fn peer_urls_are_checked_as_types_new_urls() {
        let check = |url: &str| validate_peer_urls(&[url.to_string()]);
        assert_eq!(check("http://127.0.0.1:2380"), Ok(()));
        assert_eq!(check(" http://127.0.0.1:2380"), Ok(()));
        assert_eq!(check("unix://foo:1"), Ok(()));
        assert_eq!(check("http://[::1]:1"), Ok(()));
        assert_eq!(check("http://a:1?x=1"), Ok(()));
        assert_eq!(
            check("foo").unwrap_err(),
            "URL scheme must be http, https, unix, or unixs: foo"
        );
        assert_eq!(
            check("http://a").unwrap_err(),
            "URL address does not have the form \"host:port\": http://a"
        );
        assert_eq!(
            check("http://a:1/p").unwrap_err(),
            "URL must not contain a path: http://a:1/p"
        );
        assert_eq!(
            check("http://a:b").unwrap_err(),
            "parse \"http://a:b\": invalid port \":b\" after host"
        );
        assert_eq!(
            check(":foo").unwrap_err(),
            "parse \":foo\": missing protocol scheme"
        );
        assert_eq!(
            check("http://%zz").unwrap_err(),
            "parse \"http://%zz\": invalid URL escape \"%zz\""
        );
        assert_eq!(
            check("").unwrap_err(),
            "URL scheme must be http, https, unix, or unixs: "
        );
    }
}
