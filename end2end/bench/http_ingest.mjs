// Ingest over HTTP, side by side in one run on this machine (issue #10):
//
// - Renkei: the release server on a scratch SQLite file, 10,000 new people pushed in batches of
//   500 over one keep-alive connection (each push: admission by number and content, merge,
//   intake rules, `people` projection, audit trail, outcomes; answered after COMMIT).
// - Raw SQLite: Python's sqlite3 with the same durability (WAL, synchronous=FULL), one
//   `executemany` of 500 rows per transaction — the strongest plain baseline.
// - PouchDB-server: express-pouchdb over pouchdb-node (LevelDB on disk), `_bulk_docs` of 500.
//
// Rounds are interleaved (R, S, P, R, S, P, …) and the median of each is reported with the
// ratios. Then 20 devices push 10 mutations each at once, 50 times, over new connections:
// p50/p99 of a push round trip. Then a full pull of 10,000 records (time, bytes) and the bytes
// the database holds per record. Everything runs on 127.0.0.1 and stops by itself.
//
// Record ids are UUIDv7, as the app makes them (time-ordered: new rows go to the end of each
// index); IDS=v4 sends random ids instead (every push touches pages all over each index — the
// same ids go to all three systems). Run both; docs/benchmarks.md has both.
//
//   [IDS=v4] node end2end/bench/http_ingest.mjs [path/to/release/server] [rounds]
//
// Exits 1 when Renkei is below 30,000 mutations/s or the p99 is 50 ms or more.

import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { agent, freePort, percentile, person as makePerson, rawSqliteRound, request, roundTrips, uuidv7, waitFor } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const serverBin = process.argv[2] ?? join(here, "../../target/release/server");
const rounds = Number(process.argv[3] ?? 3);
const TOTAL = 10_000;
const BATCH = 500;
const dir = mkdtempSync(join(tmpdir(), "renkei-http-bench-"));
const IDS = process.env.IDS === "v4" ? "v4" : "v7";
const newId = IDS === "v4" ? () => crypto.randomUUID() : uuidv7;
const person = (seq, node, tag) => makePerson(seq, node, tag, newId);

// --- Renkei ---------------------------------------------------------------------------------
const renkeiPort = freePort();
const server = spawn(serverBin, ["--addr", `127.0.0.1:${renkeiPort}`, "--database", join(dir, "renkei.sqlite3"), "--demo-data", "--log", "warn"], { stdio: "inherit" });
await waitFor(renkeiPort);
const login = await request(renkeiPort, "POST", "/api/v1/auth/login", { login_id: "demo.city", password: "mihon-shi-2026" });
const cookie = login.headers["set-cookie"][0].split(";")[0];
const staff = { cookie, "sec-fetch-site": "same-origin" };

async function renkeiRound(round) {
  const replica = crypto.randomUUID();
  const pushes = [];
  let seq = 0;
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const mutations = Array.from({ length: BATCH }, () => person(++seq, 7, `${round}-${seq}`));
    pushes.push(JSON.stringify({ protocol: 1, replica, mutations }));
  }
  const t = performance.now();
  for (const body of pushes) {
    const r = await request(renkeiPort, "POST", "/api/v1/sync/push", body, staff);
    if (r.status !== 200) throw new Error(`push ${r.status}: ${r.body.slice(0, 200)}`);
  }
  return TOTAL / ((performance.now() - t) / 1000);
}

// --- raw SQLite (Python sqlite3 executemany, WAL, synchronous=FULL) --------------------------
function sqliteRound(round) {
  return rawSqliteRound(join(dir, "raw.sqlite3"), round, Array.from({ length: TOTAL }, newId), BATCH);
}

// --- PouchDB-server (express-pouchdb, LevelDB) ----------------------------------------------
const pouchPort = freePort();
let pouch = null;
try {
  const require = createRequire(join(here, "pouchdb/package.json"));
  const express = require("express");
  const PouchDB = require("pouchdb-node").defaults({ prefix: join(dir, "pouch-") });
  const app = express();
  app.use("/", require("express-pouchdb")(PouchDB, { logPath: join(dir, "pouch.log"), mode: "minimumForPouchDB" }));
  pouch = app.listen(pouchPort, "127.0.0.1");
  await new Promise((r) => pouch.once("listening", r));
  await request(pouchPort, "PUT", "/people");
} catch (e) {
  console.error(`PouchDB-server not available (npm install in ${join(here, "pouchdb")}): ${e.message}`);
}

async function pouchRound(round) {
  const bodies = [];
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const docs = Array.from({ length: BATCH }, (_, i) => ({ _id: newId(), family_name: "見本",
      given_name: `太郎${round}-${b * BATCH + i}`, family_name_kana: "ミホン", given_name_kana: "タロウ",
      birth_date: "1990-04-01", category: "youth" }));
    bodies.push(JSON.stringify({ docs }));
  }
  const t = performance.now();
  for (const body of bodies) {
    const r = await request(pouchPort, "POST", "/people/_bulk_docs", body);
    if (r.status !== 201) throw new Error(`bulk_docs ${r.status}: ${r.body.slice(0, 200)}`);
  }
  return TOTAL / ((performance.now() - t) / 1000);
}

const results = { renkei: [], sqlite: [], pouchdb: [] };
for (let round = 0; round < rounds; round++) {
  results.renkei.push(await renkeiRound(round));
  results.sqlite.push(sqliteRound(round));
  if (pouch) results.pouchdb.push(await pouchRound(round));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- 20 devices at once, 10 mutations per push, a new connection each --------------------------
const latencies = await roundTrips([renkeiPort], staff, newId);

// --- a full pull of 10,000 records as a laptop makes it (pages of the largest size) --------------
let pulled = 0, pullBytes = 0, after = 0, epoch = "";
const pullStart = performance.now();
while (pulled < TOTAL) {
  const r = await request(renkeiPort, "GET", `/api/v1/sync/pull?protocol=1&after=${after}&limit=500${epoch}`, undefined, staff);
  if (r.status !== 200) throw new Error(`pull ${r.status}`);
  const page = JSON.parse(r.body);
  if (page.records.length === 0) break;
  pulled += page.records.length; pullBytes += Buffer.byteLength(r.body);
  after = page.cursor; epoch = `&epoch=${page.epoch}`;
}
const pullMs = performance.now() - pullStart;
const pct = (p) => percentile(latencies, p);

server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
// Bytes the database holds per pushed person (record, read table, audit, outcomes, indexes).
const stored = spawnSync("python3", ["-c", `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT COUNT(*) FROM sync_records").fetchone()[0]
pages = dict(db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
state = db.execute("SELECT AVG(LENGTH(state)) FROM sync_records").fetchone()[0]
print(round(sum(pages.values()) / n), round(pages["sync_records"] / n), round(state))
`, join(dir, "renkei.sqlite3")], { encoding: "utf8" }).stdout.trim().split(" ").map(Number);
pouch?.close();
agent.destroy();
const r = median(results.renkei), s = median(results.sqlite), p = pouch ? median(results.pouchdb) : NaN;
const fmt = (x) => Math.round(x).toLocaleString("en");
console.log(`rounds: ${rounds}, ${TOTAL} records in batches of ${BATCH}`);
console.log(`Renkei over HTTP        ${fmt(r)} mutations/s  (rounds ${results.renkei.map(fmt).join(" / ")})`);
console.log(`raw SQLite executemany  ${fmt(s)} rows/s       (rounds ${results.sqlite.map(fmt).join(" / ")}) → Renkei at ${(r / s).toFixed(2)}×`);
if (pouch) console.log(`PouchDB-server          ${fmt(p)} docs/s       (rounds ${results.pouchdb.map(fmt).join(" / ")}) → Renkei at ${(r / p).toFixed(2)}×`);
console.log(`20 devices × 10 mutations at once, ${latencies.length} pushes: p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms`);
console.log(`full pull of ${pulled} records: ${Math.round(pullMs)} ms, ${fmt(pullBytes)} bytes (${Math.round(pullBytes / pulled)} B per record, uncompressed)`);
console.log(`stored per record: ${stored[0]} B in all (sync_records ${stored[1]} B, state ${stored[2]} B)`);
console.log(`record ids: ${IDS === "v7" ? "UUIDv7 as the app makes them" : "random UUIDv4 (IDS=v4)"}`);
const ok = r >= 30_000 && pct(0.99) < 50;
console.log(ok ? "targets met" : "BELOW TARGET (30,000 mutations/s, p99 < 50 ms)");
process.exit(ok ? 0 : 1);
