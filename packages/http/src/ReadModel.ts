/**
 * The server's read model: one ledger of every event, kept in memory and brought up to date from the store before a
 * query (only the events recorded since are read). A query right after a write of this server always sees it (the
 * write marks the model stale); events written by other processes are seen within `maxStaleness` (default 200 ms),
 * which spares each read a trip to the store. Queries "as known at" a recording time fold a ledger of their own from
 * the events recorded by then.
 *
 * An event that does not decode (stored by an old build, edited by hand) does not stop the model: it is left out,
 * logged once at Error level, and listed in `unreadable` (stream, position, why), so that `/ready` reports it and a
 * read that depends on its stream can refuse to answer (`unreadableIn`) while the others keep working.
 *
 * @since 0.1.0
 */
import { EventStore, Events, Ledger } from "@ntm/core"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

/** @since 0.1.0 */
export interface ReadModelService {
  /** The ledger with every readable event recorded so far. */
  readonly current: Effect.Effect<Ledger.Ledger, EventStore.EventStoreError | Events.EventDecodeError>
  /** The events left out because they do not decode, in global order, as of the last refresh. */
  readonly unreadable: () => ReadonlyArray<Events.EventDecodeError>
  /** The first unreadable event of a stream that the test picks, if any. */
  readonly unreadableIn: (test: (stream: string) => boolean) => Events.EventDecodeError | undefined
  /** The last global position read (an unreadable event included). */
  readonly position: () => number
  /**
   * A ledger of the events recorded at or before a time (epoch ms); the current one when undefined. Such a fold
   * builds a second ledger: folds run one at a time, and one that would visit more than `maxEvents` events is
   * refused before it starts (`FoldOverBudget`).
   */
  readonly knownAt: (
    knownAt: number | undefined,
    options?: { readonly maxEvents?: number }
  ) => Effect.Effect<Ledger.Ledger, EventStore.EventStoreError | Events.EventDecodeError | FoldOverBudget>
  /** Marks the model stale: the next query reads the store first (called after every write). */
  readonly invalidate: Effect.Effect<void>
  /** A stream's version as of the last refresh (0 when it has no events): the `ETag` of its reads. */
  readonly versionOf: (stream: string) => number
  /**
   * The answer to a query, computed once per state of the log: kept until an event is recorded (up to 500 answers,
   * the oldest let go first). The key names the query; the answer is computed from the current ledger.
   */
  readonly memo: <A, E, R>(
    key: string,
    compute: (ledger: Ledger.Ledger) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | EventStore.EventStoreError | Events.EventDecodeError, R>
  /** Every event recorded so far, decoded, in global order. */
  readonly events: Effect.Effect<ReadonlyArray<Events.Recorded>, EventStore.EventStoreError | Events.EventDecodeError>
}

/**
 * A fold "as known at" would visit more events than the server's budget allows.
 *
 * @since 0.1.0
 */
export class FoldOverBudget extends Data.TaggedError("FoldOverBudget")<{
  readonly events: number
  readonly limit: number
}> {
  override get message() {
    return `Yêu cầu phải đọc lại ${this.events} sự kiện, quá giới hạn ${this.limit} của máy chủ; hãy hỏi một thời điểm sớm hơn hoặc nâng giới hạn / this request would fold ${this.events} events, over the server's budget of ${this.limit}; ask for an earlier time or raise the budget`
  }
}

/**
 * @since 0.1.0
 */
export class ReadModel extends Context.Tag("@ntm/http/ReadModel")<ReadModel, ReadModelService>() {}

/**
 * The read model over the `EventStore` in context.
 *
 * @since 0.1.0
 */
export const make = (options?: { readonly maxStaleness?: number }) =>
  Effect.gen(function* () {
    const maxStaleness = options?.maxStaleness ?? 200
    const store = yield* EventStore.EventStore
    const ledger = Ledger.make()
    const recorded: Array<Events.Recorded> = []
    const versions = new Map<string, number>()
    const unreadable: Array<Events.EventDecodeError> = []
    const unreadableStreams = new Map<string, Events.EventDecodeError>()
    let position = 0
    const lock = yield* Effect.makeSemaphore(1)
    const foldLock = yield* Effect.makeSemaphore(1)
    let refreshedAt = Number.NEGATIVE_INFINITY
    let stale = true

    const refresh = Effect.suspend(() => {
      const started = Date.now()
      stale = false
      return store.readAll({ after: position }).pipe(
        Stream.runForEach((raw) => {
          const d = Events.decode(raw)
          position = raw.position
          versions.set(raw.stream, raw.streamVersion)
          if (Either.isRight(d))
            return Effect.sync(() => {
              Ledger.apply(ledger, d.right)
              recorded.push(d.right)
            })
          unreadable.push(d.left)
          if (!unreadableStreams.has(raw.stream)) unreadableStreams.set(raw.stream, d.left)
          return Effect.logError("Sự kiện không đọc được, bỏ qua / unreadable event, left out", d.left).pipe(
            Effect.annotateLogs({
              stream: d.left.stream,
              position: d.left.position,
              type: d.left.type,
              version: d.left.version,
              reason: d.left.reason
            })
          )
        }),
        Effect.tap(() =>
          Effect.sync(() => {
            refreshedAt = started
          })
        ),
        Effect.tapError(() =>
          Effect.sync(() => {
            stale = true
          })
        ),
        Effect.as(ledger)
      )
    })

    const current = Effect.suspend(() =>
      !stale && Date.now() - refreshedAt < maxStaleness
        ? Effect.succeed(ledger)
        : lock.withPermits(1)(
            Effect.suspend(() => (!stale && Date.now() - refreshedAt < maxStaleness ? Effect.succeed(ledger) : refresh))
          )
    )

    const answers = new Map<string, { readonly position: number; readonly value: unknown }>()
    const memo = <A, E, R>(key: string, compute: (ledger: Ledger.Ledger) => Effect.Effect<A, E, R>) =>
      Effect.flatMap(current, (l) => {
        const hit = answers.get(key)
        if (hit !== undefined && hit.position === l.lastPosition) return Effect.succeed(hit.value as A)
        const position = l.lastPosition
        return Effect.tap(compute(l), (value) =>
          Effect.sync(() => {
            answers.delete(key)
            if (answers.size >= 500) answers.delete(answers.keys().next().value!)
            answers.set(key, { position, value })
          })
        )
      })

    return ReadModel.of({
      memo,
      unreadable: () => unreadable,
      unreadableIn: (test) => {
        for (const [stream, e] of unreadableStreams) if (test(stream)) return e
        return undefined
      },
      position: () => position,
      current,
      invalidate: Effect.sync(() => {
        stale = true
      }),
      versionOf: (stream) => versions.get(stream) ?? 0,
      // Append-only and read synchronously by the caller: no copy.
      events: Effect.map(current, (): ReadonlyArray<Events.Recorded> => recorded),
      knownAt: (knownAt, options) =>
        knownAt === undefined
          ? current
          : Effect.flatMap(current, () => {
              // the events recorded by then: counted before anything is built
              let events = 0
              for (const r of recorded) if (r.recordedAt <= knownAt) events++
              const limit = options?.maxEvents ?? Number.POSITIVE_INFINITY
              if (events > limit) return Effect.fail(new FoldOverBudget({ events, limit }))
              return foldLock.withPermits(1)(
                Effect.gen(function* () {
                  const l = Ledger.make()
                  const upTo = recorded.length
                  for (let i = 0; i < upTo; i++) {
                    const r = recorded[i]!
                    if (r.recordedAt <= knownAt) Ledger.apply(l, r)
                    // a long fold lets other requests run, and can be interrupted (the time budget)
                    if (i % 10_000 === 9_999) yield* Effect.yieldNow()
                  }
                  return l
                })
              )
            })
    })
  })

/**
 * @since 0.1.0
 */
export const layer: Layer.Layer<ReadModel, never, EventStore.EventStore> = Layer.effect(ReadModel, make())
