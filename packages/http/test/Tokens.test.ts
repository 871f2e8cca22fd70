/**
 * Tokens: stored hashed, shown once, checked in constant time; a revoked token is refused once the one-second
 * memory of live tokens has passed; malformed and unknown tokens are refused.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Tokens from "../src/Tokens.js"

const store = Tokens.layer.pipe(
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }) as Layer.Layer<SqlClient.SqlClient, unknown>),
  Layer.orDie
)

describe("Tokens", () => {
  it.effect("keeps only the hash; a revoked token is refused after a second; bad tokens are refused", () =>
    Effect.gen(function* () {
      const tokens = yield* Tokens.Tokens
      const sql = yield* SqlClient.SqlClient
      const { token, info } = yield* tokens.create({ name: "UBND xã A", role: "commune", unit: "p/d/a" as never })
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
})
