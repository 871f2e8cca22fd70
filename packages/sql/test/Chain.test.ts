import { randomUUID } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as SqlEventStore from "../src/SqlEventStore.js"
import { pgUrl } from "./pg.js"

const event = (n: number): EventStore.EventData => ({ type: "TestEvent", version: 1, data: { n, b: { y: 1, a: 2 } } })

const withClient = <E>(client: Layer.Layer<SqlClient.SqlClient, E>) =>
  SqlEventStore.layer.pipe(Layer.provideMerge(client)) as Layer.Layer<EventStore.EventStore | SqlClient.SqlClient>

const dialects: ReadonlyArray<readonly [string, () => Layer.Layer<EventStore.EventStore | SqlClient.SqlClient>]> = [
  ["SQLite", () => withClient(SqliteClient.layer({ filename: ":memory:" }))],
  ["PostgreSQL", () => withClient(PgClient.layer({ url: Redacted.make(pgUrl) }))]
]

for (const [name, layer] of dialects) {
  describe(`hash chain: ${name}`, () => {
    it.effect("verifies an untouched log, and names the first event edited behind the store's back", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const a = `h-${randomUUID()}`
        const b = `h-${randomUUID()}`
        const first = yield* store.append(a, 0, [event(1)])
        yield* store.append(b, 0, [event(2), event(3)])
        yield* store.append(a, 1, [event(4)])
        const from = first.position
        const ok = yield* SqlEventStore.verify({ from })
        expect(ok.broken).toBeUndefined()
        expect(ok.checked).toBeGreaterThanOrEqual(4)
        const target = (yield* store.readStream(b))[1]!
        yield* sql`UPDATE ntm_events SET data = ${JSON.stringify({ n: 999, b: { y: 1, a: 2 } })} WHERE position = ${target.position}`
        const bad = yield* SqlEventStore.verify({ from })
        expect(bad.broken).toMatchObject({ position: target.position, stream: b, streamVersion: 2, chain: "global" })
      }).pipe(Effect.provide(layer()))
    )

    it.effect("names an event whose stream hash was replaced", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const a = `h-${randomUUID()}`
        const r = yield* store.append(a, 0, [event(1), event(2)])
        yield* sql`UPDATE ntm_events SET stream_hash = ${"f".repeat(64)} WHERE position = ${r.position}`
        const bad = yield* SqlEventStore.verify({ from: r.position - 1 })
        expect(bad.broken).toMatchObject({ position: r.position, chain: "stream" })
      }).pipe(Effect.provide(layer()))
    )
  })
}

describe("global order on PostgreSQL", () => {
  it.live("a reader never skips an event that commits after a later one: appends wait for an open one", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const sql = yield* SqlClient.SqlClient
      const a = `g-${randomUUID()}`
      const b = `g-${randomUUID()}`
      const mine = (e: EventStore.RecordedEvent) => e.stream === a || e.stream === b
      const start = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll())).at(-1)?.position ?? 0
      // A reader polling "everything after my checkpoint", as a subscription does.
      const seen: Array<EventStore.RecordedEvent> = []
      let checkpoint = start
      const poll = Effect.gen(function* () {
        const batch = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ after: checkpoint })))
        for (const e of batch) {
          if (mine(e)) seen.push(e)
          checkpoint = e.position
        }
      })
      // Transaction A appends and stays open; B appends meanwhile.
      const holdA = yield* Effect.fork(
        sql.withTransaction(Effect.zipRight(store.append(a, 0, [event(1)]), Effect.sleep("600 millis")))
      )
      yield* Effect.sleep("150 millis")
      const writeB = yield* Effect.fork(store.append(b, 0, [event(2)]))
      for (let i = 0; i < 8; i++) {
        yield* poll
        yield* Effect.sleep("50 millis")
      }
      expect(seen).toEqual([])
      yield* Fiber.join(holdA)
      yield* Fiber.join(writeB)
      yield* poll
      expect(seen.map((e) => e.stream)).toEqual([a, b])
      const final = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ after: start }))).filter(mine)
      expect(final.map((e) => e.position)).toEqual(seen.map((e) => e.position))
    }).pipe(Effect.provide(dialects[1]![1]()))
  )
})
