/**
 * The core's `EventStore` port on `@effect/sql`, driver-agnostic: the dialect is chosen by the layer that provides
 * the `SqlClient` (see `SqliteEventStore` and `PgEventStore`).
 *
 * - Append with expected version is one transaction: the stream's version is read, checked, and the events inserted;
 *   `(stream, stream_version)` is unique, so a concurrent writer that read the same version fails on insert, and
 *   that failure is the core's `StreamVersionConflict`, never a partial write.
 * - The store sets each event's recorded time, from the `Clock`.
 * - Reads can stop at a recorded time (`knownAt`).
 *
 * - A global order no reader can skip: on PostgreSQL every append takes a transaction-scoped advisory lock before it
 *   draws positions, so positions are drawn in commit order and a reader of "everything after P" never meets a
 *   position that commits later with a lower number (the gap problem). SQLite has one writer at a time.
 * - Tamper evidence: each event stores a SHA-256 hash over its canonical encoding and the previous event's hash, in
 *   the global log (`hash`) and in its stream (`stream_hash`); {@link verify} walks the chain and names the first
 *   broken event.
 *
 * - Idempotent commands: an append that names an idempotency key stores the key and its outcome in the same
 *   transaction as its events; a retry with the same key returns the first outcome and appends nothing.
 *
 * Not yet here (see the storage issue's notes): subscriptions, projections with checkpoints, and snapshots.
 *
 * @since 0.1.0
 */

import { createHash } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { EventStore } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Migrations from "./Migrations.js"

/** The advisory lock key that serialises appends on PostgreSQL. */
const appendLock = 7_464_001

/** JSON with object keys sorted: the same value always encodes the same way. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  )

/** The hash of an event chained to the previous hash. */
export const chainHash = (
  previous: string,
  e: { stream: string; streamVersion: number; type: string; version: number; data: unknown; recordedAt: number }
): string =>
  createHash("sha256")
    .update(previous)
    .update("\n")
    .update(
      canonical({
        stream: e.stream,
        streamVersion: e.streamVersion,
        type: e.type,
        version: e.version,
        data: e.data,
        recordedAt: e.recordedAt
      })
    )
    .digest("hex")

/** The hash before the first event. */
export const genesis = "0".repeat(64)

interface Row {
  readonly position: number | string | bigint
  readonly stream: string
  readonly stream_version: number | string
  readonly type: string
  readonly version: number | string
  readonly data: string
  readonly recorded_at: number | string | bigint
  readonly hash: string | null
  readonly stream_hash: string | null
}

const toRecorded = (r: Row): EventStore.RecordedEvent => ({
  position: Number(r.position),
  stream: r.stream,
  streamVersion: Number(r.stream_version),
  type: r.type,
  version: Number(r.version),
  data: JSON.parse(r.data),
  recordedAt: Number(r.recorded_at)
})

const storeError = (reason: string) => (cause: SqlError) => new EventStore.EventStoreError({ reason, cause })

/** Whether an error is a unique-constraint violation, on either dialect. */
const isUniqueViolation = (e: SqlError): boolean => {
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined
  const code = String(cause?.code ?? "")
  return code === "23505" || code.startsWith("SQLITE_CONSTRAINT") || /UNIQUE constraint/i.test(String(cause?.message))
}

class Conflict {
  constructor(readonly error: EventStore.StreamVersionConflict) {}
}

/**
 * Builds the store over the `SqlClient` in context, running the migrations first.
 *
 * @since 0.1.0
 */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* Migrations.run.pipe(
    Effect.mapError((cause) => new EventStore.EventStoreError({ reason: "migration failed", cause }))
  )
  let lastRecordedAt = 0

  const versionOf = (stream: string) =>
    Effect.map(
      sql<{ v: number | string | null }>`SELECT MAX(stream_version) AS v FROM ntm_events WHERE stream = ${stream}`,
      (rows) => Number(rows[0]?.v ?? 0)
    )

  const outcomeOf = (key: string) =>
    Effect.map(sql<{ outcome: string }>`SELECT outcome FROM ntm_idempotency WHERE key = ${key}`, (rows) =>
      rows[0] === undefined ? undefined : (JSON.parse(rows[0].outcome) as ReadonlyArray<EventStore.AppendResult>)
    )

  const appendMany = (
    writes: ReadonlyArray<EventStore.StreamWrite>,
    options?: EventStore.AppendOptions
  ): Effect.Effect<
    ReadonlyArray<EventStore.AppendResult>,
    EventStore.StreamVersionConflict | EventStore.EventStoreError
  > =>
    Effect.gen(function* () {
      yield* sql.onDialectOrElse({
        pg: () => sql`SELECT pg_advisory_xact_lock(${appendLock})`,
        orElse: () => Effect.void
      })
      const key = options?.idempotencyKey
      if (key !== undefined) {
        const done = yield* outcomeOf(key)
        if (done !== undefined) return done
      }
      const now = yield* Clock.currentTimeMillis
      const recordedAt = Math.max(now, lastRecordedAt)
      const results: Array<EventStore.AppendResult> = []
      const lastRows = yield* sql<{ hash: string | null }>`SELECT hash FROM ntm_events ORDER BY position DESC LIMIT 1`
      let previous = lastRows[0]?.hash ?? genesis
      for (const w of writes) {
        // The stream's last version and hash in one read.
        const last = yield* sql<{
          stream_version: number | string
          stream_hash: string | null
        }>`SELECT stream_version, stream_hash FROM ntm_events WHERE stream = ${w.stream}
          ORDER BY stream_version DESC LIMIT 1`
        const actual = Number(last[0]?.stream_version ?? 0)
        let streamPrevious = last[0]?.stream_hash ?? genesis
        if (w.expected !== "any" && w.expected !== actual) {
          return yield* Effect.fail(
            new Conflict(new EventStore.StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
          )
        }
        const rowsToInsert = w.events.map((e, i) => {
          const data = JSON.stringify(e.data)
          const fields = {
            stream: w.stream,
            streamVersion: actual + i + 1,
            type: e.type,
            version: e.version,
            data: JSON.parse(data) as unknown,
            recordedAt
          }
          previous = chainHash(previous, fields)
          streamPrevious = chainHash(streamPrevious, fields)
          return {
            stream: w.stream,
            stream_version: fields.streamVersion,
            type: e.type,
            version: e.version,
            data,
            recorded_at: recordedAt,
            hash: previous,
            stream_hash: streamPrevious
          }
        })
        let position = 0
        // One multi-row insert per chunk (SQLite allows at most 32,766 parameters in a statement).
        for (let i = 0; i < rowsToInsert.length; i += 1000) {
          const rows = yield* sql<{ position: number | string }>`INSERT INTO ntm_events ${sql.insert(
            rowsToInsert.slice(i, i + 1000)
          )} RETURNING position`
          for (const r of rows) position = Math.max(position, Number(r.position))
        }
        results.push({ streamVersion: actual + w.events.length, position })
      }
      if (key !== undefined) {
        yield* sql`INSERT INTO ntm_idempotency ${sql.insert({ key, outcome: JSON.stringify(results) })}`
      }
      lastRecordedAt = recordedAt
      return results
    }).pipe(
      sql.withTransaction,
      Effect.catchAll((e): Effect.Effect<never, EventStore.StreamVersionConflict | EventStore.EventStoreError> => {
        if (e instanceof Conflict) return Effect.fail(e.error)
        if (isUniqueViolation(e)) {
          // Another writer committed to one of the streams between our read and our insert.
          const w = writes[0]!
          return Effect.flatMap(
            Effect.orElseSucceed(versionOf(w.stream), () => -1),
            (actual) =>
              Effect.fail(new EventStore.StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
          )
        }
        return Effect.fail(new EventStore.EventStoreError({ reason: "append failed", cause: e }))
      })
    )

  const readStream = (stream: string, options?: EventStore.ReadStreamOptions) =>
    sql<Row>`SELECT * FROM ntm_events WHERE stream = ${stream} AND stream_version >= ${options?.fromVersion ?? 1}
      AND recorded_at <= ${options?.knownAt ?? Number.MAX_SAFE_INTEGER} ORDER BY stream_version`.pipe(
      Effect.map((rows) => rows.map(toRecorded)),
      Effect.mapError(storeError(`reading ${stream} failed`))
    )

  const pageSize = 1000
  const readAll = (options?: EventStore.ReadAllOptions) =>
    Stream.paginateChunkEffect(options?.after ?? 0, (after) =>
      sql<Row>`SELECT * FROM ntm_events WHERE position > ${after}
        AND recorded_at <= ${options?.knownAt ?? Number.MAX_SAFE_INTEGER} ORDER BY position LIMIT ${pageSize}`.pipe(
        Effect.map((rows) => {
          const events = rows.map(toRecorded)
          const last = events.at(-1)
          return [
            Chunk.unsafeFromArray(events),
            rows.length < pageSize || last === undefined ? Option.none() : Option.some(last.position)
          ] as const
        }),
        Effect.mapError(storeError("reading the log failed"))
      )
    )

  return EventStore.EventStore.of({
    appendMany,
    append: (stream, expected, events, options) =>
      Effect.map(appendMany([{ stream, expected, events }], options), (r) => r[0]!),
    readStream,
    readAll
  })
})

/**
 * The store as a layer over the `SqlClient` in context.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<EventStore.EventStore, EventStore.EventStoreError, SqlClient.SqlClient> = Layer.effect(
  EventStore.EventStore,
  make
)

/**
 * Where a hash chain breaks.
 *
 * @since 0.1.0
 */
export interface Break {
  readonly position: number
  readonly stream: string
  readonly streamVersion: number
  readonly chain: "global" | "stream"
  readonly expected: string
  readonly found: string | null
}

/**
 * Walks the log in order from a position (default: the start), recomputing every event's hashes, and names the first
 * event whose stored hash does not match: an event edited, inserted or removed behind the store's back. Starting
 * past the start trusts the hashes stored just before.
 *
 * @since 0.1.0
 */
export const verify = (options?: { readonly from?: number }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const from = options?.from ?? 1
    const before = yield* sql<{
      hash: string | null
    }>`SELECT hash FROM ntm_events WHERE position < ${from} ORDER BY position DESC LIMIT 1`
    let previous = before[0]?.hash ?? genesis
    const streams = new Map<string, string>()
    let checked = 0
    let after = from - 1
    for (;;) {
      const rows = yield* sql<Row>`SELECT * FROM ntm_events WHERE position > ${after} ORDER BY position LIMIT 1000`
      if (rows.length === 0) return { checked, broken: undefined as Break | undefined }
      for (const r of rows) {
        const e = toRecorded(r)
        let streamPrevious = streams.get(e.stream)
        if (streamPrevious === undefined) {
          const prior = yield* sql<{ stream_hash: string | null }>`SELECT stream_hash FROM ntm_events
            WHERE stream = ${e.stream} AND stream_version = ${e.streamVersion - 1}`
          streamPrevious = e.streamVersion === 1 ? genesis : (prior[0]?.stream_hash ?? genesis)
        }
        const expected = chainHash(previous, e)
        const broken = (chain: "global" | "stream", exp: string, found: string | null): Break => ({
          position: e.position,
          stream: e.stream,
          streamVersion: e.streamVersion,
          chain,
          expected: exp,
          found
        })
        if (r.hash !== expected) return { checked, broken: broken("global", expected, r.hash) }
        const expectedStream = chainHash(streamPrevious, e)
        if (r.stream_hash !== expectedStream)
          return { checked, broken: broken("stream", expectedStream, r.stream_hash) }
        previous = expected
        streams.set(e.stream, expectedStream)
        checked++
        after = e.position
      }
    }
  }).pipe(Effect.mapError((cause) => new EventStore.EventStoreError({ reason: "verifying the chain failed", cause })))
