//! Generates the wire types and gRPC stubs from `proto/` with the `protoc` that `protoc-bin-vendored`
//! ships, so a fresh machine needs nothing installed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("PROTOC").is_none() {
        // Build scripts run one at a time per crate; setting the variable here only affects this one.
        std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?);
    }
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    let protos = [
        "proto/mvccpb/kv.proto",
        "proto/authpb/auth.proto",
        "proto/etcdserverpb/rpc.proto",
        "proto/etcdserverpb/raft_internal.proto",
        "proto/v3lockpb/v3lock.proto",
        "proto/v3electionpb/v3election.proto",
        "proto/grpc/health/v1/health.proto",
        "proto/oxcdpb/internal.proto",
        "proto/oxcdpb/raft.proto",
        "proto/oxcd/v1/hierarchy.proto",
        "proto/oxcd/v1/values.proto",
    ];
    tonic_prost_build::configure()
        .generate_default_stubs(true)
        .bytes(".mvccpb.KeyValue")
        .file_descriptor_set_path(out_dir.join("descriptors.bin"))
        .compile_protos(&protos, &["proto"])?;
    // The server's side of etcd's Watch service once more, answering with `WatchFrame`s (a
    // `WatchResponse` already encoded) so that an event fanned out to many watchers is encoded
    // once: same package, service and method names, so the same route.
    let watch = tonic_build::manual::Service::builder()
        .name("Watch")
        .package("etcdserverpb")
        .method(
            tonic_build::manual::Method::builder()
                .name("watch")
                .route_name("Watch")
                .input_type("crate::etcdserverpb::WatchRequest")
                .output_type("crate::watch_frame::WatchFrame")
                .codec_path("tonic_prost::ProstCodec")
                .client_streaming()
                .server_streaming()
                .build(),
        )
        .build();
    tonic_build::manual::Builder::new()
        .build_client(false)
        .out_dir(&out_dir)
        .compile(&[watch]);
    Ok(())
}
