//! The declarations etcdctl's cobra commands make: every flag with its type, default and usage,
//! and the command tree with each command's help texts and flag sets.

/// oxctl's own version, which `oxctl version` and `oxctl --help` report. (The etcdctl whose
/// behaviour and output oxctl reproduces is 3.4.23.)
pub const OXCTL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The etcd API version oxctl speaks: oxcd's, which reports itself as etcd 3.6.0.
pub const API_VERSION: &str = "3.6";

use super::flag::{flag, short_flag};
pub use super::flag::{Flag, Kind};

use Kind::{Bool, Duration as Dur, Int, List, Str};

use super::oxctl_only::{K8S_LS_FLAGS, K8S_PERSISTENT_FLAGS, K8S_TOP_FLAGS, LS_FLAGS, LS_LONG};

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
        "decode",
        Bool,
        "false",
        "Print Kubernetes objects stored under /registry decoded, as kubectl prints them (-w yaml, json or simple)",
    ),
    flag(
        "encryption-config",
        Str,
        "",
        "Kubernetes EncryptionConfiguration file whose keys decrypt values encrypted at rest (with --decode)",
    ),
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
        "show-managed-fields",
        Bool,
        "false",
        "With --decode, keep metadata.managedFields (kubectl hides it)",
    ),
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

static USER_ADD_FLAGS: &[Flag] = &[
    flag(
        "interactive",
        Bool,
        "true",
        "Read password from stdin instead of interactive terminal",
    ),
    flag(
        "new-user-password",
        Str,
        "",
        "Supply password from the command line flag",
    ),
    flag(
        "no-password",
        Bool,
        "false",
        "Create a user without password (CN based auth only)",
    ),
];

static USER_GET_FLAGS: &[Flag] = &[flag(
    "detail",
    Bool,
    "false",
    "Show permissions of roles granted to the user",
)];

static USER_PASSWD_FLAGS: &[Flag] = &[flag(
    "interactive",
    Bool,
    "true",
    "If true, read password from stdin instead of interactive terminal",
)];

static ROLE_GRANT_FLAGS: &[Flag] = &[
    flag(
        "from-key",
        Bool,
        "false",
        "grant a permission of keys that are greater than or equal to the given key using byte compare",
    ),
    flag("prefix", Bool, "false", "grant a prefix permission"),
];

static ROLE_REVOKE_FLAGS: &[Flag] = &[
    flag(
        "from-key",
        Bool,
        "false",
        "revoke a permission of keys that are greater than or equal to the given key using byte compare",
    ),
    flag("prefix", Bool, "false", "revoke a prefix permission"),
];

static NO_FLAGS: &[Flag] = &[];

static SNAPSHOT_RESTORE_FLAGS: &[Flag] = &[
    flag("data-dir", Str, "", "Path to the data directory"),
    flag(
        "initial-advertise-peer-urls",
        Str,
        "http://localhost:2380",
        "List of this member's peer URLs to advertise to the rest of the cluster",
    ),
    flag(
        "initial-cluster",
        Str,
        "default=http://localhost:2380",
        "Initial cluster configuration for restore bootstrap",
    ),
    flag(
        "initial-cluster-token",
        Str,
        "etcd-cluster",
        "Initial cluster token for the etcd cluster during restore bootstrap",
    ),
    flag(
        "name",
        Str,
        "default",
        "Human-readable name for this member",
    ),
    flag(
        "skip-hash-check",
        Bool,
        "false",
        "Ignore snapshot integrity hash value (required if copied from data directory)",
    ),
    flag(
        "wal-dir",
        Str,
        "",
        "Path to the WAL directory (use --data-dir if none given)",
    ),
];

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

static MIGRATE_FLAGS: &[Flag] = &[
    flag(
        "data-dir",
        Str,
        "",
        "Path to the data directory of a stopped member (migrates offline, as etcd's migrate)",
    ),
    flag(
        "dry-run",
        Bool,
        "false",
        "print what would be migrated without writing anything",
    ),
    flag(
        "no-ttl",
        Bool,
        "false",
        "Do not convert TTL keys (with --data-dir)",
    ),
    flag(
        "prefix",
        Str,
        "/",
        "migrate the v2 keys below this key (or this one key)",
    ),
    flag(
        "wal-dir",
        Str,
        "",
        "Path to the WAL directory (with --data-dir)",
    ),
];

static HASHKV_FLAGS: &[Flag] = &[flag(
    "rev",
    Int,
    "0",
    "maximum revision to hash (default: all revisions)",
)];

/// pflag adds `--help` to every command; declared here so it is `'static` like the others.
pub(super) static HELP_FLAG: Flag = short_flag("help", 'h', Bool, "false", "");

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

const SNAPSHOT_STATUS_LONG: &str = "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are hash, revision, total keys, total size.
";

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

const MIGRATE_LONG: &str =
    "Copies every v2 key (not directories) below --prefix into v3 under the same name,
reading the v2 tree from the first endpoint and writing through the v3 API while the
cluster runs. A key with a TTL is attached to a new lease with the TTL it has left (one
lease per remaining TTL). A key whose v3 value already equals its v2 value is skipped, so
running it again changes nothing. v2 hidden keys (names starting with '_') are not listed
by v2 and so not migrated, unless --prefix names one.

With --data-dir, migrates a stopped member's data dir offline instead, as etcd 3.4's
migrate does: every v2 key (hidden ones aside) becomes a v3 key of the same name and
value, TTL keys as plain keys (or none with --no-ttl). Run it on every member of a stopped
cluster; each reports the raft index it was stopped at, which must be the same.
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
    CommandSpec {
        path: "auth",
        short: "Enable or disable authentication",
        usage: "<enable or disable>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command("auth disable", "Disables authentication", "", NO_FLAGS),
    command("auth enable", "Enables authentication", "", NO_FLAGS),
    command("auth status", "Returns authentication status", "", NO_FLAGS),
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
        path: "k8s",
        short: "Kubernetes' objects in the store, decoded (types, objects, watches, sizes, history)",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: K8S_PERSISTENT_FLAGS,
        runnable: false,
    },
    command(
        "k8s get",
        "Lists a resource type's objects (namespace, name, age, size) or prints one decoded",
        "<type> [name] [options]",
        NO_FLAGS,
    ),
    command(
        "k8s history",
        "Prints a key's revisions, decoded, with what changed between them",
        "<key or type/[namespace/]name>",
        NO_FLAGS,
    ),
    command(
        "k8s ls",
        "Lists the resource types stored, with object counts and bytes",
        "",
        K8S_LS_FLAGS,
    ),
    command(
        "k8s top",
        "Shows the largest resource types, namespaces and objects by bytes",
        "[options]",
        K8S_TOP_FLAGS,
    ),
    command(
        "k8s watch",
        "Watches a resource type's objects and prints each event decoded",
        "<type> [options]",
        NO_FLAGS,
    ),
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
    CommandSpec {
        long: LS_LONG,
        ..command(
            "ls",
            "Lists one level of the key hierarchy below a prefix, split on '/'",
            "[options] [prefix]",
            LS_FLAGS,
        )
    },
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
    CommandSpec {
        long: MIGRATE_LONG,
        ..command(
            "migrate",
            "Copies v2 keys into v3 through the APIs (oxctl only)",
            "[options]",
            MIGRATE_FLAGS,
        )
    },
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
        path: "role",
        short: "Role related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command("role add", "Adds a new role", "<role name>", NO_FLAGS),
    command("role delete", "Deletes a role", "<role name>", NO_FLAGS),
    command("role get", "Gets detailed information of a role", "<role name>", NO_FLAGS),
    command(
        "role grant-permission",
        "Grants a key to a role",
        "[options] <role name> <permission type> <key> [endkey]",
        ROLE_GRANT_FLAGS,
    ),
    command("role list", "Lists all roles", "", NO_FLAGS),
    command(
        "role revoke-permission",
        "Revokes a key from a role",
        "<role name> <key> [endkey]",
        ROLE_REVOKE_FLAGS,
    ),
    CommandSpec {
        path: "snapshot",
        short: "Manages etcd node snapshots",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command(
        "snapshot restore",
        "Restores an etcd member snapshot to an etcd directory",
        "<filename> [options]",
        SNAPSHOT_RESTORE_FLAGS,
    ),
    command("snapshot save", "Stores an etcd node backend snapshot to a given file", "<filename>", NO_FLAGS),
    CommandSpec {
        long: SNAPSHOT_STATUS_LONG,
        ..command(
            "snapshot status",
            "Gets backend snapshot status of a given file",
            "<filename>",
            NO_FLAGS,
        )
    },
    CommandSpec {
        long: TXN_LONG,
        ..command("txn", "Txn processes all the requests in one transaction", "[options]", TXN_FLAGS)
    },
    CommandSpec {
        path: "user",
        short: "User related commands",
        usage: "<subcommand>",
        long: "",
        flags: NO_FLAGS,
        persistent: NO_FLAGS,
        runnable: false,
    },
    command("user add", "Adds a new user", "<user name or user:password> [options]", USER_ADD_FLAGS),
    command("user delete", "Deletes a user", "<user name>", NO_FLAGS),
    command("user get", "Gets detailed information of a user", "<user name> [options]", USER_GET_FLAGS),
    command("user grant-role", "Grants a role to a user", "<user name> <role name>", NO_FLAGS),
    command("user list", "Lists all users", "", NO_FLAGS),
    command("user passwd", "Changes password of user", "<user name> [options]", USER_PASSWD_FLAGS),
    command("user revoke-role", "Revokes a role from a user", "<user name> <role name>", NO_FLAGS),
    command("version", "Prints the version of oxctl", "", NO_FLAGS),
    command(
        "watch",
        "Watches events stream on keys or prefixes",
        "[options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
        WATCH_FLAGS,
    ),
];
