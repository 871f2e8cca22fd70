/**
 * Tokens: stored hashed, shown once, checked in constant time; a revoked token is refused once the one-second
 * memory of live tokens has passed; malformed and unknown tokens are refused. A token is made only for a unit the
 * hierarchy holds, an officer's role only with a unit, a name that is not blank, and never for `system`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Tokens from "../src/Tokens.js"
import * as Bench from "./helpers.js"

/** The token table in SQLite, over an in-memory log holding the bench's hierarchy as of 2026. */
const store = Tokens.layer.pipe(
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }) as Layer.Layer<SqlClient.SqlClient, unknown>),
  Layer.provideMerge(
    Layer.effectDiscard(Effect.zipRight(TestClock.setTime(Date.UTC(2026, 0, 5)), Bench.seed)).pipe(
      Layer.provideMerge(EventStore.layerMemory)
    )
  ),
  Layer.orDie
)

describe("Tokens", () => {
  it.effect("keeps only the hash; a revoked token is refused after a second; bad tokens are refused", () =>
    Effect.gen(function* () {
      const tokens = yield* Tokens.Tokens
      const sql = yield* SqlClient.SqlClient
      const { token, info } = yield* tokens.create({ name: "UBND xã C1", role: "commune", unit: Bench.units.C1 })
      const rows = yield* sql<{ hash: string }>`SELECT hash FROM ntm_tokens`
      expect(rows.map((r) => r.hash)).toEqual([Tokens.hash(token)])
      // Nothing stored holds the secret (everything after "ntm_<id>_"; base64url may itself contain "_").
      const secret = token.split("_").slice(2).join("_")
      expect(secret).toHaveLength(43)
      expect(JSON.stringify(yield* sql`SELECT * FROM ntm_tokens`)).not.toContain(secret)
      expect((yield* tokens.authenticate(token))?.id).toBe(info.principal.id)
      yield* tokens.revoke(info.id)
      // Remembered for at most a second.
      yield* TestClock.adjust("1001 millis")
      expect(yield* tokens.authenticate(token)).toBeUndefined()
      // The same id with another secret, a malformed token, and nothing at all.
      expect(yield* tokens.authenticate(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBeUndefined()
      expect(yield* tokens.authenticate("ntm_short")).toBeUndefined()
      expect(yield* tokens.authenticate("")).toBeUndefined()
      expect((yield* tokens.list).map((t) => t.revokedAt !== undefined)).toEqual([true])
    }).pipe(Effect.provide(store))
  )

  it.effect("refuses a blank name, an officer's role without a unit, an unknown unit and the system role", () =>
    Effect.gen(function* () {
      const tokens = yield* Tokens.Tokens
      const refused = (request: Tokens.TokenRequest) =>
        Effect.map(Effect.flip(tokens.create(request)), (e) =>
          e._tag === "InvalidTokenRequest" ? e.problem : `unexpected ${e._tag}`
        )
      expect(yield* refused({ name: "   " as never, role: "auditor" })).toBe("BlankName")
      expect(yield* refused({ name: "" as never, role: "auditor" })).toBe("BlankName")
      // The name and agency go into every event the token records: a control character would make each write fail.
      expect(yield* refused({ name: "Cán\u0000bộ", role: "auditor" })).toBe("InvalidText")
      expect(yield* refused({ name: "Cán bộ", role: "auditor", agency: "Sở\u001b[31m" })).toBe("InvalidText")
      expect(yield* refused({ name: "x".repeat(10_001), role: "auditor" })).toBe("InvalidText")
      for (const role of ["commune", "district", "province"] as const)
        expect(yield* refused({ name: "Cán bộ", role })).toBe("UnitRequired")
      expect(yield* refused({ name: "Cán bộ", role: "commune", unit: "p/d/nowhere" as never })).toBe("UnknownUnit")
      expect(yield* refused({ name: "Nhập", role: "system" })).toBe("RoleWithoutToken")
      const e = yield* Effect.flip(tokens.create({ name: "Cán bộ", role: "commune", unit: "p/d/nowhere" as never }))
      expect(e.message).toContain("p/d/nowhere")
      // nothing was stored for any of them
      expect(yield* tokens.list).toEqual([])
      // unscoped roles need no unit; a scoped one names a unit that exists today
      yield* tokens.create({ name: "Kiểm toán", role: "auditor" })
      yield* tokens.create({ name: "Cán bộ huyện D", role: "district", unit: Bench.units.D })
      expect((yield* tokens.list).length).toBe(2)
    }).pipe(Effect.provide(store))
  )

  it.effect("a system token made by an earlier build is not live", () =>
    Effect.gen(function* () {
      const tokens = yield* Tokens.Tokens
      const sql = yield* SqlClient.SqlClient
      const { token, info } = yield* tokens.create({ name: "Nhập", role: "auditor" })
      yield* sql`UPDATE ntm_tokens SET role = 'system' WHERE id = ${info.id}`
      expect(yield* tokens.authenticate(token)).toBeUndefined()
    }).pipe(Effect.provide(store))
  )
})
