//! A value under /registry, decoded and printed as kubectl would: whatever the bytes, a
//! description, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = oxcd_k8s::decode(b"/registry/configmaps/default/fuzz", data, Some(7), None);
    let printed = decoded.to_printed_value(false);
    std::hint::black_box((oxcd_k8s::to_json(&printed), oxcd_k8s::to_yaml(&printed)));
});
