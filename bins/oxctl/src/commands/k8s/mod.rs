//! `oxctl k8s …` and `get --decode`: Kubernetes' objects read straight from the store, in
//! Kubernetes' terms. Values are decoded by `oxcd-k8s`; everything works against a real etcd
//! too (reading what oxcd's hierarchy listing would otherwise count).

mod common;
mod get_decoded;
mod history;
pub mod resources;
mod views;
mod watch;

pub use get_decoded::get_decoded;
pub use history::history;
pub use views::{get, ls, top};
pub use watch::watch;
