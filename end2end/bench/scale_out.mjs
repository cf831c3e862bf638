// Scale-out (issue #11), side by side in one run on this machine:
//
// - Renkei on SQLite, one server (the default);
// - Renkei on PostgreSQL, one server;
// - Renkei on PostgreSQL, two servers over the same database (as behind a load balancer);
// - raw SQLite (Python sqlite3 `executemany`, WAL, synchronous=FULL) and raw PostgreSQL (`psql`,
//   one multi-row INSERT of 500 rows per transaction) storing the same rows: the plain
//   baselines for each backend.
//
// Ingest: 10,000 new people as two devices send them at once (two streams of 5,000 in pushes
// of 500; with two servers each stream goes to its own server). Round trip: 20 devices push 10
// mutations each at once, 50 times, over new connections (device n to server n mod servers):
// p50/p99. Rounds are interleaved and the median reported. PostgreSQL runs a throwaway cluster
// on a free port with its durable settings (fsync, synchronous_commit on). Everything runs on
// 127.0.0.1 and stops by itself.
//
//   node end2end/bench/scale_out.mjs [path/to/release/server] [rounds]

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, percentile, person, rawSqliteRound, request, roundTrips, uuidv7, waitFor } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const serverBin = process.argv[2] ?? join(root, "target/release/server");
const rounds = Number(process.argv[3] ?? 3);
const TOTAL = 10_000;
const BATCH = 500;
const dir = mkdtempSync(join(tmpdir(), "renkei-scale-bench-"));

// --- PostgreSQL: a throwaway durable cluster --------------------------------------------------
// Its own folder under the temp dir (pg.sh makes it for the postgres user, who cannot enter
// our 700 scratch folder).
const pgDir = join(tmpdir(), `renkei-scale-pg-${crypto.randomUUID()}`);
const started = spawnSync(join(root, "scripts/pg.sh"), ["start", pgDir], {
  encoding: "utf8", env: { ...process.env, RENKEI_PG_DURABLE: "1" }, stdio: ["ignore", "pipe", "inherit"] });
if (started.status !== 0) throw new Error("could not start PostgreSQL");
const pgUrl = started.stdout.trim();
const psql = (db, sql) => {
  const out = spawnSync("psql", [pgUrl.replace(/\/postgres$/, `/${db}`), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout;
};
for (const db of ["bench1", "bench2", "benchraw"]) psql("postgres", `CREATE DATABASE ${db}`);

// --- Renkei setups -------------------------------------------------------------------------------
const children = [];
async function setup(name, database, servers) {
  const ports = [];
  for (let n = 0; n < servers; n++) {
    const port = freePort();
    const args = ["--addr", `127.0.0.1:${port}`, "--database", database, "--demo-data", "--log", "warn"];
    if (database.startsWith("postgres")) {
      args.push("--audit-key", join(dir, `${name}.audit-key`), "--audit-anchors", join(dir, `${name}-${n}.anchors`));
    }
    children.push(spawn(serverBin, args, { stdio: "inherit" }));
    await waitFor(port); // one after the other: the first migrates
    ports.push(port);
  }
  const login = await request(ports[0], "POST", "/api/v1/auth/login", { login_id: "demo.city", password: "mihon-shi-2026" });
  if (login.status !== 200) throw new Error(`login ${login.status}`);
  const staff = { cookie: login.headers["set-cookie"][0].split(";")[0], "sec-fetch-site": "same-origin" };
  return { name, ports, staff };
}
const setups = [
  await setup("sqlite-1", join(dir, "renkei.sqlite3"), 1),
  await setup("postgres-1", pgUrl.replace(/\/postgres$/, "/bench1"), 1),
  await setup("postgres-2", pgUrl.replace(/\/postgres$/, "/bench2"), 2),
];

async function ingest(s, round) {
  const streams = [0, 1].map((stream) => {
    const replica = crypto.randomUUID();
    let seq = 0;
    const bodies = [];
    for (let b = 0; b < TOTAL / 2 / BATCH; b++) {
      const mutations = Array.from({ length: BATCH }, () => person(++seq, 7 + stream, `${round}-${stream}-${seq}`));
      bodies.push(JSON.stringify({ protocol: 1, replica, mutations }));
    }
    return { port: s.ports[stream % s.ports.length], bodies };
  });
  const t = performance.now();
  await Promise.all(streams.map(async ({ port, bodies }) => {
    for (const body of bodies) {
      const r = await request(port, "POST", "/api/v1/sync/push", body, s.staff);
      if (r.status !== 200) throw new Error(`${s.name} push ${r.status}: ${r.body.slice(0, 200)}`);
    }
  }));
  return TOTAL / ((performance.now() - t) / 1000);
}

async function deviceTrips(s) {
  const latencies = await roundTrips(s.ports, s.staff);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

// --- baselines -------------------------------------------------------------------------------------
function rawSqlite(round) {
  // The same kind of ids as Renkei gets (UUIDv7, time-ordered).
  return rawSqliteRound(join(dir, "raw.sqlite3"), round, Array.from({ length: TOTAL }, uuidv7), BATCH);
}

psql("benchraw", "CREATE TABLE people (id TEXT PRIMARY KEY, family_name TEXT, given_name TEXT, family_name_kana TEXT, given_name_kana TEXT, birth_date TEXT, category TEXT, owner_org TEXT, created_at_ms BIGINT)");
function rawPostgres(round) {
  const lines = [];
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const rows = Array.from({ length: BATCH }, (_, i) =>
      `('${uuidv7()}','見本','太郎${round}-${b * BATCH + i}','ミホン','タロウ','1990-04-01','youth','city',0)`);
    lines.push(`BEGIN; INSERT INTO people VALUES ${rows.join(",")}; COMMIT;`);
  }
  const file = join(dir, `raw-${round}.sql`);
  writeFileSync(file, lines.join("\n"));
  const t = performance.now();
  const out = spawnSync("psql", [pgUrl.replace(/\/postgres$/, "/benchraw"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], { encoding: "utf8" });
  const seconds = (performance.now() - t) / 1000;
  if (out.status !== 0) throw new Error(out.stderr);
  return TOTAL / seconds;
}

// --- run, interleaved -------------------------------------------------------------------------
const results = Object.fromEntries([...setups.map((s) => s.name), "raw SQLite", "raw PostgreSQL"].map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const s of setups) results[s.name].push(await ingest(s, round));
  results["raw SQLite"].push(rawSqlite(round));
  results["raw PostgreSQL"].push(rawPostgres(round));
}
const trips = {};
for (const s of setups) trips[s.name] = await deviceTrips(s);

for (const c of children) c.kill("SIGTERM");
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once("exit", r)))));
spawnSync(join(root, "scripts/pg.sh"), ["stop", pgDir], { stdio: "inherit" });
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString("en-US");
console.log(`ingest of ${TOTAL} people in two streams, pushes of ${BATCH}; medians of ${rounds} interleaved rounds`);
console.log("| setup | mutations/s | baseline rows/s | ratio | 20 devices p50 | p99 |");
console.log("|---|---|---|---|---|---|");
for (const s of setups) {
  const base = s.name.startsWith("sqlite") ? "raw SQLite" : "raw PostgreSQL";
  const m = median(results[s.name]), b = median(results[base]);
  console.log(`| ${s.name} | ${fmt(m)} | ${fmt(b)} (${base}) | ${(m / b).toFixed(2)}× | ${trips[s.name].p50.toFixed(1)} ms | ${trips[s.name].p99.toFixed(1)} ms |`);
}
console.log(`all rounds: ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(Math.round)])))}`);
