/**
 * The server's read model: one ledger of every event, kept in memory and brought up to date from the store before
 * each query (only the events recorded since the last query are read). Queries "as known at" a recording time fold
 * a ledger of their own from the events recorded by then.
 *
 * @since 0.1.0
 */
import { EventStore, Events, Ledger } from "@ntm/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

/** @since 0.1.0 */
export interface ReadModelService {
  /** The ledger with every event recorded so far. */
  readonly current: Effect.Effect<Ledger.Ledger, EventStore.EventStoreError | Events.EventDecodeError>
  /** A ledger of the events recorded at or before a time (epoch ms); the current one when undefined. */
  readonly knownAt: (
    knownAt: number | undefined
  ) => Effect.Effect<Ledger.Ledger, EventStore.EventStoreError | Events.EventDecodeError>
  /** A stream's version as of the last refresh (0 when it has no events): the `ETag` of its reads. */
  readonly versionOf: (stream: string) => number
  /** Every event recorded so far, decoded, in global order. */
  readonly events: Effect.Effect<ReadonlyArray<Events.Recorded>, EventStore.EventStoreError | Events.EventDecodeError>
}

/**
 * @since 0.1.0
 */
export class ReadModel extends Context.Tag("@ntm/http/ReadModel")<ReadModel, ReadModelService>() {}

const decodeOrFail = (r: EventStore.RecordedEvent) => {
  const d = Events.decode(r)
  return Either.isLeft(d) ? Effect.fail(d.left) : Effect.succeed(d.right)
}

/**
 * The read model over the `EventStore` in context.
 *
 * @since 0.1.0
 */
export const make = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const ledger = Ledger.make()
  const recorded: Array<Events.Recorded> = []
  const versions = new Map<string, number>()
  const lock = yield* Effect.makeSemaphore(1)

  const current = lock.withPermits(1)(
    store.readAll({ after: ledger.lastPosition }).pipe(
      Stream.mapEffect(decodeOrFail),
      Stream.runForEach((r) =>
        Effect.sync(() => {
          Ledger.apply(ledger, r)
          recorded.push(r)
          versions.set(r.stream, r.streamVersion)
        })
      ),
      Effect.as(ledger)
    )
  )

  return ReadModel.of({
    current,
    versionOf: (stream) => versions.get(stream) ?? 0,
    events: Effect.map(current, () => recorded.slice()),
    knownAt: (knownAt) =>
      knownAt === undefined
        ? current
        : Effect.map(current, () => {
            const l = Ledger.make()
            for (const r of recorded) if (r.recordedAt <= knownAt) Ledger.apply(l, r)
            return l
          })
  })
})

/**
 * @since 0.1.0
 */
export const layer: Layer.Layer<ReadModel, never, EventStore.EventStore> = Layer.effect(ReadModel, make)
