/**
 * The event store in one SQLite file (better-sqlite3): the embedded default, with nothing to set up.
 *
 * - Durable by default: `synchronous = FULL`, so an append acknowledged is on disk, through a power cut. `"normal"`
 *   (the WAL default of the driver) is faster, survives a crash of the process, but may lose the last appends
 *   acknowledged before a power cut or a crash of the machine.
 * - Writers wait their turn: every transaction opens with `BEGIN IMMEDIATE` and waits for the write lock up to the
 *   busy timeout (5 s by default), so a second process on the same file (`ntm evidence import` beside `ntm serve`, a
 *   second server) makes a writer wait, never fail on a stale snapshot (`SQLITE_BUSY_SNAPSHOT`). The store retries an
 *   append that still found the file locked after that wait, twice.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type { ConfigError } from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { withImmediateTransactions } from "./internal/sqlite.js"
import * as SqlEventStore from "./SqlEventStore.js"

/**
 * When a commit is on disk (SQLite's `PRAGMA synchronous`): `"full"` before it is acknowledged (the default);
 * `"normal"` when the write-ahead log is checkpointed, so a power cut may lose the last commits.
 *
 * @since 0.1.0
 */
export type Synchronous = "full" | "normal"

/**
 * The synchronous settings, in order.
 *
 * @since 0.1.0
 */
export const synchronousSettings: ReadonlyArray<Synchronous> = ["full", "normal"]

/**
 * Where the store is and how it writes.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The file (created on first use), or `":memory:"`. */
  readonly filename: string
  /** `"full"` by default: what was acknowledged survives a power cut. */
  readonly synchronous?: Synchronous | undefined
  /** How long a writer waits for another connection's write to end (default 5 seconds). */
  readonly busyTimeout?: Duration.DurationInput | undefined
}

/** SQLite's numbers for `PRAGMA synchronous`. */
const synchronousLevel: Record<Synchronous, number> = { normal: 1, full: 2 }

/**
 * A SQLite client for the store: WAL, the synchronous setting, a busy timeout, and `BEGIN IMMEDIATE` for every
 * transaction.
 *
 * @since 0.1.0
 */
export const layerClient = (
  options: Options
): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient, ConfigError | SqlError> =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(SqliteClient.layer({ filename: options.filename }))
      const client = withImmediateTransactions(Context.get(context, SqliteClient.SqliteClient))
      const timeout = Math.round(Duration.toMillis(Duration.decode(options.busyTimeout ?? Duration.seconds(5))))
      // One connection per client: a pragma set once holds for every statement.
      yield* client.unsafe(`PRAGMA busy_timeout = ${timeout}`)
      yield* client.unsafe(`PRAGMA synchronous = ${synchronousLevel[options.synchronous ?? "full"]}`)
      return Layer.succeedContext(
        Context.make(SqliteClient.SqliteClient, client).pipe(Context.add(SqlClient.SqlClient, client))
      )
    })
  )

/**
 * The store in a file (created on first use), or in memory with `":memory:"`.
 *
 * @since 0.1.0
 */
export const layer = (options: Options) => SqlEventStore.layer.pipe(Layer.provide(layerClient(options)))
