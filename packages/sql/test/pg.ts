import { randomUUID } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/** The PostgreSQL database the tests use; `.ci/run` creates it. A test that cannot reach it fails, never skips. */
export const pgUrl = process.env.NTM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/ntm_test"

const admin = PgClient.layer({ url: Redacted.make(pgUrl) })

/**
 * A PostgreSQL client on a database of its own, created for the scope and dropped after: for tests that read the
 * whole log or rebuild tables, which must not meet other runs' events.
 */
export const freshDatabase: Layer.Layer<SqlClient.SqlClient, unknown> = Layer.unwrapScoped(
  Effect.gen(function* () {
    const name = `ntm_t_${randomUUID().replace(/-/g, "").slice(0, 12)}`
    yield* Effect.acquireRelease(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`)).pipe(Effect.provide(admin)),
      () =>
        Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).pipe(
          Effect.provide(admin),
          Effect.orDie
        )
    )
    const url = new URL(pgUrl)
    url.pathname = `/${name}`
    return PgClient.layer({ url: Redacted.make(url.toString()) })
  })
)
