//! A v2 API request's form: its query and url-encoded body, parsed as Go's ParseForm does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxcd_server::http::v2form::{path_unescape, unescape, Form};

fuzz_target!(|data: &[u8]| {
    // The first byte splits the input into a query and a body.
    let Some((&split, rest)) = data.split_first() else { return };
    let at = usize::from(split).min(rest.len());
    let (query, body) = rest.split_at(at);
    let query = String::from_utf8_lossy(query);
    let (form, _) = Form::parse("PUT", Some("application/x-www-form-urlencoded"), body, &query);
    std::hint::black_box((form.value("value"), form.bool("dir"), form.uint("ttl")));
    let _ = unescape(&query);
    std::hint::black_box(path_unescape(&query));
});
