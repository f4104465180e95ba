//! The command line of etcdctl's v2 mode, parsed as urfave/cli v1 parses it: Go's `flag`
//! package (single or double dash, `-name=value`, parsing stops at the first argument that is
//! not a flag), global flags only before the command, and urfave's reordering that lets a
//! command's flags follow its arguments (`set /foo bar --ttl 5`).

use std::time::Duration;

use crate::goformat;

use super::help;
use super::spec::{self, CommandSpec, FlagSpec, Kind, COMMANDS, GLOBAL_FLAGS, HELP_FLAG};

/// Flag values as parsed: the raw text of each flag that was given, by its first name.
#[derive(Debug, Default, Clone)]
pub struct FlagValues {
    given: Vec<(&'static str, String)>,
    specs: Vec<&'static FlagSpec>,
}

impl FlagValues {
    fn spec(&self, name: &str) -> Option<&'static FlagSpec> {
        self.specs.iter().copied().find(|f| f.name() == name)
    }

    fn raw(&self, name: &str) -> String {
        match self.given.iter().rev().find(|(n, _)| *n == name) {
            Some((_, v)) => v.clone(),
            None => self
                .spec(name)
                .map(|f| f.default.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn string(&self, name: &str) -> String {
        self.raw(name)
    }

    /// Every value given to a repeatable flag (urfave's `StringSlice`), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn bool(&self, name: &str) -> bool {
        goformat::parse_bool(&self.raw(name)).unwrap_or(false)
    }

    pub fn int(&self, name: &str) -> i64 {
        parse_go_int(&self.raw(name)).unwrap_or(0)
    }

    pub fn duration(&self, name: &str) -> Duration {
        goformat::parse_duration(&self.raw(name)).unwrap_or_default()
    }
}

/// A command to run: its path (`["member", "list"]`), its flags, the global flags and the
/// arguments left after the flags.
#[derive(Debug)]
pub struct Invocation {
    pub path: Vec<&'static str>,
    pub global: FlagValues,
    pub local: FlagValues,
    pub args: Vec<String>,
}

/// What the command line asks for: a command to run, or an end (help, usage error) with its
/// exact output.
#[derive(Debug)]
pub enum Parsed {
    Run(Invocation),
    Exit {
        stdout: String,
        stderr: String,
        code: i32,
    },
}

fn exit(stdout: String, stderr: String, code: i32) -> Parsed {
    Parsed::Exit {
        stdout,
        stderr,
        code,
    }
}

/// urfave's `App.Run` on `argv` (without the program name).
pub fn parse(argv: &[String]) -> Parsed {
    let global_specs: Vec<&'static FlagSpec> = GLOBAL_FLAGS.iter().collect();
    let (global, rest) = match parse_flags(&global_specs, argv) {
        Ok(parsed) => parsed,
        Err(err) => {
            return exit(
                format!("Incorrect Usage. {err}\n\n{}", help::app()),
                format!("{err}\n"),
                1,
            )
        }
    };
    if global.bool("help") {
        return exit(help::app(), String::new(), 0);
    }
    if global.bool("version") {
        return exit(help::version(), String::new(), 0);
    }
    let Some(name) = rest.first() else {
        return exit(help::app(), String::new(), 0);
    };
    if name == "help" || name == "h" {
        return help_topic(COMMANDS, "etcdctl", rest.get(1), help::app);
    }
    match spec::find(COMMANDS, name) {
        Some(command) if command.subcommands.is_empty() => {
            run_leaf(vec![command.name], command, "etcdctl", global, &rest)
        }
        Some(group) => run_group(group, global, &rest),
        None => no_help_topic(name),
    }
}

fn no_help_topic(name: &str) -> Parsed {
    exit(String::new(), format!("No help topic for '{name}'\n"), 3)
}

/// urfave's `help` command: the help of the named command, or `fallback` without a name.
fn help_topic(
    commands: &'static [CommandSpec],
    parent: &str,
    topic: Option<&String>,
    fallback: impl Fn() -> String,
) -> Parsed {
    let Some(topic) = topic else {
        return exit(fallback(), String::new(), 0);
    };
    match spec::find(commands, topic) {
        Some(command) => exit(help::command(parent, command), String::new(), 0),
        None => no_help_topic(topic),
    }
}

/// A command with subcommands, run as urfave's nested app: only `--help` before the subcommand.
fn run_group(group: &'static CommandSpec, global: FlagValues, args: &[String]) -> Parsed {
    let group_help = || help::group(group);
    let (flags, rest) = match parse_flags(&[&HELP_FLAG], &args[1..]) {
        Ok(parsed) => parsed,
        Err(err) => {
            return exit(
                format!("Incorrect Usage. {err}\n\n{}", group_help()),
                format!("{err}\n"),
                1,
            )
        }
    };
    if flags.bool("help") {
        return exit(group_help(), String::new(), 0);
    }
    let parent = format!("etcdctl {}", group.name);
    let Some(name) = rest.first() else {
        return exit(group_help(), String::new(), 0);
    };
    if name == "help" || name == "h" {
        return help_topic(group.subcommands, &parent, rest.get(1), group_help);
    }
    match spec::find(group.subcommands, name) {
        Some(command) => run_leaf(
            vec![group.name, command.name],
            command,
            &parent,
            global,
            &rest,
        ),
        None => no_help_topic(name),
    }
}

/// urfave's `Command.Run`: `args[0]` is the command's name; its flags are moved before its
/// other arguments, then parsed.
fn run_leaf(
    path: Vec<&'static str>,
    command: &'static CommandSpec,
    parent: &str,
    global: FlagValues,
    args: &[String],
) -> Parsed {
    let mut specs: Vec<&'static FlagSpec> = command.flags.iter().collect();
    specs.push(&HELP_FLAG);
    let (local, rest) = match parse_flags(&specs, &reorder(args)) {
        Ok(parsed) => parsed,
        Err(err) => {
            return exit(
                format!(
                    "Incorrect Usage: {err}\n\n{}",
                    help::command(parent, command)
                ),
                format!("{err}\n"),
                1,
            )
        }
    };
    if local.bool("help") {
        return exit(help::command(parent, command), String::new(), 0);
    }
    Parsed::Run(Invocation {
        path,
        global,
        local,
        args: rest,
    })
}

/// urfave v1's argument reordering: from the first argument that looks like a flag up to a
/// `--`, the arguments go first, then the arguments before it, then the `--` and what follows.
/// (Only correct when flags come last, as urfave itself says: `set /a --ttl 5 b` keys `b`.)
fn reorder(args: &[String]) -> Vec<String> {
    let mut first_flag = None;
    let mut terminator = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            terminator = Some(i);
            break;
        }
        if arg != "-" && arg.starts_with('-') && first_flag.is_none() {
            first_flag = Some(i);
        }
    }
    let Some(first_flag) = first_flag else {
        return args[1..].to_vec();
    };
    let end = terminator.unwrap_or(args.len());
    let mut out: Vec<String> = args[first_flag..end].to_vec();
    out.extend_from_slice(&args[1..first_flag]);
    out.extend_from_slice(&args[end..]);
    out
}

/// Go's `FlagSet.Parse` followed by urfave's `normalizeFlags`: the flags and the arguments
/// after them, or the error text Go's flag package gives.
fn parse_flags(
    specs: &[&'static FlagSpec],
    args: &[String],
) -> Result<(FlagValues, Vec<String>), String> {
    let mut values = FlagValues {
        given: Vec::new(),
        specs: specs.to_vec(),
    };
    let mut used_names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg.len() < 2 || !arg.starts_with('-') {
            break;
        }
        let mut name = &arg[1..];
        if let Some(stripped) = name.strip_prefix('-') {
            if stripped.is_empty() {
                i += 1;
                break;
            }
            name = stripped;
        }
        if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
            return Err(format!("bad flag syntax: {arg}"));
        }
        i += 1;
        let (name, inline) = match name.find('=') {
            Some(at) if at > 0 => (&name[..at], Some(name[at + 1..].to_string())),
            _ => (name, None),
        };
        let Some(spec) = specs.iter().find(|f| f.has_name(name)) else {
            return Err(format!("flag provided but not defined: -{name}"));
        };
        let value = if spec.kind == Kind::Bool {
            match inline {
                Some(v) => {
                    goformat::parse_bool(&v).map_err(|_| {
                        format!(
                            "invalid boolean value {} for -{name}: parse error",
                            goformat::quote_str(&v)
                        )
                    })?;
                    v
                }
                None => "true".to_string(),
            }
        } else {
            let v = match inline {
                Some(v) => v,
                None if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                None => return Err(format!("flag needs an argument: -{name}")),
            };
            check_value(spec.kind, &v).map_err(|why| {
                format!(
                    "invalid value {} for flag -{name}: {why}",
                    goformat::quote_str(&v)
                )
            })?;
            v
        };
        if !used_names.iter().any(|n| n == name) {
            used_names.push(name.to_string());
        }
        values.given.push((spec.name(), value));
    }
    for spec in specs {
        let forms: Vec<&str> = spec.names.split(',').map(str::trim).collect();
        if forms.len() < 2 {
            continue;
        }
        let mut seen: Option<&str> = None;
        for form in forms {
            if used_names.iter().any(|n| n == form) {
                if let Some(first) = seen {
                    return Err(format!(
                        "Cannot use two forms of the same flag: {form} {first}"
                    ));
                }
                seen = Some(form);
            }
        }
    }
    Ok((values, args[i..].to_vec()))
}

fn check_value(kind: Kind, value: &str) -> Result<(), &'static str> {
    match kind {
        Kind::Int => parse_go_int(value).map(|_| ()),
        Kind::Duration => goformat::parse_duration(value)
            .map(|_| ())
            .map_err(|_| "parse error"),
        Kind::Str | Kind::Bool => Ok(()),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` as the flag package reports it: base from the prefix.
pub fn parse_go_int(text: &str) -> Result<i64, &'static str> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = digits.to_ascii_lowercase();
    let (base, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(base)) {
        return Err("parse error");
    }
    let magnitude = u64::from_str_radix(&body, base).map_err(|_| "value out of range")?;
    if negative {
        if magnitude > i64::MAX as u64 + 1 {
            return Err("value out of range");
        }
        Ok((magnitude as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(magnitude).map_err(|_| "value out of range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_after_arguments_are_moved_first() {
        assert_eq!(
            reorder(&strings(&["set", "/foo", "bar", "--ttl", "5"])),
            strings(&["--ttl", "5", "/foo", "bar"])
        );
        assert_eq!(
            reorder(&strings(&["exec-watch", "-r", "k", "--", "echo", "-n"])),
            strings(&["-r", "k", "--", "echo", "-n"])
        );
        assert_eq!(
            reorder(&strings(&["set", "--", "/k", "-v"])),
            strings(&["--", "/k", "-v"])
        );
    }

    #[test]
    fn go_flag_errors() {
        let specs: Vec<&'static FlagSpec> = COMMANDS[4].flags.iter().collect();
        let parse = |args: &[&str]| parse_flags(&specs, &strings(args)).map(|(_, rest)| rest);
        assert_eq!(
            parse(&["--with-index"]).unwrap_err(),
            "flag needs an argument: -with-index"
        );
        assert_eq!(
            parse(&["--with-index", "x"]).unwrap_err(),
            "invalid value \"x\" for flag -with-index: parse error"
        );
        assert_eq!(
            parse(&["-x"]).unwrap_err(),
            "flag provided but not defined: -x"
        );
        assert_eq!(
            parse(&["-r", "-recursive"]).unwrap_err(),
            "Cannot use two forms of the same flag: r recursive"
        );
        assert_eq!(
            parse(&["-r", "k", "-dir"]).unwrap(),
            strings(&["k", "-dir"])
        );
        assert_eq!(parse_go_int("0x10"), Ok(16));
        assert_eq!(parse_go_int("-010"), Ok(-8));
    }
}
