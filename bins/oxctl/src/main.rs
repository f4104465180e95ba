//! oxctl: an etcdctl (v3 API, as of etcd 3.4) compatible command line client for oxcd and etcd.
//!
//! Output, errors and exit codes match etcdctl's for the same server state; see
//! `bins/oxctl/tests/` for the comparison against the real etcdctl. Beyond etcdctl: `ls`.

mod args;
mod commands;
mod error;
mod goformat;
mod output;
mod progress;
mod tabwriter;
mod txn_parser;
mod v2;

use std::io::Write;

use args::Parsed;
use error::CtlError;

fn main() {
    let argv: Vec<Vec<u8>> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_encoded_bytes())
        .collect();
    let env: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    // etcdctl's main: ETCDCTL_API picks the v2 or v3 command line, and is then forgotten.
    let api = env
        .iter()
        .find(|(k, _)| k == "ETCDCTL_API")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let result = match api.as_str() {
        "" | "3" => run_v3(&argv, env),
        "2" => {
            let argv = argv
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let env = env
                .into_iter()
                .filter(|(k, _)| k != "ETCDCTL_API")
                .collect();
            v2::main(argv, env)
        }
        other => Err(CtlError::raw(
            1,
            format!("unsupported API version {other}\n"),
        )),
    };
    finish(result);
}

fn run_v3(argv: &[Vec<u8>], env: Vec<(String, String)>) -> Result<(), CtlError> {
    match args::parse(argv) {
        Ok(Parsed::Help(text)) => {
            print!("{text}");
            Ok(())
        }
        Ok(Parsed::Run(invocation)) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a single-threaded tokio runtime can be built");
            runtime.block_on(commands::run(invocation, env))
        }
        Err(err) => Err(err),
    }
}

fn finish(result: Result<(), CtlError>) {
    if let Err(CtlError {
        code,
        stderr,
        stdout,
    }) = result
    {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(stdout.as_bytes());
        let _ = out.flush();
        let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
        std::process::exit(code);
    }
    let _ = std::io::stdout().lock().flush();
}
