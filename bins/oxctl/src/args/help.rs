//! Help and usage text: etcdctl's help template for `--help` and `help`, and cobra's default
//! usage that a bad flag in a txn operation prints.

use crate::goformat;
use crate::tabwriter;

use super::spec::{CommandSpec, Flag, Kind, API_VERSION, COMMANDS, OXCTL_VERSION};
use super::tree::{children, find_command, inherited_flags, leaf_name, local_flags};

/// etcdctl's help for a command, byte for byte in its layout, naming oxctl, its version and
/// its API version where etcdctl names itself.
pub fn help_text(spec: &CommandSpec) -> String {
    let mut text = String::new();
    let name = if spec.path.is_empty() {
        "oxctl"
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
        text.push_str(&format!("VERSION:\n\t{OXCTL_VERSION}\n\n"));
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
