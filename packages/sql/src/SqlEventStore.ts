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
 * Not yet here (see the storage issue's notes): readers of the global log on PostgreSQL can skip a position whose
 * transaction commits late (the gap problem); idempotency keys, the hash chain, subscriptions and snapshots.
 *
 * @since 0.1.0
 */

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

interface Row {
  readonly position: number | string | bigint
  readonly stream: string
  readonly stream_version: number | string
  readonly type: string
  readonly version: number | string
  readonly data: string
  readonly recorded_at: number | string | bigint
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

  const appendMany = (
    writes: ReadonlyArray<EventStore.StreamWrite>
  ): Effect.Effect<
    ReadonlyArray<EventStore.AppendResult>,
    EventStore.StreamVersionConflict | EventStore.EventStoreError
  > =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const recordedAt = Math.max(now, lastRecordedAt)
      const results: Array<EventStore.AppendResult> = []
      for (const w of writes) {
        const actual = yield* versionOf(w.stream)
        if (w.expected !== "any" && w.expected !== actual) {
          return yield* Effect.fail(
            new Conflict(new EventStore.StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
          )
        }
        let position = 0
        for (const [i, e] of w.events.entries()) {
          const rows = yield* sql<{ position: number | string }>`INSERT INTO ntm_events ${sql.insert({
            stream: w.stream,
            stream_version: actual + i + 1,
            type: e.type,
            version: e.version,
            data: JSON.stringify(e.data),
            recorded_at: recordedAt
          })} RETURNING position`
          position = Number(rows[0]!.position)
        }
        results.push({ streamVersion: actual + w.events.length, position })
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
    append: (stream, expected, events) => Effect.map(appendMany([{ stream, expected, events }]), (r) => r[0]!),
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
