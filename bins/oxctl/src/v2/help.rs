//! etcdctl v2's help texts, as urfave/cli v1 renders its templates: the app's, a nested app's
//! (`member`, `user`, `role`, `auth`) and a command's.

use crate::args::OXCTL_VERSION;

use super::spec::{CommandSpec, FlagSpec, Kind, COMMANDS, GLOBAL_FLAGS};

/// `--version`: etcdctl's two lines, naming oxctl.
pub fn version() -> String {
    format!("oxctl version: {OXCTL_VERSION}\nAPI version: 2\n")
}

/// The app's help (`etcdctl --help`).
pub fn app() -> String {
    let mut commands: Vec<(String, &str)> = COMMANDS
        .iter()
        .map(|c| (format!("   {}", c.name), c.usage))
        .collect();
    commands.push((
        "   help, h".to_string(),
        "Shows a list of commands or help for one command",
    ));
    let flags: Vec<(String, String)> = GLOBAL_FLAGS.iter().map(flag_line).collect();
    format!(
        "NAME:\n   etcdctl - A simple command line client for etcd.\n\nUSAGE:\n   etcdctl [global options] command [command options] [arguments...]\n\nVERSION:\n   {OXCTL_VERSION}\n\nCOMMANDS:\n{}\nGLOBAL OPTIONS:\n{}",
        aligned(&commands),
        aligned(&flags.iter().map(|(n, u)| (format!("   {n}"), u.as_str())).collect::<Vec<_>>()),
    )
}

/// A nested app's help (`etcdctl member --help`).
pub fn group(group: &CommandSpec) -> String {
    let commands: Vec<(String, &str)> = group
        .subcommands
        .iter()
        .map(|c| (format!("   {}", c.name), c.usage))
        .collect();
    format!(
        "NAME:\n   etcdctl {name} - {usage}\n\nUSAGE:\n   etcdctl {name} command [command options] [arguments...]\n\nCOMMANDS:\n{}\nOPTIONS:\n   --help, -h  show help\n   \n",
        aligned(&commands),
        name = group.name,
        usage = group.usage,
    )
}

/// A command's help; `parent` is the app's name (`etcdctl`, `etcdctl member`). A nested app
/// asked about through `help` shows its command template, without flags.
pub fn command(parent: &str, command: &CommandSpec) -> String {
    let name = format!("{parent} {}", command.name);
    let args = if command.args_usage.is_empty() {
        "[arguments...]"
    } else {
        command.args_usage
    };
    let options = if command.flags.is_empty() {
        ""
    } else {
        " [command options]"
    };
    let mut text = format!(
        "NAME:\n   {name} - {}\n\nUSAGE:\n   {name}{options} {args}",
        command.usage
    );
    if !command.description.is_empty() {
        text.push_str(&format!("\n\nDESCRIPTION:\n   {}", command.description));
    }
    if !command.flags.is_empty() {
        text.push_str("\n\nOPTIONS:\n");
        let flags: Vec<(String, String)> = command.flags.iter().map(flag_line).collect();
        text.push_str(&aligned(
            &flags
                .iter()
                .map(|(n, u)| (format!("   {n}"), u.as_str()))
                .collect::<Vec<_>>(),
        ));
        text.push_str("   ");
    }
    text.push('\n');
    text
}

/// urfave's `stringifyFlag`: the names with their placeholder, and the usage with the default.
fn flag_line(flag: &FlagSpec) -> (String, String) {
    let (placeholder, usage) = unquote_usage(flag.usage);
    let takes_value = flag.kind != Kind::Bool;
    let placeholder = match (takes_value, placeholder) {
        (true, None) => Some("value".to_string()),
        (_, p) => p,
    };
    let default = match flag.kind {
        Kind::Bool => String::new(),
        Kind::Str if flag.default.is_empty() => String::new(),
        Kind::Str => format!(" (default: \"{}\")", flag.default),
        Kind::Int | Kind::Duration => format!(" (default: {})", flag.default),
    };
    let names: Vec<String> = flag
        .names
        .split(',')
        .map(str::trim)
        .map(|name| {
            let dashes = if name.len() == 1 { "-" } else { "--" };
            match &placeholder {
                Some(p) => format!("{dashes}{name} {p}"),
                None => format!("{dashes}{name}"),
            }
        })
        .collect();
    (
        names.join(", "),
        format!("{usage}{default}").trim().to_string(),
    )
}

/// urfave's `unquoteUsage`: the first back-quoted word names the placeholder and loses its
/// quotes.
fn unquote_usage(usage: &str) -> (Option<String>, String) {
    if let Some(start) = usage.find('`') {
        if let Some(len) = usage[start + 1..].find('`') {
            let name = &usage[start + 1..start + 1 + len];
            let text = format!("{}{}{}", &usage[..start], name, &usage[start + 2 + len..]);
            return (Some(name.to_string()), text);
        }
    }
    (None, usage.to_string())
}

/// Two columns, as Go's tabwriter (padding 2, spaces) lays out consecutive tabbed lines.
fn aligned(rows: &[(String, &str)]) -> String {
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    rows.iter()
        .map(|(left, right)| {
            let pad = width - left.chars().count();
            format!("{left}{}{right}\n", " ".repeat(pad))
        })
        .collect()
}
