"""Fixture capture for the Kubernetes scenario: every key under /registry as `etcdctl get -w json`
prints it, beside the API server's JSON for the same object (what `kubectl get --raw` reads), at
the same revision. The Kubernetes inspection tools decode the former and compare with the latter.

Values are written as kube-apiserver stores them: built-in kinds in its protobuf envelope
(`k8s\\0`), custom objects in JSON, Secrets encrypted with aescbc (encryption-config.yaml beside
this file holds the test key). To find each value's API object, the capture decrypts it (with
openssl) and reads the envelope's apiVersion and kind.

The files, for a key /registry/<path>: `<stem>.etcd.json` (etcdctl's output for that key alone),
`<stem>.api.json` (the API server's answer, when the kind is served), and `index.json` listing each
key with its kind and files; <stem> is <path> with `/` as `__`.
"""

import base64
import json
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ENCRYPTION_CONFIG = os.path.join(HERE, "encryption-config.yaml")
AESCBC_PREFIX = b"k8s:enc:aescbc:v1:key1:"
PROTOBUF_MAGIC = b"k8s\x00"
# Names the scenario gives its namespaces: the representative set prefers what it created.
SCENARIO_NAMESPACE = "oxcd-"
# A representative object is small enough to read; the scenario's near-1 MiB ConfigMap is not.
REPRESENTATIVE_MAX_BYTES = 64 * 1024


class CaptureFailed(Exception):
    """The store and the API server disagree, or a value cannot be read."""


def aescbc_key():
    with open(ENCRYPTION_CONFIG) as f:
        m = re.search(r"^\s*secret:\s*(\S+)\s*$", f.read(), re.M)
    if not m:
        raise CaptureFailed(f"no aescbc secret in {ENCRYPTION_CONFIG}")
    return base64.b64decode(m.group(1))


def decrypt_aescbc(value, key):
    """kube-apiserver's aescbc: the prefix, a 16-byte IV, then AES-CBC with PKCS#7 padding."""
    body = value[len(AESCBC_PREFIX):]
    if len(body) < 32 or len(body) % 16:
        raise CaptureFailed(f"aescbc value of {len(body)} bytes is not IV + whole blocks")
    r = subprocess.run(
        ["openssl", "enc", "-d", f"-aes-{len(key) * 8}-cbc", "-K", key.hex(), "-iv",
         body[:16].hex()],
        input=body[16:],
        capture_output=True,
    )
    if r.returncode != 0:
        raise CaptureFailed(f"openssl could not decrypt: {r.stderr.decode(errors='replace')}")
    return r.stdout


def varint(buf, i):
    shift = value = 0
    while True:
        if i >= len(buf) or shift > 63:
            raise CaptureFailed("truncated protobuf varint")
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def length_delimited_fields(buf):
    """{field number: bytes} of the length-delimited fields of a protobuf message (the last
    occurrence wins, as in proto3); other wire types are skipped."""
    fields, i = {}, 0
    while i < len(buf):
        tag, i = varint(buf, i)
        wire = tag & 7
        if wire == 0:
            _, i = varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n, i = varint(buf, i)
            if i + n > len(buf):
                raise CaptureFailed("truncated protobuf field")
            fields[tag >> 3] = buf[i:i + n]
            i += n
        else:
            raise CaptureFailed(f"protobuf wire type {wire}")
    return fields


def stored_type(value):
    """(apiVersion, kind) of a stored (decrypted) value, or None for neither envelope nor JSON."""
    if value.startswith(PROTOBUF_MAGIC):
        # runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, ...
        type_meta = length_delimited_fields(
            length_delimited_fields(value[len(PROTOBUF_MAGIC):]).get(1, b"")
        )
        return type_meta.get(1, b"").decode(), type_meta.get(2, b"").decode()
    if value[:1] == b"{":
        try:
            obj = json.loads(value)
        except ValueError:
            return None
        return obj.get("apiVersion", ""), obj.get("kind", "")
    return None


class Capture:
    """`http(method, path)` reaches the API server as admin; `etcdctl` is the command (a list)
    that reaches the store, endpoints and TLS flags included."""

    def __init__(self, http, etcdctl):
        self.http = http
        self.etcdctl = etcdctl
        self.key = aescbc_key()

    def get(self, key, prefix=False):
        args = [*self.etcdctl, "get", key, "-w", "json"] + (["--prefix"] if prefix else [])
        r = subprocess.run(args, capture_output=True, env={**os.environ, "ETCDCTL_API": "3"})
        if r.returncode != 0:
            raise CaptureFailed(f"{' '.join(args)}: {r.stderr.decode(errors='replace').strip()}")
        return json.loads(r.stdout)

    def api_json(self, path, missing_ok=False):
        status, body = self.http("GET", path)
        if status == 404 and missing_ok:
            return None
        if status != 200:
            raise CaptureFailed(f"GET {path}: {status} {body[:300]}")
        return body

    def served_types(self):
        """{(apiVersion, kind): (apiVersion served, path base, resource, namespaced)} from the
        API's discovery. A kind stored at a version no longer served (CRDs are still stored as
        apiextensions.k8s.io/v1beta1) maps to its group's preferred version, which the API
        converts it to."""
        bases = ["/api/v1"]
        preferred = {"": "v1"}
        for group in json.loads(self.api_json("/apis"))["groups"]:
            bases += [f"/apis/{v['groupVersion']}" for v in group["versions"]]
            preferred[group["name"]] = group["preferredVersion"]["groupVersion"]
        types = {}
        for base in bases:
            listing = json.loads(self.api_json(base))
            for r in listing["resources"]:
                if "/" not in r["name"]:  # not a subresource
                    types[(listing["groupVersion"], r["kind"])] = (
                        listing["groupVersion"], base, r["name"], r["namespaced"]
                    )
        return types, preferred

    @staticmethod
    def served(types, preferred, typ):
        """Where `typ` (apiVersion, kind) is served, or None."""
        if typ in types:
            return types[typ]
        group = typ[0].split("/")[0] if "/" in typ[0] else ""
        version = preferred.get(group)
        return types.get((version, typ[1])) if version else None

    def run(self, out_dir, representative):
        """Dumps /registry into `out_dir` (only one object of each kind with `representative`);
        the number of keys dumped and of objects matched with the API."""
        types, preferred = self.served_types()
        dump = self.get("/registry", prefix=True)
        entries = []
        for kv in dump.get("kvs", []):
            key = base64.b64decode(kv["key"]).decode()
            value = base64.b64decode(kv.get("value", ""))
            encrypted = value.startswith(AESCBC_PREFIX)
            if key.startswith("/registry/secrets/") and not encrypted:
                raise CaptureFailed(f"{key} is stored unencrypted")
            plain = decrypt_aescbc(value, self.key) if encrypted else value
            typ = stored_type(plain)
            served = self.served(types, preferred, typ) if typ else None
            path = api_path(key, served) if served else None
            entries.append((key, kv, typ, encrypted, served[0] if served else None, path))
        matched = 0
        selected = pick_representatives(entries) if representative else entries
        os.makedirs(out_dir, exist_ok=True)
        index = []
        for key, kv, typ, encrypted, served_version, path in selected:
            header = dump["header"]
            api = None
            if path:
                found = self.consistent(key, kv, header, path, (served_version, typ[1]))
                if found:
                    kv, header, api = found
                    matched += 1
                elif SCENARIO_NAMESPACE in key:
                    raise CaptureFailed(f"{key}: the API has no object at {path}")
                else:
                    path = None
            stem = key[len("/registry/"):].replace("/", "__")
            single = {"header": header, "kvs": [kv], "count": 1}
            with open(os.path.join(out_dir, f"{stem}.etcd.json"), "w") as f:
                f.write(json.dumps(single, separators=(",", ":")) + "\n")
            if api is not None:
                with open(os.path.join(out_dir, f"{stem}.api.json"), "w") as f:
                    f.write(api)
            index.append(
                {
                    "key": key,
                    "apiVersion": typ[0] if typ else None,
                    "kind": typ[1] if typ else None,
                    "servedAs": served_version if api is not None else None,
                    "encrypted": encrypted,
                    "etcd": f"{stem}.etcd.json",
                    "api": f"{stem}.api.json" if api is not None else None,
                    "apiPath": path,
                }
            )
        with open(os.path.join(out_dir, "index.json"), "w") as f:
            json.dump({"keys": index}, f, indent=1)
            f.write("\n")
        return len(selected), matched

    def consistent(self, key, kv, header, path, served_type):
        """The key's entry, its header and the API's JSON for it at the same revision: a key
        written since the dump (a renewed lease) is read again, each time between two reads of
        the store that agree. Checks the API object's kind, name and namespace against the key.
        None if the API serves no object there: kube-apiserver keeps a few objects of served
        kinds outside their resource's keys (its peer-endpoint leases, /registry/peerserverleases),
        which the API never reads."""
        for _ in range(5):
            api = self.api_json(path, missing_ok=True)
            if api is None:
                return None
            obj = json.loads(api)
            if obj.get("metadata", {}).get("resourceVersion") == str(kv["mod_revision"]):
                break
            before = self.get(key)
            api = self.api_json(path)
            after = self.get(key)
            obj = json.loads(api)
            if before.get("kvs") and after.get("kvs") == before["kvs"]:
                kv, header = before["kvs"][0], before["header"]
                if obj["metadata"].get("resourceVersion") == str(kv["mod_revision"]):
                    break
        else:
            raise CaptureFailed(
                f"{key}: the API answers resourceVersion {obj['metadata'].get('resourceVersion')}"
                f" at {path}, the store holds mod_revision {kv['mod_revision']}"
            )
        meta = obj["metadata"]
        parts = key.split("/")
        want = {"apiVersion": served_type[0], "kind": served_type[1], "name": parts[-1]}
        got = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "name": meta["name"]}
        if "namespace" in meta:
            want["namespace"], got["namespace"] = parts[-2], meta["namespace"]
        if want != got:
            raise CaptureFailed(f"{key}: the API's object at {path} is {got}, expected {want}")
        return kv, header, api


def api_path(key, served):
    """Where the API serves the object stored at `key`: its name is the key's last segment, its
    namespace (for a namespaced kind) the one before."""
    _, base, resource, namespaced = served
    parts = key.split("/")
    if namespaced:
        return f"{base}/namespaces/{parts[-2]}/{resource}/{parts[-1]}"
    return f"{base}/{resource}/{parts[-1]}"


def pick_representatives(entries):
    """One entry of each kind (keys the API does not serve: one per key prefix), preferring what
    the scenario created, then the smallest."""
    best = {}
    for entry in entries:
        key, kv, typ = entry[:3]
        group = typ if typ else key.rsplit("/", 1)[0]
        size = len(kv.get("value", ""))
        rank = (SCENARIO_NAMESPACE not in key, size > REPRESENTATIVE_MAX_BYTES, size, key)
        if group not in best or rank < best[group][0]:
            best[group] = (rank, entry)
    return sorted((e for _, e in best.values()), key=lambda e: e[0])
