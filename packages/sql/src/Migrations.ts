/**
 * The store's schema and its migrations: versioned, run on start, safe to run twice (the migrator records what ran)
 * and safe when two processes start at once (on PostgreSQL the migrator locks its table; SQLite serialises writers).
 *
 * @since 0.1.0
 */

import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The advisory lock key that serialises migrations on PostgreSQL. */
const migrationLock = 7_464_000

/**
 * The migrations, by id and name.
 *
 * @since 0.1.0
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_events": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.onDialectOrElse({
      pg: () => sql`
        CREATE TABLE IF NOT EXISTS ntm_events (
          position BIGSERIAL PRIMARY KEY,
          stream TEXT NOT NULL,
          stream_version INTEGER NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          data TEXT NOT NULL,
          recorded_at BIGINT NOT NULL,
          UNIQUE (stream, stream_version)
        )`,
      orElse: () => sql`
        CREATE TABLE IF NOT EXISTS ntm_events (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          stream TEXT NOT NULL,
          stream_version INTEGER NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          data TEXT NOT NULL,
          recorded_at INTEGER NOT NULL,
          UNIQUE (stream, stream_version)
        )`
    })
    yield* sql`CREATE INDEX IF NOT EXISTS ntm_events_recorded_at ON ntm_events (recorded_at)`
  }),
  "2_hash_chain": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Each event's hash over its canonical encoding and the previous event's hash: in the global log (`hash`) and
    // in its stream (`stream_hash`).
    yield* sql`ALTER TABLE ntm_events ADD COLUMN hash TEXT`
    yield* sql`ALTER TABLE ntm_events ADD COLUMN stream_hash TEXT`
  }),
  "3_idempotency": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // The outcome of each command that named an idempotency key, written in the same transaction as its events.
    yield* sql`CREATE TABLE IF NOT EXISTS ntm_idempotency (key TEXT PRIMARY KEY, outcome TEXT NOT NULL)`
  }),
  "4_snapshots": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Snapshots of projections (a ledger as JSON) at a position of the log.
    yield* sql`CREATE TABLE IF NOT EXISTS ntm_snapshots (
      name TEXT NOT NULL,
      position BIGINT NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (name, position)
    )`
  })
}

/**
 * Runs the migrations that have not run yet.
 *
 * @since 0.1.0
 */
export const run = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Two processes starting at once on PostgreSQL would race to create the migrator's table; create it first, under
  // a transaction-scoped advisory lock. The migrator then locks that table while it runs, so the second process
  // waits and finds nothing left to do.
  if (sql.onDialectOrElse({ pg: () => true, orElse: () => false })) {
    yield* sql.withTransaction(
      Effect.zipRight(
        sql`SELECT pg_advisory_xact_lock(${migrationLock})`,
        sql`CREATE TABLE IF NOT EXISTS ntm_migrations (
          migration_id integer primary key,
          created_at timestamp with time zone not null default now(),
          name text not null
        )`
      )
    )
  }
  return yield* Migrator.make({})({ loader: Migrator.fromRecord(migrations), table: "ntm_migrations" })
})
