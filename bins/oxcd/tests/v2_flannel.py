"""A flannel-like workload through python-etcd (PyPI's v2 client, not ours): the network config,
subnet leases with TTLs kept alive by refreshes, a recursive watch on the subnets, compare-and-swap
and the client's error classes. Prints one line per step; exits non-zero at the first failure.
Run against oxcd and against etcd 3.4: both must print the same lines."""

import json
import sys
import time

import etcd

host, port = sys.argv[1], int(sys.argv[2])
c = etcd.Client(host=host, port=port, protocol="http", read_timeout=10)
ROOT = "/coreos.com/network"


def step(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (": " + str(detail) if detail and not ok else ""))
    if not ok:
        sys.exit(1)


config = {"Network": "10.1.0.0/16", "Backend": {"Type": "vxlan"}}
c.write(ROOT + "/config", json.dumps(config))
step("config read back", json.loads(c.read(ROOT + "/config").value) == config)

start = c.read(ROOT + "/config").etcd_index
leases = {}
for i in range(4):
    key = "%s/subnets/10.1.%d.0-24" % (ROOT, i)
    r = c.write(key, json.dumps({"PublicIP": "192.168.0.%d" % i}), ttl=3, prevExist=False)
    leases[key] = r.modifiedIndex
step("subnet leases created with a TTL", all(0 < c.read(k).ttl <= 3 for k in leases))

try:
    c.write(list(leases)[0], "taken", prevExist=False)
    step("a second claim of a subnet fails", False, "no error")
except etcd.EtcdAlreadyExist:
    step("a second claim of a subnet fails", True)

# The watch from before the leases sees each of them created, in index order.
seen = []
index = start + 1
while len(seen) < 4:
    ev = c.watch(ROOT + "/subnets", index=index, recursive=True, timeout=5)
    seen.append((ev.action, ev.key))
    index = ev.modifiedIndex + 1
step("recursive watch saw every lease in order", [k for _, k in seen] == list(leases), seen)

# Keep two leases alive with refreshes (no value, no watcher wake-up); let the others lapse.
kept = list(leases)[:2]
for _ in range(4):
    for k in kept:
        c.refresh(k, ttl=3)
    time.sleep(1)
alive = sorted(n.key for n in c.read(ROOT + "/subnets", recursive=True).leaves if n.key)
step("refreshed leases outlive their TTL, the others expire", alive == sorted(kept), alive)

for k in kept:
    step("a refresh keeps the value", "PublicIP" in c.read(k).value)

r = c.test_and_set(kept[0], "new", c.read(kept[0]).value)
step("compare-and-swap on the current value", r.value == "new")
try:
    c.test_and_set(kept[0], "newer", "stale")
    step("compare-and-swap on a stale value fails", False, "no error")
except ValueError:
    step("compare-and-swap on a stale value fails", True)

try:
    c.read(ROOT + "/subnets/nothing")
    step("reading a missing key fails", False, "no error")
except etcd.EtcdKeyNotFound:
    step("reading a missing key fails", True)

c.delete(ROOT + "/subnets", recursive=True)
try:
    c.read(ROOT + "/subnets")
    step("a recursive delete removes the subnets", False, "still there")
except etcd.EtcdKeyNotFound:
    step("a recursive delete removes the subnets", True)
