/**
 * Reading the whole event log: its last position (for a progress bar's total) and a ledger folded from it.
 *
 * @since 0.1.0
 */
import { EventStore, Events, Ledger } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

const firstAfter = (store: EventStore.EventStoreService, after: number) =>
  store.readAll({ after }).pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.head))

/**
 * The position of the last event in the log (0 when it is empty), found with the store's port alone: doubling, then
 * bisecting, on "the first event after P" — a few reads of one page each, whatever the size of the log.
 *
 * @since 0.1.0
 */
export const lastPosition = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const first = yield* firstAfter(store, 0)
  if (first._tag === "None") return 0
  // Invariant: an event exists after `low`; none exists after `high`.
  let low = first.value.position - 1
  let step = 1024
  let high = low + step
  for (;;) {
    const next = yield* firstAfter(store, high)
    if (next._tag === "None") break
    low = next.value.position - 1
    step *= 2
    high = low + step
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    const next = yield* firstAfter(store, mid)
    if (next._tag === "None") high = mid
    else low = Math.max(mid, next.value.position - 1)
  }
  return high
})

/**
 * Folds the log into a ledger, optionally only what was recorded by a time, calling `onEvent` after each event.
 *
 * @since 0.1.0
 */
export const ledger = (options?: { readonly knownAt?: number; readonly onEvent?: (position: number) => void }) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const l = Ledger.make()
    const knownAt = options?.knownAt
    yield* store.readAll(knownAt === undefined ? {} : { knownAt }).pipe(
      Stream.runForEachChunk((chunk) =>
        Effect.suspend(() => {
          for (const r of chunk) {
            const d = Events.decode(r)
            if (Either.isLeft(d)) return Effect.fail(d.left)
            Ledger.apply(l, d.right)
            options?.onEvent?.(r.position)
          }
          return Effect.void
        })
      )
    )
    return l
  })
