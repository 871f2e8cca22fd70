/**
 * The event store in one SQLite file (better-sqlite3): the embedded default, with nothing to set up.
 *
 * @since 0.1.0
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Layer from "effect/Layer"
import * as SqlEventStore from "./SqlEventStore.js"

/**
 * A store in a file (created on first use), or in memory with `":memory:"`.
 *
 * @since 0.1.0
 */
export const layer = (options: { readonly filename: string }) =>
  SqlEventStore.layer.pipe(Layer.provide(SqliteClient.layer({ filename: options.filename })))
