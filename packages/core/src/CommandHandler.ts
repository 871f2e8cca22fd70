/**
 * The command-handling shell: load a stream, fold it, decide, append with the expected version, and retry when
 * another writer got there first.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import type { Decider } from "./Decider.js"
import {
  EventStore,
  type EventStoreError,
  type IdempotencyKeyReused,
  type RecordedOutcome,
  StreamVersionConflict
} from "./EventStore.js"
import { type DomainEvent, decode, type EventDecodeError, type EventNotStorable, encodeChecked } from "./Events.js"
import { canonicalJson } from "./internal/canonicalJson.js"

/**
 * What handling a command did.
 *
 * @since 0.1.0
 */
export interface Outcome<E> {
  /** The events appended; empty when the command was already satisfied. */
  readonly events: ReadonlyArray<E>
  /** The stream's version after the command. */
  readonly streamVersion: number
}

/**
 * Folded stream states kept between commands, so that loading a stream reads only the events appended since (a
 * stream's events never change, so a state folded up to a version stays true). States are immutable; the cache
 * lets the least recently used go past its capacity.
 *
 * @since 0.1.0
 */
export interface StateCache {
  readonly get: (decider: object, stream: string) => { readonly state: unknown; readonly version: number } | undefined
  readonly set: (decider: object, stream: string, entry: { readonly state: unknown; readonly version: number }) => void
}

/**
 * A cache of at most `capacity` stream states (default 10,000).
 *
 * @since 0.1.0
 */
export const makeStateCache = (capacity = 10_000): StateCache => {
  const ids = new WeakMap<object, number>()
  let next = 0
  const entries = new Map<string, { readonly state: unknown; readonly version: number }>()
  const key = (decider: object, stream: string) => {
    let id = ids.get(decider)
    if (id === undefined) {
      id = next++
      ids.set(decider, id)
    }
    return `${id}\t${stream}`
  }
  return {
    get: (decider, stream) => {
      const k = key(decider, stream)
      const hit = entries.get(k)
      if (hit !== undefined) {
        entries.delete(k)
        entries.set(k, hit)
      }
      return hit
    },
    set: (decider, stream, entry) => {
      const k = key(decider, stream)
      const old = entries.get(k)
      if (old !== undefined && old.version >= entry.version) return
      entries.delete(k)
      if (entries.size >= capacity) entries.delete(entries.keys().next().value!)
      entries.set(k, entry)
    }
  }
}

/**
 * The state cache that {@link load} uses, if any (none by default: every load folds the whole stream). A server
 * that handles many commands provides one.
 *
 * @since 0.1.0
 */
export class CurrentStateCache extends Context.Reference<CurrentStateCache>()("@ntm/core/CommandHandler/StateCache", {
  defaultValue: (): { readonly cache: StateCache | undefined } => ({ cache: undefined })
}) {}

/**
 * The streams read while a command is decided, each with the version it was read at (the first read counts). The
 * handler appends a guard for each (a write of no events at that version), so that a decision resting on a stream
 * another server has changed since is refused as a version conflict and decided again on what is recorded now.
 */
const currentReads = FiberRef.unsafeMake<Map<string, number> | undefined>(undefined)

/**
 * Reads a stream and folds it with a decider, returning the state and the version it was read at. With a
 * {@link CurrentStateCache}, reads only the events after the cached version (reads "as known at" bypass it).
 *
 * @since 0.1.0
 */
export const load = <E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S, unknown, never>, "initial" | "evolve">,
  stream: string,
  options?: { readonly knownAt?: number }
): Effect.Effect<{ readonly state: S; readonly version: number }, EventStoreError | EventDecodeError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const { cache } = yield* CurrentStateCache
    const cached = cache === undefined || options?.knownAt !== undefined ? undefined : cache.get(decider, stream)
    const recorded = yield* store.readStream(
      stream,
      cached === undefined ? options : { ...options, fromVersion: cached.version + 1 }
    )
    let state = cached === undefined ? decider.initial : (cached.state as S)
    for (const r of recorded) {
      const d = decode(r)
      if (Either.isLeft(d)) return yield* Effect.fail(d.left)
      state = decider.evolve(state, d.right.event as E)
    }
    const version = recorded.at(-1)?.streamVersion ?? cached?.version ?? 0
    if (cache !== undefined && options?.knownAt === undefined && recorded.length > 0)
      cache.set(decider, stream, { state, version })
    if (options?.knownAt === undefined) {
      const reads = yield* FiberRef.get(currentReads)
      if (reads !== undefined && !reads.has(stream)) reads.set(stream, version)
    }
    return { state, version }
  })

/**
 * Handles a command against one stream. The context is loaded afresh on every attempt, from the state just read.
 *
 * With an idempotency key, the command is recorded with its outcome (also when it is already satisfied and appends
 * nothing), under a fingerprint of the request: the stream, the command (its caller included) and the expected
 * version. A retry is recognised before anything else, the expected version included, and answers the outcome
 * recorded the first time, its events read back from the store; the key with another request fails with
 * `IdempotencyKeyReused`. Two requests with one key at once append once (the store decides) and answer the same.
 *
 * @since 0.1.0
 */
export const handle = <C, E extends DomainEvent, S, R, Ctx, CtxE = never, CtxR = never, AE = never>(options: {
  readonly decider: Decider<C, E, S, R, Ctx>
  readonly stream: string
  readonly command: C
  readonly context: (state: S) => Effect.Effect<Ctx, CtxE, CtxR>
  /** Attempts before a version conflict is given up and returned (default 5). */
  readonly maxAttempts?: number
  /** Names the command so that a retry of it appends nothing (see `EventStore.AppendOptions`). */
  readonly idempotencyKey?: string
  /**
   * The stream version the caller last read (an HTTP `If-Match`): when the stream has moved on, the command fails
   * with `StreamVersionConflict` and is not retried.
   */
  readonly expectedVersion?: number
  /**
   * Writes to other streams that must commit in the same transaction as the decided events (a recognition decided
   * by a dossier is also a recognition of the unit). Each names the stream version it was decided on.
   */
  readonly alongside?: (
    events: ReadonlyArray<E>,
    context: Ctx
  ) => Effect.Effect<
    ReadonlyArray<{ readonly stream: string; readonly expected: number; readonly events: ReadonlyArray<DomainEvent> }>,
    AE | EventStoreError | EventDecodeError,
    EventStore | CtxR
  >
}): Effect.Effect<
  Outcome<E>,
  R | EventDecodeError | EventNotStorable | EventStoreError | StreamVersionConflict | IdempotencyKeyReused | CtxE | AE,
  EventStore | CtxR
> => {
  const key = options.idempotencyKey
  const fingerprint =
    key === undefined
      ? undefined
      : canonicalJson({ stream: options.stream, command: options.command, expected: options.expectedVersion ?? null })
  /** The outcome recorded under the key, if any: the stream's version then and its events appended then. */
  const recalled = Effect.gen(function* () {
    if (key === undefined) return undefined
    const recorded = yield* Effect.flatMap(EventStore, (store) => store.recall(key, fingerprint))
    return recorded === undefined ? undefined : yield* replay(recorded)
  })
  const replay = (recorded: RecordedOutcome) =>
    Effect.gen(function* () {
      const events: Array<E> = []
      for (const r of recorded.events) {
        if (r.stream !== options.stream) continue
        const d = decode(r)
        if (Either.isLeft(d)) return yield* Effect.fail(d.left)
        events.push(d.right.event as E)
      }
      return { events, streamVersion: recorded.results[0]!.streamVersion } satisfies Outcome<E>
    })
  const attempt = Effect.gen(function* () {
    const done = yield* recalled
    if (done !== undefined) return done
    const { state, version } = yield* load(options.decider, options.stream)
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      return yield* Effect.fail(
        new StreamVersionConflict({ stream: options.stream, expected: options.expectedVersion, actual: version })
      )
    }
    // Every other stream the decision reads (the hierarchy, catalogs, other units' records) is noted with its version.
    const reads = new Map<string, number>()
    const context = yield* Effect.locally(options.context(state), currentReads, reads)
    const decided = options.decider.decide(options.command, state, context)
    if (Either.isLeft(decided)) return yield* Effect.fail(decided.left)
    const events = decided.right
    // Already satisfied: nothing to append, and nothing to record unless a key is to remember the answer.
    if (events.length === 0 && key === undefined) return { events, streamVersion: version }
    const store = yield* EventStore
    const others =
      options.alongside === undefined || events.length === 0
        ? []
        : yield* Effect.locally(options.alongside(events, context), currentReads, reads)
    const written = others.filter((w) => w.events.length > 0)
    // A guard for each stream read and not written: the append is refused if any has moved since it was read.
    const guards = [...reads]
      .filter(([stream]) => stream !== options.stream && !written.some((w) => w.stream === stream))
      .map(([stream, expected]) => ({ stream, expected, events: [] }))
    // Every event is checked to read back as decided before anything is appended (see `Events.encodeChecked`).
    const writes = yield* Effect.forEach(
      [{ stream: options.stream, expected: version, events }, ...written, ...guards],
      (w) =>
        Effect.map(
          Effect.forEach(w.events, (e) => encodeChecked(w.stream, e)),
          (encoded) => ({ stream: w.stream, expected: w.expected, events: encoded })
        )
    )
    const results = yield* store.appendMany(
      writes,
      key === undefined ? {} : { idempotencyKey: key, ...(fingerprint === undefined ? {} : { fingerprint }) }
    )
    // The same request under the same key committed first (from another server): answer what it recorded.
    if (results[0]!.replayed === true) {
      const done = yield* recalled
      if (done !== undefined) return done
    }
    return { events, streamVersion: results[0]!.streamVersion } satisfies Outcome<E>
  }).pipe(
    // A conflict met by a keyed command may be its own retry having committed meanwhile.
    Effect.catchTag("StreamVersionConflict", (conflict) =>
      Effect.flatMap(recalled, (done) => (done === undefined ? Effect.fail(conflict) : Effect.succeed(done)))
    )
  )
  return Effect.retry(attempt, {
    times: (options.maxAttempts ?? 5) - 1,
    // With an expected version, a conflict on the command's own stream is the caller's to resolve; one on a stream
    // the decision only read is decided again.
    while: (e) =>
      typeof e === "object" &&
      e !== null &&
      "_tag" in e &&
      e._tag === "StreamVersionConflict" &&
      (options.expectedVersion === undefined || (e as StreamVersionConflict).stream !== options.stream)
  })
}
