//! Walks the command tree: finding a command by path, its subcommands and the flags it
//! declares or inherits from its ancestors.

use super::spec::{CommandSpec, Flag, COMMANDS, HELP_FLAG};

pub fn find_command(path: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.path == path)
}

pub(super) fn children(path: &str) -> impl Iterator<Item = &'static CommandSpec> + '_ {
    COMMANDS.iter().filter(move |c| {
        !c.path.is_empty()
            && match c.path.rsplit_once(' ') {
                Some((parent, _)) => parent == path,
                None => path.is_empty(),
            }
    })
}

pub(super) fn leaf_name(spec: &CommandSpec) -> &'static str {
    spec.path.rsplit(' ').next().unwrap_or("etcdctl")
}

/// The flags a command inherits: the persistent flags of its ancestors.
pub(super) fn inherited_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
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

/// The command's own flags: those it declares, its persistent ones and `--help`.
pub(super) fn local_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
    let mut flags: Vec<&'static Flag> = spec.flags.iter().chain(spec.persistent.iter()).collect();
    flags.push(&HELP_FLAG);
    flags.sort_by_key(|f| f.name);
    flags
}
