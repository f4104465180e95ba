//! etcdutl's command line as cobra and pflag parse it: the command tree (with cobra's prefix
//! matching), flags anywhere after their command (`--flag value`, `--flag=value`, `-w value`,
//! `-wvalue`), `--` ending the flags, required flags, the help template (`UsageString`), and
//! cobra's errors: the error, the usage on stderr, then main's `Error:` line again.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::error::{Failure, EXIT_ERROR};

pub const NAME: &str = "oxutl";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Str,
    Int64,
    Uint64,
}

/// One flag as pflag declares it.
pub struct Flag {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    pub default: &'static str,
    pub usage: &'static str,
}

const fn flag(name: &'static str, kind: Kind, default: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        short: None,
        kind,
        default,
        usage,
    }
}

/// The root's persistent flag, inherited by every command.
pub static WRITE_OUT: Flag = Flag {
    name: "write-out",
    short: Some('w'),
    kind: Kind::Str,
    default: "simple",
    usage: "set the output format (fields, json, protobuf, simple, table)",
};

static RESTORE_FLAGS: &[Flag] = &[
    flag("bump-revision", Kind::Uint64, "0", "How much to increase the latest revision after restore"),
    flag("data-dir", Kind::Str, "", "Path to the output data directory"),
    flag("initial-advertise-peer-urls", Kind::Str, "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster"),
    flag("initial-cluster", Kind::Str, "default=http://localhost:2380", "Initial cluster configuration for restore bootstrap"),
    flag("initial-cluster-token", Kind::Str, "etcd-cluster", "Initial cluster token for the etcd cluster during restore bootstrap"),
    flag(
        "mark-compacted",
        Kind::Bool,
        "false",
        "Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)",
    ),
    flag("name", Kind::Str, "default", "Human-readable name for this member"),
    flag("skip-hash-check", Kind::Bool, "false", "Ignore snapshot integrity hash value (required if copied from data directory)"),
    flag("wal-dir", Kind::Str, "", "Path to the WAL directory (use --data-dir if none given)"),
];

static DEFRAG_FLAGS: &[Flag] = &[flag(
    "data-dir",
    Kind::Str,
    "",
    "Required. Defragments a data directory not in use by etcd.",
)];

static DUMP_KEYS_FLAGS: &[Flag] = &[
    flag(
        "data-dir",
        Kind::Str,
        "",
        "Required. A data directory not in use by a member",
    ),
    flag(
        "keys-only",
        Kind::Bool,
        "false",
        "Print the keys and their revisions, not their values",
    ),
    flag(
        "prefix",
        Kind::Str,
        "",
        "Only the keys that start with this prefix",
    ),
    flag(
        "rev",
        Kind::Int64,
        "0",
        "The keys as of this revision (default: the latest revision)",
    ),
];

static DUMP_DATA_DIR_FLAGS: &[Flag] = &[flag(
    "data-dir",
    Kind::Str,
    "",
    "Required. A data directory not in use by a member",
)];

static HASHKV_FLAGS: &[Flag] = &[
    flag(
        "data-dir",
        Kind::Str,
        "",
        "Hash the backend of this data directory instead of <filename>",
    ),
    flag(
        "rev",
        Kind::Int64,
        "0",
        "maximum revision to hash (default: latest revision)",
    ),
];

static MIGRATE_FLAGS: &[Flag] = &[
    flag(
        "data-dir",
        Kind::Str,
        "",
        "Path to the data directory of a stopped etcd member",
    ),
    flag(
        "dry-run",
        Kind::Bool,
        "false",
        "Check and report what would be imported without changing anything",
    ),
];

/// One node of the command tree.
pub struct Command {
    /// Space-separated path below the root; empty for the root.
    pub path: &'static str,
    /// cobra's `Use` after the name.
    pub usage: &'static str,
    pub short: &'static str,
    pub flags: &'static [Flag],
    pub required: &'static [&'static str],
    pub runnable: bool,
}

/// The tree, each level sorted by name as cobra lists it.
pub static COMMANDS: &[Command] = &[
    Command {
        path: "",
        usage: "",
        short: "An administrative command line tool for etcd3.",
        flags: &[],
        required: &[],
        runnable: false,
    },
    Command {
        path: "defrag",
        usage: "",
        short: "Defragments the storage of the etcd",
        flags: DEFRAG_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "dump",
        usage: "<subcommand>",
        short: "Prints the keys, leases, members or alarms of a stopped member's data dir",
        flags: &[],
        required: &[],
        runnable: false,
    },
    Command {
        path: "dump alarms",
        usage: "--data-dir {data dir}",
        short: "Prints the raised alarms, as etcdctl alarm list does",
        flags: DUMP_DATA_DIR_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "dump keys",
        usage: "--data-dir {data dir} [--prefix P] [--rev N] [--keys-only]",
        short: "Prints every key in key order with its revisions, version, lease and value",
        flags: DUMP_KEYS_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "dump leases",
        usage: "--data-dir {data dir}",
        short: "Prints every lease with its TTLs and keys, as etcdctl lease timetolive --keys does",
        flags: DUMP_DATA_DIR_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "dump members",
        usage: "--data-dir {data dir}",
        short: "Prints the members, as etcdctl member list does",
        flags: DUMP_DATA_DIR_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "hashkv",
        usage: "<filename>",
        short: "Prints the KV history hash of a given file",
        flags: HASHKV_FLAGS,
        required: &[],
        runnable: true,
    },
    Command {
        path: "help",
        usage: "[command]",
        short: "Help about any command",
        flags: &[],
        required: &[],
        runnable: true,
    },
    Command {
        path: "migrate-from-etcd",
        usage: "--data-dir {etcd data dir} [--dry-run]",
        short: "Turns a stopped etcd member's data dir into an oxcd one, in place",
        flags: MIGRATE_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "snapshot",
        usage: "<subcommand>",
        short: "Manages etcd node snapshots",
        flags: &[],
        required: &[],
        runnable: false,
    },
    Command {
        path: "snapshot restore",
        usage: "<filename> --data-dir {output dir} [options]",
        short: "Restores an etcd member snapshot to an etcd directory",
        flags: RESTORE_FLAGS,
        required: &["data-dir"],
        runnable: true,
    },
    Command {
        path: "snapshot status",
        usage: "<filename>",
        short: "Gets backend snapshot status of a given file",
        flags: &[],
        required: &[],
        runnable: true,
    },
    Command {
        path: "version",
        usage: "",
        short: "Prints the version of oxutl",
        flags: &[],
        required: &[],
        runnable: true,
    },
];

/// What the command line asks for.
pub enum Parsed {
    /// Print this help on stdout and exit 0.
    Help(String),
    Run(Invocation),
}

pub struct Invocation {
    pub command: &'static Command,
    pub args: Vec<String>,
    values: BTreeMap<&'static str, String>,
}

impl Invocation {
    pub fn string(&self, name: &str) -> String {
        self.values
            .get(name)
            .cloned()
            .or_else(|| {
                all_flags(self.command)
                    .find(|f| f.name == name)
                    .map(|f| f.default.to_string())
            })
            .unwrap_or_default()
    }

    pub fn bool(&self, name: &str) -> bool {
        self.string(name) == "true"
    }

    pub fn uint(&self, name: &str) -> u64 {
        self.string(name).parse().unwrap_or_default()
    }

    pub fn int(&self, name: &str) -> i64 {
        self.string(name).parse().unwrap_or_default()
    }
}

fn children(parent: &str) -> impl Iterator<Item = &'static Command> + '_ {
    COMMANDS.iter().filter(move |c| {
        let rest = if parent.is_empty() {
            Some(c.path)
        } else {
            c.path
                .strip_prefix(parent)
                .and_then(|r| r.strip_prefix(' '))
        };
        rest.is_some_and(|r| !r.is_empty() && !r.contains(' '))
    })
}

fn find(path: &str) -> &'static Command {
    COMMANDS
        .iter()
        .find(|c| c.path == path)
        .expect("declared command")
}

fn name_of(c: &Command) -> &'static str {
    c.path.rsplit(' ').next().unwrap_or(c.path)
}

/// The flags a command accepts: its own, `--help`, and the root's persistent `--write-out`.
fn all_flags(c: &'static Command) -> impl Iterator<Item = &'static Flag> {
    c.flags
        .iter()
        .chain(std::iter::once(&HELP))
        .chain(std::iter::once(&WRITE_OUT))
}

static HELP: Flag = Flag {
    name: "help",
    short: Some('h'),
    kind: Kind::Bool,
    default: "false",
    usage: "",
};

/// cobra's `Find`: words that are not flags walk down the tree (by name or unique prefix); the
/// flags' values are skipped so that `-w json snapshot status` finds `snapshot status`.
fn find_command(argv: &[String]) -> (&'static Command, Option<String>) {
    let mut command = find("");
    let mut i = 0;
    while i < argv.len() {
        let word = &argv[i];
        if word == "--" {
            break;
        }
        if let Some(flag) = word.strip_prefix('-') {
            let takes_value = |f: &Flag| f.kind != Kind::Bool;
            let separate_value = if let Some(long) = flag.strip_prefix('-') {
                !long.contains('=') && all_flags(command).any(|f| f.name == long && takes_value(f))
            } else {
                flag.len() == 1
                    && all_flags(command)
                        .any(|f| f.short.is_some_and(|s| flag.starts_with(s)) && takes_value(f))
            };
            i += if separate_value { 2 } else { 1 };
            continue;
        }
        let matches: Vec<&'static Command> = children(command.path)
            .filter(|c| name_of(c) == word)
            .chain(children(command.path).filter(|c| name_of(c).starts_with(word.as_str())))
            .collect();
        match matches.first() {
            Some(c) if matches.len() == 1 || name_of(c) == word => command = c,
            _ if command.path.is_empty() => return (command, Some(word.clone())),
            _ => break,
        }
        i += 1;
    }
    (command, None)
}

/// Parses etcdutl's command line (without the program name).
pub fn parse(argv: &[String]) -> Result<Parsed, Failure> {
    let (command, unknown) = find_command(argv);
    if let Some(word) = unknown {
        let message = format!("unknown command {word:?} for {NAME:?}");
        return Err(Failure::usage_error(
            EXIT_ERROR,
            &message,
            format!("Error: {message}\nRun '{NAME} --help' for usage.\n"),
        ));
    }
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut args = Vec::new();
    let mut path_words = command.path.split(' ').filter(|w| !w.is_empty()).count();
    let mut i = 0;
    let fail = |message: String| -> Failure {
        Failure::usage_error(
            EXIT_ERROR,
            &message,
            format!("Error: {message}\n{}\n", usage(command)),
        )
    };
    while i < argv.len() {
        let word = &argv[i];
        i += 1;
        if word == "--" {
            args.extend(argv[i..].iter().cloned());
            break;
        }
        let (flag, inline) = if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(flag) = all_flags(command).find(|f| f.name == name) else {
                return Err(fail(format!("unknown flag: --{name}")));
            };
            (flag, inline)
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let c = shorts.chars().next().unwrap_or_default();
            let Some(flag) = all_flags(command).find(|f| f.short == Some(c)) else {
                return Err(fail(format!("unknown shorthand flag: '{c}' in -{shorts}")));
            };
            let rest = &shorts[c.len_utf8()..];
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            (flag, (!rest.is_empty()).then(|| rest.to_string()))
        } else {
            if path_words > 0 {
                path_words -= 1;
            } else {
                args.push(word.clone());
            }
            continue;
        };
        let value = match (flag.kind, inline) {
            (_, Some(v)) => v,
            (Kind::Bool, None) => "true".to_string(),
            (_, None) => match argv.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(fail(format!("flag needs an argument: --{}", flag.name))),
            },
        };
        let checked = match flag.kind {
            Kind::Bool => parse_bool(&value).map(|b| b.to_string()),
            Kind::Int64 => value
                .parse::<i64>()
                .map(|n| n.to_string())
                .map_err(|_| format!("strconv.ParseInt: parsing {value:?}: invalid syntax")),
            Kind::Uint64 => value
                .parse::<u64>()
                .map(|n| n.to_string())
                .map_err(|_| format!("strconv.ParseUint: parsing {value:?}: invalid syntax")),
            Kind::Str => Ok(value.clone()),
        };
        match checked {
            Ok(v) => {
                values.insert(flag.name, v);
            }
            Err(e) => {
                let shown = match flag.short {
                    Some(s) => format!("-{s}, --{}", flag.name),
                    None => format!("--{}", flag.name),
                };
                return Err(fail(format!(
                    "invalid argument {value:?} for {shown:?} flag: {e}"
                )));
            }
        }
    }
    if values.get("help").is_some_and(|v| v == "true") || !command.runnable {
        return Ok(Parsed::Help(usage(command)));
    }
    if command.path == "help" {
        let (target, _) = find_command(&args);
        return Ok(Parsed::Help(usage(target)));
    }
    let missing: Vec<String> = command
        .required
        .iter()
        .filter(|name| !values.contains_key(*name))
        .map(|name| format!("{name:?}"))
        .collect();
    if !missing.is_empty() {
        return Err(fail(format!(
            "required flag(s) {} not set",
            missing.join(", ")
        )));
    }
    Ok(Parsed::Run(Invocation {
        command,
        args,
        values,
    }))
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {s:?}: invalid syntax")),
    }
}

/// cobra's `UsageString` with the help template etcdutl sets (`{{.UsageString}}`).
pub fn usage(c: &'static Command) -> String {
    let mut out = String::from("Usage:\n");
    let full = |c: &Command| {
        if c.path.is_empty() {
            NAME.to_string()
        } else {
            format!("{NAME} {}", c.path)
        }
    };
    let subcommands: Vec<&Command> = children(c.path).collect();
    if c.runnable {
        let use_line = if c.usage.is_empty() {
            full(c)
        } else {
            format!("{} {}", full(c), c.usage)
        };
        let _ = writeln!(out, "  {use_line} [flags]");
    }
    if !subcommands.is_empty() {
        let _ = writeln!(out, "  {} [command]", full(c));
    }
    if !subcommands.is_empty() {
        out.push_str("\nAvailable Commands:\n");
        let pad = subcommands
            .iter()
            .map(|s| name_of(s).len())
            .max()
            .unwrap_or(0)
            .max(11);
        for s in &subcommands {
            let _ = writeln!(out, "  {:<pad$} {}", name_of(s), s.short);
        }
    }
    let own: Vec<&Flag> = if c.path.is_empty() {
        vec![&HELP, &WRITE_OUT]
    } else {
        c.flags.iter().chain(std::iter::once(&HELP)).collect()
    };
    out.push_str("\nFlags:\n");
    out.push_str(&flag_usages(&own, name_of(c)));
    if !c.path.is_empty() {
        out.push_str("\nGlobal Flags:\n");
        out.push_str(&flag_usages(&[&WRITE_OUT], ""));
    }
    if !subcommands.is_empty() {
        let _ = writeln!(
            out,
            "\nUse \"{} [command] --help\" for more information about a command.",
            full(c)
        );
    }
    out
}

/// pflag's `FlagUsages`, sorted by name, columns aligned.
fn flag_usages(flags: &[&Flag], command_name: &str) -> String {
    let mut flags = flags.to_vec();
    flags.sort_by_key(|f| f.name);
    let lines: Vec<(String, String)> = flags
        .iter()
        .map(|f| {
            let mut left = match f.short {
                Some(s) => format!("  -{s}, --{}", f.name),
                None => format!("      --{}", f.name),
            };
            match f.kind {
                Kind::Bool => {}
                Kind::Str => left.push_str(" string"),
                Kind::Int64 => left.push_str(" int"),
                Kind::Uint64 => left.push_str(" uint"),
            }
            let mut usage = if f.name == "help" {
                format!(
                    "help for {}",
                    if command_name.is_empty() {
                        NAME
                    } else {
                        command_name
                    }
                )
            } else {
                f.usage.to_string()
            };
            let zero = matches!(f.default, "" | "false" | "0");
            if !zero {
                if f.kind == Kind::Str {
                    let _ = write!(usage, " (default {:?})", f.default);
                } else {
                    let _ = write!(usage, " (default {})", f.default);
                }
            }
            (left, usage)
        })
        .collect();
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    lines
        .iter()
        .map(|(l, u)| format!("{l:<width$}   {u}\n"))
        .collect()
}
