//! The commands and flags of etcdctl's v2 mode as its urfave/cli v1 app declares them
//! (`etcdctl/ctlv2/ctl.go` and `ctlv2/command/*.go`), in declaration order, which is help order.

/// The type of a flag's value: how it parses and how help shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Str,
    Int,
    Duration,
}

/// One urfave/cli flag: `names` as urfave spells them (`"quorum, q"`), the default value text
/// (`Value`, empty for none) and the usage.
#[derive(Debug)]
pub struct FlagSpec {
    pub names: &'static str,
    pub kind: Kind,
    pub default: &'static str,
    pub usage: &'static str,
}

impl FlagSpec {
    /// The first name, under which the value is stored.
    pub fn name(&self) -> &'static str {
        self.names.split(',').next().unwrap_or(self.names).trim()
    }

    pub fn has_name(&self, name: &str) -> bool {
        self.names.split(',').any(|n| n.trim() == name)
    }
}

const fn flag(
    names: &'static str,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> FlagSpec {
    FlagSpec {
        names,
        kind,
        default,
        usage,
    }
}

const fn bool_flag(names: &'static str, usage: &'static str) -> FlagSpec {
    flag(names, Kind::Bool, "", usage)
}

/// One command; a command with subcommands is run as urfave's nested app.
#[derive(Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    pub usage: &'static str,
    pub args_usage: &'static str,
    pub description: &'static str,
    pub flags: &'static [FlagSpec],
    pub subcommands: &'static [CommandSpec],
}

const fn command(
    name: &'static str,
    usage: &'static str,
    args_usage: &'static str,
    flags: &'static [FlagSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        usage,
        args_usage,
        description: "",
        flags,
        subcommands: &[],
    }
}

const fn group(
    name: &'static str,
    usage: &'static str,
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        usage,
        args_usage: "",
        description: "",
        flags: &[],
        subcommands,
    }
}

pub static GLOBAL_FLAGS: &[FlagSpec] = &[
    bool_flag("debug", "output cURL commands which can be used to reproduce the request"),
    bool_flag("no-sync", "don't synchronize cluster information before sending request"),
    flag(
        "output, o",
        Kind::Str,
        "simple",
        "output response in the given format (`simple`, `extended` or `json`)",
    ),
    flag(
        "discovery-srv, D",
        Kind::Str,
        "",
        "domain name to query for SRV records describing cluster endpoints",
    ),
    bool_flag("insecure-discovery", "accept insecure SRV records describing cluster endpoints"),
    flag("peers, C", Kind::Str, "", "DEPRECATED - \"--endpoints\" should be used instead"),
    flag("endpoint", Kind::Str, "", "DEPRECATED - \"--endpoints\" should be used instead"),
    flag(
        "endpoints",
        Kind::Str,
        "",
        "a comma-delimited list of machine addresses in the cluster (default: \"http://127.0.0.1:2379,http://127.0.0.1:4001\")",
    ),
    flag("cert-file", Kind::Str, "", "identify HTTPS client using this SSL certificate file"),
    flag("key-file", Kind::Str, "", "identify HTTPS client using this SSL key file"),
    flag("ca-file", Kind::Str, "", "verify certificates of HTTPS-enabled servers using this CA bundle"),
    flag(
        "username, u",
        Kind::Str,
        "",
        "provide username[:password] and prompt if password is not supplied.",
    ),
    flag("timeout", Kind::Duration, "2s", "connection timeout per request"),
    flag(
        "total-timeout",
        Kind::Duration,
        "5s",
        "timeout for the command execution (except watch)",
    ),
    bool_flag("help, h", "show help"),
    bool_flag("version, v", "print the version"),
];

/// urfave's help flag, which every leaf command parses (but does not list in its help).
pub static HELP_FLAG: FlagSpec = bool_flag("help, h", "show help");

const TTL: FlagSpec = flag("ttl", Kind::Int, "0", "key time-to-live in seconds");
const SORT: FlagSpec = bool_flag("sort", "returns result in sorted order");
const QUORUM: FlagSpec = bool_flag("quorum, q", "require quorum for get request");
const AFTER_INDEX: FlagSpec = flag("after-index", Kind::Int, "0", "watch after the given index");

pub static COMMANDS: &[CommandSpec] = &[
    command(
        "backup",
        "backup an etcd directory",
        " ",
        &[
            flag("data-dir", Kind::Str, "", "Path to the etcd data dir"),
            flag("wal-dir", Kind::Str, "", "Path to the etcd wal dir"),
            flag("backup-dir", Kind::Str, "", "Path to the backup dir"),
            flag("backup-wal-dir", Kind::Str, "", "Path to the backup wal dir"),
            bool_flag("with-v3", "Backup v3 backend data"),
        ],
    ),
    command(
        "cluster-health",
        "check the health of the etcd cluster",
        " ",
        &[bool_flag("forever, f", "forever check the health every 10 second until CTRL+C")],
    ),
    command(
        "mk",
        "make a new key with a given value",
        "<key> <value>",
        &[bool_flag("in-order", "create in-order key under directory <key>"), TTL],
    ),
    command("mkdir", "make a new directory", "<key>", &[TTL]),
    command(
        "rm",
        "remove a key or a directory",
        "<key>",
        &[
            bool_flag("dir", "removes the key if it is an empty directory or a key-value pair"),
            bool_flag("recursive, r", "removes the key and all child keys(if it is a directory)"),
            flag("with-value", Kind::Str, "", "previous value"),
            flag("with-index", Kind::Int, "0", "previous index"),
        ],
    ),
    command(
        "rmdir",
        "removes the key if it is an empty directory or a key-value pair",
        "<key>",
        &[],
    ),
    command("get", "retrieve the value of a key", "<key>", &[SORT, QUORUM]),
    command(
        "ls",
        "retrieve a directory",
        "[key]",
        &[
            SORT,
            bool_flag("recursive, r", "returns all key names recursively for the given path"),
            bool_flag("p", "append slash (/) to directories"),
            QUORUM,
        ],
    ),
    CommandSpec {
        name: "set",
        usage: "set the value of a key",
        args_usage: "<key> <value>",
        description: "Set sets the value of a key.\n\n   When <value> begins with '-', <value> is interpreted as a flag.\n   Insert '--' for workaround:\n\n   $ set -- <key> <value>",
        flags: &[
            TTL,
            flag("swap-with-value", Kind::Str, "", "previous value"),
            flag("swap-with-index", Kind::Int, "0", "previous index"),
        ],
        subcommands: &[],
    },
    command(
        "setdir",
        "create a new directory or update an existing directory TTL",
        "<key>",
        &[TTL],
    ),
    command("update", "update an existing key with a given value", "<key> <value>", &[TTL]),
    command("updatedir", "update an existing directory", "<key> <value>", &[TTL]),
    command(
        "watch",
        "watch a key for changes",
        "<key>",
        &[
            bool_flag("forever, f", "forever watch a key until CTRL+C"),
            AFTER_INDEX,
            bool_flag("recursive, r", "returns all values for key and child keys"),
        ],
    ),
    command(
        "exec-watch",
        "watch a key for changes and exec an executable",
        "<key> <command> [args...]",
        &[AFTER_INDEX, bool_flag("recursive, r", "watch all values for key and child keys")],
    ),
    group(
        "member",
        "member add, remove and list subcommands",
        &[
            command("list", "enumerate existing cluster members", " ", &[]),
            command("add", "add a new member to the etcd cluster", "<name> <peerURL>", &[]),
            command("remove", "remove an existing member from the etcd cluster", "<memberID>", &[]),
            command(
                "update",
                "update an existing member in the etcd cluster",
                "<memberID> <peerURLs>",
                &[],
            ),
        ],
    ),
    group(
        "user",
        "user add, grant and revoke subcommands",
        &[
            command("add", "add a new user for the etcd cluster", "<user>", &[]),
            command("get", "get details for a user", "<user>", &[]),
            command("list", "list all current users", "<user>", &[]),
            command("remove", "remove a user for the etcd cluster", "<user>", &[]),
            command(
                "grant",
                "grant roles to an etcd user",
                "<user>",
                &[flag("roles", Kind::Str, "", "List of roles to grant or revoke")],
            ),
            command(
                "revoke",
                "revoke roles for an etcd user",
                "<user>",
                &[flag("roles", Kind::Str, "", "List of roles to grant or revoke")],
            ),
            command("passwd", "change password for a user", "<user>", &[]),
        ],
    ),
    group(
        "role",
        "role add, grant and revoke subcommands",
        &[
            command("add", "add a new role for the etcd cluster", "<role> ", &[]),
            command("get", "get details for a role", "<role>", &[]),
            command("list", "list all roles", " ", &[]),
            command("remove", "remove a role from the etcd cluster", "<role>", &[]),
            command("grant", "grant path matches to an etcd role", "<role>", ROLE_GRANT_FLAGS),
            command("revoke", "revoke path matches for an etcd role", "<role>", ROLE_REVOKE_FLAGS),
        ],
    ),
    group(
        "auth",
        "overall auth controls",
        &[
            command("enable", "enable auth access controls", " ", &[]),
            command("disable", "disable auth access controls", " ", &[]),
        ],
    ),
];

static ROLE_GRANT_FLAGS: &[FlagSpec] = &[
    flag("path", Kind::Str, "", "Path granted for the role to access"),
    bool_flag("read", "Grant read-only access"),
    bool_flag("write", "Grant write-only access"),
    bool_flag("readwrite, rw", "Grant read-write access"),
];

static ROLE_REVOKE_FLAGS: &[FlagSpec] = &[
    flag("path", Kind::Str, "", "Path revoked for the role to access"),
    bool_flag("read", "Revoke read access"),
    bool_flag("write", "Revoke write access"),
    bool_flag("readwrite, rw", "Revoke read-write access"),
];

pub fn find(commands: &'static [CommandSpec], name: &str) -> Option<&'static CommandSpec> {
    commands.iter().find(|c| c.name == name)
}
