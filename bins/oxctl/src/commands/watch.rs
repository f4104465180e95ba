//! `watch`: etcdctl's watch command. One watch (optionally running a command per event, after
//! `--`), or `-i`: `watch ...` and `progress` lines read from stdin, every watch on one stream.
//! Argument handling follows etcdctl 3.4's `parseWatchArgs`, which looks at the raw command line
//! to find `--`; responses are printed as clientv3 delivers them (created responses are not).

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::time::Duration;

use oxcd_client::Client;
use oxcd_proto::etcdserverpb::watch_request::RequestUnion;
use oxcd_proto::etcdserverpb::{
    WatchCreateRequest, WatchProgressRequest, WatchRequest, WatchResponse,
};
use tokio::sync::mpsc;

use super::kv::prefix_end;
use super::{emit, Ctx};
use crate::args::{parse_local, Flags};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR, EXIT_INVALID_INPUT};
use crate::goformat::{quote_bytes, quote_str};
use crate::output::Printer;

/// etcdctl's ExitInterrupted: the watch ended.
const EXIT_INTERRUPTED: i32 = 5;

const ERR_BAD_ARGS_NUM: &str = "bad number of arguments";
const ERR_CONFLICT_ENV: &str = "bad number of arguments (found conflicting environment key)";
const ERR_SEPARATOR: &str = "bad number of arguments (found separator --, but no commands)";
const ERR_COMPACTED: &str = "etcdserver: mvcc: required revision has been compacted";

/// A watch as the command line (or an interactive line) asks for it.
#[derive(Debug, Default, Clone, PartialEq)]
struct WatchSpec {
    args: Vec<Vec<u8>>,
    exec: Vec<Vec<u8>>,
    prefix: bool,
    rev: i64,
    prev_kv: bool,
    progress_notify: bool,
}

impl WatchSpec {
    fn set_flags(&mut self, flags: &Flags) {
        self.prefix = flags.bool("prefix");
        self.rev = flags.int("rev");
        self.prev_kv = flags.bool("prev-kv");
        self.progress_notify = flags.bool("progress-notify");
    }

    /// etcdctl's `getWatchChan`: the create request clientv3 sends.
    fn create_request(&self) -> Result<WatchCreateRequest, String> {
        let Some(key) = self.args.first() else {
            return Err(ERR_BAD_ARGS_NUM.to_string());
        };
        let mut request = WatchCreateRequest {
            key: key.clone(),
            start_revision: self.rev,
            prev_kv: self.prev_kv,
            progress_notify: self.progress_notify,
            ..Default::default()
        };
        if self.args.len() == 2 {
            if self.prefix {
                return Err("`range_end` and `--prefix` are mutually exclusive".to_string());
            }
            request.range_end = self.args[1].clone();
        }
        if self.prefix {
            if request.key.is_empty() {
                request.key = vec![0];
                request.range_end = vec![0];
            } else {
                request.range_end = prefix_end(&request.key);
            }
        }
        Ok(request)
    }
}

fn env_var(ctx: &Ctx, name: &str) -> String {
    ctx.env
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn watch(ctx: &mut Ctx) -> CtlResult<()> {
    let env_key = env_var(ctx, "ETCDCTL_WATCH_KEY");
    let env_range = env_var(ctx, "ETCDCTL_WATCH_RANGE_END");
    if env_key.is_empty() && !env_range.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            format!(
                "ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END={}",
                quote_str(&env_range)
            ),
        ));
    }
    let os_args: Vec<Vec<u8>> = std::env::args_os()
        .map(|a| a.into_encoded_bytes())
        .collect();
    if ctx.inv.flags.bool("interactive") {
        return interactive(ctx, &env_key, &env_range).await;
    }
    let mut spec = command_line_spec(&os_args, &ctx.inv.args, &env_key, &env_range)
        .map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
    spec.set_flags(&ctx.inv.flags);
    let (client, printer) = ctx.client()?;
    let request = spec
        .create_request()
        .map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
    let mut session = Session::new(client, printer, false);
    session.create(request, spec.exec).await?;
    session.run(None).await?;
    Err(CtlError::new(
        EXIT_INTERRUPTED,
        "watch is canceled by the server",
    ))
}

async fn interactive(ctx: &mut Ctx, env_key: &str, env_range: &str) -> CtlResult<()> {
    let (client, printer) = ctx.client()?;
    let mut session = Session::new(client, printer, true);
    let (lines_tx, mut lines) = mpsc::channel::<std::io::Result<String>>(16);
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut stdin = stdin.lock();
        loop {
            let mut line = String::new();
            let read = match stdin.read_line(&mut line) {
                Ok(0) => Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "EOF",
                )),
                Ok(_) if !line.ends_with('\n') => Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "EOF",
                )),
                Ok(_) => Ok(line),
                Err(e) => Err(e),
            };
            let stop = read.is_err();
            if lines_tx.blocking_send(read).is_err() || stop {
                return;
            }
        }
    });
    session.run(Some((&mut lines, env_key, env_range))).await
}

/// What an interactive line asks for.
enum LineRequest {
    Watch(WatchCreateRequest, Vec<Vec<u8>>),
    Progress,
}

/// One interactive line: a watch to start, or a progress request; `Ok(None)` after printing
/// etcdctl's complaint about the line.
fn interactive_line(line: &str, env_key: &str, env_range: &str) -> CtlResult<Option<LineRequest>> {
    let args = argify(line)?;
    let Some(first) = args.first() else {
        eprintln!("Invalid command: {line} (watch and progress supported)");
        return Ok(None);
    };
    match first.as_slice() {
        b"watch" => {
            if args.len() < 2 && env_key.is_empty() {
                eprintln!("Invalid command {line} (command type or key is not provided)");
                return Ok(None);
            }
            let spec = interactive_spec(&args[1..], env_key, env_range)
                .map_err(|e| CtlError::new(EXIT_BAD_ARGS, e))?;
            match spec.create_request() {
                Ok(request) => Ok(Some(LineRequest::Watch(request, spec.exec))),
                Err(e) => {
                    eprintln!("Invalid command {line} ({e})");
                    Ok(None)
                }
            }
        }
        b"progress" => Ok(Some(LineRequest::Progress)),
        _ => {
            eprintln!("Invalid command {line} (only support watch)");
            Ok(None)
        }
    }
}

/// etcdctl's `parseWatchArgs` for the command line: `os_args` is the whole command line,
/// `command_args` the positional arguments the flag parser left (without `--`).
fn command_line_spec(
    os_args: &[Vec<u8>],
    command_args: &[Vec<u8>],
    env_key: &str,
    env_range: &str,
) -> Result<WatchSpec, String> {
    let raw: &[Vec<u8>] = match os_args.iter().position(|a| a == b"watch") {
        Some(i) => &os_args[i + 1..],
        None => os_args,
    };
    let dash = raw.iter().position(|a| a == b"--");
    if dash == Some(raw.len().wrapping_sub(1)) {
        return Err(ERR_SEPARATOR.to_string());
    }
    if dash.is_none() && raw.is_empty() && env_key.is_empty() {
        return Err(ERR_BAD_ARGS_NUM.to_string());
    }
    if let (Some(dash), false) = (dash, env_key.is_empty()) {
        // Arguments before `--` conflict with the key from the environment.
        let mut r = raw.len() as isize - 1;
        for w in (0..command_args.len()).rev() {
            if r >= 0 && command_args[w] == raw[r as usize] {
                r -= 1;
                continue;
            }
            if r == dash as isize {
                return Err(ERR_CONFLICT_ENV.to_string());
            }
        }
    }
    if dash.is_none() && !command_args.is_empty() && !env_key.is_empty() {
        return Err(ERR_CONFLICT_ENV.to_string());
    }
    Ok(finish_spec(
        command_args.to_vec(),
        raw,
        dash,
        env_key,
        env_range,
    ))
}

/// etcdctl's `parseWatchArgs` for an interactive line (after its leading `watch`).
fn interactive_spec(
    words: &[Vec<u8>],
    env_key: &str,
    env_range: &str,
) -> Result<WatchSpec, String> {
    let dash = words.iter().position(|a| a == b"--");
    if dash == Some(words.len().wrapping_sub(1)) {
        return Err(ERR_SEPARATOR.to_string());
    }
    let (flags, positional) = parse_local("watch", words)?;
    if dash.is_none() && env_key.is_empty() && positional.is_empty() {
        return Err(ERR_BAD_ARGS_NUM.to_string());
    }
    if dash.is_none() && !positional.is_empty() && !env_key.is_empty() {
        return Err(ERR_CONFLICT_ENV.to_string());
    }
    let mut spec = finish_spec(positional, words, dash, env_key, env_range);
    spec.set_flags(&flags);
    Ok(spec)
}

/// The common end of `parseWatchArgs`: the key from the environment goes first, and what
/// follows `--` in `with_sep` is the command, cut from the watch arguments.
fn finish_spec(
    mut args: Vec<Vec<u8>>,
    with_sep: &[Vec<u8>],
    dash: Option<usize>,
    env_key: &str,
    env_range: &str,
) -> WatchSpec {
    if !env_key.is_empty() {
        let mut ranges = vec![env_key.as_bytes().to_vec()];
        if !env_range.is_empty() {
            ranges.push(env_range.as_bytes().to_vec());
        }
        ranges.extend(args);
        args = ranges;
    }
    let mut spec = WatchSpec::default();
    if let Some(dash) = dash {
        spec.exec = with_sep[dash + 1..].to_vec();
        let first = &with_sep[dash + 1];
        let end = args.iter().rposition(|a| a == first).unwrap_or(0);
        args.truncate(end);
    }
    spec.args = args;
    spec
}

/// etcdctl's `argify`: words, "double-quoted" (Go escapes) or 'single-quoted' strings.
fn argify(line: &str) -> CtlResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            let quoted: String = chars[start..(i + 1).min(chars.len())].iter().collect();
            i += 1;
            let word = unquote(&quoted)
                .ok_or_else(|| CtlError::new(EXIT_INVALID_INPUT, "invalid syntax".to_string()))?;
            out.push(word.into_bytes());
        } else if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            let word: String = chars[start + 1..i.min(chars.len())].iter().collect();
            i += 1;
            out.push(word.into_bytes());
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(word.into_bytes());
        }
    }
    Ok(out)
}

/// A Go double-quoted string's value (the common escapes).
fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            _ => return None,
        }
    }
    Some(out)
}

/// A watch the server runs for us.
struct Active {
    request: WatchCreateRequest,
    exec: Vec<Vec<u8>>,
}

/// One Watch stream and the watches on it, resumed on a new stream if the connection breaks.
struct Session {
    client: Client,
    printer: Printer,
    interactive: bool,
    /// `None` until the first watch is created.
    requests: Option<mpsc::Sender<WatchRequest>>,
    responses: Option<tonic::Streaming<WatchResponse>>,
    /// Create requests sent and not yet answered, in order.
    pending: VecDeque<Active>,
    active: HashMap<i64, Active>,
}

type Lines<'a> = (
    &'a mut mpsc::Receiver<std::io::Result<String>>,
    &'a str,
    &'a str,
);

impl Session {
    fn new(client: Client, printer: Printer, interactive: bool) -> Session {
        Session {
            client,
            printer,
            interactive,
            requests: None,
            responses: None,
            pending: VecDeque::new(),
            active: HashMap::new(),
        }
    }

    fn send(&self, union: RequestUnion) {
        if let Some(requests) = &self.requests {
            let _ = requests.try_send(WatchRequest {
                request_union: Some(union),
            });
        }
    }

    /// Opens a stream whose first requests create `watches` (etcd answers a stream's headers
    /// only with its first response, so the requests go first).
    async fn open(&mut self, watches: Vec<Active>) -> CtlResult<()> {
        let (requests, rx) = mpsc::channel(64.max(watches.len() + 1));
        for w in &watches {
            let _ = requests.try_send(WatchRequest {
                request_union: Some(RequestUnion::CreateRequest(w.request.clone())),
            });
        }
        let responses = self.client.watch(rx).await?;
        self.requests = Some(requests);
        self.responses = Some(responses);
        self.pending.extend(watches);
        Ok(())
    }

    async fn create(&mut self, request: WatchCreateRequest, exec: Vec<Vec<u8>>) -> CtlResult<()> {
        let watch = Active { request, exec };
        if self.responses.is_none() {
            return self.open(vec![watch]).await;
        }
        self.send(RequestUnion::CreateRequest(watch.request.clone()));
        self.pending.push_back(watch);
        Ok(())
    }

    /// Serves responses (and interactive lines) until no watch is left in command mode.
    async fn run(&mut self, mut lines: Option<Lines<'_>>) -> CtlResult<()> {
        loop {
            let next = tokio::select! {
                message = async {
                    match self.responses.as_mut() {
                        Some(responses) => responses.message().await,
                        None => std::future::pending().await,
                    }
                } => Some(message),
                line = async {
                    match lines.as_mut() {
                        Some((rx, _, _)) => rx.recv().await,
                        None => std::future::pending().await,
                    }
                } => {
                    let Some((_, env_key, env_range)) = lines.as_ref() else { continue };
                    let line = match line {
                        Some(Ok(line)) => line,
                        Some(Err(e)) => return Err(CtlError::new(EXIT_INVALID_INPUT, format!("Error reading watch request line: {e}"))),
                        None => return Ok(()),
                    };
                    let line = line.strip_suffix('\n').unwrap_or(&line).to_string();
                    match interactive_line(&line, env_key, env_range)? {
                        Some(LineRequest::Watch(request, exec)) => self.create(request, exec).await?,
                        Some(LineRequest::Progress) => {
                            self.send(RequestUnion::ProgressRequest(WatchProgressRequest {}))
                        }
                        None => {}
                    }
                    None
                }
            };
            match next {
                None => continue,
                Some(Ok(Some(response))) => {
                    self.dispatch(response)?;
                    if !self.interactive && self.active.is_empty() && self.pending.is_empty() {
                        return Ok(());
                    }
                }
                Some(Ok(None)) | Some(Err(_)) => self.resume().await,
            }
        }
    }

    /// clientv3's reconnect: a new stream, every watch recreated from where it got to.
    async fn resume(&mut self) {
        let mut watches: Vec<Active> = self.active.drain().map(|(_, w)| w).collect();
        watches.extend(self.pending.drain(..));
        self.requests = None;
        self.responses = None;
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let retry: Vec<Active> = watches
                .iter()
                .map(|w| Active {
                    request: w.request.clone(),
                    exec: w.exec.clone(),
                })
                .collect();
            if self.open(retry).await.is_ok() {
                return;
            }
        }
    }

    fn dispatch(&mut self, response: WatchResponse) -> CtlResult<()> {
        if response.created {
            let Some(watch) = self.pending.pop_front() else {
                return Ok(());
            };
            if response.canceled || response.watch_id == -1 {
                eprintln!("watch was canceled ({})", response.cancel_reason);
                return Ok(());
            }
            let mut watch = watch;
            if watch.request.start_revision == 0 {
                watch.request.start_revision =
                    response.header.as_ref().map_or(0, |h| h.revision) + 1;
            }
            self.active.insert(response.watch_id, watch);
            return Ok(());
        }
        let delivered = WatchResponse {
            header: Some(response.header.unwrap_or_default()),
            events: response.events,
            compact_revision: response.compact_revision,
            canceled: response.canceled,
            created: false,
            ..Default::default()
        };
        if response.canceled && response.compact_revision == 0 {
            self.active.remove(&response.watch_id);
            return Ok(());
        }
        let progress = delivered.events.is_empty()
            && !delivered.canceled
            && delivered.compact_revision == 0
            && delivered.header.as_ref().is_some_and(|h| h.revision != 0);
        let targets: Vec<i64> = if progress && response.watch_id == -1 {
            let mut ids: Vec<i64> = self.active.keys().copied().collect();
            ids.sort_unstable();
            ids
        } else if self.active.contains_key(&response.watch_id) {
            vec![response.watch_id]
        } else {
            vec![]
        };
        for id in targets {
            if delivered.canceled {
                eprintln!("watch was canceled ({ERR_COMPACTED})");
            }
            if progress {
                println!(
                    "progress notify: {}",
                    delivered.header.as_ref().map_or(0, |h| h.revision)
                );
            }
            emit(self.printer.watch(&delivered)?);
            let watch = self.active.get_mut(&id).expect("target is active");
            if let Some(last) = delivered.events.last().and_then(|e| e.kv.as_ref()) {
                watch.request.start_revision = last.mod_revision + 1;
            }
            if !watch.exec.is_empty() {
                run_command(&watch.exec, &delivered)?;
            }
            if delivered.canceled {
                self.active.remove(&id);
            }
        }
        Ok(())
    }
}

/// Runs the command once per event with etcd's `ETCD_WATCH_*` variables.
fn run_command(exec: &[Vec<u8>], response: &WatchResponse) -> CtlResult<()> {
    let revision = response.header.as_ref().map_or(0, |h| h.revision);
    let program = std::ffi::OsStr::new(std::str::from_utf8(&exec[0]).unwrap_or_default());
    for event in &response.events {
        let kv = event.kv.clone().unwrap_or_default();
        let kind = match event.r#type {
            0 => "PUT".to_string(),
            1 => "DELETE".to_string(),
            other => other.to_string(),
        };
        let _ = std::io::stdout().flush();
        let status = std::process::Command::new(program)
            .args(
                exec[1..]
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into_owned()),
            )
            .env("ETCD_WATCH_REVISION", revision.to_string())
            .env("ETCD_WATCH_EVENT_TYPE", quote_str(&kind))
            .env("ETCD_WATCH_KEY", quote_bytes(&kv.key))
            .env("ETCD_WATCH_VALUE", quote_bytes(&kv.value))
            .status();
        let failure = match status {
            Ok(s) if s.success() => None,
            Ok(s) => Some(match s.code() {
                Some(code) => format!("exit status {code}"),
                None => "signal: killed".to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
                "exec: {}: executable file not found in $PATH",
                quote_bytes(&exec[0])
            )),
            Err(e) => Some(e.to_string()),
        };
        if let Some(err) = failure {
            let quoted: Vec<String> = exec.iter().map(|a| quote_bytes(a)).collect();
            return Err(CtlError::raw(
                EXIT_ERROR,
                format!("command [{}] error ({err})\n", quoted.join(" ")),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Vec<u8>> {
        s.split_whitespace()
            .map(|w| w.as_bytes().to_vec())
            .collect()
    }

    #[test]
    fn command_line_separates_the_command() {
        let spec = command_line_spec(
            &words("etcdctl --endpoints=x watch foo -- echo watch event"),
            &words("foo echo watch event"),
            "",
            "",
        )
        .unwrap();
        assert_eq!(spec.args, words("foo"));
        assert_eq!(spec.exec, words("echo watch event"));
        let spec = command_line_spec(
            &words("etcdctl watch echo -- echo hi"),
            &words("echo echo hi"),
            "",
            "",
        )
        .unwrap();
        assert_eq!((spec.args, spec.exec), (words("echo"), words("echo hi")));
    }

    #[test]
    fn command_line_errors_like_etcdctl() {
        let err = |os: &str, args: &str, env: &str| {
            command_line_spec(&words(os), &words(args), env, "").unwrap_err()
        };
        assert_eq!(err("etcdctl watch", "", ""), ERR_BAD_ARGS_NUM);
        assert_eq!(err("etcdctl watch a --", "a", ""), ERR_SEPARATOR);
        assert_eq!(err("etcdctl watch foo", "foo", "foo"), ERR_CONFLICT_ENV);
        assert_eq!(
            err("etcdctl watch foo -- echo 1", "foo echo 1", "foo"),
            ERR_CONFLICT_ENV
        );
        let spec = command_line_spec(&words("etcdctl watch -- echo 1"), &words("echo 1"), "k", "")
            .unwrap();
        assert_eq!((spec.args, spec.exec), (words("k"), words("echo 1")));
    }

    #[test]
    fn interactive_lines_parse_flags_and_commands() {
        let spec = interactive_spec(&words("--prefix ib -- echo x"), "", "").unwrap();
        assert!(spec.prefix);
        assert_eq!((spec.args, spec.exec), (words("ib"), words("echo x")));
        assert_eq!(
            interactive_spec(&words("--rev"), "", "").unwrap_err(),
            "flag needs an argument: --rev"
        );
    }

    #[test]
    fn argify_handles_quotes() {
        assert_eq!(
            argify(r#"watch "a b" 'c d' e\"f"#).unwrap(),
            vec![
                b"watch".to_vec(),
                b"a b".to_vec(),
                b"c d".to_vec(),
                b"e\\\"f".to_vec()
            ]
        );
    }

    #[test]
    fn prefix_and_range_requests() {
        let spec = WatchSpec {
            args: words("a"),
            prefix: true,
            ..Default::default()
        };
        assert_eq!(spec.create_request().unwrap().range_end, b"b");
        let spec = WatchSpec {
            args: words("a c"),
            prefix: true,
            ..Default::default()
        };
        assert!(spec.create_request().is_err());
    }
}
