//! Crash points for tests. `OXCD_FAILPOINTS=name[,name…]` makes the process abort when it
//! reaches a named point (no destructor runs, nothing is flushed: as if killed with SIGKILL
//! there), so a test can stop a member between two steps that must survive a crash between
//! them. Unset, a point costs one lookup in an empty set.

use std::collections::HashSet;
use std::sync::OnceLock;

const VARIABLE: &str = "OXCD_FAILPOINTS";

static ARMED: OnceLock<HashSet<String>> = OnceLock::new();

/// Aborts the process here when `name` is armed.
pub fn crash_point(name: &str) {
    let armed = ARMED.get_or_init(|| {
        std::env::var(VARIABLE)
            .map(|names| parse(&names))
            .unwrap_or_default()
    });
    if armed.contains(name) {
        eprintln!("oxcd: crash point {name} reached ({VARIABLE}); aborting");
        std::process::abort();
    }
}

fn parse(names: &str) -> HashSet<String> {
    names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_comma_separated_and_trimmed() {
        let armed = super::parse(" a, b ,,c");
        assert_eq!(armed.len(), 3);
        assert!(armed.contains("a") && armed.contains("b") && armed.contains("c"));
    }
}
