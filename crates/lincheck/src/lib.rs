//! A linearizability checker for histories of puts and gets on single keys, after Wing and Gong
//! (with Lowe's memoisation of visited configurations).
//!
//! Every operation touches one key, so the history is linearizable iff each key's sub-history is
//! (locality), and each key is a register: `put(v)` sets it, `get` returns its value or "missing",
//! a compare-and-swap that succeeded set it from the value it expected (one that failed and
//! returned the value it found is a get of that value).
//! The search linearizes one operation at a time, choosing among those that real time allows next
//! (no pending operation returned before it was invoked), and backtracks when the register
//! contradicts a get. A put that got no answer (error or time-out) may have taken effect at any
//! point after its invocation, or never: it has no return time, so it never constrains the others,
//! and the search may finish without it. A get that got no answer says nothing and is ignored.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Put(String),
    /// The value read; None when the key was missing.
    Get(Option<String>),
    /// Set to `new` if the value was `expect` (None: missing). Recorded with an answer only when
    /// it succeeded; one that failed is recorded as the get of the value it found.
    Cas {
        expect: Option<String>,
        new: String,
    },
}

/// One client operation. Times are nanoseconds since the history began.
#[derive(Clone, Debug)]
pub struct Operation {
    pub client: usize,
    pub key: String,
    pub op: Op,
    pub invoked: u64,
    /// None when no answer came: a put may or may not have been applied; a get is ignored.
    pub returned: Option<u64>,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = self
            .returned
            .map_or("no answer".to_string(), |r| format!("{:.3}ms", ms(r)));
        let what = match &self.op {
            Op::Put(v) => format!("put({v})"),
            Op::Get(Some(v)) => format!("get -> {v}"),
            Op::Get(None) => "get -> missing".to_string(),
            Op::Cas { expect, new } => {
                format!("cas({} -> {new})", expect.as_deref().unwrap_or("missing"))
            }
        };
        write!(
            f,
            "client {} {} {what:<22} [{:.3}ms, {end}]",
            self.client,
            self.key,
            ms(self.invoked)
        )
    }
}

fn ms(nanos: u64) -> f64 {
    nanos as f64 / 1e6
}

/// Operations recorded by concurrent clients.
pub struct History {
    start: Instant,
    ops: Mutex<Vec<Operation>>,
}

impl Default for History {
    fn default() -> Self {
        History {
            start: Instant::now(),
            ops: Mutex::default(),
        }
    }
}

impl History {
    /// Now, as a time in this history: take it just before sending a request and just after its
    /// answer arrives.
    pub fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    pub fn record(&self, op: Operation) {
        self.ops.lock().expect("history lock").push(op);
    }

    pub fn operations(&self) -> Vec<Operation> {
        self.ops.lock().expect("history lock").clone()
    }
}

/// Why a history is not (or could not be shown to be) linearizable.
#[derive(Debug)]
pub struct Violation {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {}: {}", self.key, self.message)
    }
}

/// Configurations the search may visit per key before giving up; giving up is reported as a
/// violation, so a history too hard to check fails loudly instead of passing.
pub const SEARCH_BUDGET: usize = 2_000_000;

/// Checks every key's history; the register starts missing.
pub fn check(ops: &[Operation]) -> Result<(), Violation> {
    let mut by_key: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        by_key.entry(&op.key).or_default().push(op);
    }
    for (key, ops) in by_key {
        check_register(&ops, SEARCH_BUDGET).map_err(|message| Violation {
            key: key.to_string(),
            message,
        })?;
    }
    Ok(())
}

/// Pending operations listed in a report.
const REPORTED_OPS: usize = 30;

/// One operation in the search's compact form.
struct Step {
    /// Put: the value id written; get: the value id read (0 is "missing").
    value: u32,
    is_put: bool,
    /// A put only from this value id (a compare-and-swap); None: from any.
    expect: Option<u32>,
    invoked: u64,
    /// u64::MAX for a put without an answer.
    returned: u64,
}

/// The set of linearized operations, as a bit set.
type Done = Vec<u64>;

struct Search<'a> {
    steps: Vec<Step>,
    /// Operations that must be linearized (all but unanswered puts).
    required: usize,
    visited: HashSet<(Done, u32)>,
    budget: usize,
    /// The longest linearized prefix seen, for the report.
    best: (usize, Done, u32),
    ops: Vec<&'a Operation>,
    names: Vec<String>,
}

/// Wing–Gong search over one key's operations.
pub fn check_register(ops: &[&Operation], budget: usize) -> Result<(), String> {
    // Gets without an answer carry no information.
    let answered: Vec<&Operation> = ops
        .iter()
        .copied()
        .filter(|o| o.returned.is_some() || !matches!(o.op, Op::Get(_)))
        .collect();
    // An unanswered write whose value nothing observed (no get returned it, no compare-and-swap
    // expected it) can be taken as never applied: had it been applied, nothing could fall between
    // it and the next write (a get would have returned its value), and the next write does not
    // depend on it, so removing it from a linearization leaves a valid one.
    let observed: HashSet<&str> = answered
        .iter()
        .filter_map(|o| match &o.op {
            Op::Get(Some(v)) => Some(v.as_str()),
            Op::Cas {
                expect: Some(v), ..
            } => Some(v.as_str()),
            _ => None,
        })
        .collect();
    let mut ops: Vec<&Operation> = answered
        .into_iter()
        .filter(|o| match &o.op {
            Op::Put(v) | Op::Cas { new: v, .. } => {
                o.returned.is_some() || observed.contains(v.as_str())
            }
            Op::Get(_) => true,
        })
        .collect();
    ops.sort_by_key(|o| o.invoked);

    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut names = vec!["missing".to_string()];
    let mut id_of = |v: &str| -> u32 {
        *ids.entry(v.to_string()).or_insert_with(|| {
            names.push(v.to_string());
            names.len() as u32 - 1
        })
    };
    let steps: Vec<Step> = ops
        .iter()
        .map(|o| {
            let (value, is_put, expect) = match &o.op {
                Op::Put(v) => (id_of(v), true, None),
                Op::Get(Some(v)) => (id_of(v), false, None),
                Op::Get(None) => (0, false, None),
                Op::Cas { expect, new } => {
                    let from = expect.as_deref().map_or(0, &mut id_of);
                    (id_of(new), true, Some(from))
                }
            };
            Step {
                value,
                is_put,
                expect,
                invoked: o.invoked,
                returned: o.returned.unwrap_or(u64::MAX),
            }
        })
        .collect();
    let required = steps.iter().filter(|s| s.returned != u64::MAX).count();
    let words = steps.len().div_ceil(64);
    let mut search = Search {
        steps,
        required,
        visited: HashSet::new(),
        budget,
        best: (0, vec![0; words], 0),
        ops,
        names,
    };
    let mut done = vec![0u64; words];
    match search.explore(&mut done, 0, 0) {
        Some(true) => Ok(()),
        Some(false) => Err(search.report()),
        None => Err(format!(
            "search budget of {budget} configurations exhausted over {} operations: \
             inconclusive, treat as a failure",
            search.steps.len()
        )),
    }
}

fn is_set(done: &Done, i: usize) -> bool {
    done[i / 64] & (1 << (i % 64)) != 0
}

fn flip(done: &mut Done, i: usize) {
    done[i / 64] ^= 1 << (i % 64);
}

impl Search<'_> {
    /// Whether the operations not in `done` can be linearized from register value `value`;
    /// None when the budget ran out. `count` is how many required operations are in `done`.
    fn explore(&mut self, done: &mut Done, value: u32, count: usize) -> Option<bool> {
        if count == self.required {
            return Some(true);
        }
        if !self.visited.insert((done.clone(), value)) {
            return Some(false);
        }
        if self.visited.len() > self.budget {
            return None;
        }
        let linearized = done.iter().map(|w| w.count_ones() as usize).sum::<usize>();
        if linearized > self.best.0 {
            self.best = (linearized, done.clone(), value);
        }
        // Real time lets an operation go next only if no pending one returned before it began.
        let pending = |i: usize| !is_set(done, i);
        let horizon = (0..self.steps.len())
            .filter(|&i| pending(i))
            .map(|i| self.steps[i].returned)
            .min()
            .unwrap_or(u64::MAX);
        let candidates: Vec<usize> = (0..self.steps.len())
            .filter(|&i| pending(i) && self.steps[i].invoked <= horizon)
            .collect();
        // A get that the register satisfies now can always go first: it changes nothing and only
        // widens the real-time window of the rest. Taking it greedily prunes the search.
        if let Some(&g) = candidates
            .iter()
            .find(|&&i| !self.steps[i].is_put && self.steps[i].value == value)
        {
            flip(done, g);
            let found = self.explore(done, value, count + 1);
            flip(done, g);
            return found;
        }
        for i in candidates {
            let step = &self.steps[i];
            if !step.is_put || step.expect.is_some_and(|from| from != value) {
                continue; // a get the register contradicts, or a swap it does not allow
            }
            let (next, counts) = (step.value, usize::from(step.returned != u64::MAX));
            flip(done, i);
            let found = self.explore(done, next, count + counts);
            flip(done, i);
            if found != Some(false) {
                return found;
            }
        }
        Some(false)
    }

    /// The longest prefix that linearized, and the operations none of which could follow it.
    fn report(&self) -> String {
        let (len, done, value) = &self.best;
        let mut out = format!(
            "not linearizable: at most {len} of {} operations linearize (register then holds {}); \
             the operations still pending there:\n",
            self.steps.len(),
            self.names[*value as usize]
        );
        let pending: Vec<&&Operation> = (0..self.ops.len())
            .filter(|&i| !is_set(done, i))
            .map(|i| &self.ops[i])
            .collect();
        for op in pending.iter().take(REPORTED_OPS) {
            out.push_str(&format!("  {op}\n"));
        }
        if pending.len() > REPORTED_OPS {
            out.push_str(&format!(
                "  ... and {} more\n",
                pending.len() - REPORTED_OPS
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(client: usize, op: Op, invoked: u64, returned: Option<u64>) -> Operation {
        Operation {
            client,
            key: "k".into(),
            op,
            invoked,
            returned,
        }
    }

    fn cas(expect: Option<&str>, new: &str) -> Op {
        Op::Cas {
            expect: expect.map(str::to_string),
            new: new.into(),
        }
    }

    fn get(v: Option<&str>) -> Op {
        Op::Get(v.map(str::to_string))
    }

    #[test]
    fn swaps_chain_from_the_values_they_expected() {
        let ops = [
            op(0, cas(None, "a"), 0, Some(10)),
            op(1, cas(Some("a"), "b"), 20, Some(30)),
            op(2, get(Some("b")), 40, Some(50)),
        ];
        assert!(check(&ops).is_ok());
    }

    #[test]
    fn a_swap_from_a_value_the_register_did_not_hold_is_refused() {
        // The swap from "a" finished before "a" was ever written.
        let ops = [
            op(0, cas(Some("a"), "b"), 0, Some(10)),
            op(1, Op::Put("a".into()), 20, Some(30)),
        ];
        assert!(check(&ops).is_err());
        // Two swaps from the same value cannot both succeed.
        let ops = [
            op(0, Op::Put("a".into()), 0, Some(5)),
            op(1, cas(Some("a"), "b"), 10, Some(20)),
            op(2, cas(Some("a"), "c"), 10, Some(20)),
        ];
        assert!(check(&ops).is_err());
    }

    #[test]
    fn an_unanswered_swap_may_have_happened_if_something_saw_it() {
        let ops = [
            op(0, Op::Put("a".into()), 0, Some(5)),
            op(1, cas(Some("a"), "b"), 10, None),
            op(2, get(Some("b")), 30, Some(40)),
        ];
        assert!(check(&ops).is_ok());
        // ...but not before it was invoked.
        let ops = [
            op(0, Op::Put("a".into()), 0, Some(5)),
            op(2, get(Some("b")), 6, Some(8)),
            op(1, cas(Some("a"), "b"), 10, None),
        ];
        assert!(check(&ops).is_err());
    }
}
