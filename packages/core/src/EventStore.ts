/**
 * The event store port: append with an expected version, read a stream, read everything in global order.
 *
 * The store sets each event's recorded time and global position; the domain sets its effective date. Reads can
 * stop at a recorded time (`knownAt`) to answer "what did the record say then". Adapters (SQLite, PostgreSQL) live
 * in other packages; {@link layerMemory} is the in-memory implementation for tests, examples and browsers.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

/**
 * An event to append: its type, the version of its schema, and its encoded data (JSON-compatible).
 *
 * @since 0.1.0
 */
export interface EventData {
  readonly type: string
  readonly version: number
  readonly data: unknown
}

/**
 * An event as stored.
 *
 * @since 0.1.0
 */
export interface RecordedEvent extends EventData {
  /** Position in the global log, from 1, increasing. */
  readonly position: number
  readonly stream: string
  /** Position in its stream, from 1, contiguous. */
  readonly streamVersion: number
  /** When the store recorded it, epoch milliseconds. */
  readonly recordedAt: number
}

/**
 * The version a writer expects a stream to be at: the number of events it holds (0: the stream must not exist),
 * or `"any"`.
 *
 * @since 0.1.0
 */
export type ExpectedVersion = number | "any"

/**
 * The stream was not at the expected version: someone else wrote first.
 *
 * @since 0.1.0
 */
export class StreamVersionConflict extends Schema.TaggedError<StreamVersionConflict>()("StreamVersionConflict", {
  stream: Schema.String,
  expected: Schema.Union(Schema.Number, Schema.Literal("any")),
  actual: Schema.Number
}) {
  override get message() {
    return `Xung đột phiên bản / version conflict on ${this.stream}: expected ${this.expected}, found ${this.actual}`
  }
}

/**
 * The store failed (I/O, a broken connection, a corrupted row).
 *
 * @since 0.1.0
 */
export class EventStoreError extends Schema.TaggedError<EventStoreError>()("EventStoreError", {
  reason: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message() {
    return `Lỗi kho sự kiện / event store error: ${this.reason}`
  }
}

/**
 * An idempotency key was recorded for another request: the key names one command, and this one differs from it.
 *
 * @since 0.1.0
 */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String
}) {
  override get message() {
    return `Khóa chống lặp đã dùng cho một yêu cầu khác / the idempotency key ${this.key} was used for another request`
  }
}

/** @since 0.1.0 */
export interface AppendResult {
  /** The stream's version after the append. */
  readonly streamVersion: number
  /** The global position of the last event appended (0 when nothing was appended). */
  readonly position: number
  /**
   * `true` when the append named an idempotency key already recorded: this is the outcome recorded with the key, and
   * nothing was appended now.
   */
  readonly replayed?: boolean
}

/**
 * What the store recorded under an idempotency key: the outcome of the append, and the events it appended.
 *
 * @since 0.1.0
 */
export interface RecordedOutcome {
  /** The append's results, one per write, each marked `replayed`. */
  readonly results: ReadonlyArray<AppendResult>
  /**
   * The events the append recorded, in order (empty when it appended none, and for keys recorded by earlier builds,
   * which did not keep where their events began).
   */
  readonly events: ReadonlyArray<RecordedEvent>
}

/** One stream's part of a multi-stream append. @since 0.1.0 */
export interface StreamWrite {
  readonly stream: string
  readonly expected: ExpectedVersion
  readonly events: ReadonlyArray<EventData>
}

/**
 * Options of an append.
 *
 * @since 0.1.0
 */
export interface AppendOptions {
  /**
   * A key naming the command: the first append with a key is recorded with its outcome, in the same transaction as
   * its events (also when it appends none); an append retried with the same key returns that first outcome, marked
   * `replayed`, and appends nothing.
   */
  readonly idempotencyKey?: string
  /**
   * What the request was (any text that is equal for equal requests, such as a canonical JSON of the command, its
   * caller and the version it expects), kept with the key (SQL stores keep its SHA-256): an append or a
   * {@link EventStoreService.recall} naming the key with another fingerprint fails with {@link IdempotencyKeyReused}.
   * Without one, the key is not checked (keys recorded by earlier builds have none).
   */
  readonly fingerprint?: string
}

/** @since 0.1.0 */
export interface ReadStreamOptions {
  /** Read from this stream version on (inclusive). */
  readonly fromVersion?: number
  /** Only events recorded at or before this time (epoch ms). */
  readonly knownAt?: number
}

/** @since 0.1.0 */
export interface ReadAllOptions {
  /** Read events after this global position (exclusive). */
  readonly after?: number
  readonly knownAt?: number
}

/**
 * @since 0.1.0
 */
export interface EventStoreService {
  /** Appends to one stream if it is at the expected version; all or nothing. */
  readonly append: (
    stream: string,
    expected: ExpectedVersion,
    events: ReadonlyArray<EventData>,
    options?: AppendOptions
  ) => Effect.Effect<AppendResult, StreamVersionConflict | IdempotencyKeyReused | EventStoreError>
  /** Appends to several streams in one transaction: all or nothing. */
  readonly appendMany: (
    writes: ReadonlyArray<StreamWrite>,
    options?: AppendOptions
  ) => Effect.Effect<ReadonlyArray<AppendResult>, StreamVersionConflict | IdempotencyKeyReused | EventStoreError>
  /**
   * The outcome recorded under an idempotency key, or `undefined` when none is; fails with
   * {@link IdempotencyKeyReused} when the key was recorded with another fingerprint.
   */
  readonly recall: (
    key: string,
    fingerprint?: string
  ) => Effect.Effect<RecordedOutcome | undefined, IdempotencyKeyReused | EventStoreError>
  readonly readStream: (
    stream: string,
    options?: ReadStreamOptions
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, EventStoreError>
  /** Every event in global order. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, EventStoreError>
}

/**
 * @since 0.1.0
 */
export class EventStore extends Context.Tag("@ntm/core/EventStore")<EventStore, EventStoreService>() {}

/**
 * An in-memory event store. Recorded times come from the `Clock` (so `TestClock` controls them) and never go
 * backwards. Appends are atomic: the whole batch is checked before anything is written, in one synchronous step.
 *
 * @since 0.1.0
 */
export const makeMemory: Effect.Effect<EventStoreService> = Effect.sync(() => {
  // Append-only arrays: a reader's snapshot is a length, since recorded events are never changed.
  const log: Array<RecordedEvent> = []
  const streams = new Map<string, Array<RecordedEvent>>()
  let lastRecordedAt = 0
  /** Each key's outcome: the fingerprint it was recorded with, its results, and the positions it appended. */
  const outcomes = new Map<
    string,
    { readonly fingerprint: string | undefined; readonly results: ReadonlyArray<AppendResult>; readonly from: number }
  >()
  /** The outcome under a key, marked replayed; a reuse when the fingerprints differ. */
  const recalled = (
    key: string,
    fingerprint: string | undefined
  ): Either.Either<RecordedOutcome | undefined, IdempotencyKeyReused> => {
    const done = outcomes.get(key)
    if (done === undefined) return Either.right(undefined)
    if (done.fingerprint !== undefined && fingerprint !== undefined && done.fingerprint !== fingerprint)
      return Either.left(new IdempotencyKeyReused({ key }))
    const results = done.results.map((r) => ({ ...r, replayed: true }))
    const last = Math.max(0, ...done.results.map((r) => r.position))
    return Either.right({ results, events: last === 0 ? [] : log.slice(done.from - 1, last) })
  }
  const appendMany = (writes: ReadonlyArray<StreamWrite>, options?: AppendOptions) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.suspend((): Effect.Effect<ReadonlyArray<AppendResult>, StreamVersionConflict | IdempotencyKeyReused> => {
        const key = options?.idempotencyKey
        if (key !== undefined) {
          const done = recalled(key, options?.fingerprint)
          if (Either.isLeft(done)) return Effect.fail(done.left)
          if (done.right !== undefined) return Effect.succeed(done.right.results)
        }
        const pending = new Map<string, number>()
        for (const w of writes) {
          const actual = pending.get(w.stream) ?? streams.get(w.stream)?.length ?? 0
          if (w.expected !== "any" && w.expected !== actual) {
            return Effect.fail(new StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
          }
          pending.set(w.stream, actual + w.events.length)
        }
        const recordedAt = Math.max(now, lastRecordedAt)
        lastRecordedAt = recordedAt
        const from = log.length + 1
        const results: Array<AppendResult> = []
        for (const w of writes) {
          let current = streams.get(w.stream)
          if (current === undefined) {
            current = []
            streams.set(w.stream, current)
          }
          for (const e of w.events) {
            const recorded: RecordedEvent = {
              type: e.type,
              version: e.version,
              data: e.data,
              stream: w.stream,
              streamVersion: current.length + 1,
              position: log.length + 1,
              recordedAt
            }
            current.push(recorded)
            log.push(recorded)
          }
          results.push({ streamVersion: current.length, position: w.events.length > 0 ? log.length : 0 })
        }
        if (key !== undefined) outcomes.set(key, { fingerprint: options?.fingerprint, results, from })
        return Effect.succeed(results)
      })
    )
  const visible = (e: RecordedEvent, knownAt: number | undefined) => knownAt === undefined || e.recordedAt <= knownAt
  return EventStore.of({
    appendMany,
    append: (stream, expected, events, options) =>
      Effect.map(appendMany([{ stream, expected, events }], options), (results) => results[0]!),
    recall: (key, fingerprint) => Effect.suspend(() => recalled(key, fingerprint)),
    readStream: (stream, options) =>
      Effect.sync(() =>
        (streams.get(stream) ?? []).filter(
          (e) => e.streamVersion >= (options?.fromVersion ?? 1) && visible(e, options?.knownAt)
        )
      ),
    readAll: (options) =>
      Stream.suspend(() => {
        const end = log.length
        const from = options?.after ?? 0
        return Stream.fromIterable(log.slice(from, end)).pipe(Stream.filter((e) => visible(e, options?.knownAt)))
      })
  })
})

/**
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<EventStore> = Layer.effect(EventStore, makeMemory)
