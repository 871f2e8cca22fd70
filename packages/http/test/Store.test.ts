/**
 * The store the server and the command line run on (`Server.layerStore`): on SQLite, the store's own client, so that
 * commits are durable and writers in other processes (a second server, an import) wait their turn.
 */
import { randomUUID } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as SqliteEventStore from "@ntm/sql/SqliteEventStore"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Server from "../src/Server.js"

const tempFile = () => join(mkdtempSync(join(tmpdir(), "ntm-http-store-")), "events.sqlite")

const synchronous = Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ synchronous: number }>`PRAGMA synchronous`).pipe(
  Effect.map((rows) => rows[0]!.synchronous)
)

describe("Server.layerStore on SQLite", () => {
  it.effect("runs at synchronous FULL unless the database says normal", () =>
    Effect.gen(function* () {
      const file = tempFile()
      // Opened twice: the second start is the one the driver alone ran at NORMAL.
      for (let i = 0; i < 2; i++)
        expect(yield* Effect.provide(synchronous, Server.layerStore({ _tag: "Sqlite", filename: file }))).toBe(2)
      const relaxed = Server.layerStore({ _tag: "Sqlite", filename: file, synchronous: "normal" })
      expect(yield* Effect.provide(synchronous, relaxed)).toBe(1)
    })
  )

  it.effect("its transactions hold the write lock from their start: another process cannot write meanwhile", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const theirs = yield* Effect.scoped(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          // Another connection to the file, as another process would hold, that does not wait for the lock.
          const other = Context.get(
            yield* Layer.build(SqliteEventStore.layerClient({ filename: file, busyTimeout: 0 })),
            SqlClient.SqlClient
          )
          const attempt =
            other`INSERT INTO ntm_snapshots (name, position, data) VALUES (${randomUUID()}, 0, '{}')`.pipe(
              Effect.as("wrote"),
              // Outside our transaction: @effect/sql would otherwise run it on the transaction's connection.
              Effect.mapInputContext((c: Context.Context<never>) => Context.omit(SqlClient.TransactionConnection)(c)),
              Effect.catchAll((e) => Effect.succeed(String((e.cause as { code?: unknown }).code)))
            )
          const during = yield* sql.withTransaction(Effect.zipRight(sql`SELECT COUNT(*) AS n FROM ntm_events`, attempt))
          return [during, yield* attempt]
        }).pipe(Effect.provide(Server.layerStore({ _tag: "Sqlite", filename: file })))
      )
      expect(theirs).toEqual(["SQLITE_BUSY", "wrote"])
    })
  )
})
