//! The command line, parsed as etcdctl's cobra/pflag parse it: the command tree, each command's
//! flags, global flags and their `ETCDCTL_<FLAG>` variables, pflag's errors and etcdctl's help.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::error::{CtlError, CtlResult, EXIT_ERROR};
use crate::goformat;
use crate::tabwriter;

/// The etcdctl release whose behaviour and output oxctl reproduces.
pub const ETCDCTL_VERSION: &str = "3.4.23";
pub const API_VERSION: &str = "3.4";

/// The type of a flag's value, which decides how it is parsed and shown in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Str,
    Int,
    Duration,
    List,
}

/// One flag as pflag declares it.
#[derive(Debug)]
pub struct Flag {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// pflag's `DefValue` text; a `List` default is comma-separated.
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

const fn short_flag(
    name: &'static str,
    short: char,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> Flag {
    Flag {
        name,
        short: Some(short),
        kind,
        default,
        usage,
    }
}

use Kind::{Bool, Duration as Dur, Int, List, Str};

/// etcdctl's persistent (global) flags, sorted by name as pflag prints them.
pub static GLOBAL_FLAGS: &[Flag] = &[
    flag("cacert", Str, "", "verify certificates of TLS-enabled secure servers using this CA bundle"),
    flag("cert", Str, "", "identify secure client using this TLS certificate file"),
    flag("command-timeout", Dur, "5s", "timeout for short running command (excluding dial timeout)"),
    flag("debug", Bool, "false", "enable client-side debug logging"),
    flag("dial-timeout", Dur, "2s", "dial timeout for client connections"),
    short_flag("discovery-srv", 'd', Str, "", "domain name to query for SRV records describing cluster endpoints"),
    flag("discovery-srv-name", Str, "", "service name to query when using DNS discovery"),
    flag("endpoints", List, "127.0.0.1:2379", "gRPC endpoints"),
    flag("hex", Bool, "false", "print byte strings as hex encoded strings"),
    flag("insecure-discovery", Bool, "true", "accept insecure SRV records describing cluster endpoints"),
    flag(
        "insecure-skip-tls-verify",
        Bool,
        "false",
        "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)",
    ),
    flag("insecure-transport", Bool, "true", "disable transport security for client connections"),
    flag("keepalive-time", Dur, "2s", "keepalive time for client connections"),
    flag("keepalive-timeout", Dur, "6s", "keepalive timeout for client connections"),
    flag("key", Str, "", "identify secure client using this TLS key file"),
    flag(
        "password",
        Str,
        "",
        "password for authentication (if this option is used, --user option shouldn't include password)",
    ),
    flag("user", Str, "", "username[:password] for authentication (prompt if password is not supplied)"),
    short_flag("write-out", 'w', Str, "simple", "set the output format (fields, json, protobuf, simple, table)"),
];

static GET_FLAGS: &[Flag] = &[
    flag(
        "consistency",
        Str,
        "l",
        "Linearizable(l) or Serializable(s)",
    ),
    flag("count-only", Bool, "false", "Get only the count"),
    flag(
        "from-key",
        Bool,
        "false",
        "Get keys that are greater than or equal to the given key using byte compare",
    ),
    flag("keys-only", Bool, "false", "Get only the keys"),
    flag("limit", Int, "0", "Maximum number of results"),
    flag("max-create-revision", Int, "0", "Maximum create revision"),
    flag(
        "max-mod-revision",
        Int,
        "0",
        "Maximum modification revision",
    ),
    flag("min-create-revision", Int, "0", "Minimum create revision"),
    flag(
        "min-mod-revision",
        Int,
        "0",
        "Minimum modification revision",
    ),
    flag(
        "order",
        Str,
        "",
        "Order of results; ASCEND or DESCEND (ASCEND by default)",
    ),
    flag("prefix", Bool, "false", "Get keys with matching prefix"),
    flag(
        "print-value-only",
        Bool,
        "false",
        "Only write values when using the \"simple\" output format",
    ),
    flag("rev", Int, "0", "Specify the kv revision"),
    flag(
        "sort-by",
        Str,
        "",
        "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION",
    ),
];

static PUT_FLAGS: &[Flag] = &[
    flag(
        "ignore-lease",
        Bool,
        "false",
        "updates the key using its current lease",
    ),
    flag(
        "ignore-value",
        Bool,
        "false",
        "updates the key using its current value",
    ),
    flag(
        "lease",
        Str,
        "0",
        "lease ID (in hexadecimal) to attach to the key",
    ),
    flag(
        "prev-kv",
        Bool,
        "false",
        "return the previous key-value pair before modification",
    ),
];

static DEL_FLAGS: &[Flag] = &[
    flag(
        "from-key",
        Bool,
        "false",
        "delete keys that are greater than or equal to the given key using byte compare",
    ),
    flag("prefix", Bool, "false", "delete keys with matching prefix"),
    flag("prev-kv", Bool, "false", "return deleted key-value pairs"),
];

static TXN_FLAGS: &[Flag] = &[short_flag(
    "interactive",
    'i',
    Bool,
    "false",
    "Input transaction in interactive mode",
)];

static COMPACTION_FLAGS: &[Flag] = &[flag(
    "physical",
    Bool,
    "false",
    "'true' to wait for compaction to physically remove all old revisions",
)];

static ENDPOINT_FLAGS: &[Flag] = &[flag(
    "cluster",
    Bool,
    "false",
    "use all endpoints from the cluster member list",
)];

static LS_FLAGS: &[Flag] = &[short_flag(
    "recursive",
    'r',
    Bool,
    "false",
    "List every key under the prefix, not one level",
)];

static LEASE_KEEPALIVE_FLAGS: &[Flag] = &[flag(
    "once",
    Bool,
    "false",
    "Resets the keep-alive time to its original value and exits immediately",
)];

static LEASE_TIMETOLIVE_FLAGS: &[Flag] = &[flag(
    "keys",
    Bool,
    "false",
    "Get keys attached to this lease",
)];

static LOCK_FLAGS: &[Flag] = &[flag("ttl", Int, "10", "timeout for session")];

static ELECT_FLAGS: &[Flag] = &[short_flag("listen", 'l', Bool, "false", "observation mode")];

static WATCH_FLAGS: &[Flag] = &[
    short_flag("interactive", 'i', Bool, "false", "Interactive mode"),
    flag(
        "prefix",
        Bool,
        "false",
        "Watch on a prefix if prefix is set",
    ),
    flag(
        "prev-kv",
        Bool,
        "false",
        "get the previous key-value pair before the event happens",
    ),
    // etcdctl 3.5's flag; 3.4 has no way to ask for progress notifications.
    flag(
        "progress-notify",
        Bool,
        "false",
        "get periodic watch progress notification from server",
    ),
    flag("rev", Int, "0", "Revision to start watching"),
];

static NO_FLAGS: &[Flag] = &[];

static MEMBER_ADD_FLAGS: &[Flag] = &[
    flag(
        "learner",
        Bool,
        "false",
        "indicates if the new member is raft learner",
    ),
    flag(
        "peer-urls",
        Str,
        "",
        "comma separated peer URLs for the new member.",
    ),
];

static MEMBER_UPDATE_FLAGS: &[Flag] = &[flag(
    "peer-urls",
    Str,
    "",
    "comma separated peer URLs for the updated member.",
)];

static HASHKV_FLAGS: &[Flag] = &[flag(
    "rev",
    Int,
    "0",
    "maximum revision to hash (default: all revisions)",
)];

/// One node of the command tree.
#[derive(Debug)]
pub struct CommandSpec {
    /// Space-separated path below the root, e.g. `endpoint status`; empty for the root.
    pub path: &'static str,
    pub short: &'static str,
    /// What follows the command path in the USAGE line, before cobra's ` [flags]`.
    pub usage: &'static str,
    pub long: &'static str,
    pub flags: &'static [Flag],
    /// Flags this command declares persistent: its subcommands inherit them.
    pub persistent: &'static [Flag],
    pub runnable: bool,
}

const fn command(
    path: &'static str,
    short: &'static str,
    usage: &'static str,
    flags: &'static [Flag],
) -> CommandSpec {
    CommandSpec {
        path,
        short,
        usage,
        long: "",
        flags,
        persistent: NO_FLAGS,
        runnable: true,
    }
}

const PUT_LONG: &str = "Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
";

const TXN_LONG: &str = "";

/// The command tree, sorted by path (cobra sorts commands by name).
pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        path: "",
        short: "A simple command line client for etcd3.",
        usage: "",
        long: "",
        flags: NO_FLAGS,
        persistent: GLOBAL_FLAGS,
        runnable: false,
    },
    CommandSpec {
        path: "alarm",
        short: "Alarm related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command("alarm disarm", "Disarms all alarms", "", NO_FLAGS),
    command("alarm list", "Lists all alarms", "", NO_FLAGS),
    command("compaction", "Compacts the event history in etcd", "[options] <revision>", COMPACTION_FLAGS),
    command("del", "Removes the specified key or range of keys [key, range_end)", "[options] <key> [range_end]", DEL_FLAGS),
    command(
        "elect",
        "Observes and participates in leader election",
        "<election-name> [proposal]",
        ELECT_FLAGS,
    ),
    CommandSpec {
        path: "endpoint",
        short: "Endpoint related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: ENDPOINT_FLAGS,
        runnable: false,
    },
    CommandSpec {
        persistent: HASHKV_FLAGS,
        ..command(
            "endpoint hashkv",
            "Prints the KV history hash for each endpoint in --endpoints",
            "",
            NO_FLAGS,
        )
    },
    command(
        "endpoint health",
        "Checks the healthiness of endpoints specified in `--endpoints` flag",
        "",
        NO_FLAGS,
    ),
    CommandSpec {
        long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.
",
        ..command(
            "endpoint status",
            "Prints out the status of endpoints specified in `--endpoints` flag",
            "",
            NO_FLAGS,
        )
    },
    command("get", "Gets the key or a range of keys", "[options] <key> [range_end]", GET_FLAGS),
    command("help", "Help about any command", "[command]", NO_FLAGS),
    CommandSpec {
        path: "lease",
        short: "Lease related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command("lease grant", "Creates leases", "<ttl>", NO_FLAGS),
    command(
        "lease keep-alive",
        "Keeps leases alive (renew)",
        "[options] <leaseID>",
        LEASE_KEEPALIVE_FLAGS,
    ),
    command("lease list", "List all active leases", "", NO_FLAGS),
    command("lease revoke", "Revokes leases", "<leaseID>", NO_FLAGS),
    command(
        "lease timetolive",
        "Get lease information",
        "<leaseID> [options]",
        LEASE_TIMETOLIVE_FLAGS,
    ),
    command(
        "lock",
        "Acquires a named lock",
        "<lockname> [exec-command arg1 arg2 ...]",
        LOCK_FLAGS,
    ),
    command(
        "ls",
        "Lists one level of the key hierarchy below a prefix, split on '/'",
        "[options] [prefix]",
        LS_FLAGS,
    ),
    CommandSpec {
        path: "member",
        short: "Membership related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command(
        "member add",
        "Adds a member into the cluster",
        "<memberName> [options]",
        MEMBER_ADD_FLAGS,
    ),
    CommandSpec {
        long: "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.
",
        ..command("member list", "Lists all members in the cluster", "", NO_FLAGS)
    },
    CommandSpec {
        long: "Promotes a non-voting learner member to a voting one in the cluster.\n",
        ..command(
            "member promote",
            "Promotes a non-voting member in the cluster",
            "<memberID>",
            NO_FLAGS,
        )
    },
    command("member remove", "Removes a member from the cluster", "<memberID>", NO_FLAGS),
    command(
        "member update",
        "Updates a member in the cluster",
        "<memberID> [options]",
        MEMBER_UPDATE_FLAGS,
    ),
    command(
        "move-leader",
        "Transfers leadership to another etcd cluster member.",
        "<transferee-member-id>",
        NO_FLAGS,
    ),
    CommandSpec {
        long: PUT_LONG,
        ..command(
            "put",
            "Puts the given key into the store",
            "[options] <key> <value> (<value> can also be given from stdin)",
            PUT_FLAGS,
        )
    },
    CommandSpec {
        long: TXN_LONG,
        ..command("txn", "Txn processes all the requests in one transaction", "[options]", TXN_FLAGS)
    },
    command("version", "Prints the version of etcdctl", "", NO_FLAGS),
    command(
        "watch",
        "Watches events stream on keys or prefixes",
        "[options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
        WATCH_FLAGS,
    ),
];

/// A parsed flag value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Str(String),
    Int(i64),
    Duration(Duration),
    List(Vec<String>),
}

#[derive(Debug, Clone)]
struct FlagState {
    kind: Kind,
    value: Value,
    /// Set on the command line (pflag's `Changed`).
    changed: bool,
}

/// The values of every flag a command accepts, by name.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    values: BTreeMap<&'static str, FlagState>,
}

impl Flags {
    fn for_flags<'a>(flags: impl Iterator<Item = &'a Flag>) -> Flags {
        let mut values = BTreeMap::new();
        for f in flags {
            let value = parse_value(f.kind, f.default, None).expect("flag defaults are valid");
            values.insert(
                f.name,
                FlagState {
                    kind: f.kind,
                    value,
                    changed: false,
                },
            );
        }
        Flags { values }
    }

    pub fn bool(&self, name: &str) -> bool {
        match self.values.get(name).map(|s| &s.value) {
            Some(Value::Bool(b)) => *b,
            _ => false,
        }
    }

    pub fn string(&self, name: &str) -> String {
        match self.values.get(name).map(|s| &s.value) {
            Some(Value::Str(s)) => s.clone(),
            _ => String::new(),
        }
    }

    pub fn int(&self, name: &str) -> i64 {
        match self.values.get(name).map(|s| &s.value) {
            Some(Value::Int(i)) => *i,
            _ => 0,
        }
    }

    pub fn duration(&self, name: &str) -> Duration {
        match self.values.get(name).map(|s| &s.value) {
            Some(Value::Duration(d)) => *d,
            _ => Duration::ZERO,
        }
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        match self.values.get(name).map(|s| &s.value) {
            Some(Value::List(l)) => l.clone(),
            _ => Vec::new(),
        }
    }

    /// pflag's `Set`: parses `text` into the flag; a list flag set twice on the command line
    /// appends, as pflag's string slices do.
    fn set(&mut self, name: &str, text: &str) -> Result<(), String> {
        let state = self
            .values
            .get_mut(name)
            .expect("only declared flags are set");
        let previous = match (&state.value, state.changed) {
            (Value::List(items), true) => Some(items.clone()),
            _ => None,
        };
        state.value = parse_value(state.kind, text, previous)?;
        state.changed = true;
        Ok(())
    }

    fn changed(&self, name: &str) -> bool {
        self.values.get(name).is_some_and(|s| s.changed)
    }
}

fn parse_value(kind: Kind, text: &str, previous: Option<Vec<String>>) -> Result<Value, String> {
    Ok(match kind {
        Kind::Bool => Value::Bool(goformat::parse_bool(text)?),
        Kind::Str => Value::Str(text.to_string()),
        Kind::Int => Value::Int(goformat::parse_int(text)?),
        Kind::Duration => Value::Duration(goformat::parse_duration(text)?),
        Kind::List => {
            let mut items = previous.unwrap_or_default();
            if !text.is_empty() {
                items.extend(text.split(',').map(str::to_string));
            }
            Value::List(items)
        }
    })
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Run `command` with these flags and positional arguments.
    Run(Invocation),
    /// Print this text to stdout and exit 0 (help).
    Help(String),
}

/// A command to run.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub command: &'static CommandSpec,
    pub flags: Flags,
    /// Positional arguments as the raw bytes given (keys and values need not be UTF-8).
    pub args: Vec<Vec<u8>>,
}

pub fn find_command(path: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.path == path)
}

fn children(path: &str) -> impl Iterator<Item = &'static CommandSpec> + '_ {
    COMMANDS.iter().filter(move |c| {
        !c.path.is_empty()
            && match c.path.rsplit_once(' ') {
                Some((parent, _)) => parent == path,
                None => path.is_empty(),
            }
    })
}

fn leaf_name(spec: &CommandSpec) -> &'static str {
    spec.path.rsplit(' ').next().unwrap_or("etcdctl")
}

/// The flags a command inherits: the persistent flags of its ancestors.
fn inherited_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
    let words: Vec<&str> = spec.path.split(' ').filter(|p| !p.is_empty()).collect();
    let mut flags: Vec<&'static Flag> = Vec::new();
    for depth in 0..words.len() {
        let ancestor = words[..depth].join(" ");
        if let Some(parent) = find_command(&ancestor) {
            flags.extend(parent.persistent.iter());
        }
    }
    flags.sort_by_key(|f| f.name);
    flags
}

static HELP_FLAG: Flag = short_flag("help", 'h', Bool, "false", "");

/// The command's own flags: those it declares, its persistent ones and `--help`.
fn local_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
    let mut flags: Vec<&'static Flag> = spec.flags.iter().chain(spec.persistent.iter()).collect();
    flags.push(&HELP_FLAG);
    flags.sort_by_key(|f| f.name);
    flags
}

/// Splits `argv` (without the program name) into command, flags and arguments.
pub fn parse(argv: &[Vec<u8>]) -> CtlResult<Parsed> {
    let (spec, rest) = resolve_command(argv)?;
    let local = local_flags(spec);
    let inherited = inherited_flags(spec);
    let all: Vec<&'static Flag> = local.iter().chain(inherited.iter()).copied().collect();
    let mut flags = Flags::for_flags(all.iter().copied());
    let args = match parse_flags(&all, &mut flags, &rest) {
        Ok(args) => args,
        Err(message) => {
            // cobra prints the error and the usage, then etcdctl's ExitWithError prints it again.
            let usage = help_text(spec);
            let mut err = CtlError::raw(
                EXIT_ERROR,
                format!("Error: {message}\n\nError: {message}\n"),
            );
            err.stdout = usage;
            return Err(err);
        }
    };
    if flags.bool("help") || !spec.runnable {
        return Ok(Parsed::Help(help_text(spec)));
    }
    if spec.path == "help" {
        let target = args
            .iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>()
            .join(" ");
        return match find_command(&target) {
            Some(found) => Ok(Parsed::Help(help_text(found))),
            None => Ok(Parsed::Help(help_text(
                find_command("").expect("root exists"),
            ))),
        };
    }
    Ok(Parsed::Run(Invocation {
        command: spec,
        flags,
        args,
    }))
}

/// Finds the command named by the first positional arguments (cobra's `Find`), returning the
/// arguments that remain once the command's words are removed.
fn resolve_command(argv: &[Vec<u8>]) -> CtlResult<(&'static CommandSpec, Vec<Vec<u8>>)> {
    let mut path = String::new();
    let mut rest = Vec::new();
    let mut index = 0;
    let mut searching = true;
    while index < argv.len() {
        let raw = &argv[index];
        let arg = String::from_utf8_lossy(raw).into_owned();
        if arg == "--" {
            rest.extend(argv[index..].iter().cloned());
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            rest.push(raw.clone());
            if takes_separate_value(&arg) && index + 1 < argv.len() {
                rest.push(argv[index + 1].clone());
                index += 1;
            }
            index += 1;
            continue;
        }
        if searching {
            let candidate = if path.is_empty() {
                arg.clone()
            } else {
                format!("{path} {arg}")
            };
            if let Some(found) = find_command(&candidate) {
                path = found.path.to_string();
                searching = !found.runnable;
                index += 1;
                continue;
            }
            if path.is_empty() {
                let message = format!(
                    "unknown command {} for \"etcdctl\"",
                    goformat::quote_bytes(raw)
                );
                return Err(CtlError::raw(
                    EXIT_ERROR,
                    format!(
                        "Error: {message}\nRun 'etcdctl --help' for usage.\nError: {message}\n"
                    ),
                ));
            }
            searching = false;
        }
        rest.push(raw.clone());
        index += 1;
    }
    Ok((find_command(&path).expect("resolved paths exist"), rest))
}

/// Whether a flag given as `arg` consumes the next argument as its value, for finding the command
/// words before the command's own flags are known (global flags only, as cobra's `stripFlags`).
fn takes_separate_value(arg: &str) -> bool {
    if let Some(long) = arg.strip_prefix("--") {
        if long.contains('=') {
            return false;
        }
        return GLOBAL_FLAGS
            .iter()
            .any(|f| f.name == long && f.kind != Bool);
    }
    let shorts = &arg[1..];
    shorts.len() == 1
        && GLOBAL_FLAGS
            .iter()
            .any(|f| f.short.map(|c| c.to_string()) == Some(shorts.to_string()) && f.kind != Bool)
}

/// pflag's interspersed parsing: flags anywhere, `--` ends them, `-` is an argument.
fn parse_flags(
    declared: &[&'static Flag],
    flags: &mut Flags,
    argv: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, String> {
    let mut args = Vec::new();
    let mut index = 0;
    while index < argv.len() {
        let raw = &argv[index];
        let arg = &String::from_utf8_lossy(raw).into_owned();
        index += 1;
        if arg == "--" {
            args.extend(argv[index..].iter().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = declared.iter().find(|f| f.name == name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match inline {
                Some(v) => v,
                None if spec.kind == Bool => "true".to_string(),
                None if index < argv.len() => {
                    index += 1;
                    String::from_utf8_lossy(&argv[index - 1]).into_owned()
                }
                None => return Err(format!("flag needs an argument: --{name}")),
            };
            flags
                .set(spec.name, &value)
                .map_err(|e| invalid_argument(spec, &value, &e))?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts: Vec<char> = arg[1..].chars().collect();
            let mut pos = 0;
            while pos < shorts.len() {
                let c = shorts[pos];
                let Some(spec) = declared.iter().find(|f| f.short == Some(c)) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {arg}"));
                };
                let remainder: String = shorts[pos + 1..].iter().collect();
                let value = if let Some(v) = remainder.strip_prefix('=') {
                    pos = shorts.len();
                    v.to_string()
                } else if spec.kind == Bool {
                    pos += 1;
                    "true".to_string()
                } else if !remainder.is_empty() {
                    pos = shorts.len();
                    remainder
                } else if index < argv.len() {
                    pos = shorts.len();
                    index += 1;
                    String::from_utf8_lossy(&argv[index - 1]).into_owned()
                } else {
                    return Err(format!("flag needs an argument: '{c}' in {arg}"));
                };
                flags
                    .set(spec.name, &value)
                    .map_err(|e| invalid_argument(spec, &value, &e))?;
            }
        } else {
            args.push(raw.clone());
        }
    }
    Ok(args)
}

fn invalid_argument(spec: &Flag, value: &str, err: &str) -> String {
    let name = match spec.short {
        Some(c) => format!("-{c}, --{}", spec.name),
        None => format!("--{}", spec.name),
    };
    format!(
        "invalid argument {} for {} flag: {err}",
        goformat::quote_str(value),
        goformat::quote_str(&name)
    )
}

/// Parses a command line for one command with only its own flags, as etcdctl's txn parser does
/// with fresh `put`/`get`/`del` commands (no global flags there).
pub fn parse_local(path: &str, argv: &[Vec<u8>]) -> Result<(Flags, Vec<Vec<u8>>), String> {
    let spec = find_command(path).expect("txn ops name known commands");
    let local = local_flags(spec);
    let mut flags = Flags::for_flags(local.iter().copied());
    let args = parse_flags(&local, &mut flags, argv)?;
    Ok((flags, args))
}

/// cobra's default usage text for a command outside etcdctl's own template: what a txn op with a
/// bad flag prints to stderr (pflag's newer layout: `--name type   usage (default ..)`).
pub fn cobra_usage(path: &str) -> String {
    let spec = find_command(path).expect("txn ops name known commands");
    let mut lines = Vec::new();
    for f in local_flags(spec) {
        let mut line = match f.short {
            Some(c) => format!("  -{c}, --{}", f.name),
            None => format!("      --{}", f.name),
        };
        match f.kind {
            Kind::Bool => {}
            Kind::Str => line.push_str(" string"),
            Kind::Int => line.push_str(" int"),
            Kind::Duration => line.push_str(" duration"),
            Kind::List => line.push_str(" strings"),
        }
        let usage = if f.name == "help" {
            format!("help for {path}")
        } else {
            f.usage.to_string()
        };
        let default = match f.kind {
            Kind::Str if !f.default.is_empty() => {
                format!(" (default {})", goformat::quote_str(f.default))
            }
            Kind::Int if f.default != "0" => format!(" (default {})", f.default),
            _ => String::new(),
        };
        lines.push((line, format!("{usage}{default}")));
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut text = format!("Usage:\n   {path} {} [flags]\n\nFlags:\n", spec.usage);
    for (line, usage) in lines {
        text.push_str(&format!("{line:width$}   {usage}\n"));
    }
    text.push('\n');
    text
}

/// The global flags a command sees, and where they came from.
impl Invocation {
    /// etcdctl's `SetPflagsFromEnv("ETCDCTL", cmd.InheritedFlags())`, run when a command builds
    /// its client: unset global flags take `ETCDCTL_<FLAG>`; a variable that shadows a flag given
    /// on the command line is fatal; unknown `ETCDCTL_*` variables are warned about.
    pub fn apply_env(&mut self, vars: &[(String, String)]) -> CtlResult<String> {
        let mut warnings = String::new();
        let inherited = inherited_flags(self.command);
        let mut known: Vec<String> = inherited.iter().map(|f| env_name(f.name)).collect();
        known.extend(
            [
                "ETCDCTL_API",
                "ETCDCTL_WATCH_KEY",
                "ETCDCTL_WATCH_RANGE_END",
            ]
            .map(String::from),
        );
        for f in &inherited {
            let name = env_name(f.name);
            let Some((_, value)) = vars.iter().find(|(k, _)| *k == name) else {
                continue;
            };
            if self.flags.changed(f.name) {
                return Err(CtlError::raw(
                    EXIT_ERROR,
                    format!(
                        "{} C | pkg/flags: conflicting environment variable {name:?} is shadowed by corresponding command-line flag (either unset environment variable or disable flag)\n",
                        goformat::log_timestamp()
                    ),
                ));
            }
            // etcdctl ignores a variable whose value does not parse.
            let _ = self.flags.set(f.name, value);
            if let Some(state) = self.flags.values.get_mut(f.name) {
                state.changed = false;
            }
        }
        for (key, value) in vars {
            if key.starts_with("ETCDCTL_") && !known.contains(key) {
                warnings.push_str(&format!(
                    "{} W | pkg/flags: unrecognized environment variable {key}={value}\n",
                    goformat::log_timestamp()
                ));
            }
        }
        Ok(warnings)
    }
}

fn env_name(flag: &str) -> String {
    format!("ETCDCTL_{}", flag.to_uppercase().replace('-', "_"))
}

/// etcdctl's help for a command, byte for byte in its layout.
pub fn help_text(spec: &CommandSpec) -> String {
    let mut text = String::new();
    let name = if spec.path.is_empty() {
        "etcdctl"
    } else {
        spec.path
    };
    text.push_str(&format!("NAME:\n\t{name} - {}\n\n", spec.short));
    let mut use_line = String::from("etcdctl");
    if !spec.path.is_empty() {
        use_line.push(' ');
        use_line.push_str(spec.path);
    }
    if !spec.usage.is_empty() {
        use_line.push(' ');
        use_line.push_str(spec.usage);
    }
    text.push_str(&format!("USAGE:\n\t{use_line} [flags]\n\n"));
    let subcommands: Vec<&CommandSpec> = if spec.path.is_empty() {
        COMMANDS.iter().filter(|c| c.runnable).collect()
    } else {
        children(spec.path).collect()
    };
    if spec.path.is_empty() {
        text.push_str(&format!("VERSION:\n\t{ETCDCTL_VERSION}\n\n"));
    }
    if !subcommands.is_empty() {
        text.push_str(&format!("API VERSION:\n\t{API_VERSION}\n\n"));
        text.push_str("\nCOMMANDS:\n");
        for sub in &subcommands {
            let shown = if spec.path.is_empty() {
                sub.path
            } else {
                leaf_name(sub)
            };
            text.push_str(&format!("\t{shown}\t{}\n", sub.short));
        }
        text.push('\n');
    }
    if !spec.long.is_empty() {
        text.push_str("DESCRIPTION:\n");
        for line in spec.long.trim_end_matches('\n').split('\n') {
            text.push_str(&format!("\t{line}\n"));
        }
        text.push('\n');
    }
    let help_usage = format!("help for {}", leaf_name(spec));
    text.push_str("OPTIONS:\n");
    for f in local_flags(spec) {
        let usage = if f.name == "help" {
            help_usage.as_str()
        } else {
            f.usage
        };
        text.push_str(&flag_usage_line(f, usage));
    }
    text.push('\n');
    let inherited = inherited_flags(spec);
    if !inherited.is_empty() {
        text.push_str("GLOBAL OPTIONS:\n");
        for f in inherited {
            text.push_str(&flag_usage_line(f, f.usage));
        }
        text.push('\n');
    }
    tabwriter::align(&text)
}

fn flag_usage_line(f: &Flag, usage: &str) -> String {
    let lead = match f.short {
        Some(c) => format!("  -{c}, "),
        None => "      ".to_string(),
    };
    let shown = match f.kind {
        Kind::Bool => format!("--{}[={}]", f.name, f.default),
        Kind::Str => format!("--{}={}", f.name, goformat::quote_str(f.default)),
        Kind::List => format!("--{}=[{}]", f.name, f.default),
        Kind::Int | Kind::Duration => format!("--{}={}", f.name, f.default),
    };
    format!("{lead}{shown}\t{usage}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<Vec<u8>> {
        s.split_whitespace()
            .map(|w| w.as_bytes().to_vec())
            .collect()
    }

    fn run(s: &str) -> Invocation {
        match parse(&argv(s)).expect("parses") {
            Parsed::Run(inv) => inv,
            Parsed::Help(_) => panic!("help"),
        }
    }

    #[test]
    fn flags_anywhere_and_after_double_dash() {
        let inv = run("--endpoints a:1 get k --prefix -w json -- -x");
        assert_eq!(inv.command.path, "get");
        assert_eq!(inv.args, vec![b"k".to_vec(), b"-x".to_vec()]);
        assert!(inv.flags.bool("prefix"));
        assert_eq!(inv.flags.string("write-out"), "json");
        assert_eq!(inv.flags.list("endpoints"), vec!["a:1"]);
    }

    #[test]
    fn repeated_list_flag_appends() {
        let inv = run("--endpoints a:1 --endpoints b:2,c:3 member list");
        assert_eq!(inv.flags.list("endpoints"), vec!["a:1", "b:2", "c:3"]);
    }

    #[test]
    fn pflag_errors() {
        let err = parse(&argv("get k --nope")).unwrap_err();
        assert!(err
            .stderr
            .starts_with("Error: unknown flag: --nope\n\nError: unknown flag: --nope\n"));
        let err = parse(&argv("get k --limit x")).unwrap_err();
        assert!(err.stderr.contains(
            "Error: invalid argument \"x\" for \"--limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        ));
        let err = parse(&argv("frob")).unwrap_err();
        assert_eq!(err.code, 1);
        assert!(err
            .stderr
            .starts_with("Error: unknown command \"frob\" for \"etcdctl\"\n"));
    }

    #[test]
    fn env_fills_unset_global_flags() {
        let mut inv = run("get k");
        let warnings = inv
            .apply_env(&[
                ("ETCDCTL_WRITE_OUT".into(), "json".into()),
                ("ETCDCTL_LIMIT".into(), "1".into()),
            ])
            .expect("no conflict");
        assert_eq!(inv.flags.string("write-out"), "json");
        assert!(warnings.contains("unrecognized environment variable ETCDCTL_LIMIT=1"));
        let mut inv = run("-w json get k");
        assert!(inv
            .apply_env(&[("ETCDCTL_WRITE_OUT".into(), "json".into())])
            .is_err());
    }
}
