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

/**
 * The position of the last event in the log (0 when it is empty).
 *
 * @since 0.1.0
 */
export const lastPosition = SqlEventStore.lastPosition

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
