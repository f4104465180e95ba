//! etcd's v2 store counters (`/v2/stats/store`), in etcd's JSON names and order.

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Stats {
    #[serde(rename = "getsSuccess")]
    pub get_success: u64,
    #[serde(rename = "getsFail")]
    pub get_fail: u64,
    #[serde(rename = "setsSuccess")]
    pub set_success: u64,
    #[serde(rename = "setsFail")]
    pub set_fail: u64,
    #[serde(rename = "deleteSuccess")]
    pub delete_success: u64,
    #[serde(rename = "deleteFail")]
    pub delete_fail: u64,
    #[serde(rename = "updateSuccess")]
    pub update_success: u64,
    #[serde(rename = "updateFail")]
    pub update_fail: u64,
    #[serde(rename = "createSuccess")]
    pub create_success: u64,
    #[serde(rename = "createFail")]
    pub create_fail: u64,
    #[serde(rename = "compareAndSwapSuccess")]
    pub compare_and_swap_success: u64,
    #[serde(rename = "compareAndSwapFail")]
    pub compare_and_swap_fail: u64,
    #[serde(rename = "compareAndDeleteSuccess")]
    pub compare_and_delete_success: u64,
    #[serde(rename = "compareAndDeleteFail")]
    pub compare_and_delete_fail: u64,
    #[serde(rename = "expireCount")]
    pub expire_count: u64,
    pub watchers: u64,
}

/// Counts one outcome into a success or a failure counter.
pub(crate) fn count(ok: bool, success: &mut u64, fail: &mut u64) {
    if ok {
        *success += 1;
    } else {
        *fail += 1;
    }
}
