//! The command line, parsed as etcdctl's cobra/pflag parse it: the command tree, each command's
//! flags, global flags and their `ETCDCTL_<FLAG>` variables, pflag's errors and etcdctl's help.

mod env;
mod flag;
mod help;
mod oxctl_only;
mod parser;
mod spec;
mod tree;
mod values;

pub use help::cobra_usage;
pub use parser::{parse, parse_local, Invocation, Parsed};
pub use spec::{API_VERSION, OXCTL_VERSION};
pub use values::Flags;
