/**
 * Catch-up subscriptions: every event after a checkpoint, then new ones as they are recorded, over any `EventStore`.
 *
 * The subscription polls `readAll({ after })` and waits `pollInterval` when it has caught up. Events are decoded
 * (and upcast) on the way; one that cannot be decoded ends the stream with an `EventDecodeError` naming its stream
 * and position: a subscription never skips an event silently.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { EventStore, type EventStoreError, type RecordedEvent } from "./EventStore.js"
import { decode, type EventDecodeError, type Recorded } from "./Events.js"

/** @since 0.1.0 */
export interface Options {
  /** The position already processed (0: from the start). */
  readonly after: number
  /** How long to wait when caught up (default 250 ms). */
  readonly pollInterval?: Duration.DurationInput
}

/**
 * Stored events after a checkpoint, then live, in global order. Never ends by itself.
 *
 * @since 0.1.0
 */
export const raw = (options: Options): Stream.Stream<RecordedEvent, EventStoreError, EventStore> => {
  const wait = options.pollInterval ?? Duration.millis(250)
  const from = (store: EventStore["Type"], after: number): Stream.Stream<RecordedEvent, EventStoreError> =>
    Stream.suspend(() => {
      let last = after
      return store.readAll({ after }).pipe(
        Stream.tap((e) =>
          Effect.sync(() => {
            last = e.position
          })
        ),
        Stream.concat(
          Stream.unwrap(
            Effect.suspend(() =>
              last === after ? Effect.as(Effect.sleep(wait), from(store, last)) : Effect.succeed(from(store, last))
            )
          )
        )
      )
    })
  return Stream.unwrap(Effect.map(EventStore, (store) => from(store, options.after)))
}

/**
 * Decoded events after a checkpoint, then live.
 *
 * @since 0.1.0
 */
export const events = (options: Options): Stream.Stream<Recorded, EventStoreError | EventDecodeError, EventStore> =>
  Stream.mapEffect(raw(options), (r) => {
    const d = decode(r)
    return Either.isLeft(d) ? Effect.fail(d.left) : Effect.succeed(d.right)
  })
