/**
 * The SQLite store's settings and its writers: durable commits by default, and writers in several processes on one
 * file that wait their turn instead of failing.
 */
import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as SqlEventStore from "../src/SqlEventStore.js"
import * as SqliteEventStore from "../src/SqliteEventStore.js"

const script = fileURLToPath(new URL("../dist/test/fixtures/concurrentWriter.js", import.meta.url))

const tempFile = () => join(mkdtempSync(join(tmpdir(), "ntm-sqlite-")), "events.sqlite")

const pragma = (name: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<Record<string, number>>(`PRAGMA ${name}`)).pipe(
    Effect.map((rows) => Object.values(rows[0]!)[0])
  )

/** Runs a child writer to completion: its exit code, what it printed, and what it said on standard error. */
const writer = (file: string, shared: string, own: string, count: number) =>
  Effect.async<{ readonly code: number | null; readonly out: string; readonly err: string }>((resume) => {
    const child = spawn(process.execPath, [script, file, shared, own, String(count)], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString()
    })
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString()
    })
    child.on("exit", (code) => resume(Effect.succeed({ code, out, err })))
  })

describe("SQLite store", () => {
  it.effect("commits are on disk before they are acknowledged (synchronous FULL) unless relaxed to NORMAL", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const full = SqliteEventStore.layerClient({ filename: file })
      expect(yield* Effect.provide(pragma("synchronous"), full)).toBe(2)
      // The driver alone, on a file already in WAL mode (any start but the first), runs at NORMAL: an acknowledged
      // commit may be lost on a power cut.
      expect(yield* Effect.provide(pragma("synchronous"), SqliteClient.layer({ filename: file }))).toBe(1)
      expect(yield* Effect.provide(pragma("synchronous"), full)).toBe(2)
      expect(yield* Effect.provide(pragma("journal_mode"), full)).toBe("wal")
      expect(yield* Effect.provide(pragma("busy_timeout"), full)).toBe(5000)
      const relaxed = SqliteEventStore.layerClient({ filename: file, synchronous: "normal", busyTimeout: "2 seconds" })
      expect(yield* Effect.provide(pragma("synchronous"), relaxed)).toBe(1)
      expect(yield* Effect.provide(pragma("busy_timeout"), relaxed)).toBe(2000)
    })
  )

  it.effect("a transaction holds the write lock from its start, so another writer cannot make its read stale", () =>
    Effect.gen(function* () {
      const file = tempFile()
      yield* Effect.provide(
        Effect.flatMap(EventStore.EventStore, (s) => s.append("setup", 0, [{ type: "T", version: 1, data: {} }])),
        SqliteEventStore.layer({ filename: file })
      )
      // Another process's connection, which does not wait for a lock.
      const other = new Database(file, { timeout: 0 })
      const otherWrites = () =>
        other.prepare("INSERT INTO ntm_snapshots (name, position, data) VALUES (?, 0, '{}')").run(randomUUID())
      /** Reads inside a transaction, lets the other connection try to write, then writes. */
      const readThenWrite = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`SELECT COUNT(*) AS n FROM ntm_events`
            const blocked = Effect.try(otherWrites).pipe(
              Effect.match({ onFailure: (e) => String((e.error as { code?: unknown }).code), onSuccess: () => "wrote" })
            )
            const theirs = yield* blocked
            yield* sql`INSERT INTO ntm_snapshots (name, position, data) VALUES (${randomUUID()}, 0, '{}')`
            return theirs
          })
        )
      }).pipe(
        Effect.match({
          onFailure: (e) => `failed: ${String((e.cause as { code?: unknown }).code)}`,
          onSuccess: (x) => x
        })
      )
      // The driver's plain BEGIN: the other writer gets in after the read, and the write fails on the stale snapshot.
      const plain = yield* Effect.provide(readThenWrite, SqliteClient.layer({ filename: file }))
      expect(plain).toBe("failed: SQLITE_BUSY_SNAPSHOT")
      // The store's client: BEGIN IMMEDIATE holds the lock, the other writer waits (here: is told to), ours commits.
      const immediate = yield* Effect.provide(readThenWrite, SqliteEventStore.layerClient({ filename: file }))
      expect(immediate).toBe("SQLITE_BUSY")
      other.close()
    })
  )

  it.effect(
    "an append that finds the file locked past the busy timeout fails as the store's error, writing nothing",
    () => {
      const file = tempFile()
      return Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const append = (stream: string) => store.append(stream, 0, [{ type: "T", version: 1, data: {} }])
        const other = new Database(file, { timeout: 0 })
        other.exec("BEGIN IMMEDIATE")
        const stream = `locked-${randomUUID()}`
        const refused = yield* Effect.flip(append(stream))
        expect(refused._tag).toBe("EventStoreError")
        expect(refused.message).toContain("write lock")
        other.exec("ROLLBACK")
        other.close()
        // Nothing was written, and once the lock is free the same append goes through.
        expect(yield* store.readStream(stream)).toEqual([])
        expect(yield* append(stream)).toMatchObject({ streamVersion: 1 })
      }).pipe(Effect.provide(SqliteEventStore.layer({ filename: file, busyTimeout: 0 })))
    }
  )

  it.live(
    "three processes appending to one file at once: every append succeeds and every expected version holds",
    () =>
      Effect.gen(function* () {
        const file = tempFile()
        const shared = `shared-${randomUUID()}`
        const count = 100
        const owners = [0, 1, 2].map((i) => `own-${i}-${randomUUID()}`)
        const runs = yield* Effect.all(
          owners.map((own) => writer(file, shared, own, count)),
          { concurrency: "unbounded" }
        )
        for (const r of runs) {
          expect(r.err).toBe("")
          expect(r.code).toBe(0)
          expect(JSON.parse(r.out).failures).toEqual([])
        }
        const read = yield* Effect.provide(
          Effect.flatMap(EventStore.EventStore, (s) =>
            Effect.all([s.readStream(shared), ...owners.map((o) => s.readStream(o))])
          ),
          SqliteEventStore.layer({ filename: file })
        )
        const [all, ...own] = read
        expect(all!.map((e) => e.streamVersion)).toEqual(all!.map((_, i) => i + 1))
        expect(new Set(all!.map((e) => JSON.stringify(e.data))).size).toBe(3 * count)
        for (const o of own) expect(o.map((e) => e.streamVersion)).toEqual(o.map((_, i) => i + 1))
        for (const o of own) expect(o.length).toBe(count)
        const sql = yield* Effect.provide(
          Effect.flatMap(SqlClient.SqlClient, (s) => s`SELECT COUNT(*) AS n FROM ntm_events`),
          SqliteClient.layer({ filename: file })
        )
        expect(Number((sql[0] as { n: number }).n)).toBe(6 * count)
        // The chain is whole: no append drew a position or a hash from a stale read.
        const verified = yield* Effect.provide(SqlEventStore.verify(), SqliteClient.layer({ filename: file }))
        expect(verified.broken).toBeUndefined()
        expect(verified.checked).toBe(6 * count)
      }),
    120_000
  )
})
