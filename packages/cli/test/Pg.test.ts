import { randomUUID } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { ntm } from "./helpers.js"

/** The server to create a fresh database on. A test that cannot reach it fails, never skips. */
const adminUrl = process.env.NTM_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const name = `ntm_cli_${randomUUID().replace(/-/g, "").slice(0, 12)}`
const url = (() => {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
})()

const admin = (statement: string) =>
  Effect.runPromise(
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement)).pipe(
      Effect.provide(PgClient.layer({ url: Redacted.make(adminUrl) })),
      Effect.scoped
    )
  )

describe("ntm on PostgreSQL", () => {
  beforeAll(() => admin(`CREATE DATABASE ${name}`))
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))

  it("loads the demo, scores it, verifies the chain and manages tokens (URL from NTM_PG_URL)", async () => {
    const env = { NTM_PG_URL: url }
    const demo = await ntm(["demo"], env)
    expect(demo.code, demo.stderr).toBe(0)
    const card = await ntm(
      [
        "scorecard",
        "bac-giang/tan-yen",
        "--catalog",
        "illustrative/tan-yen/district-advanced",
        "--as-of",
        "2024-04-05"
      ],
      env
    )
    expect(card.code, card.stderr).toBe(0)
    expect(card.stdout).toContain("Chỉ tiêu đạt / indicators met: 29/38")
    const verify = await ntm(["verify", "--pg", url])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain("hash chain intact")
    const token = await ntm(["token", "create", "--name", "Kiểm toán", "--role", "auditor"], env)
    expect(token.code, token.stderr).toBe(0)
    const list = await ntm(["token", "list"], env)
    expect(list.stdout).toContain("Kiểm toán")
  })

  it("imports a few thousand evidence rows in batches, and a re-import records nothing", async () => {
    const env = { NTM_PG_URL: url }
    const n = 3_000
    const rows = Array.from(
      { length: n },
      (_, i) => `bac-giang/tan-yen,illustrative/tan-yen/district-advanced,8.9,1,2024-05-02,pg-bulk-${i}`
    )
    const file = join(mkdtempSync(join(tmpdir(), "ntm-pg-")), "bulk.csv")
    writeFileSync(file, ["unit,catalog,code,value,effective,entry", ...rows].join("\n"))
    const first = await ntm(["evidence", "import", file], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain(`recorded ${n}, skipped 0`)
    const again = await ntm(["evidence", "import", file], env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain(`recorded 0, skipped ${n}`)
  }, 120_000)
})
