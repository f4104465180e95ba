//! pflag's parsing of a command line as etcdctl's cobra runs it: finding the command among the
//! leading words, then interspersed flags and positional arguments, with pflag's errors.

use crate::error::{CtlError, CtlResult, EXIT_ERROR};
use crate::goformat;

use super::help::help_text;
use super::spec::{CommandSpec, Flag, Kind::Bool, GLOBAL_FLAGS};
use super::tree::{find_command, inherited_flags, local_flags};
use super::values::Flags;

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
