/**
 * A SQL read model of evidence: every entry with its chain, so that "the evidence in force for an indicator of a
 * unit as of a date" is one query, without replaying the log. The same rules as the core's `Ledger.evidenceAt`: of
 * the chains effective by the date whose period has not ended, the one with the latest effective date (the earlier
 * recorded loses a tie), and within it the last entry not retracted.
 *
 * @since 0.1.0
 */

import * as SqlClient from "@effect/sql/SqlClient"
import type { Events, LocalDate } from "@ntm/core"
import * as Effect from "effect/Effect"
import type { Projection } from "./SqlProjection.js"

/** @since 0.1.0 */
export const projection: Projection = {
  name: "evidence",
  setup: Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`CREATE TABLE IF NOT EXISTS ntm_rm_evidence (
      entry TEXT PRIMARY KEY,
      chain TEXT NOT NULL,
      unit TEXT NOT NULL,
      catalog TEXT NOT NULL,
      code TEXT NOT NULL,
      effective TEXT NOT NULL,
      valid_until TEXT,
      value TEXT NOT NULL,
      position BIGINT NOT NULL,
      chain_position BIGINT NOT NULL,
      retracted INTEGER NOT NULL DEFAULT 0
    )`
  ),
  reset: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM ntm_rm_evidence`),
  apply: (r: Events.Recorded) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) => {
      const e = r.event
      switch (e._tag) {
        case "EvidenceRecorded":
        case "EvidenceCorrected": {
          const chain = e._tag === "EvidenceRecorded" ? e.entry : e.chain
          const row = {
            entry: e.entry,
            chain,
            unit: e.unit,
            catalog: e.catalog,
            code: e.code,
            effective: e.effective,
            valid_until: e.validUntil ?? null,
            value: JSON.stringify(e.value),
            position: r.position,
            retracted: 0
          }
          return e._tag === "EvidenceRecorded"
            ? sql`INSERT INTO ntm_rm_evidence ${sql.insert({ ...row, chain_position: r.position })}`
            : sql`INSERT INTO ntm_rm_evidence ${sql.insert({ ...row, chain_position: 0 })}`.pipe(
                Effect.zipRight(
                  sql`UPDATE ntm_rm_evidence SET chain_position =
                    (SELECT MIN(chain_position) FROM ntm_rm_evidence WHERE chain = ${chain} AND chain_position > 0)
                    WHERE entry = ${e.entry}`
                )
              )
        }
        case "EvidenceRetracted":
          return sql`UPDATE ntm_rm_evidence SET retracted = 1 WHERE entry = ${e.entry}`
        default:
          return Effect.void
      }
    }).pipe(Effect.asVoid)
}

/** @since 0.1.0 */
export interface InForce {
  readonly entry: string
  readonly chain: string
  readonly effective: string
  readonly value: unknown
}

/**
 * The evidence entry in force for an item on a date, if any.
 *
 * @since 0.1.0
 */
export const inForce = (item: {
  readonly unit: string
  readonly catalog: string
  readonly code: string
  readonly asOf: LocalDate.LocalDate
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ entry: string; chain: string; effective: string; value: string }>`
      SELECT e.entry, e.chain, e.effective, e.value FROM ntm_rm_evidence e
      WHERE e.unit = ${item.unit} AND e.catalog = ${item.catalog} AND e.code = ${item.code}
        AND e.retracted = 0 AND e.effective <= ${item.asOf}
        AND (e.valid_until IS NULL OR e.valid_until >= ${item.asOf})
        AND e.position = (SELECT MAX(x.position) FROM ntm_rm_evidence x WHERE x.chain = e.chain AND x.retracted = 0)
      ORDER BY e.effective DESC, e.chain_position DESC
      LIMIT 1`
    const r = rows[0]
    return r === undefined
      ? undefined
      : ({ entry: r.entry, chain: r.chain, effective: r.effective, value: JSON.parse(r.value) } satisfies InForce)
  })
