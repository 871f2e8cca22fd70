/**
 * The event store on PostgreSQL, for a province or the nation.
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as SqlEventStore from "./SqlEventStore.js"

/**
 * A store in the PostgreSQL database at `url` (e.g. `postgres://postgres@127.0.0.1:5432/ntm`).
 *
 * @since 0.1.0
 */
export const layer = (options: { readonly url: string }) =>
  SqlEventStore.layer.pipe(Layer.provide(PgClient.layer({ url: Redacted.make(options.url) })))
