#!/usr/bin/env python3
"""A real kube-apiserver on the store at --etcd-servers, driven by kubectl through what
Kubernetes does with its storage: CRUD on namespaces, ConfigMaps, Secrets, Pods, a Deployment and
Services; paginated and label-selected lists; strategic-merge, JSON and merge patches; server-side
apply; optimistic concurrency (a stale resourceVersion is a Conflict); a CRD and its objects;
a near-1 MiB object; watches that must see every change in order, from a past revision too, and
streaming lists; the API server's own leases; events; what /metrics says of the store;
compaction; and, with --restart-hook, the store restarted under a running API server. With
--no-watch-cache, kube-apiserver runs without its watch cache, so every list, get and watch goes
to the store.

Each step prints `PASS <step>` or `FAIL <step>: <what differed>`; the last line is
`VERDICT: PASS` or `VERDICT: FAIL (n of m steps failed)`, and the exit code is 0 only on PASS.
Python 3.11 standard library only; openssl makes the service-account key pair.

    scenario.py --bin-dir target/kubernetes/bin --etcd-servers http://127.0.0.1:2379 \
        [--etcd-cafile F --etcd-certfile F --etcd-keyfile F] [--restart-hook CMD]
        [--no-watch-cache] [--work-dir D]
        [--capture DIR [--capture-representative] [--etcdctl PATH]]

Secrets are encrypted at rest with the aescbc key of encryption-config.yaml; --capture writes
fixtures as capture.py describes.
"""

import argparse
import base64
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import capture

TOKEN = "oxcd-scenario-admin-token"
SERVICE_CIDR = "10.0.0.0/24"
# Compaction every 20 s: the compaction step waits for it, and a revision read right after it
# was written is at least one full interval away from being compacted.
COMPACTION_INTERVAL_S = 20
PAUSE = "registry.k8s.io/pause:3.10"
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


class Failed(Exception):
    """A step's expectation that did not hold; the message says what differed."""


def check(cond, what):
    if not cond:
        raise Failed(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """kube-apiserver on the store, and kubectl pointed at it."""

    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.port = free_port()
        self.kubeconfig = os.path.join(work, "kubeconfig")
        self.log_path = os.path.join(work, "kube-apiserver.log")
        self.proc = None
        self.watches = []  # background kubectl watches, stopped with the API server
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE

    # --- setup ---------------------------------------------------------------------------

    def start(self):
        work = self.work
        sa_key = os.path.join(work, "sa.key")
        sa_pub = os.path.join(work, "sa.pub")
        run(["openssl", "genrsa", "-out", sa_key, "2048"])
        run(["openssl", "rsa", "-in", sa_key, "-pubout", "-out", sa_pub])
        tokens = os.path.join(work, "tokens.csv")
        with open(tokens, "w") as f:
            f.write(f'{TOKEN},admin,admin-uid,"system:masters"\n')
        with open(self.kubeconfig, "w") as f:
            json.dump(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [
                        {
                            "name": "oxcd",
                            "cluster": {
                                "server": f"https://127.0.0.1:{self.port}",
                                "insecure-skip-tls-verify": True,
                            },
                        }
                    ],
                    "users": [{"name": "admin", "user": {"token": TOKEN}}],
                    "contexts": [{"name": "oxcd", "context": {"cluster": "oxcd", "user": "admin"}}],
                    "current-context": "oxcd",
                },
                f,
            )
        a = self.args
        cmd = [
            os.path.join(a.bin_dir, "kube-apiserver"),
            f"--etcd-servers={a.etcd_servers}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={self.port}",
            f"--cert-dir={os.path.join(work, 'certs')}",
            "--authorization-mode=AlwaysAllow",
            f"--token-auth-file={tokens}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={sa_pub}",
            f"--service-account-signing-key-file={sa_key}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            # No controller-manager runs: the ServiceAccount plugin would wait for a default
            # service account that nobody creates.
            "--disable-admission-plugins=ServiceAccount",
            # The endpoint reconcilers refuse a loopback advertise address, and no other address
            # may be used here: the kubernetes service gets no endpoints.
            "--endpoint-reconciler-type=none",
            f"--etcd-compaction-interval={COMPACTION_INTERVAL_S}s",
            "--etcd-count-metric-poll-period=1s",
            # apiserver_storage_objects is deprecated since 1.34 and hidden in 1.37.
            "--show-hidden-metrics-for-version=1.36",
            "--profiling=false",
            f"--watch-cache={'false' if a.no_watch_cache else 'true'}",
            f"--encryption-provider-config={capture.ENCRYPTION_CONFIG}",
        ]
        for flag in ("etcd_cafile", "etcd_certfile", "etcd_keyfile"):
            value = getattr(a, flag)
            if value:
                cmd.append(f"--{flag.replace('_', '-')}={value}")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_ready(timeout=180)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failed(
                    f"kube-apiserver exited with {self.proc.returncode}: {self.log_tail()}"
                )
            status, body = self.http("GET", "/readyz?verbose")
            if status == 200:
                return
            failing = [line for line in body.splitlines() if not line.startswith("[+]")]
            last = f"{status} {failing}"
            time.sleep(0.5)
        raise Failed(f"/readyz not ok after {timeout} s (last answer: {last})")

    def stop(self):
        for w in self.watches:
            w.stop()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, lines=40):
        """The API server's last error and warning lines (klog's E and W prefixes)."""
        try:
            with open(self.log_path, errors="replace") as f:
                picked = [line.rstrip() for line in f if line[:1] in "EWF"]
        except OSError:
            return ""
        return "\n".join(picked[-lines:])

    # --- clients -------------------------------------------------------------------------

    def http(self, method, path, body=None, timeout=10):
        """One request to the API server as admin; (status, body). Status 0: no answer."""
        req = urllib.request.Request(
            f"https://127.0.0.1:{self.port}{path}",
            method=method,
            data=body.encode() if body is not None else None,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=timeout) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")
        except (OSError, urllib.error.URLError) as e:
            return 0, str(e)

    def kubectl_cmd(self, args):
        return [
            os.path.join(self.args.bin_dir, "kubectl"),
            f"--kubeconfig={self.kubeconfig}",
            f"--cache-dir={os.path.join(self.work, 'kubectl-cache')}",
            *args,
        ]

    def kubectl_run(self, args, stdin=None, timeout=60):
        return subprocess.run(
            self.kubectl_cmd(args),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def k(self, *args, stdin=None, timeout=60):
        """kubectl that must succeed; its stdout."""
        r = self.kubectl_run(list(args), stdin=stdin, timeout=timeout)
        if r.returncode != 0:
            raise Failed(f"kubectl {' '.join(args)} failed: {r.stderr.strip()}")
        return r.stdout

    def k_json(self, *args, stdin=None):
        return json.loads(self.k(*args, "-o", "json", stdin=stdin))

    def k_refused(self, *args, stdin=None, expect):
        """kubectl that must fail with `expect` in its error; the error."""
        r = self.kubectl_run(list(args), stdin=stdin)
        check(
            r.returncode != 0,
            f"kubectl {' '.join(args)} succeeded, expected an error with {expect!r}: "
            f"{r.stdout.strip()}",
        )
        check(
            expect in r.stderr,
            f"kubectl {' '.join(args)}: expected {expect!r} in the error, got: {r.stderr.strip()}",
        )
        return r.stderr

    def create(self, obj):
        """Creates `obj` (a dict) through kubectl; the object the server answered."""
        return self.k_json("create", "-f", "-", stdin=json.dumps(obj))

    def rv(self, kind, name, ns):
        rv = self.k("get", kind, name, "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}")
        return int(rv)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failed(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout


def configmap(name, ns, data=None, labels=None):
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
        "data": data or {},
    }


def names(obj_list):
    return [i["metadata"]["name"] for i in obj_list["items"]]


class Watch:
    """`kubectl get -w --output-watch-events -o json` in the background, its output in a file."""

    def __init__(self, cluster, resource, ns, name):
        self.path = os.path.join(cluster.work, f"watch-{name}.json")
        self.out = open(self.path, "w")
        self.err_path = self.path + ".err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            cluster.kubectl_cmd(
                ["get", resource, "-n", ns, "-w", "--output-watch-events", "-o", "json"]
            ),
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
        )
        cluster.watches.append(self)

    def events(self):
        """(type, name, resourceVersion) of every event printed so far."""
        with open(self.path) as f:
            text = f.read()
        decoder = json.JSONDecoder()
        events, i = [], 0
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                return events
            try:
                ev, i = decoder.raw_decode(text, i)
            except json.JSONDecodeError:
                return events  # an event still being written
            meta = ev["object"]["metadata"]
            events.append((ev["type"], meta["name"], int(meta["resourceVersion"])))

    def wait_for(self, name, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(n == name for _, n, _ in self.events()):
                return
            if self.proc.poll() is not None:
                raise Failed(f"the watch ended (exit {self.proc.returncode}): {self.stderr()}")
            time.sleep(0.2)
        raise Failed(f"the watch did not see {name} within {timeout} s; it saw {self.events()}")

    def stderr(self):
        with open(self.err_path) as f:
            return f.read().strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def compare_events(seen, expected):
    """`expected`: (type, name, resourceVersion or None for "any, increasing")."""
    check(
        len(seen) == len(expected)
        and all(
            s[0] == e[0] and s[1] == e[1] and (e[2] is None or s[2] == e[2])
            for s, e in zip(seen, expected)
        ),
        f"watch events differ:\n  expected {expected}\n  seen     {seen}",
    )
    revs = [s[2] for s in seen]
    check(revs == sorted(set(revs)), f"watch revisions not strictly increasing: {revs}")


class Scenario:
    def __init__(self, cluster, restart_hook):
        self.c = cluster
        self.restart_hook = restart_hook
        self.results = []
        self.state = {}

    def step(self, name, fn):
        started = time.monotonic()
        try:
            fn()
        except Failed as e:
            self.results.append((name, str(e)))
            print(f"FAIL {name}: {e}", flush=True)
            return False
        except Exception as e:  # a bug in the step or an unexpected answer: still a failure
            self.results.append((name, repr(e)))
            print(f"FAIL {name}: {e!r}", flush=True)
            return False
        self.results.append((name, None))
        print(f"PASS {name} ({time.monotonic() - started:.1f} s)", flush=True)
        return True

    # --- the steps -----------------------------------------------------------------------

    def health(self):
        c = self.c
        for path, needed in (
            ("/readyz?verbose", ["[+]etcd ok", "[+]etcd-readiness ok"]),
            ("/livez?verbose", ["[+]etcd ok"]),
        ):
            out = c.k("get", "--raw", path)
            bad = [line for line in out.splitlines() if line.startswith("[-]")]
            check(not bad, f"{path} reports failing checks: {bad}")
            for line in needed:
                check(line in out, f"{path} lacks {line!r}:\n{out}")
            check(out.rstrip().endswith("passed"), f"{path} did not pass:\n{out}")
        out = c.k("get", "--raw", "/healthz/etcd")
        check(out.strip() == "ok", f"/healthz/etcd answered {out!r}")
        version = c.k_json("version")
        check(
            version["serverVersion"]["gitVersion"] == "v1.37.2",
            f"server version {version['serverVersion']}",
        )

    def namespaces(self):
        c = self.c
        c.k("create", "namespace", "oxcd-test")
        c.k("label", "namespace", "oxcd-test", "oxcd=yes")
        c.k("create", "namespace", "oxcd-doomed")
        c.k("label", "namespace", "oxcd-doomed", "oxcd=yes")
        ns = c.k_json("get", "namespace", "oxcd-test")
        check(ns["status"]["phase"] == "Active", f"phase {ns['status']}")
        listed = names(c.k_json("get", "namespaces", "-l", "oxcd=yes"))
        check(listed == ["oxcd-doomed", "oxcd-test"], f"namespaces with oxcd=yes: {listed}")
        built_in = set(names(c.k_json("get", "namespaces")))
        for n in ("default", "kube-system", "kube-public", "kube-node-lease"):
            check(n in built_in, f"namespace {n} missing from {sorted(built_in)}")
        c.k_refused("create", "namespace", "oxcd-test", expect="AlreadyExists")
        # Without the namespace controller a deleted namespace stays Terminating.
        c.k("delete", "namespace", "oxcd-doomed", "--wait=false")
        phase = c.k("get", "namespace", "oxcd-doomed", "-o", "jsonpath={.status.phase}")
        check(phase == "Terminating", f"deleted namespace's phase is {phase!r}")
        c.k_refused(
            "create", "configmap", "x", "-n", "oxcd-doomed", expect="being terminated"
        )

    def configmaps_create(self):
        c = self.c
        items = [
            configmap(
                f"cm-{i:03}",
                "oxcd-test",
                data={"index": str(i), "blob": "x" * (i * 37)},
                labels={"batch": "page", "parity": "even" if i % 2 == 0 else "odd"},
            )
            for i in range(60)
        ]
        batch = {"apiVersion": "v1", "kind": "List", "items": items}
        out = c.k("create", "-f", "-", "-o", "name", stdin=json.dumps(batch))
        check(len(out.split()) == 60, f"created {len(out.split())} of 60: {out}")
        got = c.k_json("get", "configmap", "cm-007", "-n", "oxcd-test")
        check(got["data"] == {"index": "7", "blob": "x" * 259}, f"cm-007 data {got['data']}")
        # kubectl's -o json wraps lists in a List of its own, without a resourceVersion.
        status, body = c.http("GET", "/api/v1/namespaces/oxcd-test/configmaps")
        check(status == 200, f"list: {status} {body[:300]}")
        self.state["cm_list_rv"] = int(json.loads(body)["metadata"]["resourceVersion"])

    def configmaps_paginate(self):
        c = self.c
        r = c.kubectl_run(
            ["get", "configmaps", "-n", "oxcd-test", "--chunk-size=7", "-o", "json", "-v=6"]
        )
        check(r.returncode == 0, f"chunked list failed: {r.stderr.strip()}")
        listed = names(json.loads(r.stdout))
        expected = [f"cm-{i:03}" for i in range(60)]
        check(listed == expected, f"chunked list gave {listed}")
        # kubectl -v=6 logs each answer: "Response" verb="GET" url="..." status="200 OK".
        pages = [
            url
            for url in re.findall(r'verb="GET" url="([^"]+)" status="200 OK"', r.stderr)
            if "/configmaps?" in url and "limit=7" in url
        ]
        check(len(pages) == 9, f"{len(pages)} pages of 7 for 60 items, expected 9:\n{r.stderr}")
        check(
            sum("continue=" in p for p in pages) == 8,
            f"pages without a continue token: {pages}",
        )
        # The first page of a plain list says how many remain (etcd's count under the limit).
        status, body = c.http("GET", "/api/v1/namespaces/oxcd-test/configmaps?limit=7")
        check(status == 200, f"list with limit: {status} {body[:300]}")
        meta = json.loads(body)["metadata"]
        check(meta.get("remainingItemCount") == 53, f"first page's metadata: {meta}")
        # Walking the pages by hand: every page is read at the revision of the first one, so
        # what changes after it (a later page's object modified, one created) is not seen.
        items, cont, first_rv = [], "", None
        while True:
            q = "limit=11" + (f"&continue={cont}" if cont else "")
            status, body = c.http("GET", f"/api/v1/namespaces/oxcd-test/configmaps?{q}")
            check(status == 200, f"page {q}: {status} {body[:300]}")
            page = json.loads(body)
            items += page["items"]
            if first_rv is None:
                first_rv = int(page["metadata"]["resourceVersion"])
                c.k(
                    "patch", "configmap", "cm-020", "-n", "oxcd-test", "-p",
                    '{"data":{"index":"changed"}}',
                )
                c.create(configmap("cm-020a", "oxcd-test"))
            check(
                int(page["metadata"]["resourceVersion"]) == first_rv,
                f"page {q} read at {page['metadata']['resourceVersion']}, the first at {first_rv}",
            )
            cont = page["metadata"].get("continue", "")
            if not cont:
                break
        c.k("delete", "configmap", "cm-020a", "-n", "oxcd-test")
        check(names({"items": items}) == expected, f"pages by hand gave {names({'items': items})}")
        later = [
            (i["metadata"]["name"], i["metadata"]["resourceVersion"])
            for i in items
            if int(i["metadata"]["resourceVersion"]) > first_rv
        ]
        check(not later, f"pages at revision {first_rv} hold objects written after it: {later}")
        check(items[20]["data"]["index"] == "20", f"cm-020 in the pages: {items[20]['data']}")

    def configmaps_select(self):
        c = self.c
        even = names(c.k_json("get", "configmaps", "-n", "oxcd-test", "-l", "parity=even"))
        check(even == [f"cm-{i:03}" for i in range(0, 60, 2)], f"parity=even: {even}")
        odd = names(
            c.k_json(
                "get", "configmaps", "-n", "oxcd-test", "-l", "parity in (odd),batch=page",
                "--chunk-size=4",
            )
        )
        check(odd == [f"cm-{i:03}" for i in range(1, 60, 2)], f"parity in (odd): {odd}")
        none = names(c.k_json("get", "configmaps", "-n", "oxcd-test", "-l", "parity=neither"))
        check(none == [], f"parity=neither: {none}")
        by_field = names(
            c.k_json(
                "get", "configmaps", "-n", "oxcd-test", "--field-selector",
                "metadata.name=cm-042",
            )
        )
        check(by_field == ["cm-042"], f"field selector metadata.name=cm-042: {by_field}")
        everywhere = c.k("get", "configmaps", "-A", "-l", "batch=page", "-o", "name")
        check(len(everywhere.split()) == 60, f"-A -l batch=page: {everywhere}")

    def configmaps_history(self):
        """A list at the revision of the 60 creations, after 10 of them are deleted."""
        c = self.c
        rv = self.state["cm_list_rv"]
        c.k("delete", "configmaps", "-n", "oxcd-test", *[f"cm-{i:03}" for i in range(50, 60)])
        c.k("patch", "configmap", "cm-030", "-n", "oxcd-test", "-p", '{"data":{"index":"changed"}}')
        now = names(c.k_json("get", "configmaps", "-n", "oxcd-test"))
        check(now == [f"cm-{i:03}" for i in range(50)], f"after deleting 10: {now}")
        items, cont = [], ""
        while True:
            q = f"limit=13&resourceVersion={rv}&resourceVersionMatch=Exact"
            if cont:
                q = f"limit=13&continue={cont}"
            status, body = c.http("GET", f"/api/v1/namespaces/oxcd-test/configmaps?{q}")
            check(status == 200, f"list at revision {rv} ({q}): {status} {body[:300]}")
            page = json.loads(body)
            check(
                int(page["metadata"]["resourceVersion"]) == rv,
                f"page at revision {rv} says {page['metadata']}",
            )
            items += page["items"]
            cont = page["metadata"].get("continue", "")
            if not cont:
                break
        seen = names({"items": items})
        check(seen == [f"cm-{i:03}" for i in range(60)], f"list at revision {rv}: {seen}")
        later = [
            (i["metadata"]["name"], i["metadata"]["resourceVersion"])
            for i in items
            if int(i["metadata"]["resourceVersion"]) > rv
        ]
        check(not later, f"the list at revision {rv} holds objects written after it: {later}")
        check(items[30]["data"]["index"] == "30", f"cm-030 at revision {rv}: {items[30]['data']}")

    def secrets(self):
        c = self.c
        c.k(
            "create", "secret", "generic", "db", "-n", "oxcd-test",
            "--from-literal=user=admin", "--from-literal=password=s3cr3t\n\x01",
        )
        s = c.k_json("get", "secret", "db", "-n", "oxcd-test")
        check(s["type"] == "Opaque", f"secret type {s['type']}")
        data = {k: base64.b64decode(v).decode() for k, v in s["data"].items()}
        check(data == {"user": "admin", "password": "s3cr3t\n\x01"}, f"secret data {data}")
        c.create(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "binary", "namespace": "oxcd-test"},
                "data": {"raw": base64.b64encode(bytes(range(256))).decode()},
            }
        )
        raw = c.k("get", "secret", "binary", "-n", "oxcd-test", "-o", "jsonpath={.data.raw}")
        check(base64.b64decode(raw) == bytes(range(256)), "binary secret changed in storage")
        listed = names(c.k_json("get", "secrets", "-n", "oxcd-test"))
        check(listed == ["binary", "db"], f"secrets: {listed}")
        c.k("delete", "secret", "binary", "-n", "oxcd-test")
        c.k_refused("get", "secret", "binary", "-n", "oxcd-test", expect="NotFound")

    def pods(self):
        c = self.c
        for i in range(3):
            c.k(
                "run", f"pod-{i}", "-n", "oxcd-test", f"--image={PAUSE}", "--restart=Never",
                f"--labels=app=web,slot=s{i}",
            )
        pods = c.k_json("get", "pods", "-n", "oxcd-test", "-l", "app=web")
        check(names(pods) == ["pod-0", "pod-1", "pod-2"], f"pods: {names(pods)}")
        for p in pods["items"]:
            check(p["status"].get("phase") == "Pending", f"{p['metadata']['name']}: {p['status']}")
            check("nodeName" not in p["spec"], f"{p['metadata']['name']} was scheduled")
        one = names(c.k_json("get", "pods", "-n", "oxcd-test", "-l", "app=web,slot!=s0,slot!=s2"))
        check(one == ["pod-1"], f"slot selector: {one}")
        # An unscheduled pod is deleted at once, without a grace period.
        c.k("delete", "pod", "pod-2", "-n", "oxcd-test", "--wait=false")
        c.k_refused("get", "pod", "pod-2", "-n", "oxcd-test", expect="NotFound")

    def deployment(self):
        c = self.c
        c.k("create", "deployment", "web", "-n", "oxcd-test", f"--image={PAUSE}", "--replicas=2")
        d = c.k_json("get", "deployment", "web", "-n", "oxcd-test")
        check(
            d["spec"]["replicas"] == 2 and d["metadata"]["generation"] == 1,
            f"deployment {d['spec']} {d['metadata']}",
        )
        c.k("scale", "deployment", "web", "-n", "oxcd-test", "--replicas=3")
        scale = json.loads(
            c.k("get", "--raw", "/apis/apps/v1/namespaces/oxcd-test/deployments/web/scale")
        )
        check(scale["spec"]["replicas"] == 3, f"scale subresource: {scale}")
        d = c.k_json("get", "deployment", "web", "-n", "oxcd-test")
        check(d["metadata"]["generation"] == 2, f"generation after scaling: {d['metadata']}")
        # Kept to the end (web is deleted), so that the captured fixtures hold a Deployment.
        c.k("create", "deployment", "api", "-n", "oxcd-test", f"--image={PAUSE}")

    def services(self):
        c = self.c
        kube = c.k_json("get", "service", "kubernetes", "-n", "default")
        check(kube["spec"]["clusterIP"] == "10.0.0.1", f"kubernetes service: {kube['spec']}")
        c.k("create", "service", "clusterip", "web", "-n", "oxcd-test", "--tcp=80:8080")
        c.k("create", "service", "nodeport", "webnp", "-n", "oxcd-test", "--tcp=80:8080")
        net = ipaddress.ip_network(SERVICE_CIDR)
        ips = set()
        for name in ("web", "webnp"):
            svc = c.k_json("get", "service", name, "-n", "oxcd-test")
            ip = svc["spec"]["clusterIP"]
            check(ipaddress.ip_address(ip) in net, f"{name}'s cluster IP {ip} not in {net}")
            ips.add(ip)
            # The allocator records each cluster IP as an IPAddress object.
            owner = c.k_json("get", "ipaddress", ip)["spec"]["parentRef"]
            check(owner["name"] == name, f"IPAddress {ip} belongs to {owner}")
        check(len(ips) == 2 and "10.0.0.1" not in ips, f"cluster IPs {ips}")
        port = c.k_json("get", "service", "webnp", "-n", "oxcd-test")["spec"]["ports"][0]
        check(30000 <= port.get("nodePort", 0) <= 32767, f"node port {port}")
        c.k("delete", "service", "webnp", "-n", "oxcd-test")
        c.k_refused("get", "service", "webnp", "-n", "oxcd-test", expect="NotFound")

    def patch_strategic(self):
        c = self.c
        # Strategic merge: containers merge by name, so this changes one image and adds one.
        c.k(
            "patch", "deployment", "web", "-n", "oxcd-test", "-p",
            json.dumps(
                {
                    "spec": {
                        "template": {
                            "spec": {
                                "containers": [
                                    {"name": "pause", "image": "registry.k8s.io/pause:3.9"},
                                    {"name": "side", "image": PAUSE},
                                ]
                            }
                        }
                    }
                }
            ),
        )
        d = c.k_json("get", "deployment", "web", "-n", "oxcd-test")
        containers = [(x["name"], x["image"]) for x in d["spec"]["template"]["spec"]["containers"]]
        check(
            containers == [("pause", "registry.k8s.io/pause:3.9"), ("side", PAUSE)],
            f"containers after the strategic merge patch: {containers}",
        )
        check(d["metadata"]["generation"] == 3, f"generation: {d['metadata']['generation']}")
        c.k("patch", "configmap", "cm-001", "-n", "oxcd-test", "-p", '{"data":{"added":"yes"}}')
        data = c.k_json("get", "configmap", "cm-001", "-n", "oxcd-test")["data"]
        check(data.get("added") == "yes" and data.get("index") == "1", f"cm-001 data {data}")

    def patch_json(self):
        c = self.c
        c.k(
            "patch", "configmap", "cm-002", "-n", "oxcd-test", "--type=json", "-p",
            json.dumps(
                [
                    {"op": "add", "path": "/data/k2", "value": "v2"},
                    {"op": "replace", "path": "/data/index", "value": "two"},
                    {"op": "remove", "path": "/data/blob"},
                    {"op": "add", "path": "/metadata/labels/patched", "value": "json"},
                ]
            ),
        )
        cm = c.k_json("get", "configmap", "cm-002", "-n", "oxcd-test")
        check(cm["data"] == {"index": "two", "k2": "v2"}, f"cm-002 data {cm['data']}")
        labels = cm["metadata"]["labels"]
        check(labels.get("patched") == "json", f"labels {labels}")
        before = cm["metadata"]["resourceVersion"]
        c.k_refused(
            "patch", "configmap", "cm-002", "-n", "oxcd-test", "--type=json", "-p",
            '[{"op":"test","path":"/data/k2","value":"nope"}]', expect="is invalid",
        )
        after = c.rv("configmap", "cm-002", "oxcd-test")
        check(str(after) == before, f"a failed JSON patch moved the revision {before} -> {after}")
        c.k(
            "patch", "configmap", "cm-002", "-n", "oxcd-test", "--type=merge", "-p",
            '{"data":{"k2":null,"k3":"v3"}}',
        )
        data = c.k_json("get", "configmap", "cm-002", "-n", "oxcd-test")["data"]
        check(data == {"index": "two", "k3": "v3"}, f"after the merge patch: {data}")

    def server_side_apply(self):
        c = self.c
        obj = configmap("applied", "oxcd-test", data={"a": "1", "b": "2"}, labels={"by": "ssa"})
        c.k("apply", "--server-side", "--field-manager=alpha", "-f", "-", stdin=json.dumps(obj))
        obj2 = configmap("applied", "oxcd-test", data={"b": "3", "c": "4"})
        c.k_refused(
            "apply", "--server-side", "--field-manager=beta", "-f", "-",
            stdin=json.dumps(obj2), expect="conflict",
        )
        c.k(
            "apply", "--server-side", "--field-manager=beta", "--force-conflicts", "-f", "-",
            stdin=json.dumps(obj2),
        )
        cm = c.k_json("get", "configmap", "applied", "-n", "oxcd-test", "--show-managed-fields")
        check(cm["data"] == {"a": "1", "b": "3", "c": "4"}, f"applied data {cm['data']}")
        managers = sorted(m["manager"] for m in cm["metadata"]["managedFields"])
        check(managers == ["alpha", "beta"], f"managers {managers}")
        # alpha applies again without b: it no longer owns b, so b stays; a is dropped.
        obj3 = configmap("applied", "oxcd-test", data={}, labels={"by": "ssa"})
        c.k("apply", "--server-side", "--field-manager=alpha", "-f", "-", stdin=json.dumps(obj3))
        data = c.k_json("get", "configmap", "applied", "-n", "oxcd-test")["data"]
        check(data == {"b": "3", "c": "4"}, f"after alpha let go of a: {data}")

    def conflict(self):
        c = self.c
        stale = c.k_json("get", "configmap", "cm-003", "-n", "oxcd-test")
        c.k("patch", "configmap", "cm-003", "-n", "oxcd-test", "-p", '{"data":{"fresh":"1"}}')
        stale["data"]["stale"] = "1"
        c.k_refused(
            "replace", "-f", "-", stdin=json.dumps(stale), expect="the object has been modified"
        )
        data = c.k_json("get", "configmap", "cm-003", "-n", "oxcd-test")["data"]
        check("fresh" in data and "stale" not in data, f"cm-003 after the stale replace: {data}")
        # The same replace with the current resourceVersion goes through.
        fresh = c.k_json("get", "configmap", "cm-003", "-n", "oxcd-test")
        fresh["data"]["replaced"] = "1"
        c.k("replace", "-f", "-", stdin=json.dumps(fresh))
        check(
            c.rv("configmap", "cm-003", "oxcd-test") > int(fresh["metadata"]["resourceVersion"]),
            "replace did not move the resourceVersion",
        )
        # A delete with a stale resourceVersion precondition is a Conflict too.
        status, body = c.http(
            "DELETE",
            "/api/v1/namespaces/oxcd-test/configmaps/cm-003",
            json.dumps(
                {"preconditions": {"resourceVersion": stale["metadata"]["resourceVersion"]}}
            ),
        )
        check(status == 409, f"delete with a stale precondition: {status} {body[:300]}")
        # Ten concurrent patches of one object: each lands, none lost (optimistic retries).
        procs = [
            subprocess.Popen(
                c.kubectl_cmd(
                    ["patch", "configmap", "cm-004", "-n", "oxcd-test", "-p",
                     json.dumps({"data": {f"p{i}": str(i)}})]
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(10)
        ]
        errors = [p.communicate(timeout=60)[1] for p in procs if p.wait(timeout=60) != 0]
        check(not errors, f"concurrent patches failed: {errors}")
        data = c.k_json("get", "configmap", "cm-004", "-n", "oxcd-test")["data"]
        missing = [i for i in range(10) if data.get(f"p{i}") != str(i)]
        check(not missing, f"concurrent patches lost: {missing} ({data})")

    def delete(self):
        c = self.c
        c.k("delete", "configmap", "cm-005", "-n", "oxcd-test")
        c.k_refused("get", "configmap", "cm-005", "-n", "oxcd-test", expect="NotFound")
        c.k_refused("delete", "configmap", "cm-005", "-n", "oxcd-test", expect="NotFound")
        out = c.k("delete", "configmaps", "-n", "oxcd-test", "-l", "parity=odd", "-o", "name")
        # cm-001, 003, ..., 049 (those from 51 up went in the history step, cm-005 above).
        check(len(out.split()) == 24, f"deleted by label: {out}")
        left = names(c.k_json("get", "configmaps", "-n", "oxcd-test", "-l", "batch=page"))
        check(
            left == [f"cm-{i:03}" for i in range(0, 50, 2)],
            f"left after deleting the odd ones: {left}",
        )
        # Deleting with a matching uid precondition succeeds.
        uid = c.k("get", "configmap", "cm-000", "-n", "oxcd-test", "-o", "jsonpath={.metadata.uid}")
        status, body = c.http(
            "DELETE",
            "/api/v1/namespaces/oxcd-test/configmaps/cm-000",
            json.dumps({"preconditions": {"uid": uid}}),
        )
        check(status == 200, f"delete with a matching uid precondition: {status} {body[:300]}")
        c.k("delete", "deployment", "web", "-n", "oxcd-test")
        c.k_refused("get", "deployment", "web", "-n", "oxcd-test", expect="NotFound")

    def large_object(self):
        """A ConfigMap of nearly Kubernetes' 1 MiB limit: the store takes a value that large, in
        a create, an update, a list and a watch."""
        c = self.c
        ns = "oxcd-large"
        c.k("create", "namespace", ns)
        blob = "".join(chr(ord("a") + (i * 7919) % 26) for i in range(1_000_000))
        w = Watch(c, "configmaps", ns, "large")
        try:
            time.sleep(1)  # the watch's list (empty) done before the create
            created = c.create(configmap("big", ns, {"blob": blob}))
            got = c.k_json("get", "configmap", "big", "-n", ns)
            back = got["data"]["blob"]
            check(back == blob, f"the large value came back changed ({len(back)} bytes)")
            c.k("patch", "configmap", "big", "-n", ns, "-p", '{"data":{"more":"1"}}')
            listed = c.k_json("get", "configmaps", "-n", ns)["items"]
            check(
                [i["data"].get("more") for i in listed] == ["1"]
                and listed[0]["data"]["blob"] == blob,
                "the large object in a list",
            )
            c.create(configmap("after-big", ns))
            w.wait_for("after-big")
            seen = [(t, n) for t, n, _ in w.events()]
            check(
                seen == [("ADDED", "big"), ("MODIFIED", "big"), ("ADDED", "after-big")],
                f"watch of the large object: {w.events()}",
            )
            check(
                w.events()[0][2] == int(created["metadata"]["resourceVersion"]),
                f"the large object's revision in the watch: {w.events()}",
            )
        finally:
            w.stop()
        c.k("delete", "namespace", ns, "--wait=false")

    def crd(self):
        c = self.c
        crd = {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.oxcd.test"},
            "spec": {
                "group": "oxcd.test",
                "scope": "Namespaced",
                "names": {
                    "plural": "widgets",
                    "singular": "widget",
                    "kind": "Widget",
                    "listKind": "WidgetList",
                },
                "versions": [
                    {
                        "name": "v1",
                        "served": True,
                        "storage": True,
                        "subresources": {"status": {}},
                        "schema": {
                            "openAPIV3Schema": {
                                "type": "object",
                                "properties": {
                                    "spec": {
                                        "type": "object",
                                        "properties": {"size": {"type": "integer"}},
                                    },
                                    "status": {
                                        "type": "object",
                                        "properties": {"ready": {"type": "boolean"}},
                                    },
                                },
                            }
                        },
                    }
                ],
            },
        }
        c.create(crd)
        c.k("wait", "--for=condition=Established", "crd/widgets.oxcd.test", "--timeout=60s")

    def custom_objects(self):
        c = self.c
        # Discovery of the new group may lag its Established condition by a moment.
        deadline = time.monotonic() + 30
        while c.kubectl_run(["get", "widgets", "-n", "oxcd-test"]).returncode != 0:
            check(time.monotonic() < deadline, "widgets not served 30 s after Established")
            time.sleep(0.5)
        for i in range(5):
            c.create(
                {
                    "apiVersion": "oxcd.test/v1",
                    "kind": "Widget",
                    "metadata": {
                        "name": f"w{i}",
                        "namespace": "oxcd-test",
                        "labels": {"size": "big" if i >= 3 else "small"},
                    },
                    "spec": {"size": i},
                }
            )
        listed = c.k_json("get", "widgets", "-n", "oxcd-test")
        check(names(listed) == [f"w{i}" for i in range(5)], f"widgets: {names(listed)}")
        check([w["spec"]["size"] for w in listed["items"]] == list(range(5)), "widget sizes")
        big = names(
            c.k_json("get", "widgets", "-n", "oxcd-test", "-l", "size=big", "--chunk-size=1")
        )
        check(big == ["w3", "w4"], f"big widgets: {big}")
        c.k_refused(
            "create", "-f", "-", expect="Invalid",
            stdin=json.dumps(
                {
                    "apiVersion": "oxcd.test/v1",
                    "kind": "Widget",
                    "metadata": {"name": "bad", "namespace": "oxcd-test"},
                    "spec": {"size": "huge"},
                }
            ),
        )
        c.k(
            "patch", "widget", "w1", "-n", "oxcd-test", "--type=merge", "-p",
            '{"spec":{"size":10}}',
        )
        c.k(
            "patch", "widget", "w1", "-n", "oxcd-test", "--type=merge", "--subresource=status",
            "-p", '{"status":{"ready":true}}',
        )
        w1 = c.k_json("get", "widget", "w1", "-n", "oxcd-test")
        check(w1["spec"]["size"] == 10 and w1["status"] == {"ready": True}, f"w1: {w1}")
        check(w1["metadata"]["generation"] == 2, f"w1 generation {w1['metadata']['generation']}")
        c.k("delete", "widget", "w0", "-n", "oxcd-test")
        left = names(c.k_json("get", "widgets", "-A"))
        check(left == ["w1", "w2", "w3", "w4"], f"widgets after a delete: {left}")

    def watch(self):
        c = self.c
        ns = "oxcd-watch"
        c.k("create", "namespace", ns)
        start = c.create(configmap("w-000-start", ns))
        w = Watch(c, "configmaps", ns, "main")
        try:
            w.wait_for("w-000-start")
            expected = [("ADDED", "w-000-start", int(start["metadata"]["resourceVersion"]))]

            def rv_of(obj):
                return int(obj["metadata"]["resourceVersion"])

            a = c.create(configmap("w-a", ns, {"v": "1"}))
            expected.append(("ADDED", "w-a", rv_of(a)))
            b = c.create(configmap("w-b", ns, {"v": "1"}))
            expected.append(("ADDED", "w-b", rv_of(b)))
            a = c.k_json("patch", "configmap", "w-a", "-n", ns, "-p", '{"data":{"v":"2"}}')
            expected.append(("MODIFIED", "w-a", rv_of(a)))
            applied = c.k_json(
                "apply", "--server-side", "--field-manager=watch", "-f", "-",
                stdin=json.dumps(configmap("w-c", ns, {"v": "1"})),
            )
            expected.append(("ADDED", "w-c", rv_of(applied)))
            b["data"]["v"] = "2"
            b = c.k_json("replace", "-f", "-", stdin=json.dumps(b))
            expected.append(("MODIFIED", "w-b", rv_of(b)))
            c.k("delete", "configmap", "w-a", "-n", ns)
            expected.append(("DELETED", "w-a", None))
            c.k("label", "configmap", "w-b", "-n", ns, "step=labelled")
            expected.append(("MODIFIED", "w-b", c.rv("configmap", "w-b", ns)))
            c.k("delete", "configmap", "w-b", "w-c", "-n", ns)
            expected += [("DELETED", "w-b", None), ("DELETED", "w-c", None)]
            # A write that changes nothing is no event.
            c.k("patch", "configmap", "w-000-start", "-n", ns, "-p", '{"data":null}')
            end = c.create(configmap("w-zzz-end", ns))
            expected.append(("ADDED", "w-zzz-end", rv_of(end)))
            w.wait_for("w-zzz-end")
            time.sleep(0.5)  # anything after the end marker would be an extra event
            compare_events(w.events(), expected)
        finally:
            w.stop()
        # The same changes again, from a watch of the raw API starting at the first revision.
        since = expected[0][2]
        seen = raw_watch(c, f"/api/v1/namespaces/{ns}/configmaps", since, "w-zzz-end")
        compare_events(seen, expected[1:])
        # A watch that starts with the current state (client-go's streaming list): both objects
        # left, then a bookmark that ends the initial events.
        events = watch_stream(
            c,
            f"/api/v1/namespaces/{ns}/configmaps",
            "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
            lambda ev: ev["type"] == "BOOKMARK"
            and ev["object"]["metadata"].get("annotations", {}).get(INITIAL_EVENTS_END) == "true",
        )
        got = [(t, n) for t, n, _ in summary(events)]
        check(
            got == [("ADDED", "w-000-start"), ("ADDED", "w-zzz-end"), ("BOOKMARK", None)],
            f"initial events: {summary(events)}",
        )
        check(
            summary(events)[-1][2] >= expected[-1][2],
            f"the initial events' bookmark is at {summary(events)[-1][2]}, before {expected[-1]}",
        )

    def leases(self):
        c = self.c
        selector = "apiserver.kubernetes.io/identity=kube-apiserver"
        leases = c.k_json("get", "leases", "-n", "kube-system", "-l", selector)["items"]
        check(len(leases) == 1, f"kube-apiserver identity leases: {names({'items': leases})}")
        lease = leases[0]
        check(lease["spec"].get("holderIdentity"), f"identity lease {lease['spec']}")
        # The API server renews it every 10 s.
        self.leases_renewed()
        # A lease of our own, as a controller's leader election writes it.
        c.create(
            {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": "oxcd-leader", "namespace": "oxcd-test"},
                "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15},
            }
        )
        c.k(
            "patch", "lease", "oxcd-leader", "-n", "oxcd-test", "--type=merge", "-p",
            '{"spec":{"holderIdentity":"you","leaseTransitions":1}}',
        )
        spec = c.k_json("get", "lease", "oxcd-leader", "-n", "oxcd-test")["spec"]
        check(spec["holderIdentity"] == "you" and spec["leaseTransitions"] == 1, f"lease {spec}")

    def events(self):
        """Events are stored with an etcd lease (their TTL)."""
        c = self.c
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for i in range(3):
            c.create(
                {
                    "apiVersion": "v1",
                    "kind": "Event",
                    "metadata": {"name": f"ev-{i}", "namespace": "oxcd-test"},
                    "involvedObject": {
                        "kind": "ConfigMap",
                        "name": "cm-002",
                        "namespace": "oxcd-test",
                    },
                    "reason": "Tested",
                    "message": f"event {i}",
                    "type": "Normal",
                    "count": 1,
                    "firstTimestamp": when,
                    "lastTimestamp": when,
                    "source": {"component": "oxcd-scenario"},
                }
            )
        listed = c.k_json("get", "events", "-n", "oxcd-test", "--field-selector", "reason=Tested")
        check(names(listed) == ["ev-0", "ev-1", "ev-2"], f"events: {names(listed)}")
        c.k("patch", "event", "ev-1", "-n", "oxcd-test", "--type=merge", "-p", '{"count":2}')
        check(c.k_json("get", "event", "ev-1", "-n", "oxcd-test")["count"] == 2, "event count")

    def metrics(self):
        """apiserver_storage_objects and apiserver_resource_objects agree with what the lists say
        (the store is counted every second)."""
        c = self.c
        want = {}
        for resource, kind in (
            ("configmaps", "configmaps"),
            ("secrets", "secrets"),
            ("pods", "pods"),
            ("namespaces", "namespaces"),
            ("widgets.oxcd.test", "widgets"),
            ("customresourcedefinitions.apiextensions.k8s.io", "crd"),
        ):
            want[resource] = len(c.k("get", kind, "-A", "-o", "name").split())
        deadline = time.monotonic() + 20
        while True:
            text = c.k("get", "--raw", "/metrics")
            differ = {}
            for metric in ("apiserver_storage_objects", "apiserver_resource_objects"):
                got = object_counts(text, metric)
                differ.update(
                    {f"{metric} {r}": (got.get(r), n) for r, n in want.items() if got.get(r) != n}
                )
            if not differ:
                return
            check(
                time.monotonic() < deadline,
                "object counts (metric, listed) differ: "
                + ", ".join(f"{r}: {m}" for r, m in differ.items()),
            )
            time.sleep(1)

    def store_metrics(self):
        """What the API server measured of the store so far: no failed request, consistent
        reads served from the watch cache without falling back to the store (they wait on the
        store's watch progress notifications), and the store's size."""
        text = self.c.k("get", "--raw", "/metrics")
        errors = [
            line
            for line in text.splitlines()
            if line.startswith("etcd_request_errors_total{") and float(line.split()[-1]) > 0
        ]
        check(not errors, f"failed store requests: {errors}")
        fallbacks = [
            line
            for line in text.splitlines()
            if line.startswith("apiserver_watch_cache_consistent_read_total{")
            and ('fallback="true"' in line or 'success="false"' in line)
            and float(line.split()[-1]) > 0
        ]
        check(not fallbacks, f"consistent reads that the watch cache could not serve: {fallbacks}")
        size = re.search(r"^apiserver_storage_size_bytes\{[^}]*\} (\S+)$", text, re.M)
        check(size and float(size.group(1)) > 0, f"apiserver_storage_size_bytes: {size}")

    def compaction(self):
        """The API server compacts the store every COMPACTION_INTERVAL_S: an old revision
        becomes 410 Gone, the current one stays readable."""
        c = self.c
        rv = self.state["cm_list_rv"]
        deadline = time.monotonic() + 3 * COMPACTION_INTERVAL_S + 15
        path = (
            "/api/v1/namespaces/oxcd-test/configmaps"
            f"?limit=5&resourceVersion={rv}&resourceVersionMatch=Exact"
        )
        while True:
            status, body = c.http("GET", path)
            if status == 410:
                break
            check(status == 200, f"list at revision {rv}: {status} {body[:300]}")
            check(
                time.monotonic() < deadline,
                f"revision {rv} still readable {3 * COMPACTION_INTERVAL_S + 15} s later",
            )
            time.sleep(1)
        check("too old" in body, f"410 for revision {rv}: {body[:300]}")
        listed = names(c.k_json("get", "configmaps", "-n", "oxcd-test", "-l", "batch=page"))
        check(listed == [f"cm-{i:03}" for i in range(2, 50, 2)], f"after compaction: {listed}")
        # Without the watch cache, a watch from the compacted revision is refused the same way
        # (with it, the cache's own window of events may still hold that revision).
        if not self.c.args.no_watch_cache:
            return
        try:
            path = "/api/v1/namespaces/oxcd-test/configmaps"
            events = watch_stream(c, path, f"resourceVersion={rv}", lambda _: True)
            check(
                events[0][0] == "ERROR" and events[0][1].get("code") == 410,
                f"a watch from the compacted revision {rv} gave {summary(events)}",
            )
        except urllib.error.HTTPError as e:
            check(e.code == 410, f"a watch from the compacted revision {rv}: {e.code}")

    def restart(self):
        c = self.c
        ns = "oxcd-restart"
        c.k("create", "namespace", ns)
        before = c.create(configmap("r-before", ns, {"v": "1"}))
        self.state["restart_rv"] = int(before["metadata"]["resourceVersion"])
        w = Watch(c, "configmaps", ns, "restart")
        w.wait_for("r-before")
        self.state["restart_watch"] = w
        started = time.monotonic()
        r = subprocess.run(
            self.restart_hook, shell=True, capture_output=True, text=True, timeout=300
        )
        check(r.returncode == 0, f"restart hook exited {r.returncode}: {r.stderr.strip()}")
        print(f"  (restart hook took {time.monotonic() - started:.1f} s)", flush=True)
        c.wait_ready(timeout=120)

    def after_restart_read(self):
        c = self.c
        cm = c.k_json("get", "configmap", "r-before", "-n", "oxcd-restart")
        check(cm["data"] == {"v": "1"}, f"r-before after the restart: {cm['data']}")
        left = names(
            c.k_json("get", "configmaps", "-n", "oxcd-test", "-l", "batch=page", "--chunk-size=5")
        )
        check(
            left == [f"cm-{i:03}" for i in range(2, 50, 2)], f"configmaps after the restart: {left}"
        )
        widgets = names(c.k_json("get", "widgets", "-n", "oxcd-test"))
        check(widgets == ["w1", "w2", "w3", "w4"], f"widgets after the restart: {widgets}")
        self.health()

    def after_restart_write(self):
        c = self.c
        ns = "oxcd-restart"
        after = c.create(configmap("r-after", ns, {"v": "1"}))
        check(
            int(after["metadata"]["resourceVersion"]) > self.state["restart_rv"],
            f"revision went back: {after['metadata']['resourceVersion']} "
            f"after {self.state['restart_rv']}",
        )
        self.state["after_events"] = [
            ("ADDED", "r-after", int(after["metadata"]["resourceVersion"]))
        ]
        patched = c.k_json("patch", "configmap", "r-before", "-n", ns, "-p", '{"data":{"v":"2"}}')
        self.state["after_events"].append(
            ("MODIFIED", "r-before", int(patched["metadata"]["resourceVersion"]))
        )
        stale = c.k_json("get", "configmap", "r-after", "-n", ns)
        c.k("patch", "configmap", "r-after", "-n", ns, "-p", '{"data":{"v":"2"}}')
        stale["data"]["v"] = "3"
        c.k_refused(
            "replace", "-f", "-", stdin=json.dumps(stale), expect="the object has been modified"
        )
        current = c.k_json("get", "configmap", "r-after", "-n", ns)
        self.state["after_events"].append(
            ("MODIFIED", "r-after", int(current["metadata"]["resourceVersion"]))
        )
        c.k("delete", "configmap", "r-before", "-n", ns)
        self.state["after_events"].append(("DELETED", "r-before", None))

    def after_restart_watch(self):
        c = self.c
        ns = "oxcd-restart"
        w = self.state.pop("restart_watch")
        try:
            end = c.create(configmap("r-zzz-end", ns))
            end_event = ("ADDED", "r-zzz-end", int(end["metadata"]["resourceVersion"]))
            expected = [("ADDED", "r-before", self.state["restart_rv"])]
            expected += self.state["after_events"] + [end_event]
            w.wait_for("r-zzz-end")
            time.sleep(0.5)
            compare_events(w.events(), expected)
        finally:
            w.stop()
        # A new watch, from the revision before the restart.
        seen = raw_watch(
            c, f"/api/v1/namespaces/{ns}/configmaps", self.state["restart_rv"], "r-zzz-end"
        )
        compare_events(seen, self.state["after_events"] + [end_event])

    def leases_renewed(self):
        c = self.c
        selector = "apiserver.kubernetes.io/identity=kube-apiserver"
        lease = c.k_json("get", "leases", "-n", "kube-system", "-l", selector)["items"][0]
        name, renewed = lease["metadata"]["name"], lease["spec"]["renewTime"]
        deadline = time.monotonic() + 30
        while c.k_json("get", "lease", name, "-n", "kube-system")["spec"]["renewTime"] == renewed:
            check(time.monotonic() < deadline, f"lease {name} not renewed in 30 s ({renewed})")
            time.sleep(1)

    def capture(self):
        a = self.c.args
        etcdctl = [a.etcdctl, f"--endpoints={a.etcd_servers}"]
        for flag, value in (("cacert", a.etcd_cafile), ("cert", a.etcd_certfile),
                            ("key", a.etcd_keyfile)):
            if value:
                etcdctl.append(f"--{flag}={value}")
        try:
            keys, matched = capture.Capture(self.c.http, etcdctl).run(
                a.capture, a.capture_representative
            )
        except capture.CaptureFailed as e:
            raise Failed(str(e))
        check(matched > 0, f"none of the {keys} keys captured matched an API object")
        print(f"  ({keys} keys captured into {a.capture}, {matched} with their API object)")

    # --- the run -------------------------------------------------------------------------

    def run(self):
        steps = [
            ("health", self.health),
            ("namespaces", self.namespaces),
            ("configmaps-create", self.configmaps_create),
            ("configmaps-paginate", self.configmaps_paginate),
            ("configmaps-label-selector", self.configmaps_select),
            ("configmaps-list-at-revision", self.configmaps_history),
            ("secrets", self.secrets),
            ("pods", self.pods),
            ("deployment", self.deployment),
            ("services", self.services),
            ("patch-strategic-merge", self.patch_strategic),
            ("patch-json", self.patch_json),
            ("server-side-apply", self.server_side_apply),
            ("stale-resource-version-conflict", self.conflict),
            ("delete", self.delete),
            ("large-object", self.large_object),
            ("crd-established", self.crd),
            ("custom-objects", self.custom_objects),
            ("watch-in-order", self.watch),
            ("leases", self.leases),
            ("events", self.events),
            ("metrics-storage-objects", self.metrics),
            ("metrics-store-requests", self.store_metrics),
            ("compaction", self.compaction),
        ]
        for name, fn in steps:
            self.step(name, fn)
        if self.restart_hook:
            if self.step("restart-store", self.restart):
                self.step("after-restart-read", self.after_restart_read)
                self.step("after-restart-write", self.after_restart_write)
                self.step("after-restart-watch", self.after_restart_watch)
                self.step("after-restart-leases", self.leases_renewed)
        if self.c.args.capture:
            self.step("capture-fixtures", self.capture)
        failed = [r for r in self.results if r[1] is not None]
        return failed


def watch_stream(c, path, query, stop, timeout=30):
    """The events of a watch on the raw API, each (type, object), up to the first that `stop`
    accepts or an ERROR event; an HTTP error status is raised as urllib's HTTPError."""
    req = urllib.request.Request(
        f"https://127.0.0.1:{c.port}{path}?watch=1&{query}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    events = []
    try:
        with urllib.request.urlopen(req, context=c.ctx, timeout=timeout) as r:
            for line in r:
                ev = json.loads(line)
                events.append((ev["type"], ev["object"]))
                if ev["type"] == "ERROR" or stop(ev):
                    return events
    except (OSError, TimeoutError) as e:
        if isinstance(e, urllib.error.HTTPError):
            raise
        raise Failed(f"watch {query} ended ({e}); it saw {summary(events)}")
    raise Failed(f"watch {query} ended; it saw {summary(events)}")


def summary(events):
    """(type, name, resourceVersion) of each event."""
    return [
        (t, o.get("metadata", {}).get("name"), int(o.get("metadata", {}).get("resourceVersion", 0)))
        if t != "ERROR"
        else (t, o.get("code"), o.get("message"))
        for t, o in events
    ]


def raw_watch(c, path, since, until):
    """Events of a watch on the raw API from revision `since` up to the object `until`."""
    try:
        events = watch_stream(
            c,
            path,
            f"resourceVersion={since}",
            lambda ev: ev["object"].get("metadata", {}).get("name") == until,
        )
    except urllib.error.HTTPError as e:
        raise Failed(f"watch from {since}: {e.code} {e.read().decode(errors='replace')[:300]}")
    seen = summary(events)
    check(events[-1][0] != "ERROR", f"watch from {since} failed: {seen}")
    return seen


def object_counts(metrics, name):
    """The gauge `name` by resource ("configmaps", "widgets.oxcd.test"), from the Prometheus
    text: apiserver_storage_objects has a `resource` label, apiserver_resource_objects a `group`
    and a `resource`."""
    got = {}
    for m in re.finditer(rf"^{name}\{{([^}}]*)\}} (\S+)$", metrics, re.M):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        resource = labels.get("resource", "")
        if labels.get("group"):
            resource += "." + labels["group"]
        got[resource] = int(float(m.group(2)))
    return got


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--etcd-servers", required=True, help="URL[,URL]: the store under test")
    p.add_argument("--etcd-cafile")
    p.add_argument("--etcd-certfile")
    p.add_argument("--etcd-keyfile")
    p.add_argument("--bin-dir", required=True, help="where kube-apiserver and kubectl are")
    p.add_argument("--restart-hook", help="shell command run mid-way that restarts the store")
    p.add_argument(
        "--no-watch-cache",
        action="store_true",
        help="kube-apiserver without its watch cache: every list, get and watch goes to the store",
    )
    p.add_argument(
        "--work-dir",
        help="keep keys, logs and watch output here (default: a temp dir, removed after a PASS)",
    )
    p.add_argument(
        "--capture",
        metavar="DIR",
        help="at the end, dump every key under /registry with its API object into DIR",
    )
    p.add_argument(
        "--capture-representative",
        action="store_true",
        help="with --capture: only one object of each kind, the scenario's where it made one",
    )
    p.add_argument("--etcdctl", default="etcdctl", help="the etcdctl --capture runs")
    a = p.parse_args()

    # SIGTERM (a caller giving up) ends the run through the `finally` below, which stops
    # kube-apiserver and the watches.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = a.work_dir or tempfile.mkdtemp(prefix="oxcd-kubernetes-")
    os.makedirs(work, exist_ok=True)
    started = time.monotonic()
    cluster = Cluster(a, work)
    scenario = Scenario(cluster, a.restart_hook)
    try:
        if scenario.step("start-kube-apiserver", cluster.start):
            failed = scenario.run()
        else:
            failed = scenario.results
    finally:
        cluster.stop()
    total = len(scenario.results)
    print(f"scenario took {time.monotonic() - started:.0f} s; work dir: {work}")
    if failed:
        print("kube-apiserver's last errors and warnings:")
        print(cluster.log_tail())
        print(f"VERDICT: FAIL ({len(failed)} of {total} steps failed)")
        return 1
    if not a.work_dir:
        shutil.rmtree(work, ignore_errors=True)
    print("VERDICT: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
