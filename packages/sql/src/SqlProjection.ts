/**
 * Projections into SQL tables, whose checkpoint is written in the same transaction as their state: a projection is
 * never ahead of or behind what it says it has processed, even when the process dies between batches.
 *
 * A projection reads the core's decoded events (upcast on read). An event that cannot be decoded stops it with an
 * `EventDecodeError` naming the event's stream and position, with the checkpoint just before it: it is reported,
 * never skipped.
 *
 * @since 0.1.0
 */

import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { EventStore, Events, Subscription } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

/**
 * A projection: its name, how it sets up and clears its tables, and how it applies one event.
 *
 * @since 0.1.0
 */
export interface Projection {
  readonly name: string
  readonly setup: Effect.Effect<void, SqlError, SqlClient.SqlClient>
  readonly reset: Effect.Effect<void, SqlError, SqlClient.SqlClient>
  readonly apply: (event: Events.Recorded) => Effect.Effect<void, SqlError, SqlClient.SqlClient>
}

const setupCheckpoints = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql`CREATE TABLE IF NOT EXISTS ntm_checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`
)

/**
 * The position a projection has processed.
 *
 * @since 0.1.0
 */
export const checkpoint = (name: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* setupCheckpoints
    const rows = yield* sql<{ position: number | string }>`SELECT position FROM ntm_checkpoints WHERE name = ${name}`
    return Number(rows[0]?.position ?? 0)
  })

const save = (name: string, position: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.onDialectOrElse({
      pg: () => sql`INSERT INTO ntm_checkpoints (name, position) VALUES (${name}, ${position})
        ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
      orElse: () => sql`INSERT OR REPLACE INTO ntm_checkpoints (name, position) VALUES (${name}, ${position})`
    })
  )

/**
 * Applies a batch of events and moves the checkpoint, in one transaction.
 *
 * @since 0.1.0
 */
export const applyBatch = (projection: Projection, batch: ReadonlyArray<Events.Recorded>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(
      Effect.gen(function* () {
        for (const e of batch) yield* projection.apply(e)
        const last = batch.at(-1)
        if (last !== undefined) yield* save(projection.name, last.position)
      })
    )
  )

const decodeAll = (batch: ReadonlyArray<EventStore.RecordedEvent>) => {
  const out: Array<Events.Recorded> = []
  for (const r of batch) {
    const d = Events.decode(r)
    if (Either.isLeft(d)) return { events: out, error: d.left }
    out.push(d.right)
  }
  return { events: out, error: undefined }
}

/**
 * Brings a projection up to the end of the log, in batches, and returns its checkpoint.
 *
 * @since 0.1.0
 */
export const catchUp = (projection: Projection, options?: { readonly batchSize?: number }) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    yield* projection.setup
    let position = yield* checkpoint(projection.name)
    const size = options?.batchSize ?? 500
    for (;;) {
      const batch = Chunk.toReadonlyArray(
        yield* Stream.runCollect(Stream.take(store.readAll({ after: position }), size))
      )
      if (batch.length === 0) return position
      const { events, error } = decodeAll(batch)
      yield* applyBatch(projection, events)
      if (error !== undefined) return yield* Effect.fail(error)
      position = batch.at(-1)!.position
    }
  })

/**
 * Clears a projection and builds it again from the first event.
 *
 * @since 0.1.0
 */
export const rebuild = (projection: Projection, options?: { readonly batchSize?: number }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* projection.setup
    yield* setupCheckpoints
    yield* sql.withTransaction(Effect.zipRight(projection.reset, save(projection.name, 0)))
    return yield* catchUp(projection, options)
  })

/**
 * Runs a projection live: catches up, then follows new events (polling), batch by batch. Never ends by itself.
 *
 * @since 0.1.0
 */
export const run = (
  projection: Projection,
  options?: { readonly batchSize?: number; readonly pollInterval?: Duration.DurationInput }
) =>
  Effect.gen(function* () {
    yield* projection.setup
    const after = yield* checkpoint(projection.name)
    yield* Subscription.events({ after, pollInterval: options?.pollInterval ?? Duration.millis(100) }).pipe(
      Stream.groupedWithin(options?.batchSize ?? 500, Duration.millis(50)),
      Stream.mapEffect((chunk) => applyBatch(projection, Chunk.toReadonlyArray(chunk))),
      Stream.runDrain
    )
  })
