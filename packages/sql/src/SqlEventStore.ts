/**
 * The core's `EventStore` port on `@effect/sql`, driver-agnostic: the dialect is chosen by the layer that provides
 * the `SqlClient` (see `SqliteEventStore` and `PgEventStore`).
 *
 * - Append with expected version is all or nothing: every write's expected version is checked before any event is
 *   inserted, and a failed check is the core's `StreamVersionConflict`. On PostgreSQL an append is one call of the
 *   `ntm_append` function (one round trip; see `Migrations`); on SQLite, one transaction run from here.
 *   `(stream, stream_version)` is unique, so even a writer that bypasses the store cannot make a stream fork.
 * - The store sets each event's recorded time, from the `Clock`.
 * - Reads can stop at a recorded time (`knownAt`).
 *
 * - A global order no reader can skip: on PostgreSQL every append takes a transaction-scoped advisory lock before it
 *   reads anything or draws positions, so positions are drawn in commit order and a reader of "everything after P"
 *   never meets a position that commits later with a lower number (the gap problem). SQLite has one writer at a time.
 * - Tamper evidence: each event stores two SHA-256 chain hashes (see `HashChain`), in the global log (`hash`) and in
 *   its stream (`stream_hash`); {@link verify} walks the chain and names the first broken event.
 *
 * - Idempotent commands: an append that names an idempotency key stores the key, the SHA-256 of the request's
 *   fingerprint, its outcome and its first position in the same transaction as its events; a retry with the same key
 *   returns the first outcome (marked `replayed`) and appends nothing, and another request under the key fails with
 *   `IdempotencyKeyReused`. `recall` reads a key's outcome and the events its append recorded.
 * - SQLite writers wait their turn: the append's transaction opens with `BEGIN IMMEDIATE` (see `SqliteEventStore`).
 *
 * @since 0.1.0
 */

import type { KeyObject } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { EventStore } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Anchor from "./Anchor.js"
import * as HashChain from "./HashChain.js"
import { immediateTransaction, isBusy } from "./internal/sqlite.js"
import * as Migrations from "./Migrations.js"

/** The columns an event is read back from, in this order. */
const eventColumns = "position, stream_version, type, version, data, recorded_at"

/** An event read as a row of values in the order of {@link eventColumns}. */
const toRecorded = (stream: string, r: ReadonlyArray<unknown>): EventStore.RecordedEvent => ({
  position: Number(r[0]),
  stream,
  streamVersion: Number(r[1]),
  type: r[2] as string,
  version: Number(r[3]),
  data: JSON.parse(r[4] as string),
  recordedAt: Number(r[5])
})

const storeError = (reason: string) => (cause: SqlError) => new EventStore.EventStoreError({ reason, cause })

/** Whether an error is a unique-constraint violation, on either dialect. */
const isUniqueViolation = (e: SqlError): boolean => {
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined
  const code = String(cause?.code ?? "")
  return code === "23505" || code.startsWith("SQLITE_CONSTRAINT") || /UNIQUE constraint/i.test(String(cause?.message))
}

class Conflict {
  constructor(readonly error: EventStore.StreamVersionConflict) {}
}

class Reused {
  constructor(readonly error: EventStore.IdempotencyKeyReused) {}
}

/** What `ntm_append` returns (see `Migrations`). */
type AppendOutcome = {
  readonly results?: ReadonlyArray<EventStore.AppendResult>
  readonly replayed?: boolean
  readonly reused?: boolean
  readonly conflict?: { readonly stream: string; readonly expected: number; readonly actual: number }
  /** The log's last recorded time, when the append's was earlier: nothing was appended (migration 8). */
  readonly behind?: number
}

/** What a key's fingerprint is stored as: its SHA-256, so that a large request keeps a short row. */
const fingerprintDigest = (options: EventStore.AppendOptions | undefined): string | null =>
  options?.fingerprint === undefined ? null : HashChain.sha256(options.fingerprint)

/** A stored outcome, marked replayed. */
const replayedResults = (outcome: string): ReadonlyArray<EventStore.AppendResult> =>
  (JSON.parse(outcome) as ReadonlyArray<EventStore.AppendResult>).map((r) => ({
    streamVersion: r.streamVersion,
    position: r.position,
    replayed: true
  }))

/**
 * SQLite: the outcome stored under the idempotency key (parameter 1) with its fingerprint, the log's last position,
 * hash and recorded time, AUTOINCREMENT's counter, and the version and hash of each stream named in the JSON array of
 * parameter 2.
 */
const sqliteRead = `SELECT 'done' AS kind, fingerprint AS stream, NULL AS n, outcome AS text, NULL AS at
    FROM ntm_idempotency WHERE key = ?
  UNION ALL SELECT 'tail', NULL, position, hash, recorded_at FROM
    (SELECT position, hash, recorded_at FROM ntm_events ORDER BY position DESC LIMIT 1)
  UNION ALL SELECT 'seq', NULL, seq, NULL, NULL FROM sqlite_sequence WHERE name = 'ntm_events'
  UNION ALL SELECT 'head', e.stream, e.stream_version, e.stream_hash, NULL FROM json_each(?) s
    JOIN ntm_events e ON e.stream = s.value
      AND e.stream_version = (SELECT MAX(stream_version) FROM ntm_events WHERE stream = s.value)`

/** Rows per multi-row insert on SQLite: 9 parameters a row, well under SQLite's 32,766 per statement. */
const sqliteChunk = 500

/** `INSERT ... VALUES (?, ...), ...` for `n` events, built once per size. */
const insertStatements = new Map<number, string>()
const insertStatement = (n: number): string => {
  let text = insertStatements.get(n)
  if (text === undefined) {
    text = `INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
      VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`
    insertStatements.set(n, text)
  }
  return text
}

/**
 * Builds the store over the `SqlClient` in context, running the migrations first.
 *
 * @since 0.1.0
 */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* Migrations.run.pipe(
    Effect.mapError((cause) => new EventStore.EventStoreError({ reason: "migration failed", cause }))
  )
  let lastRecordedAt = 0
  // SQLite: the append's transaction takes the write lock before it reads (whatever client provides the connection).
  const writeTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R> =
    sql.onDialectOrElse({
      sqlite: () => immediateTransaction(sql),
      orElse: () => sql.withTransaction
    })

  const versionOf = (stream: string) =>
    Effect.map(
      sql<{ v: number | string | null }>`SELECT MAX(stream_version) AS v FROM ntm_events WHERE stream = ${stream}`,
      (rows) => Number(rows[0]?.v ?? 0)
    )

  /**
   * PostgreSQL: one call of `ntm_append`, one round trip. The writer sends each event's data as JSON text and its
   * content hash; the function draws positions and versions and chains the hashes. In autocommit it is its own
   * transaction; inside the caller's `withTransaction`, it joins it. When the log's last event was recorded later
   * than `recordedAt` (another server's clock is ahead), the function appends nothing and names that time, and the
   * append is made again at it.
   */
  const appendPg = (
    writes: ReadonlyArray<EventStore.StreamWrite>,
    options: EventStore.AppendOptions | undefined,
    recordedAt: number
  ): Effect.Effect<ReadonlyArray<EventStore.AppendResult>, Conflict | Reused | SqlError> => {
    const payload = JSON.stringify(
      writes.map((w) => ({
        stream: w.stream,
        expected: w.expected,
        events: w.events.map((e) => {
          const data = JSON.stringify(e.data)
          return {
            type: e.type,
            version: e.version,
            data,
            content: HashChain.contentHash(w.stream, e.type, e.version, recordedAt, data)
          }
        })
      }))
    )
    return Effect.flatMap(
      sql<{ r: AppendOutcome }>`SELECT ntm_append(${payload}::jsonb, ${options?.idempotencyKey ?? null}::text,
        ${recordedAt}::bigint, ${fingerprintDigest(options)}::text) AS r`,
      (rows): Effect.Effect<ReadonlyArray<EventStore.AppendResult>, Conflict | Reused | SqlError> => {
        const outcome = rows[0]!.r
        if (outcome.conflict !== undefined)
          return Effect.fail(new Conflict(new EventStore.StreamVersionConflict(outcome.conflict)))
        if (outcome.reused === true)
          return Effect.fail(new Reused(new EventStore.IdempotencyKeyReused({ key: options!.idempotencyKey! })))
        if (outcome.behind !== undefined) return appendPg(writes, options, outcome.behind)
        const results = outcome.results ?? []
        return Effect.succeed(outcome.replayed === true ? results.map((r) => ({ ...r, replayed: true })) : results)
      }
    )
  }

  /**
   * SQLite: in process, in one transaction (SQLite has one writer at a time). Every write's expected version is
   * checked before anything is written; then the events go in with their positions, versions and hashes, in
   * multi-row inserts.
   */
  const appendSqlite = (
    writes: ReadonlyArray<EventStore.StreamWrite>,
    options: EventStore.AppendOptions | undefined,
    recordedAt: number
  ) =>
    Effect.gen(function* () {
      const key = options?.idempotencyKey
      const streams = [...new Set(writes.map((w) => w.stream))]
      // Everything the append needs to know, in one statement.
      const known = yield* sql.unsafe<{
        kind: "done" | "tail" | "seq" | "head"
        stream: string | null
        n: number | null
        text: string | null
        at: number | null
      }>(sqliteRead, [key ?? null, JSON.stringify(streams)])
      let tail: { position: number; hash: string; recordedAt: number } | undefined
      let seq = 0
      const versions = new Map<string, number>()
      const tips = new Map<string, string>()
      const fingerprint = fingerprintDigest(options)
      for (const r of known) {
        if (r.kind === "done") {
          // The key's request: another one is a reuse; the same one (or one recorded unchecked) is a retry.
          if (r.stream !== null && fingerprint !== null && r.stream !== fingerprint)
            return yield* Effect.fail(new Reused(new EventStore.IdempotencyKeyReused({ key: key! })))
          return replayedResults(r.text!)
        }
        if (r.kind === "tail") tail = { position: r.n!, hash: r.text ?? HashChain.genesis, recordedAt: r.at ?? 0 }
        else if (r.kind === "seq") seq = r.n!
        else {
          versions.set(r.stream!, r.n!)
          tips.set(r.stream!, r.text ?? HashChain.genesis)
        }
      }
      // Every write's expected version, before anything is written.
      const starts: Array<number> = []
      for (const w of writes) {
        const actual = versions.get(w.stream) ?? 0
        if (w.expected !== "any" && w.expected !== actual) {
          return yield* Effect.fail(
            new Conflict(new EventStore.StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
          )
        }
        starts.push(actual)
        versions.set(w.stream, actual + w.events.length)
      }
      // Never earlier than the log's last event, even when another process's clock is ahead of this one's.
      const at = Math.max(recordedAt, tail?.recordedAt ?? 0)
      let previous = tail?.hash ?? HashChain.genesis
      // The next position as AUTOINCREMENT would draw it, never reusing one.
      let position = Math.max(tail?.position ?? 0, seq)
      const first = position + 1
      const results: Array<EventStore.AppendResult> = []
      let params: Array<unknown> = []
      let rows = 0
      for (let i = 0; i < writes.length; i++) {
        const w = writes[i]!
        let streamVersion = starts[i]!
        let streamPrevious = tips.get(w.stream) ?? HashChain.genesis
        for (const e of w.events) {
          const data = JSON.stringify(e.data)
          const content = HashChain.contentHash(w.stream, e.type, e.version, at, data)
          position++
          streamVersion++
          previous = HashChain.chainHash(previous, position, content)
          streamPrevious = HashChain.chainHash(streamPrevious, streamVersion, content)
          params.push(position, w.stream, streamVersion, e.type, e.version, data, at, previous, streamPrevious)
          if (++rows === sqliteChunk) {
            yield* sql.unsafe(insertStatement(rows), params)
            params = []
            rows = 0
          }
        }
        tips.set(w.stream, streamPrevious)
        results.push({ streamVersion, position: w.events.length > 0 ? position : 0 })
      }
      if (rows > 0) yield* sql.unsafe(insertStatement(rows), params)
      if (key !== undefined) {
        yield* sql`INSERT INTO ntm_idempotency (key, outcome, fingerprint, first_position)
          VALUES (${key}, ${JSON.stringify(results)}, ${fingerprint}, ${position >= first ? first : null})`
      }
      return results
    }).pipe(
      writeTransaction,
      // Another process held the write lock for longer than the busy timeout: try again, twice.
      Effect.retry({ times: 2, while: isBusy })
    )

  const appendIn = sql.onDialectOrElse({ pg: () => appendPg, orElse: () => appendSqlite })

  const appendMany = (
    writes: ReadonlyArray<EventStore.StreamWrite>,
    options?: EventStore.AppendOptions
  ): Effect.Effect<
    ReadonlyArray<EventStore.AppendResult>,
    EventStore.StreamVersionConflict | EventStore.IdempotencyKeyReused | EventStore.EventStoreError
  > =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const recordedAt = Math.max(now, lastRecordedAt)
      return appendIn(writes, options, recordedAt).pipe(
        Effect.tap(() => {
          lastRecordedAt = recordedAt
        }),
        Effect.catchAll(
          (
            e
          ): Effect.Effect<
            never,
            EventStore.StreamVersionConflict | EventStore.IdempotencyKeyReused | EventStore.EventStoreError
          > => {
            if (e instanceof Conflict || e instanceof Reused) return Effect.fail(e.error)
            if (isUniqueViolation(e)) {
              // A writer that does not take the append lock committed to one of the streams meanwhile.
              const w = writes[0]!
              return Effect.flatMap(
                Effect.orElseSucceed(versionOf(w.stream), () => -1),
                (actual) =>
                  Effect.fail(new EventStore.StreamVersionConflict({ stream: w.stream, expected: w.expected, actual }))
              )
            }
            return Effect.fail(
              new EventStore.EventStoreError({
                reason: isBusy(e)
                  ? "append failed: another process held the database's write lock past the busy timeout"
                  : "append failed",
                cause: e
              })
            )
          }
        )
      )
    })

  /** The outcome under a key and the events its append recorded (contiguous positions, drawn under the lock). */
  const recall = (key: string, fingerprint?: string) =>
    Effect.gen(function* () {
      const rows = yield* sql<{
        outcome: string
        fingerprint: string | null
        first_position: number | string | null
      }>`SELECT outcome, fingerprint, first_position FROM ntm_idempotency WHERE key = ${key}`
      const row = rows[0]
      if (row === undefined) return undefined
      const digest = fingerprintDigest(fingerprint === undefined ? undefined : { fingerprint })
      if (row.fingerprint !== null && digest !== null && row.fingerprint !== digest)
        return yield* Effect.fail(new EventStore.IdempotencyKeyReused({ key }))
      const results = replayedResults(row.outcome)
      const first = Number(row.first_position ?? 0)
      const last = Math.max(0, ...results.map((r) => r.position))
      const events =
        first === 0 || last === 0
          ? []
          : (yield* sql`SELECT ${sql.literal(eventColumns)}, stream FROM ntm_events
              WHERE position >= ${first} AND position <= ${last} ORDER BY position`.values).map((r) =>
              toRecorded(r[6] as string, r)
            )
      return { results, events } satisfies EventStore.RecordedOutcome
    }).pipe(
      Effect.catchTag("SqlError", (cause) => Effect.fail(storeError("recalling an idempotency key failed")(cause)))
    )

  const readStream = (stream: string, options?: EventStore.ReadStreamOptions) =>
    sql`SELECT ${sql.literal(eventColumns)} FROM ntm_events WHERE stream = ${stream}
      AND stream_version >= ${options?.fromVersion ?? 1}
      AND recorded_at <= ${options?.knownAt ?? Number.MAX_SAFE_INTEGER} ORDER BY stream_version`.values.pipe(
      Effect.map((rows) => rows.map((r) => toRecorded(stream, r))),
      Effect.mapError(storeError(`reading ${stream} failed`))
    )

  const pageSize = 1000
  const readAll = (options?: EventStore.ReadAllOptions) =>
    Stream.paginateChunkEffect(options?.after ?? 0, (after) =>
      sql`SELECT ${sql.literal(eventColumns)}, stream FROM ntm_events WHERE position > ${after}
        AND recorded_at <= ${options?.knownAt ?? Number.MAX_SAFE_INTEGER} ORDER BY position LIMIT ${pageSize}`.values.pipe(
        Effect.map((rows) => {
          const events = rows.map((r) => toRecorded(r[6] as string, r))
          const last = events.at(-1)
          return [
            Chunk.unsafeFromArray(events),
            rows.length < pageSize || last === undefined ? Option.none() : Option.some(last.position)
          ] as const
        }),
        Effect.mapError(storeError("reading the log failed"))
      )
    )

  return EventStore.EventStore.of({
    appendMany,
    append: (stream, expected, events, options) =>
      Effect.map(appendMany([{ stream, expected, events }], options), (r) => r[0]!),
    recall,
    readStream,
    readAll
  })
})

/**
 * The store as a layer over the `SqlClient` in context.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<EventStore.EventStore, EventStore.EventStoreError, SqlClient.SqlClient> = Layer.effect(
  EventStore.EventStore,
  make
)

/** Rows per page when verifying. */
const verifyPage = 5000

/**
 * The position of the last event in the log (0 when it is empty).
 *
 * @since 0.1.0
 */
export const lastPosition = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ readonly p: number | string | bigint | null }>`SELECT MAX(position) AS p FROM ntm_events`
).pipe(
  Effect.map((rows) => Number(rows[0]?.p ?? 0)),
  Effect.mapError((cause) => new EventStore.EventStoreError({ reason: "reading the last position failed", cause }))
)

/**
 * Where a hash chain breaks.
 *
 * @since 0.1.0
 */
export interface Break {
  readonly position: number
  readonly stream: string
  readonly streamVersion: number
  readonly chain: "global" | "stream"
  readonly expected: string
  readonly found: string | null
}

/**
 * A stored hash that does not match the one recomputed from the event's row and the hash before it: an event edited,
 * inserted or removed behind the store's back (`intact`: how many events the walk passed before it).
 *
 * @since 0.1.0
 */
export const HashMismatch = Schema.TaggedStruct("HashMismatch", {
  position: Schema.Number,
  stream: Schema.String,
  streamVersion: Schema.Number,
  chain: Schema.Literal("global", "stream"),
  expected: Schema.String,
  found: Schema.NullOr(Schema.String),
  intact: Schema.Number
})

/**
 * A position that does not follow the one before it: events deleted, and the log appended to again.
 *
 * @since 0.1.0
 */
export const PositionJump = Schema.TaggedStruct("PositionJump", {
  position: Schema.Number,
  expected: Schema.Number
})

/**
 * An event recorded before the event ahead of it in the log: a recording time set back behind the store's back
 * (the store never records one earlier than the log's last).
 *
 * @since 0.1.0
 */
export const TimeReversed = Schema.TaggedStruct("TimeReversed", {
  position: Schema.Number,
  recordedAt: Schema.Number,
  previous: Schema.Number
})

/**
 * The log disagrees with a signed anchor: the global hash at the anchored position is not the one signed (`found`
 * null: the position is missing). The change is at or before `position`, after `after` (the last anchored position
 * that agreed, 0 for none).
 *
 * @since 0.1.0
 */
export const AnchorMismatch = Schema.TaggedStruct("AnchorMismatch", {
  position: Schema.Number,
  key: Schema.String,
  anchored: Schema.String,
  found: Schema.NullOr(Schema.String),
  after: Schema.Number
})

/**
 * The log ends before the last signed anchor: its last events were deleted.
 *
 * @since 0.1.0
 */
export const Truncated = Schema.TaggedStruct("Truncated", {
  anchored: Schema.Number,
  key: Schema.String,
  head: Schema.Number
})

/**
 * An anchor whose signature does not verify under the public key its id names, or whose key is not among those
 * given: the published file was altered, or it is checked with the wrong key.
 *
 * @since 0.1.0
 */
export const AnchorUnverified = Schema.TaggedStruct("AnchorUnverified", {
  line: Schema.Number,
  position: Schema.Number,
  key: Schema.String,
  reason: Schema.Literal("bad signature", "unknown key")
})

/**
 * What {@link verify} finds wrong.
 *
 * @since 0.1.0
 */
export const Fault = Schema.Union(HashMismatch, PositionJump, TimeReversed, AnchorMismatch, Truncated, AnchorUnverified)

/**
 * @since 0.1.0
 */
export type Fault = typeof Fault.Type

/**
 * What {@link verify} found: the events it walked, the first fault of each kind (in the order met), the first broken
 * hash as a {@link Break}, and how many anchors it held the log to.
 *
 * @since 0.1.0
 */
export interface Verified {
  readonly checked: number
  readonly broken: Break | undefined
  readonly faults: ReadonlyArray<Fault>
  readonly anchors: number
}

/**
 * Walks the log in order from a position (default: the start), recomputing every event's hashes (see `HashChain`)
 * from its row as stored, and reports the first fault of each kind:
 *
 * - a stored hash that does not match (an event edited, inserted or removed behind the store's back);
 * - a position that does not follow the one before (events deleted, then appended to again);
 * - a recording time earlier than the one before (back-dated);
 * - with anchors (see `Anchor`): an anchor whose signature does not verify, an anchored position whose recomputed
 *   hash is not the one signed or that is missing (the log rewritten and every hash recomputed), and a log that ends
 *   before its last anchor (the last events deleted).
 *
 * Starting past the start trusts the hashes stored just before, and skips the anchors before `from`.
 *
 * @since 0.1.0
 */
export const verify = (options?: {
  readonly from?: number
  readonly anchors?: {
    readonly list: ReadonlyArray<{ readonly line: number; readonly anchor: Anchor.Anchor }>
    readonly keys: ReadonlyMap<string, KeyObject>
  }
}): Effect.Effect<Verified, EventStore.EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const from = options?.from ?? 1
    const faults: Array<Fault> = []
    const found = (fault: Fault) => {
      if (!faults.some((f) => f._tag === fault._tag)) faults.push(fault)
    }
    // Anchors whose signatures verify, in order of position; the others are faults.
    const anchors: Array<Anchor.Anchor> = []
    for (const { line, anchor } of options?.anchors?.list ?? []) {
      const outcome = Anchor.check(anchor, options!.anchors!.keys)
      if (outcome === "good") {
        if (anchor.position >= from) anchors.push(anchor)
      } else found({ _tag: "AnchorUnverified", line, position: anchor.position, key: anchor.key, reason: outcome })
    }
    anchors.sort((a, b) => a.position - b.position)
    let next = 0
    let agreed = 0
    const before = yield* sql<{
      position: number | string
      hash: string | null
      recorded_at: number | string
    }>`SELECT position, hash, recorded_at FROM ntm_events WHERE position < ${from} ORDER BY position DESC LIMIT 1`
    let previous = before[0]?.hash ?? HashChain.genesis
    let lastPosition = before[0] === undefined ? from - 1 : Number(before[0].position)
    let lastRecordedAt = before[0] === undefined ? Number.NEGATIVE_INFINITY : Number(before[0].recorded_at)
    const streams = new Map<string, string>()
    let checked = 0
    let broken: Break | undefined
    let after = from - 1
    for (;;) {
      const rows = yield* sql`SELECT position, stream, stream_version, type, version, data, recorded_at, hash,
        stream_hash FROM ntm_events WHERE position > ${after} ORDER BY position LIMIT ${verifyPage}`.values
      if (rows.length === 0) break
      for (const r of rows) {
        const position = Number(r[0])
        const stream = r[1] as string
        const streamVersion = Number(r[2])
        const recordedAt = Number(r[6])
        const hash = r[7] as string | null
        const streamHash = r[8] as string | null
        // Anchored positions the walk stepped over are missing.
        while (next < anchors.length && anchors[next]!.position < position) {
          const a = anchors[next++]!
          found({
            _tag: "AnchorMismatch",
            position: a.position,
            key: a.key,
            anchored: a.hash,
            found: null,
            after: agreed
          })
        }
        if (position !== lastPosition + 1) found({ _tag: "PositionJump", position, expected: lastPosition + 1 })
        if (recordedAt < lastRecordedAt) found({ _tag: "TimeReversed", position, recordedAt, previous: lastRecordedAt })
        let streamPrevious = streams.get(stream)
        if (streamPrevious === undefined) {
          // The first event of this stream met on the walk: its predecessor, if any, is before `from`.
          const prior =
            streamVersion === 1
              ? []
              : yield* sql<{ stream_hash: string | null }>`SELECT stream_hash FROM ntm_events
                  WHERE stream = ${stream} AND stream_version = ${streamVersion - 1}`
          streamPrevious = prior[0]?.stream_hash ?? HashChain.genesis
        }
        const content = HashChain.contentHash(stream, r[3] as string, Number(r[4]), recordedAt, r[5] as string)
        const expected = HashChain.chainHash(previous, position, content)
        const expectedStream = HashChain.chainHash(streamPrevious, streamVersion, content)
        const mismatch =
          hash !== expected
            ? { chain: "global" as const, expected, found: hash }
            : streamHash !== expectedStream
              ? { chain: "stream" as const, expected: expectedStream, found: streamHash }
              : undefined
        if (mismatch !== undefined && broken === undefined) {
          broken = { position, stream, streamVersion, ...mismatch }
          found({ _tag: "HashMismatch", ...broken, intact: checked })
        }
        // The walk goes on with the hashes it computed, so an anchor is held to the log as it reads now.
        previous = expected
        streams.set(stream, expectedStream)
        while (next < anchors.length && anchors[next]!.position === position) {
          const a = anchors[next++]!
          if (a.hash === expected) agreed = position
          else found({ _tag: "AnchorMismatch", position, key: a.key, anchored: a.hash, found: expected, after: agreed })
        }
        lastPosition = position
        lastRecordedAt = recordedAt
        checked++
        after = position
      }
    }
    if (next < anchors.length) {
      const last = anchors[anchors.length - 1]!
      found({ _tag: "Truncated", anchored: last.position, key: last.key, head: lastPosition })
    }
    return { checked, broken, faults, anchors: anchors.length }
  }).pipe(
    Effect.mapError((cause) =>
      cause instanceof EventStore.EventStoreError
        ? cause
        : new EventStore.EventStoreError({ reason: "verifying the chain failed", cause })
    )
  )
