//! A flag as pflag declares it, and the constructors the command declarations use.

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

pub(super) const fn flag(
    name: &'static str,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> Flag {
    Flag {
        name,
        short: None,
        kind,
        default,
        usage,
    }
}

pub(super) const fn short_flag(
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
