// What the sync benchmarks share: an HTTP client on 127.0.0.1 over keep-alive connections,
// waiting for a server to answer, record ids as the app makes them (UUIDv7, time-ordered:
// app/src/domain/ids.rs), a new person as a device's put mutation, a free port.

import { spawnSync } from "node:child_process";
import http from "node:http";

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function request(port, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    const req = http.request({ host: "127.0.0.1", port, method, path, agent: headers.agent ?? agent,
      headers: { "content-type": "application/json", ...(data ? { "content-length": data.length } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

export async function waitFor(port) {
  for (let i = 0; i < 300; i++) {
    try { if ((await request(port, "GET", "/healthz")).status < 500) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answered on ${port}`);
}

let lastMs = 0, lastCounter = 0;
export function uuidv7() {
  const ms = Math.max(Date.now(), lastMs);
  lastCounter = ms === lastMs ? lastCounter + 1 : 0;
  lastMs = ms;
  const b = crypto.getRandomValues(new Uint8Array(16));
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  b[6] = 0x70 | ((lastCounter >> 8) & 0x0f); b[7] = lastCounter & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let stamp = Date.now();
/** A new person as a device pushes it; `newId` makes its id (UUIDv7 unless told). */
export function person(seq, node, tag, newId = uuidv7) {
  const s = { wall_ms: stamp++, counter: 0, node };
  const w = (field, value) => ({ field, value, stamp: s, base: null });
  return { seq, kind: "person", id: newId(), op: { type: "put", fields: [
    w("family_name", "見本"), w("given_name", `太郎${tag}`), w("family_name_kana", "ミホン"),
    w("given_name_kana", "タロウ"), w("birth_date", "1990-04-01"), w("category", "youth")] } };
}

export const freePort = () => 20000 + Math.floor(Math.random() * 20000);

/** Raw SQLite, the strongest plain baseline: Python's sqlite3 `executemany` of `batch` rows
 *  per transaction, WAL and synchronous=FULL, the given ids; rows/s. */
export function rawSqliteRound(file, round, ids, batch) {
  const total = ids.length;
  const script = `
import sqlite3, time, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, family_name TEXT, given_name TEXT, family_name_kana TEXT, given_name_kana TEXT, birth_date TEXT, category TEXT, owner_org TEXT, created_at_ms INTEGER)")
ids = iter(sys.stdin.read().split())
batches = [[(next(ids), "見本", "太郎%d-%d" % (${round}, b * ${batch} + i), "ミホン", "タロウ", "1990-04-01", "youth", "city", 0) for i in range(${batch})] for b in range(${total / batch})]
t = time.perf_counter()
for rows in batches:
    db.execute("BEGIN")
    db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
print(${total} / (time.perf_counter() - t))
`;
  const out = spawnSync("python3", ["-c", script, file], { encoding: "utf8", input: ids.join("\n") });
  if (out.status !== 0) throw new Error(out.stderr);
  return Number(out.stdout.trim());
}

/** 20 devices push 10 new people each at once, 50 times, over new connections (device n to
 *  ports[n mod ports]), ids made by `newId`; the round trips in ms, sorted. */
export async function roundTrips(ports, staff, newId = uuidv7) {
  const latencies = [];
  const devices = Array.from({ length: 20 }, () => ({ replica: crypto.randomUUID(), seq: 0 }));
  for (let wave = 0; wave < 50; wave++) {
    await Promise.all(devices.map(async (d, n) => {
      const mutations = Array.from({ length: 10 }, () => person(++d.seq, 100 + n, `d${n}-${d.seq}`, newId));
      const t = performance.now();
      const r = await request(ports[n % ports.length], "POST", "/api/v1/sync/push",
        { protocol: 1, replica: d.replica, mutations }, { ...staff, agent: false, connection: "close" });
      latencies.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`push ${r.status}`);
    }));
  }
  return latencies.sort((a, b) => a - b);
}

/** The p-th fraction of sorted values. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
