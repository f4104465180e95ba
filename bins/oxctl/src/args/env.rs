//! etcdctl's `ETCDCTL_<FLAG>` environment variables, which fill the global flags a command line
//! left unset.

use crate::error::{CtlError, CtlResult, EXIT_ERROR};
use crate::goformat;

use super::parser::Invocation;
use super::tree::inherited_flags;

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
            self.flags.set_from_env(f.name, value);
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
