// oxcd's dashboard: the key hierarchy, values decoded, their history, live events and the
// cluster's state, all through the same /v3 JSON gateway (and oxcd's extensions under
// /v3/oxcd/) that clients use, with the same permissions. No dependency, no build step.

const $ = (selector, root = document) => root.querySelector(selector);
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: false });

// Bytes in the gateway's JSON are base64.
const b64 = (text) => btoa(String.fromCharCode(...enc.encode(text)));
const b64bytes = (bytes) => { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };
const unb64 = (text) => Uint8Array.from(atob(text || ""), (c) => c.charCodeAt(0));
const show = (b64text) => dec.decode(unb64(b64text));
const prefixEnd = (bytes) => {
  const end = bytes.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) { end[i]++; return end.slice(0, i + 1); }
  }
  return new Uint8Array([0]);
};

// The token of a login lives only here, in memory: a reload logs out.
let token = null;

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || body?.error || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
  }
}

async function call(method, body = {}, signal) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = token;
  const response = await fetch(`/v3/${method}`, { method: "POST", headers, body: JSON.stringify(body), signal });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

function report(error) {
  const box = $("#error");
  if (!error) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = error.message;
  box.hidden = false;
  // etcd's "user name is empty" / "invalid auth token": auth is on and we have no valid token.
  if (/user name is empty|invalid auth token|authentication failed/.test(error.message)) showLogin();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const count = (n, noun) => `${Number(n || 0).toLocaleString("en-US")} ${noun}${Number(n) === 1 ? "" : "s"}`;

const size = (n) => {
  n = Number(n || 0);
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let i = -1;
  do { n /= 1024; i++; } while (n >= 1024 && i < units.length - 1);
  return `${n.toFixed(1)} ${units[i]}`;
};

// ---- Views --------------------------------------------------------------------------------

function selectView(name) {
  for (const button of document.querySelectorAll("nav button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === name));
  }
  for (const view of ["keys", "live", "cluster"]) $(`#view-${view}`).hidden = view !== name;
  if (name === "cluster") refreshCluster();
}

// ---- Keys: the hierarchy, a level at a time -----------------------------------------------

const PAGE = 500;

async function listLevel(prefixBytes, after) {
  // Only what this user may read is listed (a refusal of the whole level would hide it all).
  return call("oxcd/hierarchy/list", { prefix: b64bytes(prefixBytes), after: after || "", limit: PAGE, readable_only: true });
}

function treeItem(child) {
  const name = show(child.name);
  const label = name.slice(name.lastIndexOf("/", name.length - 1) + 1) || name;
  const item = el("li", { role: "treeitem", tabindex: "-1", "aria-selected": "false", "data-name": child.name });
  const row = el("div", { class: "row" },
    el("span", { text: child.has_children ? "▸" : " ", "aria-hidden": "true", class: "twisty" }),
    el("span", { text: label, title: name }),
    el("span", { class: "count", text: `${count(child.keys, "key")} · ${size(child.value_bytes)}` }));
  item.append(row);
  if (child.has_children) item.setAttribute("aria-expanded", "false");
  item.dataset.isKey = child.is_key ? "1" : "";
  row.addEventListener("click", () => activate(item));
  return item;
}

async function fillLevel(list, prefixBytes, after) {
  const page = await listLevel(prefixBytes, after);
  for (const child of page.children || []) list.append(treeItem(child));
  if (page.more) {
    const last = page.last;
    const more = el("button", { type: "button", class: "more", text: "More…" });
    more.addEventListener("click", async () => { more.remove(); try { await fillLevel(list, prefixBytes, last); } catch (e) { report(e); } });
    list.append(el("li", { role: "none" }, more));
  }
  return page;
}

// The prefix the tree lists, where a new key starts.
let listedPrefix = "";

async function showRoot(prefixText) {
  report(null);
  listedPrefix = prefixText;
  const tree = $("#tree");
  tree.replaceChildren();
  const list = el("ul", { role: "group" });
  tree.append(list);
  $("#new-key").hidden = true;
  try {
    const page = await fillLevel(list, enc.encode(prefixText), "");
    $("#new-key").hidden = !page.writable;
    if (!page.children?.length) tree.append(el("p", { class: "hint", text: "No keys below this prefix." }));
    const first = list.querySelector('[role="treeitem"]');
    if (first) first.tabIndex = 0;
  } catch (e) { report(e); }
}

async function activate(item) {
  for (const selected of document.querySelectorAll('[aria-selected="true"]')) selected.setAttribute("aria-selected", "false");
  item.setAttribute("aria-selected", "true");
  item.focus();
  if (item.dataset.isKey) showKey(unb64(item.dataset.name));
  if (item.getAttribute("aria-expanded") === "false") {
    item.setAttribute("aria-expanded", "true");
    item.querySelector(".twisty").textContent = "▾";
    const group = el("ul", { role: "group" });
    item.append(group);
    const name = unb64(item.dataset.name);
    const below = new Uint8Array([...name, 0x2f]);
    try { await fillLevel(group, below, ""); } catch (e) { report(e); }
  } else if (item.getAttribute("aria-expanded") === "true") {
    item.setAttribute("aria-expanded", "false");
    item.querySelector(".twisty").textContent = "▸";
    item.querySelector('[role="group"]')?.remove();
  }
}

// Keyboard, as WAI-ARIA's tree pattern: up and down move, Home and End go to the ends, right
// opens a closed item (or goes to its first child), left closes an open one (or goes to its
// parent), Enter or Space selects and opens or closes.
function onTreeKey(event) {
  const items = [...document.querySelectorAll('#tree [role="treeitem"]')];
  const at = items.indexOf(document.activeElement);
  if (at < 0) return;
  const item = items[at];
  const move = (to) => { if (to) { item.tabIndex = -1; to.tabIndex = 0; to.focus(); } };
  const expanded = item.getAttribute("aria-expanded");
  const handled = {
    ArrowDown: () => move(items[at + 1]),
    ArrowUp: () => move(items[at - 1]),
    Home: () => move(items[0]),
    End: () => move(items[items.length - 1]),
    ArrowRight: () => (expanded === "false" ? activate(item) : expanded === "true" ? move(items[at + 1]) : null),
    ArrowLeft: () => (expanded === "true" ? activate(item) : move(item.parentElement.closest('[role="treeitem"]'))),
    Enter: () => activate(item),
    " ": () => activate(item),
  }[event.key];
  if (handled) { handled(); event.preventDefault(); }
}

// ---- A key: its value, decoded, its metadata and history ---------------------------------

async function decodeAt(keyBytes, revision) {
  return call("oxcd/values/decode", { key: b64bytes(keyBytes), revision: revision || 0 });
}

function hex(bytes) {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

async function showKey(keyBytes) {
  const detail = $("#detail");
  detail.replaceChildren(el("p", { class: "hint", text: "Loading…" }));
  try {
    const [range, decoded] = await Promise.all([
      call("kv/range", { key: b64bytes(keyBytes) }),
      decodeAt(keyBytes, 0),
    ]);
    const kv = range.kvs?.[0];
    if (!kv) { detail.replaceChildren(el("p", { text: "The key no longer exists." })); return; }
    const value = unb64(kv.value);
    const text = editableText(value);
    const views = {
      Text: () => dec.decode(value),
      Decoded: () => decoded.yaml,
      JSON: () => decoded.json,
      Hex: () => hex(value),
    };
    const pre = el("pre", { tabindex: "0", "aria-label": "Value" });
    const tabs = el("div", { class: "tabs", role: "group", "aria-label": "Show the value as" });
    const pick = (name) => {
      for (const b of tabs.children) b.setAttribute("aria-pressed", String(b.textContent === name));
      pre.textContent = views[name]();
    };
    for (const name of Object.keys(views)) tabs.append(el("button", { type: "button", text: name, onclick: () => pick(name) }));
    const lease = kv.lease && kv.lease !== "0" ? await leaseText(kv.lease) : "none";
    detail.replaceChildren(
      el("h2", { text: dec.decode(keyBytes) }),
      el("dl", { class: "meta" },
        el("dt", { text: "Type" }), el("dd", { text: decoded.type || "not a Kubernetes object" }),
        decoded.encryption ? el("dt", { text: "Encryption" }) : null, decoded.encryption ? el("dd", { text: decoded.encryption }) : null,
        el("dt", { text: "Created at revision" }), el("dd", { text: kv.create_revision }),
        el("dt", { text: "Modified at revision" }), el("dd", { text: kv.mod_revision }),
        el("dt", { text: "Version" }), el("dd", { text: kv.version }),
        el("dt", { text: "Lease" }), el("dd", { text: lease }),
        el("dt", { text: "Size" }), el("dd", { text: size(value.length) })),
      tabs, pre,
      el("div", {},
        el("button", { type: "button", class: "history", text: "History", onclick: () => showHistory(keyBytes, kv) }),
        decoded.writable && text !== null ? el("button", { type: "button", class: "edit", text: "Edit…", onclick: () => putKey(keyBytes, text) }) : null,
        decoded.writable ? el("button", { type: "button", class: "delete", text: "Delete…", onclick: () => deleteKey(keyBytes) }) : null),
      el("div", { id: "history" }));
    pick(decoded.type ? "Decoded" : "Text");
  } catch (e) { detail.replaceChildren(); report(e); }
}

async function leaseText(id) {
  try {
    const ttl = await call("lease/timetolive", { ID: id });
    return `${BigInt(id).toString(16)} (${ttl.TTL}s left of ${ttl.grantedTTL}s)`;
  } catch { return BigInt(id).toString(16); }
}

// A value the text box gives back unchanged: UTF-8 without carriage returns (a text area turns
// CR LF into LF). Others (protobuf objects among them) are not offered for editing.
function editableText(bytes) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.includes("\r") ? null : text;
  } catch { return null; }
}

// Opens a modal dialog; resolves to the value of the button that closed it ("" for Escape).
function ask(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

async function confirmAction(question, action) {
  $("#confirm-text").textContent = question;
  $("#confirm-yes").textContent = action;
  return (await ask($("#confirm-dialog"))) === "yes";
}

// Puts a key: an existing one (its name fixed, written back byte for byte, whatever the text
// box shows of it) or a new one named in the box, then asks again before writing.
async function putKey(existingKey, valueText) {
  const form = $("#edit-form");
  const isNew = existingKey === null;
  $("#edit-title").textContent = isNew ? "New key" : `Edit ${dec.decode(existingKey)}`;
  form.key.value = isNew ? listedPrefix : dec.decode(existingKey);
  form.key.readOnly = !isNew;
  form.value.value = valueText || "";
  if ((await ask($("#edit-dialog"))) !== "write") return;
  const key = isNew ? enc.encode(form.key.value) : existingKey;
  const value = form.value.value;
  const replacing = isNew ? "" : ", replacing its value";
  if (!(await confirmAction(`Write ${size(enc.encode(value).length)} to ${dec.decode(key)}${replacing}?`, "Write"))) return;
  try {
    await call("kv/put", { key: b64bytes(key), value: b64(value) });
    report(null);
    showKey(key);
  } catch (e) { report(e); }
}

async function deleteKey(keyBytes) {
  if (!(await confirmAction(`Delete ${dec.decode(keyBytes)}?`, "Delete"))) return;
  try { await call("kv/deleterange", { key: b64bytes(keyBytes) }); $("#detail").replaceChildren(el("p", { text: "Deleted." })); } catch (e) { report(e); }
}

// A key's versions: each version's mod revision minus one holds the one before it.
async function showHistory(keyBytes, current) {
  const box = $("#history");
  box.replaceChildren(el("p", { class: "hint", text: "Reading revisions…" }));
  const versions = [current];
  let kv = current;
  while (Number(kv.version) > 1 && versions.length < 100) {
    try {
      const older = await call("kv/range", { key: b64bytes(keyBytes), revision: String(Number(kv.mod_revision) - 1) });
      if (!older.kvs?.length) break;
      kv = older.kvs[0];
      versions.push(kv);
    } catch { break; }
  }
  const list = el("ol", { reversed: true });
  const chosen = [];
  for (const v of versions) {
    const box2 = el("input", { type: "checkbox", "aria-label": `Compare revision ${v.mod_revision}` });
    box2.addEventListener("change", () => {
      if (box2.checked) chosen.push(v); else chosen.splice(chosen.indexOf(v), 1);
      if (chosen.length === 2) diffVersions(keyBytes, chosen[0], chosen[1]);
    });
    list.append(el("li", {}, el("label", {}, box2, ` revision ${v.mod_revision}, version ${v.version}, ${size(unb64(v.value).length)}`)));
  }
  box.replaceChildren(el("h3", { text: "History" }), el("p", { class: "hint", text: "Tick two revisions to compare them." }), list, el("div", { id: "diff" }));
}

async function diffVersions(keyBytes, a, b) {
  const [older, newer] = Number(a.mod_revision) < Number(b.mod_revision) ? [a, b] : [b, a];
  const [x, y] = await Promise.all([decodeAt(keyBytes, older.mod_revision), decodeAt(keyBytes, newer.mod_revision)]);
  // Objects compare as kubectl prints them; other values as they are.
  const text = (d, kv) => (d.type ? d.yaml : dec.decode(unb64(kv.value)));
  const pre = el("pre", { class: "diff", "aria-label": `Changes from revision ${older.mod_revision} to ${newer.mod_revision}` });
  for (const [op, line] of diffLines(text(x, older).split("\n"), text(y, newer).split("\n"))) {
    pre.append(el("span", { class: op === "+" ? "add" : op === "-" ? "del" : "", text: `${op} ${line}\n` }));
  }
  $("#diff").replaceChildren(el("h4", { text: `Revision ${older.mod_revision} → ${newer.mod_revision}` }), pre);
}

// A line diff by longest common subsequence, the common head and tail set aside first.
function diffLines(a, b) {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail), y = b.slice(head, b.length - tail);
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) {
    lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = a.slice(Math.max(0, head - 3), head).map((l) => [" ", l]);
  let i = 0, j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { out.push([" ", x[i]]); i++; j++; }
    else if (i < x.length && (j === y.length || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push(["-", x[i]]); i++; }
    else { out.push(["+", y[j]]); j++; }
  }
  return out.concat(a.slice(a.length - tail, a.length - tail + 3).map((l) => [" ", l]));
}

// ---- Live: a watch on a prefix -------------------------------------------------------------

const KEPT_EVENTS = 500;
let watching = null;
let paused = false;

async function watchPrefix(prefixText) {
  watching?.abort();
  watching = new AbortController();
  const prefix = enc.encode(prefixText);
  const body = { create_request: { key: b64bytes(prefix), range_end: b64bytes(prefix.length ? prefixEnd(prefix) : new Uint8Array([0])), prev_kv: true } };
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = token;
  $("#watch-status").textContent = "watching";
  $("#watch-pause").disabled = false;
  try {
    const response = await fetch("/v3/watch", { method: "POST", headers, body: JSON.stringify(body), signal: watching.signal });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    const reader = response.body.getReader();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += dec.decode(value, { stream: true });
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) onWatchMessage(JSON.parse(line));
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") report(e);
  }
  $("#watch-status").textContent = "stopped";
}

function onWatchMessage(message) {
  const result = message.result || message;
  if (message.error) { report(new Error(message.error.message)); return; }
  if (paused) return;
  const body = $("#events tbody");
  for (const event of result.events || []) {
    const kv = event.kv || {};
    const deleted = event.type === "DELETE";
    const kind = deleted ? "" : kubernetesKind(unb64(kv.value));
    // A delete's value is the one it removed: the previous version's, at its revision.
    const shown = deleted ? event.prev_kv : kv;
    const open = shown ? () => showEvent(unb64(kv.key), shown.mod_revision, deleted) : null;
    body.prepend(el("tr", {},
      el("td", { text: kv.mod_revision }),
      el("td", { text: deleted ? "DELETE" : Number(kv.version) === 1 ? "CREATE" : "PUT" }),
      el("td", {}, open ? el("button", { type: "button", class: "link", text: show(kv.key), onclick: open }) : show(kv.key)),
      el("td", { text: kind }),
      el("td", { text: deleted ? "" : String(unb64(kv.value).length) })));
  }
  while (body.rows.length > KEPT_EVENTS) body.deleteRow(body.rows.length - 1);
}

async function showEvent(keyBytes, revision, deleted) {
  const box = $("#event-detail");
  try {
    const decoded = await decodeAt(keyBytes, revision);
    const value = decoded.type ? decoded.yaml : null;
    const plain = value ?? (await call("kv/range", { key: b64bytes(keyBytes), revision: String(revision) })).kvs?.map((kv) => show(kv.value))[0] ?? "";
    box.replaceChildren(
      el("h3", { text: `${dec.decode(keyBytes)} at revision ${revision}${deleted ? ", the value deleted" : ""}` }),
      el("p", { text: decoded.type || "not a Kubernetes object" }),
      el("pre", { tabindex: "0", "aria-label": "Event value", text: plain }));
  } catch (e) { report(e); }
}

// The kind a Kubernetes value names, read from its envelope (protobuf) or its JSON, cheaply.
function kubernetesKind(bytes) {
  if (bytes[0] === 0x7b) { try { return JSON.parse(dec.decode(bytes)).kind || ""; } catch { return ""; } }
  if (bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0) {
    const text = dec.decode(bytes.slice(4, 200));
    const match = /\x12[\x01-\x7f]([A-Za-z]+)/.exec(text);
    return match ? match[1] : "";
  }
  return dec.decode(bytes.slice(0, 8)).startsWith("k8s:enc:") ? "(encrypted)" : "";
}

// ---- Cluster -------------------------------------------------------------------------------

const series = { writes: [], fsync: [], db: [] };
let lastSample = null;
let clusterTimer = null;

async function refreshCluster() {
  clearTimeout(clusterTimer);
  if ($("#view-cluster").hidden) return;
  try {
    const [members, status, alarms, leases] = await Promise.all([
      call("cluster/member/list", {}),
      call("maintenance/status", {}),
      call("maintenance/alarm", { action: "GET" }),
      call("lease/leases", {}).catch(() => ({ leases: [] })),
    ]);
    const leader = status.leader;
    const rows = (members.members || []).map((m) => el("tr", {},
      el("td", { text: m.name || "(unstarted)" }),
      el("td", { text: BigInt(m.ID).toString(16) }),
      el("td", { text: m.isLearner ? "learner" : m.ID === leader ? "leader" : "follower" }),
      el("td", { text: (m.peerURLs || []).join(", ") }),
      el("td", { text: (m.clientURLs || []).join(", ") })));
    $("#members tbody").replaceChildren(...rows);
    const alarmText = (alarms.alarms || []).map((a) => `${a.alarm} on ${BigInt(a.memberID).toString(16)}`).join(", ") || "none";
    const leaseList = leases.leases || [];
    // The soonest expiry among the first 100 leases (a TimeToLive each).
    const ttls = await Promise.all(leaseList.slice(0, 100).map((l) => call("lease/timetolive", { ID: l.ID }).then((t) => Number(t.TTL)).catch(() => Infinity)));
    const soonest = Math.min(...ttls.filter((t) => t >= 0));
    const leaseText = leaseList.length ? `${leaseList.length}, the soonest expiring in ${Number.isFinite(soonest) ? `${soonest}s` : "?"}${leaseList.length > 100 ? " (of the first 100)" : ""}` : "none";
    $("#cluster-summary").replaceChildren(el("dl", { class: "meta" },
      el("dt", { text: "Version" }), el("dd", { text: status.version }),
      el("dt", { text: "Raft term" }), el("dd", { text: status.raftTerm }),
      el("dt", { text: "Raft index" }), el("dd", { text: status.raftIndex }),
      el("dt", { text: "DB size" }), el("dd", { text: `${size(status.dbSize)} (${size(status.dbSizeInUse)} in use)` }),
      el("dt", { text: "Alarms" }), el("dd", { text: alarmText }),
      el("dt", { text: "Leases" }), el("dd", { text: leaseText })));
    await sampleMetrics();
  } catch (e) { report(e); }
  clusterTimer = setTimeout(refreshCluster, 2000);
}

async function sampleMetrics() {
  const text = await (await fetch("/metrics")).text();
  const value = (name) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
    return match ? Number(match[1]) : 0;
  };
  const now = { t: performance.now(), writes: value("etcd_mvcc_put_total") + value("etcd_mvcc_delete_total"),
    fsyncSum: value("etcd_disk_wal_fsync_duration_seconds_sum"), fsyncCount: value("etcd_disk_wal_fsync_duration_seconds_count"),
    db: value("etcd_mvcc_db_total_size_in_bytes") };
  if (lastSample) {
    const seconds = (now.t - lastSample.t) / 1000;
    const syncs = now.fsyncCount - lastSample.fsyncCount;
    push(series.writes, (now.writes - lastSample.writes) / seconds);
    push(series.fsync, syncs > 0 ? ((now.fsyncSum - lastSample.fsyncSum) / syncs) * 1000 : 0);
    push(series.db, now.db / 1048576);
  }
  lastSample = now;
  $("#charts").replaceChildren(chart("Writes per second", series.writes), chart("WAL fsync, ms", series.fsync), chart("DB size, MiB", series.db));
}

function push(list, value) { list.push(value); if (list.length > 60) list.shift(); }

function chart(title, points) {
  const w = 240, h = 60, max = Math.max(1e-9, ...points);
  const path = points.map((p, i) => `${(i / 59) * w},${h - (p / max) * (h - 4) - 2}`).join(" ");
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [k, v] of Object.entries({ width: w, height: h, role: "img", "aria-label": title })) svg.setAttribute(k, v);
  const line = document.createElementNS(ns, "polyline");
  for (const [k, v] of Object.entries({ fill: "none", stroke: "#0b5cad", "stroke-width": "1.5", points: path })) line.setAttribute(k, v);
  svg.append(line);
  const figure = el("figure", { class: "chart" }, svg);
  figure.append(el("figcaption", { text: `${title}: ${points.length ? points[points.length - 1].toFixed(2) : "–"}` }));
  return figure;
}

// ---- Auth ----------------------------------------------------------------------------------

function showLogin() {
  $("#login").hidden = false;
  $('#login input[name="name"]').focus();
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const answer = await call("auth/authenticate", { name: form.name.value, password: form.password.value });
    token = answer.token;
    form.password.value = "";
    $("#login").hidden = true;
    $("#whoami").textContent = `Logged in as ${form.name.value}`;
    $("#logout").hidden = false;
    report(null);
    showRoot($("#search input").value);
  } catch (e) { report(e); }
}

function logout() {
  token = null;
  $("#whoami").textContent = "";
  $("#logout").hidden = true;
  $("#tree").replaceChildren();
  $("#detail").replaceChildren();
  showLogin();
}

// ---- Start ---------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => selectView(button.dataset.view));
  $("#search").addEventListener("submit", (e) => { e.preventDefault(); showRoot(e.target.prefix.value); });
  $("#tree").addEventListener("keydown", onTreeKey);
  $("#watch-form").addEventListener("submit", (e) => { e.preventDefault(); watchPrefix(e.target.prefix.value); });
  $("#watch-pause").addEventListener("click", (e) => { paused = !paused; e.target.setAttribute("aria-pressed", String(paused)); e.target.textContent = paused ? "Resume" : "Pause"; });
  $("#login-form").addEventListener("submit", login);
  $("#new-key").addEventListener("click", () => putKey(null, ""));
  $("#edit-form").addEventListener("submit", (e) => { e.preventDefault(); $("#edit-dialog").close("write"); });
  for (const button of document.querySelectorAll("dialog [data-close]")) {
    button.addEventListener("click", () => button.closest("dialog").close(button.dataset.close));
  }
  $("#logout").addEventListener("click", logout);
  showRoot("");
});
