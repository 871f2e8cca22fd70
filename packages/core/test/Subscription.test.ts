import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as EventStore from "../src/EventStore.js"
import * as Subscription from "../src/Subscription.js"

const data = (n: number): EventStore.EventData => ({ type: "TestEvent", version: 1, data: { n } })

describe("Subscription", () => {
  it.live("catches up from a checkpoint, then follows events recorded later, in order", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("s-1", 0, [data(1), data(2)])
      const fiber = yield* Effect.fork(
        Stream.runCollect(Stream.take(Subscription.raw({ after: 1, pollInterval: "10 millis" }), 3))
      )
      yield* Effect.sleep("50 millis")
      yield* store.append("s-2", 0, [data(3)])
      yield* Effect.sleep("30 millis")
      yield* store.append("s-1", 2, [data(4)])
      const seen = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4])
      expect(seen.map((e) => e.position)).toEqual([2, 3, 4])
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.live("ends with an EventDecodeError naming the stream and position of an event it cannot read", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("bad-1", 0, [{ type: "NoSuchEvent", version: 1, data: {} }])
      const e = yield* Effect.flip(Stream.runDrain(Subscription.events({ after: 0, pollInterval: "10 millis" })))
      expect(e).toMatchObject({ _tag: "EventDecodeError", stream: "bad-1", position: 1 })
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})
