import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Migrations from "../src/Migrations.js"
import * as SqlEventStore from "../src/SqlEventStore.js"
import { freshDatabase } from "./pg.js"

/** Two stores started at once on the same database, each running the migrations. */
const twoAtOnce = (client: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  Effect.gen(function* () {
    const start = Effect.provide(
      Effect.flatMap(EventStore.EventStore, (s) =>
        s.append(`m-${Math.random()}`, 0, [{ type: "T", version: 1, data: {} }])
      ),
      SqlEventStore.layer.pipe(Layer.provide(client)) as Layer.Layer<EventStore.EventStore>
    )
    yield* Effect.all([start, start, start], { concurrency: "unbounded" })
    // Running them again changes nothing.
    yield* start
    const sql = yield* SqlClient.SqlClient
    const ran = yield* sql<{
      migration_id: number | string
    }>`SELECT migration_id FROM ntm_migrations ORDER BY migration_id`
    expect(ran.map((r) => Number(r.migration_id))).toEqual(
      Object.keys(Migrations.migrations).map((id) => Number(id.split("_")[0]))
    )
    const events = yield* sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ntm_events`
    expect(Number(events[0]!.n)).toBe(4)
  })

describe("migrations", () => {
  it.effect("SQLite: stores started at once on one file migrate once and all work", () => {
    const file = join(mkdtempSync(join(tmpdir(), "ntm-mig-")), "events.sqlite")
    const client = SqliteClient.layer({ filename: file })
    return Effect.provide(twoAtOnce(client), client)
  })

  it.effect("PostgreSQL: stores started at once on one database migrate once and all work", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.provide(twoAtOnce(Layer.succeed(SqlClient.SqlClient, sql)), Layer.succeed(SqlClient.SqlClient, sql))
    }).pipe(Effect.provide(freshDatabase))
  )
})
