//! The values flags take: pflag's parsing of each flag type from text, defaults, and which
//! flags the command line changed.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::goformat;

use super::spec::{Flag, Kind};

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
    pub(super) fn for_flags<'a>(flags: impl Iterator<Item = &'a Flag>) -> Flags {
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
    pub(super) fn set(&mut self, name: &str, text: &str) -> Result<(), String> {
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

    pub fn changed(&self, name: &str) -> bool {
        self.values.get(name).is_some_and(|s| s.changed)
    }

    /// Sets a flag from an `ETCDCTL_<FLAG>` variable without marking it `Changed`: only the
    /// command line counts as changed, so the value must not later read as a command-line flag a
    /// variable shadows, nor be appended to as a list given twice.
    pub(super) fn set_from_env(&mut self, name: &str, text: &str) {
        // etcdctl ignores a variable whose value does not parse.
        let _ = self.set(name, text);
        if let Some(state) = self.values.get_mut(name) {
            state.changed = false;
        }
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
