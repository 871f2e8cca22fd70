/**
 * Emmett's event stores on the workloads of bench/src/store.ts, printed in the same format, so the two can be read side
 * by side. Emmett is installed in this folder on its own (see package.json and .npmrc here), not as a workspace.
 *
 *   npm run bench:emmett                                  # from the repository root: install, then run
 *   node bench/emmett/run.mjs --w4 1000000                # W4 over a million events
 *
 * W1: 20,000 appends of one event with expected version over 2,000 streams, one writer.
 * W2: 100,000 events in batches of 100 per append.
 * W3: read and fold a 1,000-event stream, 200 times.
 * W4: read every event in global order and fold it (the W1–W3 events plus 100,000 by default), with peak memory,
 *     twice: through Emmett's consumer (a processor from the beginning, which stores a checkpoint per message, as
 *     Emmett's processors do) and through readMessagesBatch, the batch read the consumer pulls with (no checkpoint).
 *
 * SQLite: a temp file, WAL, one connection for the whole run (Emmett's `singleton` option; without it Emmett opens and
 * closes a connection per operation), synchronous=FULL as on a fresh file in our store's W1–W3.
 * PostgreSQL: database ntm_emmett_bench, dropped and created here; Emmett's migration runs before any timing.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { dumbo, single, sql } from "@event-driven-io/dumbo"
import { getPostgreSQLEventStore, readMessagesBatch as pgReadMessagesBatch } from "@event-driven-io/emmett-postgresql"
import { getSQLiteEventStore, readMessagesBatch, sqliteConnection } from "@event-driven-io/emmett-sqlite"
import pg from "pg"

const { values } = parseArgs({
  options: {
    w4: { type: "string", default: "100000" },
    pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/ntm_emmett_bench" }
  }
})
const w4Count = Number(values.w4)
const readBatch = 1000 // our readAll's page size
const data = (n) => ({ n, unit: "bac-giang/tan-yen", value: { _tag: "Percent", value: 52.4 } })
const ev = (n) => ({ type: "BenchEvent", data: data(n) })
const rate = (n, ms) => `${Math.round(n / (ms / 1000)).toLocaleString("en")}/s`
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MiB`
const results = []
const notes = []
const push = (who, what, ms, r) => results.push([who, what, `${ms.toFixed(0)} ms`, r])

const version = (name) =>
  JSON.parse(readFileSync(join(import.meta.dirname, "node_modules", name, "package.json"), "utf8")).version

/** W1–W3, the same loops as storeWorkloads in bench/src/store.ts. */
const storeWorkloads = async (name, store) => {
  // W1
  let t = performance.now()
  for (let i = 0; i < 20_000; i++) {
    await store.appendToStream(`w1-${i % 2000}`, [ev(i)], { expectedStreamVersion: BigInt(Math.floor(i / 2000)) })
  }
  const w1 = performance.now() - t
  // W2
  t = performance.now()
  for (let i = 0; i < 1000; i++) {
    await store.appendToStream(
      `w2-${i}`,
      Array.from({ length: 100 }, (_, k) => ev(k)),
      { expectedStreamVersion: 0n }
    )
  }
  const w2 = performance.now() - t
  // W3
  for (let i = 0; i < 10; i++)
    await store.appendToStream(
      "w3-stream",
      Array.from({ length: 100 }, (_, k) => ev(k)),
      { expectedStreamVersion: BigInt(i * 100) }
    )
  t = performance.now()
  let sum = 0
  let read = 0
  for (let i = 0; i < 200; i++) {
    const { events } = await store.readStream("w3-stream")
    for (const e of events) {
      sum += e.data.n
      read++
    }
  }
  const w3 = performance.now() - t
  if (read !== 200_000) throw new Error(`${name}: W3 read ${read} events, expected 200,000`)
  push(name, "W1 20k single appends", w1, rate(20_000, w1))
  push(name, "W2 100k in batches of 100", w2, rate(100_000, w2))
  push(name, "W3 read+fold 1k stream ×200", w3, rate(200_000, w3))
  return sum
}

/** W4 setup: w4Count more events in streams of 1,000, as in bench/src/store.ts. Not timed. */
const w4Setup = async (store) => {
  const batch = Array.from({ length: 1000 }, (_, k) => ev(k))
  for (let i = 0; i < w4Count / 1000; i++) await store.appendToStream(`w4-${i}`, batch, { expectedStreamVersion: 0n })
}

/** Times a read of the whole log; `run(onEvent)` must call onEvent once per event and resolve at the end. */
const timeReadAll = async (name, what, expected, run) => {
  global.gc?.()
  let peak = process.memoryUsage().rss
  let count = 0
  let sum = 0
  const t = performance.now()
  await run((e) => {
    sum += e.data.n
    count++
    if ((count & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss)
  })
  const ms = performance.now() - t
  peak = Math.max(peak, process.memoryUsage().rss)
  if (count !== expected) throw new Error(`${name}: ${what} read ${count} events, expected ${expected}`)
  push(name, `${what} (${count.toLocaleString("en")})`, ms, `${rate(count, ms)}, peak RSS ${mb(peak)}`)
  return sum
}

/** A stale expected version must be refused with Emmett's 412; the right one must still be accepted after it. */
const conflictCheck = async (name, store) => {
  const stream = "w1-0" // at version 10 after W1
  let code
  try {
    await store.appendToStream(stream, [ev(-1)], { expectedStreamVersion: 3n })
  } catch (e) {
    code = e?.errorCode
  }
  if (code !== 412) throw new Error(`${name}: a stale expected version was not refused with 412 (got ${code})`)
  try {
    await store.appendToStream(stream, [ev(-1)], { expectedStreamVersion: 10n })
    notes.push(`${name}: a stale expected version is refused (errorCode 412), and the stream stays appendable.`)
  } catch (e) {
    const { currentStreamVersion } = await store.readStream(stream)
    notes.push(
      `${name}: a stale expected version is refused (errorCode 412), but the next append at the right version ` +
        `(10) then fails too (${e?.errorCode ?? e?.message}); stream version read back: ${currentStreamVersion}.`
    )
  }
}

const sqlite = async () => {
  const name = "emmett SQLite"
  const dir = mkdtempSync(join(tmpdir(), "ntm-emmett-bench-"))
  const fileName = join(dir, "emmett.sqlite")
  const connection = sqliteConnection({ fileName }) // sets journal_mode = WAL
  await connection.command("PRAGMA synchronous = FULL")
  const store = getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } })
  await store.schema.migrate()
  const [{ journal_mode }] = await connection.query("PRAGMA journal_mode")
  const [{ synchronous }] = await connection.query("PRAGMA synchronous")
  if (journal_mode !== "wal" || synchronous !== 2)
    throw new Error(`${name}: journal_mode=${journal_mode}, synchronous=${synchronous}; expected wal and 2 (FULL)`)
  const [{ v }] = await connection.query("SELECT sqlite_version() AS v")
  notes.push(`${name}: SQLite ${v} through sqlite3 (node-sqlite3), journal_mode=wal, synchronous=FULL, one connection.`)

  await storeWorkloads(name, store)
  await w4Setup(store)
  const total = 20_000 + 100_000 + 1000 + w4Count
  // Emmett's readLastMessageGlobalPosition (0.42) orders ascending and returns the first position, not the last.
  const last = BigInt((await connection.querySingle("SELECT MAX(global_position) AS p FROM emt_messages")).p)

  await timeReadAll(name, "W4 consumer", total, async (onEvent) => {
    const consumer = store.consumer({ pulling: { batchSize: readBatch, pullingFrequencyInMs: 0 } })
    consumer.processor({
      processorId: "bench-w4",
      startFrom: "BEGINNING",
      eachMessage: (e) => onEvent(e),
      stopAfter: (e) => e.metadata.globalPosition === last
    })
    await consumer.start()
  })
  await timeReadAll(name, "W4 readMessagesBatch", total, async (onEvent) => {
    let after = 0n
    for (;;) {
      const batch = await readMessagesBatch(connection, { after, batchSize: readBatch })
      for (const e of batch.messages) onEvent(e)
      after = batch.currentGlobalPosition
      if (!batch.areEventsLeft) break
    }
  })

  await conflictCheck(name, store)
  connection.close()
  rmSync(dir, { recursive: true, force: true })
}

const postgresql = async () => {
  const name = "emmett PostgreSQL"
  const url = new URL(values.pg)
  const dbName = url.pathname.slice(1)
  const admin = new pg.Client({ connectionString: values.pg.replace(/\/[^/]*$/, "/postgres") })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${dbName}`)
  const [{ server_version }] = (await admin.query("SHOW server_version")).rows
  await admin.end()
  notes.push(`${name}: server ${server_version}, pg ${version("pg")} through Emmett's own pool (dumbo).`)

  const pool = dumbo({ connectionString: values.pg })
  const store = getPostgreSQLEventStore(values.pg, { connectionOptions: { dumbo: pool } })
  await store.schema.migrate()

  await storeWorkloads(name, store)
  await w4Setup(store)
  const total = 20_000 + 100_000 + 1000 + w4Count
  // Emmett's readLastMessageGlobalPosition (0.42) orders ascending and returns the first position, not the last.
  const last = BigInt((await single(pool.execute.query(sql("SELECT MAX(global_position) AS p FROM emt_messages")))).p)

  await timeReadAll(name, "W4 consumer", total, async (onEvent) => {
    const consumer = store.consumer({
      pulling: { batchSize: readBatch, pullingFrequencyInMs: 0 },
      stopWhen: { noMessagesLeft: true }
    })
    consumer.reactor({
      processorId: "bench-w4",
      startFrom: "BEGINNING",
      eachMessage: (e) => onEvent(e),
      stopAfter: (e) => e.metadata.globalPosition === last
    })
    await consumer.start()
  })
  await timeReadAll(name, "W4 readMessagesBatch", total, async (onEvent) => {
    let after = 0n
    for (;;) {
      const batch = await pgReadMessagesBatch(pool.execute, { after, batchSize: readBatch })
      for (const e of batch.messages) onEvent(e)
      after = batch.currentGlobalPosition
      if (!batch.areMessagesLeft) break
    }
  })

  await conflictCheck(name, store)
  await store.close()
}

const main = async () => {
  await sqlite()
  await postgresql()
  console.log(
    `Emmett event store benchmark (${process.platform} ${process.arch}, Node ${process.version}; ` +
      `emmett ${version("@event-driven-io/emmett")}, emmett-sqlite ${version("@event-driven-io/emmett-sqlite")}, ` +
      `emmett-postgresql ${version("@event-driven-io/emmett-postgresql")}, sqlite3 ${version("sqlite3")})`
  )
  for (const [who, what, ms, r] of results)
    console.log(`  ${who.padEnd(22)} ${what.padEnd(32)} ${ms.padStart(9)}  ${r}`)
  for (const note of notes) console.log(`  · ${note}`)
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
