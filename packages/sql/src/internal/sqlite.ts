/**
 * SQLite writers that wait their turn. A transaction opened with a plain `BEGIN` reads first and asks for the write
 * lock only at its first write; when another connection (another process on the same file) has committed since the
 * read, SQLite cannot upgrade the stale snapshot and fails at once with `SQLITE_BUSY_SNAPSHOT`, without waiting. A
 * transaction opened with `BEGIN IMMEDIATE` takes the write lock before it reads anything, waiting for it up to the
 * connection's busy timeout, so it never reads a snapshot that another writer can make stale.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"

/** Whether an error is SQLite's "the database is locked by another connection" (`SQLITE_BUSY*`, `SQLITE_LOCKED*`). */
export const isBusy = (e: unknown): boolean => {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause
  const code = String(cause?.code ?? "")
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
}

const run = (conn: Connection, text: string) => conn.executeUnprepared(text, [], undefined)

/**
 * `withTransaction` over a client's connection, opening with `BEGIN IMMEDIATE` (nested calls take savepoints, as the
 * client's own do). It joins a transaction already open in the context, whichever function opened it.
 */
export const immediateTransaction = (
  sql: SqlClient.SqlClient
): (<A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>) =>
  SqlClient.makeWithTransaction({
    transactionTag: SqlClient.TransactionConnection,
    spanAttributes: [["db.system.name", "sqlite"]],
    acquireConnection: Effect.flatMap(Scope.make(), (scope) =>
      Effect.map(Scope.extend(sql.reserve, scope), (conn) => [scope, conn] as const)
    ),
    begin: (conn) => run(conn, "BEGIN IMMEDIATE"),
    savepoint: (conn, id) => run(conn, `SAVEPOINT effect_sql_${id}`),
    commit: (conn) => run(conn, "COMMIT"),
    // A `BEGIN IMMEDIATE` refused (the lock still held after the busy timeout) opened no transaction: there is
    // nothing to roll back, and the refusal, not the rollback's complaint, is the error to report.
    rollback: (conn) =>
      Effect.catchIf(
        run(conn, "ROLLBACK"),
        (e) => /no transaction is active/i.test(String((e.cause as { message?: unknown } | undefined)?.message)),
        () => Effect.void
      ),
    rollbackSavepoint: (conn, id) => run(conn, `ROLLBACK TO SAVEPOINT effect_sql_${id}`)
  })

/**
 * The client with every `withTransaction` opening with `BEGIN IMMEDIATE`: the same statements, connection and
 * helpers, so that the store's appends and every other writer (tokens, projections, snapshots, migrations) wait for
 * the write lock instead of failing on a stale snapshot.
 */
export const withImmediateTransactions = <C extends SqlClient.SqlClient>(client: C): C => {
  const call = client as unknown as (...args: ReadonlyArray<unknown>) => unknown
  const wrapped = Object.assign((...args: ReadonlyArray<unknown>) => call(...args), client, {
    withTransaction: immediateTransaction(client)
  })
  Object.assign(wrapped, { safe: wrapped })
  return wrapped as unknown as C
}
