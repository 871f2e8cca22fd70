/**
 * Snapshots of the scorecard projection (a `Ledger`) in the database, so that a reader restores the latest one and
 * folds only the events after it instead of replaying the whole log.
 *
 * @since 0.1.0
 */

import * as SqlClient from "@effect/sql/SqlClient"
import { EventStore, Events, Ledger, LedgerSnapshot } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

/**
 * Saves a snapshot of a ledger under a name, at the ledger's last position.
 *
 * @since 0.1.0
 */
export const save = (name: string, ledger: Ledger.Ledger) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO ntm_snapshots ${sql.insert({
      name,
      position: ledger.lastPosition,
      data: JSON.stringify(LedgerSnapshot.make(ledger))
    })}`.pipe(Effect.asVoid)
  )

/**
 * The latest snapshot saved under a name, if any.
 *
 * @since 0.1.0
 */
export const latest = (name: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ data: string }>`SELECT data FROM ntm_snapshots WHERE name = ${name} ORDER BY position DESC LIMIT 1`,
      (rows) => (rows[0] === undefined ? undefined : (JSON.parse(rows[0].data) as LedgerSnapshot.Snapshot))
    )
  )

/**
 * A ledger brought up to the end of the log: the latest snapshot restored (or an empty ledger), then the events
 * after it folded in.
 *
 * @since 0.1.0
 */
export const ledger = (name: string, options?: { readonly retain?: Ledger.Retain }) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const snapshot = yield* latest(name)
    const into = snapshot === undefined ? Ledger.make(options) : LedgerSnapshot.restore(snapshot)
    yield* Stream.runForEach(store.readAll({ after: into.lastPosition }), (r) => {
      const d = Events.decode(r)
      return Either.isLeft(d) ? Effect.fail(d.left) : Effect.sync(() => Ledger.apply(into, d.right))
    })
    return into
  })
