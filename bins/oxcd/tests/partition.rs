//! Partitions through a TCP proxy in front of every member's peer port (`common::proxy`).
//!
//! Blocking member X's proxy cuts the traffic INTO X only: X still dials the others. With
//! CheckQuorum that is enough to isolate a leader (it hears no acknowledgements and steps down),
//! and with PreVote an isolated member's campaigns never raise anybody's term, so it rejoins
//! without disrupting the leader the others elected meanwhile.

mod common;

use std::time::{Duration, Instant};

use common::members::{connect, start_all, status, wait_for_leader, RaftView};
use common::proxy::proxied_cluster;
use common::Server;
use etcd_client::{Client, GetOptions};

/// The members' election timeout (etcd's default, as the servers run without the flag).
const ELECTION_TIMEOUT: Duration = Duration::from_millis(1000);
/// Bound on one client call the test expects an answer to; the server's own request timeout
/// (5 s + 2 election timeouts) is below it, so a server that answers in time is not cut short.
const CALL: Duration = Duration::from_secs(15);

async fn local_value(c: &mut Client, key: &str) -> Option<String> {
    let opts = GetOptions::new().with_serializable();
    let resp = tokio::time::timeout(CALL, c.get(key, Some(opts)))
        .await
        .expect("serializable read timed out")
        .expect("serializable read answers on any member");
    resp.kvs()
        .first()
        .map(|kv| String::from_utf8_lossy(kv.value()).into_owned())
}

/// Waits until `m` sees `expected` as leader, in the same term, and holds `key` = `value`.
async fn wait_rejoined(m: &Server, expected: RaftView, key: &str, value: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    let mut c = connect(m).await;
    loop {
        let view = status(m).await;
        let caught_up = local_value(&mut c, key).await.as_deref() == Some(value);
        if caught_up && view.is_some_and(|v| v.leader == expected.leader && v.term == expected.term)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "member {} did not rejoin: view {view:?}, expected leader {:x} at term {}, \
             caught up: {caught_up}\n{}",
            m.name,
            expected.leader,
            expected.term,
            m.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls every member for `period`: each one that knows a leader must name `expected` in its
/// term; `allow_leaderless` members may also know none (still catching up). Nobody's term rises.
async fn assert_leadership_stable(
    members: &[Server],
    expected: RaftView,
    allow_leaderless: &[usize],
    period: Duration,
) {
    let until = Instant::now() + period;
    let mut polls = 0;
    while Instant::now() < until {
        for (i, m) in members.iter().enumerate() {
            let view = status(m)
                .await
                .unwrap_or_else(|| panic!("member {} does not answer Status", m.name));
            let leaderless_ok = allow_leaderless.contains(&i) && view.leader == 0;
            assert!(
                view.term <= expected.term,
                "member {} moved to term {} (leader term {}): {view:?}",
                m.name,
                view.term,
                expected.term
            );
            assert!(
                leaderless_ok || (view.leader == expected.leader && view.term == expected.term),
                "leadership changed: member {} sees {view:?}, expected leader {:x} at term {}\n{}",
                m.name,
                expected.leader,
                expected.term,
                m.log()
            );
        }
        polls += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(polls > 0, "no poll in {period:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_isolated_leader_steps_down_errors_instead_of_stale_reads_and_rejoins_quietly() {
    let (mut members, proxies) = proxied_cluster(3, &[]);
    start_all(&mut members);
    let (old, old_view) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;
    let mut isolated = connect(&members[old]).await;
    isolated
        .put("before", "cut", None)
        .await
        .expect("put before the cut");

    proxies[old].block();
    let cut = Instant::now();
    // A linearizable read that reaches the leader just after the cut: it cannot confirm
    // leadership, so it must fail once the leader steps down, not answer.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut early = isolated.clone();
    let early_read = tokio::spawn(async move {
        let started = Instant::now();
        let r = tokio::time::timeout(CALL, early.get("after", None)).await;
        (r, started.elapsed())
    });

    // CheckQuorum: within a few election timeouts the old leader knows it no longer leads.
    let deadline = cut + 10 * ELECTION_TIMEOUT;
    let stepped_down = loop {
        if let Some(v) = status(&members[old]).await {
            if !v.leads() {
                break cut.elapsed();
            }
        }
        assert!(
            Instant::now() < deadline,
            "the isolated leader never stepped down\n{}",
            members[old].log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let (new, new_view) = wait_for_leader(&members, &[old], 10 * ELECTION_TIMEOUT).await;
    let elected = cut.elapsed();
    assert_ne!(new, old);
    assert!(new_view.term > old_view.term);
    assert!(
        stepped_down < 4 * ELECTION_TIMEOUT,
        "stepped down only after {stepped_down:?}"
    );
    assert!(
        elected < 6 * ELECTION_TIMEOUT,
        "new leader only after {elected:?}"
    );

    // The majority serves writes, through the leader and through the other follower.
    let other = 3 - old - new;
    for (i, value) in [(new, "majority"), (other, "majority")] {
        let mut c = connect(&members[i]).await;
        tokio::time::timeout(CALL, c.put("after", value, None))
            .await
            .expect("put on the majority side timed out")
            .unwrap_or_else(|e| panic!("put through member {} failed: {e}", members[i].name));
    }

    // The isolated member errs rather than answer from its stale state...
    let mut lin = isolated.clone();
    let mut write = isolated.clone();
    let asked = Instant::now();
    let (read, put) = tokio::join!(
        tokio::time::timeout(CALL, lin.get("after", None)),
        tokio::time::timeout(CALL, write.put("from-isolated", "x", None)),
    );
    let read_answered_in = asked.elapsed();
    let read_error = match read {
        Ok(Err(e)) => e.to_string(),
        Ok(Ok(resp)) => panic!(
            "a linearizable read on the isolated member answered {:?} (the majority wrote \
             'majority'): a stale read",
            resp.kvs().first().map(|kv| kv.value_str().ok())
        ),
        Err(_) => panic!("a linearizable read on the isolated member got no answer in {CALL:?}"),
    };
    let put_error = match put {
        Ok(Err(e)) => e.to_string(),
        Ok(Ok(_)) => panic!("a write on the isolated member succeeded"),
        Err(_) => panic!("a write on the isolated member got no answer in {CALL:?}"),
    };
    let (early, early_in) = early_read.await.expect("early read task");
    match early {
        Ok(Err(_)) => {}
        Ok(Ok(resp)) => panic!(
            "a linearizable read sent to the cut-off leader answered {:?}",
            resp.kvs().first().map(|kv| kv.value_str().ok())
        ),
        Err(_) => panic!("the read sent to the cut-off leader got no answer in {CALL:?}"),
    }
    // ...while serializable reads still answer from what it has.
    assert_eq!(
        local_value(&mut isolated, "before").await.as_deref(),
        Some("cut")
    );
    assert_eq!(local_value(&mut isolated, "after").await, None);

    // Heal: the old leader follows the new one, catches up, and (PreVote) disturbs nobody.
    let leader_view = status(&members[new]).await.expect("leader status");
    assert_eq!(
        (leader_view.leader, leader_view.term),
        (new_view.member, new_view.term),
        "leadership changed while the old leader was cut off"
    );
    proxies[old].heal();
    let healed = Instant::now();
    wait_rejoined(
        &members[old],
        new_view,
        "after",
        "majority",
        10 * ELECTION_TIMEOUT,
    )
    .await;
    let rejoined = healed.elapsed();
    let remaining = Duration::from_secs(3).saturating_sub(healed.elapsed());
    assert_leadership_stable(
        &members,
        new_view,
        &[],
        remaining.max(Duration::from_secs(1)),
    )
    .await;
    assert!(healed.elapsed() >= Duration::from_secs(3));
    let got = tokio::time::timeout(CALL, isolated.get("after", None))
        .await
        .expect("linearizable read after healing timed out")
        .expect("linearizable read after healing");
    assert_eq!(got.kvs()[0].value(), b"majority");
    eprintln!(
        "isolated leader stepped down after {stepped_down:?}; new leader after {elected:?}; \
         isolated member's linearizable read failed after {read_answered_in:?} ({read_error}; \
         the early one after {early_in:?}), its write with {put_error}; rejoined {rejoined:?} \
         after healing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_isolated_follower_rejoins_without_a_leader_change() {
    let (mut members, proxies) = proxied_cluster(3, &[]);
    start_all(&mut members);
    let (leader, view) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;
    let follower = (leader + 1) % 3;
    let mut writer = connect(&members[leader]).await;

    proxies[follower].block();
    let cut = Instant::now();
    // The follower notices it lost the leader (so the cut is real)...
    let deadline = cut + 10 * ELECTION_TIMEOUT;
    let lost = loop {
        if status(&members[follower])
            .await
            .is_some_and(|v| v.leader == 0)
        {
            break cut.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "the cut-off follower still sees a leader\n{}",
            members[follower].log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // ...and campaigns for a while, which must not unseat the leader: writes go on.
    let mut last = 0;
    let until = cut + 3 * ELECTION_TIMEOUT;
    while Instant::now() < until {
        last += 1;
        tokio::time::timeout(CALL, writer.put("cut", last.to_string(), None))
            .await
            .expect("write during the cut timed out")
            .expect("write during the cut");
        assert_leadership_stable(&members, view, &[follower], Duration::from_millis(300)).await;
    }

    proxies[follower].heal();
    let healed = Instant::now();
    wait_rejoined(
        &members[follower],
        view,
        "cut",
        &last.to_string(),
        10 * ELECTION_TIMEOUT,
    )
    .await;
    let rejoined = healed.elapsed();
    let remaining = Duration::from_secs(3).saturating_sub(healed.elapsed());
    assert_leadership_stable(&members, view, &[], remaining.max(Duration::from_secs(1))).await;
    eprintln!(
        "cut-off follower lost its leader after {lost:?}; {last} writes during the cut; \
         rejoined {rejoined:?} after healing; leader {:x} kept term {}",
        view.member, view.term
    );
}
