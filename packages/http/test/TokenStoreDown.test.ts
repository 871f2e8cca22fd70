/**
 * When the token store cannot answer, a request with a valid token is answered 503 (try again), never 401 (which
 * would tell the caller their token is bad). The store is made unreachable by taking its table away under the server.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Bench from "./helpers.js"

layer(Bench.layer(), { excludeTestServices: true })("token store unreachable", (it) => {
  it.effect("a valid token gets a 503 problem, not a 401", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const sql = yield* SqlClient.SqlClient
      yield* sql`ALTER TABLE ntm_tokens RENAME TO ntm_tokens_away`.pipe(Effect.orDie)
      // a token the server has not seen yet (nothing remembered from an earlier request)
      const res = yield* Effect.promise(() => bench.fetch("/units", { as: "district" }))
      const body = (yield* Effect.promise(() => res.json())) as { _tag: string; code: string }
      expect(res.status).toBe(503)
      expect(body._tag).toBe("Unavailable")
      expect(body.code).toBe("TokenStoreUnavailable")
      // once the store is back, the same token works
      yield* sql`ALTER TABLE ntm_tokens_away RENAME TO ntm_tokens`.pipe(Effect.orDie)
      const again = yield* Effect.promise(() => bench.fetch("/units", { as: "district" }))
      expect(again.status).toBe(200)
    })
  )
})
