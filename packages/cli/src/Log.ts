/**
 * Reading the whole event log: its last position (for a progress bar's total) and a ledger folded from it.
 *
 * @since 0.1.0
 */
import { EventStore, Events, Ledger } from "@ntm/core"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Errors from "./Errors.js"

/**
 * The position of the last event in the log (0 when it is empty).
 *
 * @since 0.1.0
 */
export const lastPosition = SqlEventStore.lastPosition

/**
 * Folds the log into a ledger, optionally only what was recorded by a time, calling `onEvent` after each event. An
 * event that does not decode stops the fold with its `EventDecodeError`, unless `onUnreadable` is given: it is then
 * told of the event, which is left out.
 *
 * @since 0.1.0
 */
export const ledger = (options?: {
  readonly knownAt?: number
  readonly onEvent?: (position: number) => void
  readonly onUnreadable?: (e: Events.EventDecodeError) => void
}) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const l = Ledger.make()
    const knownAt = options?.knownAt
    yield* store.readAll(knownAt === undefined ? {} : { knownAt }).pipe(
      Stream.runForEachChunk((chunk) =>
        Effect.suspend(() => {
          for (const r of chunk) {
            const d = Events.decode(r)
            if (Either.isLeft(d)) {
              if (options?.onUnreadable === undefined) return Effect.fail(d.left)
              options.onUnreadable(d.left)
              continue
            }
            Ledger.apply(l, d.right)
            options?.onEvent?.(r.position)
          }
          return Effect.void
        })
      )
    )
    return l
  })

/**
 * Fails with `UnreadableEvents` naming every stored event that does not decode (stored by an older build, or edited
 * by hand); succeeds with the number of events read when they all do.
 *
 * @since 0.1.0
 */
export const requireReadable = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const unreadable: Array<Events.EventDecodeError> = []
  let read = 0
  yield* store.readAll().pipe(
    Stream.runForEachChunk((chunk) =>
      Effect.sync(() => {
        for (const r of chunk) {
          read++
          const d = Events.decode(r)
          if (Either.isLeft(d)) unreadable.push(d.left)
        }
      })
    )
  )
  if (unreadable.length > 0) return yield* Effect.fail(Errors.unreadableEvents(unreadable))
  return read
})
