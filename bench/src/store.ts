/**
 * Benchmark of the SQL event store against the raw driver doing the same inserts and reads with no event-store logic.
 *
 *   npm run bench:store                     # SQLite file and PostgreSQL
 *   npm run bench:store -- --w4 1000000     # W4 over a million events
 *   npm run bench:store -- --only sqlite    # one database only (sqlite or pg)
 *   npm run bench:store -- --pg <url>       # another PostgreSQL database (dropped and created)
 *
 * W1: 20,000 appends of one event with expected version over 2,000 streams, one writer.
 * W2: 100,000 events in batches of 100 per append.
 * W3: read and fold a 1,000-event stream, 200 times.
 * W4: read every event in global order and fold it (100,000 by default), with memory when the read starts (after a
 * garbage collection) and at its peak, sampled every 65,536 events; then an untimed read that collects garbage every
 * 100,000 events and reports the largest heap left: what the read keeps alive.
 * W5 (PostgreSQL): 4 concurrent writers on 100 shared streams for 10 s: successes, conflicts, and a check that
 * nothing was lost (every stream's versions contiguous, as many events as successful appends).
 * Plus verify-chain speed. The raw drivers also write W1 (pg) and W2 (better-sqlite3) into a table shaped like
 * ntm_events with the store's hashes: what the rows cost without the store's logic; and pg calls the store's
 * ntm_append for W1 as the store does, without Effect. Emmett's figures come from
 * `npm run bench:emmett`.
 */

import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import * as PgClient from "@effect/sql-pg/PgClient"
import { EventStore } from "@ntm/core"
import { HashChain, PgEventStore, SqlEventStore, SqliteEventStore } from "@ntm/sql"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import pg from "pg"

const { values } = parseArgs({
  options: {
    w4: { type: "string", default: "100000" },
    pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/ntm_bench" },
    only: { type: "string" }
  }
})
const runSqlite = values.only === undefined || values.only === "sqlite"
const runPg = values.only === undefined || values.only === "pg"
const w4Count = Number(values.w4)
const data = (n: number) => ({ n, unit: "bac-giang/tan-yen", value: { _tag: "Percent", value: 52.4 } })
const ev = (n: number): EventStore.EventData => ({ type: "BenchEvent", version: 1, data: data(n) })
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en")}/s`
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`
const results: Array<[string, string, string, string]> = []
const recordedAt = Date.now()
/** The columns of ntm_events (SQLite spelling), for the raw drivers' "store's table" rows. */
const storeColumns = `position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, stream_version INTEGER NOT NULL,
  type TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, recorded_at BIGINT NOT NULL, hash TEXT,
  stream_hash TEXT, UNIQUE (stream, stream_version)`
const time = async <A>(f: () => Promise<A>): Promise<[A, number]> => {
  const t = performance.now()
  const a = await f()
  return [a, performance.now() - t]
}

const storeWorkloads = (name: string, layer: Layer.Layer<EventStore.EventStore | unknown, unknown>, prefix: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e as Effect.Effect<A, never>)
    // W1
    let t = performance.now()
    for (let i = 0; i < 20_000; i++) {
      yield* store.append(`${prefix}w1-${i % 2000}`, Math.floor(i / 2000), [ev(i)])
    }
    const w1 = performance.now() - t
    // W2
    t = performance.now()
    for (let i = 0; i < 1000; i++) {
      yield* store.append(
        `${prefix}w2-${i}`,
        0,
        Array.from({ length: 100 }, (_, k) => ev(k))
      )
    }
    const w2 = performance.now() - t
    // W3
    for (let i = 0; i < 10; i++)
      yield* store.append(
        `${prefix}w3`,
        i * 100,
        Array.from({ length: 100 }, (_, k) => ev(k))
      )
    t = performance.now()
    let sum = 0
    for (let i = 0; i < 200; i++)
      for (const e of yield* store.readStream(`${prefix}w3`)) sum += (e.data as { n: number }).n
    const w3 = performance.now() - t
    void run
    results.push([name, "W1 20k single appends", `${w1.toFixed(0)} ms`, rate(20_000, w1)])
    results.push([name, "W2 100k in batches of 100", `${w2.toFixed(0)} ms`, rate(100_000, w2)])
    results.push([name, "W3 read+fold 1k stream ×200", `${w3.toFixed(0)} ms`, rate(200_000, w3)])
    return sum
  }).pipe(Effect.provide(layer as Layer.Layer<EventStore.EventStore>))

const w4 = (name: string, layer: Layer.Layer<EventStore.EventStore | unknown, unknown>, prefix: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const batch = Array.from({ length: 1000 }, (_, k) => ev(k))
    for (let i = 0; i < w4Count / 1000; i++) yield* store.append(`${prefix}w4-${i}`, 0, batch)
    global.gc?.()
    const start = process.memoryUsage()
    let peak = start.rss
    let peakHeap = start.heapUsed
    const t = performance.now()
    let count = 0
    yield* Stream.runForEach(store.readAll(), () =>
      Effect.sync(() => {
        count++
        if ((count & 0xffff) === 0) {
          const m = process.memoryUsage()
          peak = Math.max(peak, m.rss)
          peakHeap = Math.max(peakHeap, m.heapUsed)
        }
      })
    )
    const ms = performance.now() - t
    results.push([
      name,
      `W4 read all (${count.toLocaleString("en")})`,
      `${ms.toFixed(0)} ms`,
      `${rate(count, ms)}, RSS ${mb(start.rss)} at start, peak ${mb(peak)}; heap ${mb(start.heapUsed)}, peak ${mb(peakHeap)}`
    ])
    // What the read keeps alive, apart from garbage not yet collected: a second, untimed read with a full garbage
    // collection every 100,000 events (only with --expose-gc).
    if (global.gc !== undefined) {
      const gc = global.gc
      let seen = 0
      let live = 0
      yield* Stream.runForEach(store.readAll(), () =>
        Effect.sync(() => {
          if (++seen % 100_000 === 0) {
            gc()
            live = Math.max(live, process.memoryUsage().heapUsed)
          }
        })
      )
      results.push([name, "W4 again, heap after each GC", "", `at most ${mb(live)} (${mb(start.heapUsed)} at start)`])
    }
    const [v, vms] = yield* Effect.promise(() =>
      time(() => Effect.runPromise(SqlEventStore.verify().pipe(Effect.provide(layer as never)) as never))
    )
    results.push([name, "verify chain", `${vms.toFixed(0)} ms`, `${rate((v as { checked: number }).checked, vms)}`])
  }).pipe(Effect.provide(layer as Layer.Layer<EventStore.EventStore>))

const w5 = (layer: Layer.Layer<EventStore.EventStore | unknown, unknown>, prefix: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const streams = Array.from({ length: 100 }, (_, i) => `${prefix}w5-${i}`)
    const until = Date.now() + 10_000
    let ok = 0
    let conflicts = 0
    const writer = (_writer: number) =>
      Effect.gen(function* () {
        let k = 0
        while (Date.now() < until) {
          k++
          const s = streams[Math.floor(Math.random() * streams.length)]!
          const version = (yield* store.readStream(s)).length
          const r = yield* Effect.either(store.append(s, version, [ev(k)]))
          if (r._tag === "Right") ok++
          else if (r.left._tag === "StreamVersionConflict") conflicts++
          else return yield* Effect.fail(r.left)
        }
      })
    yield* Effect.all([0, 1, 2, 3].map(writer), { concurrency: "unbounded" })
    let total = 0
    let contiguous = true
    for (const s of streams) {
      const xs = yield* store.readStream(s)
      total += xs.length
      if (!xs.every((e, i) => e.streamVersion === i + 1)) contiguous = false
    }
    results.push([
      "@ntm/sql PostgreSQL",
      "W5 4 writers × 10 s, 100 streams",
      `${ok} ok`,
      `${conflicts} conflicts; ${total} stored, ${total === ok && contiguous ? "nothing lost, versions contiguous" : "MISMATCH"}`
    ])
  }).pipe(Effect.provide(layer as Layer.Layer<EventStore.EventStore>))

const rawSqlite = (file: string) => {
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  // As the store: a commit on disk before it is acknowledged.
  db.pragma("synchronous = FULL")
  db.exec("CREATE TABLE raw (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT, v INTEGER, type TEXT, data TEXT)")
  const ins = db.prepare("INSERT INTO raw (stream, v, type, data) VALUES (?, ?, ?, ?)")
  let t = performance.now()
  for (let i = 0; i < 20_000; i++)
    ins.run(`w1-${i % 2000}`, Math.floor(i / 2000) + 1, "BenchEvent", JSON.stringify(data(i)))
  results.push([
    "raw better-sqlite3",
    "W1 20k single inserts",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(20_000, performance.now() - t)
  ])
  const many = db.transaction((s: string) => {
    for (let k = 0; k < 100; k++) ins.run(s, k + 1, "BenchEvent", JSON.stringify(data(k)))
  })
  t = performance.now()
  for (let i = 0; i < 1000; i++) many(`w2-${i}`)
  results.push([
    "raw better-sqlite3",
    "W2 100k in transactions of 100",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(100_000, performance.now() - t)
  ])
  // The same W2 into a table shaped like ntm_events (its two indexes and hash columns), each row with the store's
  // three SHA-256 (HashChain): what the rows alone cost, with no event-store logic (no reads, no check, no Effect).
  db.exec(`CREATE TABLE events (${storeColumns}); CREATE INDEX events_recorded_at ON events (recorded_at)`)
  const insEvent = db.prepare(
    "INSERT INTO events (stream, stream_version, type, version, data, recorded_at, hash, stream_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
  )
  let tip = HashChain.genesis
  let position = 0
  const manyEvents = db.transaction((s: string) => {
    let streamTip = HashChain.genesis
    for (let k = 0; k < 100; k++) {
      const d = JSON.stringify(data(k))
      const content = HashChain.contentHash(s, "BenchEvent", 1, recordedAt, d)
      tip = HashChain.chainHash(tip, ++position, content)
      streamTip = HashChain.chainHash(streamTip, k + 1, content)
      insEvent.run(s, k + 1, "BenchEvent", 1, d, recordedAt, tip, streamTip)
    }
  })
  t = performance.now()
  for (let i = 0; i < 1000; i++) manyEvents(`w2-${i}`)
  results.push([
    "raw better-sqlite3",
    "W2 same, store's table + hashes",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(100_000, performance.now() - t)
  ])
  const sel = db.prepare("SELECT * FROM raw WHERE stream = ? ORDER BY v")
  for (let i = 0; i < 10; i++) many("w3")
  t = performance.now()
  let sum = 0
  for (let i = 0; i < 200; i++) for (const r of sel.all("w3") as Array<{ data: string }>) sum += JSON.parse(r.data).n
  results.push([
    "raw better-sqlite3",
    "W3 read+parse 1k rows ×200",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(200_000, performance.now() - t)
  ])
  for (let i = 0; i < w4Count / 100; i++) many(`w4-${i}`)
  t = performance.now()
  let count = 0
  for (const r of db.prepare("SELECT * FROM raw ORDER BY position").iterate() as Iterable<{ data: string }>) {
    JSON.parse(r.data)
    count++
  }
  results.push([
    "raw better-sqlite3",
    `W4 read all (${count.toLocaleString("en")})`,
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(count, performance.now() - t)
  ])
  db.close()
  return sum
}

const rawPg = async (url: string) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(
    "DROP TABLE IF EXISTS raw; CREATE TABLE raw (position BIGSERIAL PRIMARY KEY, stream TEXT, v INT, type TEXT, data TEXT)"
  )
  let t = performance.now()
  for (let i = 0; i < 20_000; i++) {
    await client.query("INSERT INTO raw (stream, v, type, data) VALUES ($1, $2, $3, $4)", [
      `w1-${i % 2000}`,
      Math.floor(i / 2000) + 1,
      "BenchEvent",
      JSON.stringify(data(i))
    ])
  }
  results.push([
    "raw pg",
    "W1 20k single inserts",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(20_000, performance.now() - t)
  ])
  // The same W1 into a table shaped like ntm_events with the store's hashes: no lock, no reads, no check.
  await client.query(
    `DROP TABLE IF EXISTS raw_events; CREATE TABLE raw_events (${storeColumns.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")});
    CREATE INDEX raw_events_recorded_at ON raw_events (recorded_at)`
  )
  let tip = HashChain.genesis
  t = performance.now()
  for (let i = 0; i < 20_000; i++) {
    const s = `w1-${i % 2000}`
    const version = Math.floor(i / 2000) + 1
    const d = JSON.stringify(data(i))
    const content = HashChain.contentHash(s, "BenchEvent", 1, recordedAt, d)
    tip = HashChain.chainHash(tip, i + 1, content)
    await client.query(
      "INSERT INTO raw_events (stream, stream_version, type, version, data, recorded_at, hash, stream_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [s, version, "BenchEvent", 1, d, recordedAt, tip, HashChain.chainHash(tip, version, content)]
    )
  }
  results.push([
    "raw pg",
    "W1 same, store's table + hashes",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(20_000, performance.now() - t)
  ])
  // The same W1 through ntm_append, with the payload the store sends: the function's cost without Effect.
  t = performance.now()
  for (let i = 0; i < 20_000; i++) {
    const s = `fn-w1-${i % 2000}`
    const d = JSON.stringify(data(i))
    const writes = [
      {
        stream: s,
        expected: Math.floor(i / 2000),
        events: [
          { type: "BenchEvent", version: 1, data: d, content: HashChain.contentHash(s, "BenchEvent", 1, recordedAt, d) }
        ]
      }
    ]
    await client.query("SELECT ntm_append($1::jsonb, $2::text, $3::bigint) AS r", [
      JSON.stringify(writes),
      null,
      recordedAt
    ])
  }
  results.push([
    "raw pg",
    "W1 same, calling ntm_append",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(20_000, performance.now() - t)
  ])
  const batch = async (s: string, n: number) => {
    await client.query("BEGIN")
    for (let k = 0; k < n; k++)
      await client.query("INSERT INTO raw (stream, v, type, data) VALUES ($1, $2, $3, $4)", [
        s,
        k + 1,
        "BenchEvent",
        JSON.stringify(data(k))
      ])
    await client.query("COMMIT")
  }
  t = performance.now()
  for (let i = 0; i < 1000; i++) await batch(`w2-${i}`, 100)
  results.push([
    "raw pg",
    "W2 100k in transactions of 100",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(100_000, performance.now() - t)
  ])
  await batch("w3", 1000)
  t = performance.now()
  for (let i = 0; i < 200; i++)
    for (const r of (await client.query("SELECT * FROM raw WHERE stream = 'w3' ORDER BY v")).rows) JSON.parse(r.data)
  results.push([
    "raw pg",
    "W3 read+parse 1k rows ×200",
    `${(performance.now() - t).toFixed(0)} ms`,
    rate(200_000, performance.now() - t)
  ])
  await client.end()
}

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "ntm-bench-"))
  const prefix = `b${Date.now()}-`
  // The store's own client: WAL, synchronous FULL (its default, stated in docs/storage.md), BEGIN IMMEDIATE.
  const sqliteLayer = () =>
    SqlEventStore.layer.pipe(
      Layer.provideMerge(SqliteEventStore.layerClient({ filename: join(dir, "store.sqlite"), synchronous: "full" }))
    )
  const pgLayer = () => SqlEventStore.layer.pipe(Layer.provideMerge(PgClient.layer({ url: Redacted.make(values.pg) })))
  if (runSqlite) {
    await Effect.runPromise(storeWorkloads("@ntm/sql SQLite file", sqliteLayer() as never, prefix) as never)
    await Effect.runPromise(w4("@ntm/sql SQLite file", sqliteLayer() as never, prefix) as never)
    rawSqlite(join(dir, "raw.sqlite"))
  }
  if (runPg) {
    // A database of its own for the PostgreSQL runs.
    const admin = new pg.Client({ connectionString: values.pg.replace(/\/[^/]*$/, "/test") })
    await admin.connect()
    const dbName = new URL(values.pg).pathname.slice(1)
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${dbName}`)
    await admin.end()
    await Effect.runPromise(storeWorkloads("@ntm/sql PostgreSQL", pgLayer() as never, prefix) as never)
    await Effect.runPromise(w4("@ntm/sql PostgreSQL", pgLayer() as never, prefix) as never)
    await Effect.runPromise(w5(pgLayer() as never, prefix) as never)
    await rawPg(values.pg)
  }
  void PgEventStore
  console.log(`Event store benchmark (${process.platform} ${process.arch}, Node ${process.version})`)
  if (runSqlite) console.log("  SQLite: WAL, synchronous=FULL (the store's and the raw driver's)")
  for (const [who, what, ms, r] of results)
    console.log(`  ${who.padEnd(22)} ${what.padEnd(32)} ${ms.padStart(9)}  ${r}`)
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
