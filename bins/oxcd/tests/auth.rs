//! Authentication and RBAC with real processes: users, roles, permissions and the auth revision
//! survive a kill -9 and restart, a snapshot catch-up and a leader change; a revoked permission
//! cancels a watch before any further event reaches it; JWT tokens.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{members, Server};
use etcd_client::{Client, ConnectOptions, Permission, WatchOptions};
use oxcd_proto::etcdserverpb::{auth_client::AuthClient, AuthStatusRequest};

const DENIED: &str = "etcdserver: permission denied";
/// etcd's cancel reason of a watch refused for it: the gRPC error as Go prints it.
const WATCH_DENIED: &str =
    "rpc error: code = PermissionDenied desc = etcdserver: permission denied";

async fn login(server: &Server, user: &str, password: &str) -> Client {
    let options = ConnectOptions::new()
        .with_user(user, password)
        .with_timeout(Duration::from_secs(5));
    Client::connect([server.endpoint()], Some(options))
        .await
        .unwrap_or_else(|e| panic!("{user} cannot log in: {e}\n{}", server.log()))
}

/// (enabled, auth revision) as the member answers AuthStatus.
async fn auth_status(server: &Server) -> (bool, u64) {
    let mut auth = AuthClient::connect(format!("http://{}", server.endpoint()))
        .await
        .expect("dial");
    let status = auth
        .auth_status(AuthStatusRequest {})
        .await
        .expect("auth status")
        .into_inner();
    (status.enabled, status.auth_revision)
}

/// Root with the root role, a role `reader` that may read `/app/`, a user `alice` holding it;
/// then auth is enabled.
async fn set_up_auth(c: &mut Client) {
    c.user_add("root", "rootpw", None).await.unwrap();
    c.role_add("root").await.unwrap();
    c.user_grant_role("root", "root").await.unwrap();
    c.role_add("reader").await.unwrap();
    c.role_grant_permission("reader", Permission::read("/app/").with_prefix())
        .await
        .unwrap();
    c.user_add("alice", "alicepw", None).await.unwrap();
    c.user_grant_role("alice", "reader").await.unwrap();
    c.auth_enable().await.unwrap();
}

fn message(err: etcd_client::Error) -> String {
    match err {
        etcd_client::Error::GRpcStatus(status) => status.message().to_string(),
        other => other.to_string(),
    }
}

/// Alice may read `/app/` and nothing else, through `server`.
async fn assert_alice_reads_only_app(server: &Server) {
    let mut alice = login(server, "alice", "alicepw").await;
    let got = alice.get("/app/config", None).await.unwrap();
    assert_eq!(got.kvs()[0].value(), b"v1");
    let err = alice.put("/app/config", "x", None).await.unwrap_err();
    assert_eq!(message(err), DENIED);
    let err = alice.get("/other", None).await.unwrap_err();
    assert_eq!(message(err), DENIED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_roles_and_the_auth_revision_survive_restart_snapshot_catch_up_and_leader_change() {
    let mut cluster = Server::cluster(
        3,
        &[
            "--snapshot-count",
            "100",
            "--snapshot-catchup-entries",
            "20",
            "--bcrypt-cost",
            "4",
            "--log-level",
            "info",
        ],
    );
    members::start_all(&mut cluster);
    let (leader, _) = members::wait_for_leader(&cluster, &[], Duration::from_secs(10)).await;
    // One member misses everything auth does, and enough writes that only a snapshot can
    // bring it back.
    let lagging = (leader + 1) % 3;
    cluster[lagging].kill9();
    let mut c = members::connect(&cluster[leader]).await;
    set_up_auth(&mut c).await;
    let mut root = login(&cluster[leader], "root", "rootpw").await;
    root.put("/app/config", "v1", None).await.unwrap();
    for i in 0..300 {
        root.put(format!("fill/{i:04}"), "x", None).await.unwrap();
    }
    let expected = auth_status(&cluster[leader]).await;
    assert!(expected.0, "auth is enabled");

    cluster[lagging].restart();
    let mut caught_up = login(&cluster[lagging], "root", "rootpw").await;
    members::wait_local_count(&mut caught_up, "fill/", 300, 0, || cluster[lagging].log()).await;
    assert!(
        cluster[lagging]
            .log()
            .contains("installed snapshot from leader"),
        "{}",
        cluster[lagging].log()
    );
    assert_eq!(auth_status(&cluster[lagging]).await, expected);
    assert_alice_reads_only_app(&cluster[lagging]).await;

    // kill -9 the leader: the others elect a new one and still enforce everything; the old
    // leader comes back with the same store.
    let old_id = root.status().await.unwrap().header().unwrap().member_id();
    // With auth on, Status needs a user: the shared helpers' anonymous calls are refused.
    let survivor = (leader + 1) % 3;
    let mut admin = login(&cluster[survivor], "root", "rootpw").await;
    cluster[leader].kill9();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let leader_now = admin.status().await.map(|s| s.leader()).unwrap_or(0);
        if leader_now != 0 && leader_now != old_id {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no new leader: {}",
            cluster[survivor].log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for i in [(leader + 1) % 3, (leader + 2) % 3] {
        assert_eq!(auth_status(&cluster[i]).await, expected);
        assert_alice_reads_only_app(&cluster[i]).await;
    }
    cluster[leader].restart();
    assert_eq!(auth_status(&cluster[leader]).await, expected);
    assert_alice_reads_only_app(&cluster[leader]).await;
    // A member added now starts from a snapshot of the backend (the log it would need is gone)
    // and has everything too.
    let mut joiner = Server::cluster(1, &["--bcrypt-cost", "4", "--log-level", "info"])
        .pop()
        .unwrap();
    joiner.name = "joiner".into();
    let peer = format!("http://127.0.0.1:{}", joiner.peer_port);
    let mut admin = login(&cluster[leader], "root", "rootpw").await;
    let added = admin.member_add([peer.clone()], None).await.unwrap();
    let mut spec: Vec<String> = added
        .member_list()
        .iter()
        .filter(|m| !m.name().is_empty())
        .map(|m| format!("{}={}", m.name(), m.peer_urls()[0]))
        .collect();
    spec.push(format!("joiner={peer}"));
    joiner.initial_cluster = Some(spec.join(","));
    joiner
        .extra
        .extend(["--initial-cluster-state".into(), "existing".into()]);
    joiner.spawn();
    joiner.wait_healthy(Duration::from_secs(30));
    let deadline = Instant::now() + Duration::from_secs(20);
    while auth_status(&joiner).await != expected {
        assert!(Instant::now() < deadline, "{}", joiner.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        joiner.log().contains("installed snapshot from leader"),
        "{}",
        joiner.log()
    );
    assert_alice_reads_only_app(&joiner).await;
    // Anonymous requests are refused everywhere.
    let mut anonymous = members::connect(&cluster[leader]).await;
    let err = anonymous.get("/app/config", None).await.unwrap_err();
    assert_eq!(message(err), "etcdserver: user name is empty");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_permission_cancels_the_watch_before_any_further_event() {
    let server = Server::start(&["--bcrypt-cost", "4"]);
    let mut c = Client::connect([server.endpoint()], None).await.unwrap();
    set_up_auth(&mut c).await;
    let mut root = login(&server, "root", "rootpw").await;
    let mut alice = login(&server, "alice", "alicepw").await;
    // etcd's gauge of the auth revision.
    let (_, revision) = auth_status(&server).await;
    let (_, metrics) = common::http_get(server.client_port, "/metrics").expect("metrics");
    assert!(
        metrics.contains(&format!("\netcd_debugging_auth_revision {revision}\n")),
        "{metrics}"
    );

    // A watch on a range alice may not read wholly is refused at creation.
    let mut refused = alice
        .watch("/", Some(WatchOptions::new().with_prefix()))
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), refused.message())
        .await
        .expect("an answer to the create")
        .expect("stream")
        .expect("a response");
    assert!(first.canceled(), "{first:?}");
    assert_eq!(first.cancel_reason(), WATCH_DENIED);

    let mut stream = alice
        .watch("/app/", Some(WatchOptions::new().with_prefix()))
        .await
        .unwrap();
    let created = tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .expect("created in time")
        .expect("stream")
        .expect("a response");
    assert!(created.created() && !created.canceled(), "{created:?}");
    root.put("/app/a", "1", None).await.unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .expect("an event in time")
        .expect("stream")
        .expect("a response");
    assert_eq!(seen.events().len(), 1, "{seen:?}");
    assert_eq!(seen.events()[0].kv().unwrap().value(), b"1");

    root.role_revoke_permission(
        "reader",
        "/app/",
        Some(etcd_client::RoleRevokePermissionOptions::new().with_prefix()),
    )
    .await
    .unwrap();
    root.put("/app/a", "2", None).await.unwrap();
    let next = tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .expect("an answer in time")
        .expect("stream")
        .expect("a response");
    assert!(next.canceled(), "the watch goes on: {next:?}");
    assert!(next.events().is_empty(), "an event leaked: {next:?}");
    assert_eq!(next.cancel_reason(), WATCH_DENIED);
}

/// `openssl` makes an RSA key pair for the JWT provider in `dir`.
fn rsa_keys(dir: &std::path::Path) -> (String, String) {
    let private = dir.join("jwt.key");
    let public = dir.join("jwt.pub");
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["genrsa", "-out", private.to_str().unwrap(), "2048"]);
    run(&[
        "rsa",
        "-in",
        private.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    (private.display().to_string(), public.display().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_tokens_carry_the_user_and_go_stale_with_the_auth_revision() {
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = rsa_keys(keys.path());
    let token_flag = format!("jwt,pub-key={public},priv-key={private},sign-method=RS256,ttl=1h");
    let server = Server::start(&["--bcrypt-cost", "4", "--auth-token", &token_flag]);
    let mut c = Client::connect([server.endpoint()], None).await.unwrap();
    set_up_auth(&mut c).await;
    let mut root = login(&server, "root", "rootpw").await;
    root.put("/app/config", "v1", None).await.unwrap();

    let mut auth = AuthClient::connect(format!("http://{}", server.endpoint()))
        .await
        .unwrap();
    let token = auth
        .authenticate(oxcd_proto::etcdserverpb::AuthenticateRequest {
            name: "alice".into(),
            password: "alicepw".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .token;
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    let get = |token: &str| {
        let mut request = tonic::Request::new(oxcd_proto::etcdserverpb::RangeRequest {
            key: b"/app/config".to_vec(),
            ..Default::default()
        });
        request
            .metadata_mut()
            .insert("token", token.parse().expect("ascii token"));
        request
    };
    let mut kv = oxcd_proto::etcdserverpb::kv_client::KvClient::connect(format!(
        "http://{}",
        server.endpoint()
    ))
    .await
    .unwrap();
    let got = kv.range(get(&token)).await.unwrap().into_inner();
    assert_eq!(got.kvs[0].value.as_ref(), b"v1");
    // A forged token (another signature) and a tampered one are refused.
    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
    let err = kv.range(get(&tampered)).await.unwrap_err();
    assert_eq!(err.message(), "etcdserver: invalid auth token");
    // Any change to users or roles makes every earlier JWT stale.
    root.role_add("another").await.unwrap();
    let err = kv.range(get(&token)).await.unwrap_err();
    assert_eq!(err.message(), "etcdserver: revision of auth store is old");
}

/// bcrypt reads 72 bytes at most: a longer password is refused (Go's bcrypt, which etcd 3.6
/// uses, says so) rather than silently cut, which would let its first 72 bytes log in alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_longer_than_bcrypt_reads_are_refused_not_cut_short() {
    let server = Server::start(&["--bcrypt-cost", "4"]);
    let mut c = Client::connect([server.endpoint()], None).await.unwrap();
    let long = "p".repeat(73);
    let err = c.user_add("long", long, None).await.unwrap_err();
    assert_eq!(message(err), "bcrypt: password length exceeds 72 bytes");
    c.user_add("exact", "p".repeat(72), None).await.unwrap();
    let users = c.user_list().await.unwrap();
    assert_eq!(users.users(), ["exact"]);
}
