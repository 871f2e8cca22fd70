/**
 * One conformance suite for the `EventStore` port, written once and run against every implementation: the
 * in-memory store of the core, SQLite (file and `:memory:`) and PostgreSQL.
 */

import { randomUUID } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"

const event = (n: number): EventStore.EventData => ({
  type: "TestEvent",
  version: 1,
  data: { n, text: "Tân Yên — đạt chuẩn", nested: { list: [1, 2, 3] } }
})

const all = Effect.flatMap(EventStore.EventStore, (s) => Stream.runCollect(s.readAll())).pipe(
  Effect.map(Chunk.toReadonlyArray)
)

export const conformance = (name: string, layer: () => Layer.Layer<EventStore.EventStore, unknown>) =>
  describe(`EventStore conformance: ${name}`, () => {
    const run = <A, E>(self: Effect.Effect<A, E, EventStore.EventStore>) =>
      Effect.provide(self, layer() as Layer.Layer<EventStore.EventStore>)

    it.effect("appends to a new stream with expected version 0 and reads it back in order", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const s = `c-${randomUUID()}`
          const r = yield* store.append(s, 0, [event(1), event(2), event(3)])
          expect(r.streamVersion).toBe(3)
          const read = yield* store.readStream(s)
          expect(read.map((e) => [e.streamVersion, (e.data as { n: number }).n])).toEqual([
            [1, 1],
            [2, 2],
            [3, 3]
          ])
          expect(read[0]!.data).toEqual(event(1).data)
          expect(read.map((e) => e.position)).toEqual([...read.map((e) => e.position)].sort((a, b) => a - b))
          expect(r.position).toBe(read[2]!.position)
          expect((yield* store.readStream(s, { fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([2, 3])
        })
      )
    )

    it.effect("a wrong expected version is a StreamVersionConflict and writes nothing", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const s = `c-${randomUUID()}`
          yield* store.append(s, 0, [event(1)])
          const e = yield* Effect.flip(store.append(s, 0, [event(2)]))
          expect(e._tag).toBe("StreamVersionConflict")
          expect(e._tag === "StreamVersionConflict" && e.actual).toBe(1)
          const e2 = yield* Effect.flip(store.append(s, 5, [event(2)]))
          expect(e2._tag).toBe("StreamVersionConflict")
          expect((yield* store.readStream(s)).length).toBe(1)
          yield* store.append(s, "any", [event(2)])
          expect((yield* store.readStream(s)).map((x) => x.streamVersion)).toEqual([1, 2])
        })
      )
    )

    it.effect("an append to several streams is all or nothing", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const a = `c-${randomUUID()}`
          const b = `c-${randomUUID()}`
          yield* store.append(b, 0, [event(1)])
          const e = yield* Effect.flip(
            store.appendMany([
              { stream: a, expected: 0, events: [event(1), event(2)] },
              { stream: b, expected: 0, events: [event(3)] }
            ])
          )
          expect(e._tag).toBe("StreamVersionConflict")
          expect((yield* store.readStream(a)).length).toBe(0)
          expect((yield* store.readStream(b)).length).toBe(1)
          const ok = yield* store.appendMany([
            { stream: a, expected: 0, events: [event(1), event(2)] },
            { stream: b, expected: 1, events: [event(3)] }
          ])
          expect(ok.map((r) => r.streamVersion)).toEqual([2, 2])
        })
      )
    )

    it.effect("a write of no events guards a stream: its stale version refuses the whole append", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const a = `c-${randomUUID()}`
          const read = `c-${randomUUID()}`
          yield* store.append(read, 0, [event(1), event(2)])
          const e = yield* Effect.flip(
            store.appendMany([
              { stream: a, expected: 0, events: [event(1)] },
              { stream: read, expected: 1, events: [] }
            ])
          )
          expect(e).toMatchObject({ _tag: "StreamVersionConflict", stream: read, expected: 1, actual: 2 })
          expect((yield* store.readStream(a)).length).toBe(0)
          const ok = yield* store.appendMany([
            { stream: a, expected: 0, events: [event(1)] },
            { stream: read, expected: 2, events: [] }
          ])
          expect(ok.map((r) => r.streamVersion)).toEqual([1, 2])
          expect((yield* store.readStream(read)).length).toBe(2)
        })
      )
    )

    it.effect("reads everything in global order, after a position, and as known at a recorded time", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const a = `c-${randomUUID()}`
          const b = `c-${randomUUID()}`
          yield* TestClock.adjust("1 hour")
          yield* store.append(a, 0, [event(1)])
          const first = (yield* store.readStream(a))[0]!
          yield* TestClock.adjust("1 hour")
          yield* store.append(b, 0, [event(2)])
          yield* store.append(a, 1, [event(3)])
          const mine = (xs: ReadonlyArray<EventStore.RecordedEvent>) =>
            xs.filter((e) => e.stream === a || e.stream === b)
          const everything = mine(yield* all)
          expect(everything.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3])
          expect(everything[2]!.recordedAt).toBeGreaterThan(first.recordedAt)
          const after = mine(
            Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ after: everything[0]!.position })))
          )
          expect(after.map((e) => (e.data as { n: number }).n)).toEqual([2, 3])
          const known = mine(
            Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ knownAt: first.recordedAt })))
          )
          expect(known.map((e) => (e.data as { n: number }).n)).toEqual([1])
          expect((yield* store.readStream(a, { knownAt: first.recordedAt })).length).toBe(1)
        })
      )
    )

    it.effect("an append retried with the same idempotency key returns the first outcome and appends nothing", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const s = `c-${randomUUID()}`
          const key = `k-${randomUUID()}`
          const first = yield* store.append(s, 0, [event(1), event(2)], { idempotencyKey: key })
          // The retry would conflict on its expected version if it were appended again.
          const again = yield* store.append(s, 0, [event(1), event(2)], { idempotencyKey: key })
          expect(again).toEqual({ ...first, replayed: true })
          expect(first.replayed).toBeUndefined()
          expect((yield* store.readStream(s)).length).toBe(2)
          const other = yield* store.append(s, 2, [event(3)], { idempotencyKey: `k-${randomUUID()}` })
          expect(other.streamVersion).toBe(3)
          // A failed append records no key: after the conflict, the same key can still succeed.
          const failedKey = `k-${randomUUID()}`
          const e = yield* Effect.flip(store.append(s, 0, [event(4)], { idempotencyKey: failedKey }))
          expect(e._tag).toBe("StreamVersionConflict")
          expect((yield* store.append(s, 3, [event(4)], { idempotencyKey: failedKey })).streamVersion).toBe(4)
        })
      )
    )

    it.effect("a key names one request: another fingerprint is IdempotencyKeyReused and appends nothing", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const s = `c-${randomUUID()}`
          const key = `k-${randomUUID()}`
          const first = yield* store.append(s, 0, [event(1), event(2)], { idempotencyKey: key, fingerprint: "A" })
          // Another request under the key, appended or recalled: refused, naming the key.
          const reused = yield* Effect.flip(store.append(s, 2, [event(3)], { idempotencyKey: key, fingerprint: "B" }))
          expect(reused).toMatchObject({ _tag: "IdempotencyKeyReused", key })
          expect(yield* Effect.flip(store.recall(key, "B"))).toMatchObject({ _tag: "IdempotencyKeyReused", key })
          expect((yield* store.readStream(s)).length).toBe(2)
          // The same request: its first outcome, even with an expected version that no longer holds.
          expect(yield* store.append(s, 0, [event(1), event(2)], { idempotencyKey: key, fingerprint: "A" })).toEqual({
            ...first,
            replayed: true
          })
          expect((yield* store.readStream(s)).length).toBe(2)
          // A retry without a fingerprint is not checked (as keys recorded by earlier builds).
          expect((yield* store.append(s, 0, [event(9)], { idempotencyKey: key })).replayed).toBe(true)
        })
      )
    )

    it.effect("recall answers a key's outcome and the events its append recorded, or nothing for an unknown key", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const a = `c-${randomUUID()}`
          const b = `c-${randomUUID()}`
          const key = `k-${randomUUID()}`
          expect(yield* store.recall(key, "A")).toBeUndefined()
          yield* store.append(a, 0, [event(0)])
          const results = yield* store.appendMany(
            [
              { stream: a, expected: 1, events: [event(1), event(2)] },
              { stream: b, expected: 0, events: [event(3)] }
            ],
            { idempotencyKey: key, fingerprint: "A" }
          )
          yield* store.append(a, 3, [event(4)])
          const recalled = (yield* store.recall(key, "A"))!
          expect(recalled.results).toEqual(results.map((r) => ({ ...r, replayed: true })))
          expect(recalled.events.map((e) => [e.stream, e.streamVersion, (e.data as { n: number }).n])).toEqual([
            [a, 2, 1],
            [a, 3, 2],
            [b, 1, 3]
          ])
          expect(recalled.events).toEqual(
            (yield* all).filter((e) => e.position >= recalled.events[0]!.position).slice(0, 3)
          )
          // A keyed append of nothing records the key with the stream's version, and no events.
          const nothing = `k-${randomUUID()}`
          const none = yield* store.append(a, 4, [], { idempotencyKey: nothing, fingerprint: "N" })
          expect(none).toEqual({ streamVersion: 4, position: 0 })
          expect(yield* store.recall(nothing, "N")).toEqual({
            results: [{ streamVersion: 4, position: 0, replayed: true }],
            events: []
          })
          // It checked the version it names: a stale one is a conflict, and records no key.
          const stale = `k-${randomUUID()}`
          expect((yield* Effect.flip(store.append(a, 3, [], { idempotencyKey: stale })))._tag).toBe(
            "StreamVersionConflict"
          )
          expect(yield* store.recall(stale)).toBeUndefined()
        })
      )
    )

    it.effect("twenty appends with one key at once append once, and all answer the same outcome", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const s = `c-${randomUUID()}`
          const key = `k-${randomUUID()}`
          const outcomes = yield* Effect.all(
            Array.from({ length: 20 }, () =>
              store.append(s, 0, [event(1)], { idempotencyKey: key, fingerprint: "same request" })
            ),
            { concurrency: "unbounded" }
          )
          expect((yield* store.readStream(s)).length).toBe(1)
          expect(outcomes.filter((o) => o.replayed !== true)).toHaveLength(1)
          expect(new Set(outcomes.map((o) => `${o.streamVersion}@${o.position}`)).size).toBe(1)
        })
      )
    )

    it.effect("concurrent writers to the same streams lose and duplicate nothing; versions stay contiguous", () =>
      run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const streams = Array.from({ length: 3 }, () => `c-${randomUUID()}`)
          const writeOne = (
            writer: number,
            k: number
          ): Effect.Effect<void, EventStore.EventStoreError | EventStore.IdempotencyKeyReused> => {
            const s = streams[(writer + k) % streams.length]!
            const attempt = Effect.flatMap(store.readStream(s), (xs) =>
              store.append(s, xs.length, [{ type: "TestEvent", version: 1, data: { writer, k } }])
            )
            return attempt.pipe(
              Effect.asVoid,
              Effect.catchTag("StreamVersionConflict", () => Effect.suspend(() => writeOne(writer, k)))
            )
          }
          const writer = (w: number) =>
            Effect.forEach(
              Array.from({ length: 10 }, (_, k) => k),
              (k) => writeOne(w, k)
            )
          yield* Effect.all([0, 1, 2, 3].map(writer), { concurrency: "unbounded" })
          const seen = new Set<string>()
          let total = 0
          for (const s of streams) {
            const xs = yield* store.readStream(s)
            expect(xs.map((e) => e.streamVersion)).toEqual(xs.map((_, i) => i + 1))
            for (const e of xs) seen.add(JSON.stringify(e.data))
            total += xs.length
          }
          expect(total).toBe(40)
          expect(seen.size).toBe(40)
        })
      )
    )
  })
