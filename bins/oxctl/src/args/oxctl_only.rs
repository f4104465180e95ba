//! The flags and long help of oxctl's own commands, which etcdctl does not have (`ls`, `k8s`).

use super::flag::Kind::{Bool, Int, Str};
use super::flag::{flag, short_flag, Flag};

pub(super) static LS_FLAGS: &[Flag] = &[
    short_flag(
        "long",
        'l',
        Bool,
        "false",
        "Print each child's live keys and value bytes before its name",
    ),
    short_flag(
        "recursive",
        'r',
        Bool,
        "false",
        "List every key under the prefix, not one level",
    ),
    flag(
        "scan",
        Bool,
        "false",
        "List with ranges over the keys, as against etcd, not with oxcd's Hierarchy RPC",
    ),
];

/// Inherited by every `k8s` subcommand.
pub(super) static K8S_PERSISTENT_FLAGS: &[Flag] = &[
    flag(
        "encryption-config",
        Str,
        "",
        "Kubernetes EncryptionConfiguration file whose keys decrypt values encrypted at rest",
    ),
    short_flag(
        "namespace",
        'n',
        Str,
        "",
        "Only objects of this namespace (all namespaces when not given)",
    ),
    flag(
        "show-managed-fields",
        Bool,
        "false",
        "Keep metadata.managedFields in printed objects (kubectl hides it)",
    ),
];

pub(super) static K8S_TOP_FLAGS: &[Flag] = &[flag(
    "limit",
    Int,
    "10",
    "How many of the largest types, namespaces and objects to show",
)];

pub(super) static K8S_LS_FLAGS: &[Flag] = &[flag(
    "scan",
    Bool,
    "false",
    "Count by reading every value, as against a server without oxcd's hierarchy listing",
)];

pub(super) const LS_LONG: &str =
    "Prints the children of the prefix, one per line in byte order: every key below the
prefix (a '/' appended unless it ends in one) cut at the next '/'. Without a prefix, the
first segment of each key, a leading '/' kept (/registry). With --long, each line reads
KEYS BYTES NAME: the live keys at and below the child and the sum of their value sizes.

Against oxcd this asks the server's Hierarchy RPC, which answers from totals it keeps,
without reading the children's keys. Against etcd, which does not have it, ls reads the
keys below the prefix with keys-only ranges, skipping over each child's keys; --long then
reads every key and value below the prefix, which takes long on a large store.
";
