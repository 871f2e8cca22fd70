import { createHash, randomUUID } from "node:crypto"
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
import * as HashChain from "../src/HashChain.js"
import * as SqlEventStore from "../src/SqlEventStore.js"
import { pgUrl } from "./pg.js"

const event = (n: number): EventStore.EventData => ({ type: "TestEvent", version: 1, data: { n, b: { y: 1, a: 2 } } })

const withClient = <E>(client: Layer.Layer<SqlClient.SqlClient, E>) =>
  SqlEventStore.layer.pipe(Layer.provideMerge(client)) as Layer.Layer<EventStore.EventStore | SqlClient.SqlClient>

const dialects: ReadonlyArray<readonly [string, () => Layer.Layer<EventStore.EventStore | SqlClient.SqlClient>]> = [
  ["SQLite", () => withClient(SqliteClient.layer({ filename: ":memory:" }))],
  ["PostgreSQL", () => withClient(PgClient.layer({ url: Redacted.make(pgUrl) }))]
]

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex")

describe("hash chain definition", () => {
  it("a content hash covers stream, type, version, recorded time and the data as stored; a step, the number", () => {
    const data = '{"n":1,"text":"Tân Yên"}'
    const content = HashChain.contentHash("unit/x", "EvidenceRecorded", 2, 1_732_540_000_000, data)
    expect(content).toBe(sha256(`["unit/x","EvidenceRecorded",2,1732540000000]\n${data}`))
    expect(
      HashChain.contentHash("unit/x", "EvidenceRecorded", 2, 1_732_540_000_000, '{"n":1, "text":"Tân Yên"}')
    ).not.toBe(content)
    expect(HashChain.chainHash(HashChain.genesis, 7, content)).toBe(sha256(`${"0".repeat(64)}\n7\n${content}`))
  })
})

for (const [name, layer] of dialects) {
  describe(`hash chain: ${name}`, () => {
    it.effect("the store and verify agree on awkward data: quotes, backslashes, Vietnamese, several writes", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const a = `h-'quoted'\\-${randomUUID()}`
        const b = `h-Tân Yên-${randomUUID()}`
        const awkward = { s: 'it\'s \\ "q" \n đạt chuẩn 😀', nested: { z: [1, 2.5, null, true], a: {} } }
        const first = yield* store.append(a, "any", [{ type: "T'ype", version: 3, data: awkward }])
        yield* store.appendMany(
          [
            { stream: a, expected: 1, events: [event(1), event(2)] },
            { stream: b, expected: 0, events: [event(3)] },
            { stream: a, expected: 3, events: [{ type: "T", version: 1, data: awkward }] }
          ],
          { idempotencyKey: `k-'${randomUUID()}` }
        )
        yield* store.append(b, "any", [event(4)])
        const ok = yield* SqlEventStore.verify({ from: first.position })
        expect(ok).toEqual({ checked: 6, broken: undefined, faults: [], anchors: 0 })
        expect((yield* store.readStream(a)).map((e) => e.data)).toEqual([
          awkward,
          event(1).data,
          event(2).data,
          awkward
        ])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("names an event whose data was re-spaced, or whose recorded time or stream version was changed", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const a = `h-${randomUUID()}`
        const r = yield* store.append(a, 0, [event(1), event(2), event(3)])
        const from = r.position - 2
        // The same JSON value, spaced differently: the stored text is what is hashed.
        yield* sql`UPDATE ntm_events SET data = ${'{ "n": 1, "b": { "y": 1, "a": 2 } }'} WHERE position = ${from}`
        expect((yield* SqlEventStore.verify({ from })).broken).toMatchObject({ position: from, chain: "global" })
        yield* sql`UPDATE ntm_events SET data = ${JSON.stringify(event(1).data)} WHERE position = ${from}`
        expect((yield* SqlEventStore.verify({ from })).broken).toBeUndefined()
        yield* sql`UPDATE ntm_events SET recorded_at = recorded_at + 1 WHERE position = ${from + 1}`
        expect((yield* SqlEventStore.verify({ from })).broken).toMatchObject({ position: from + 1, chain: "global" })
        yield* sql`UPDATE ntm_events SET recorded_at = recorded_at - 1 WHERE position = ${from + 1}`
        yield* sql`UPDATE ntm_events SET stream_version = 99 WHERE position = ${r.position}`
        expect((yield* SqlEventStore.verify({ from })).broken).toMatchObject({ position: r.position, chain: "stream" })
      }).pipe(Effect.provide(layer()))
    )

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
