import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as HashChain from "@ntm/sql/HashChain"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { bin, fixture, ntm, tempDatabase } from "./helpers.js"

interface Row {
  position: number
  stream: string
  stream_version: number
  type: string
  version: number
  data: string
  recorded_at: number
  hash: string
  stream_hash: string
}

/** What someone who can write the database does after an edit: recompute every hash from `from` on. */
const recompute = (sqlite: Database.Database, from: number) => {
  let previous =
    (
      sqlite.prepare("SELECT hash FROM ntm_events WHERE position < ? ORDER BY position DESC LIMIT 1").get(from) as
        | { hash: string }
        | undefined
    )?.hash ?? HashChain.genesis
  const rows = sqlite.prepare("SELECT * FROM ntm_events WHERE position >= ? ORDER BY position").all(from) as Array<Row>
  const tip = sqlite.prepare("SELECT stream_hash FROM ntm_events WHERE stream = ? AND stream_version = ?")
  const update = sqlite.prepare("UPDATE ntm_events SET hash = ?, stream_hash = ? WHERE position = ?")
  for (const r of rows) {
    const content = HashChain.contentHash(r.stream, r.type, r.version, r.recorded_at, r.data)
    previous = HashChain.chainHash(previous, r.position, content)
    const before = (tip.get(r.stream, r.stream_version - 1) as { stream_hash: string } | undefined)?.stream_hash
    update.run(previous, HashChain.chainHash(before ?? HashChain.genesis, r.stream_version, content), r.position)
  }
}

/** The demo, loaded once; each test works on a copy. */
let demo: Promise<string> | undefined
const demoCopy = async () => {
  demo ??= (async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    return db
  })()
  const db = tempDatabase()
  copyFileSync(await demo, db)
  return db
}

/** The demo in a fresh database, a key pair, and an anchor signed at the head into a published file. */
const anchored = async () => {
  const dir = mkdtempSync(join(tmpdir(), "ntm-anchor-"))
  const db = await demoCopy()
  const key = join(dir, "anchor.key")
  const published = join(dir, "anchors.jsonl")
  const keygen = await ntm(["anchor", "keygen", "--out", key])
  expect(keygen.code, keygen.stderr).toBe(0)
  const signed = await ntm(["anchor", "sign", "--anchor-key", key, "--anchor-log", published, "--database", db])
  expect(signed.code, signed.stderr).toBe(0)
  const head = JSON.parse(readFileSync(published, "utf8").trim()) as { position: number }
  const verify = () => ntm(["verify", "--database", db, "--anchors", published, "--public-key", `${key}.pub`])
  return { db, key, published, head: head.position, verify }
}

describe("ntm anchor and ntm verify --anchors", () => {
  it("keygen writes a key pair once; an untouched log verifies against its signed anchor", async () => {
    const { db, key, published, verify, head } = await anchored()
    expect(readFileSync(key, "utf8")).toContain("BEGIN PRIVATE KEY")
    expect(readFileSync(`${key}.pub`, "utf8")).toContain("BEGIN PUBLIC KEY")
    expect((await ntm(["anchor", "keygen", "--out", key])).code).toBe(1)
    const v = await verify()
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain(`hash chain intact: ${head} sự kiện`)
    expect(v.stdout).toContain("agrees with 1 signed anchors")
    // Either option alone is refused.
    const keyOnly = await ntm(["verify", "--database", db, "--public-key", `${key}.pub`])
    expect(keyOnly.code).toBe(1)
    expect(keyOnly.stderr).toContain("invalid value for --anchors")
    const anchorsOnly = await ntm(["verify", "--database", db, "--anchors", published])
    expect(anchorsOnly.code).toBe(1)
    expect(anchorsOnly.stderr).toContain("invalid value for --public-key")
  })

  it("a row rewritten with every hash recomputed passes the chain, and fails the anchor", async () => {
    const { db, verify, head } = await anchored()
    const sqlite = new Database(db)
    // A recognition moved back by a year (the first event dated 2014-12-20, wherever the demo puts it).
    const { position } = sqlite
      .prepare("SELECT position FROM ntm_events WHERE data LIKE '%2014-12-20%' ORDER BY position LIMIT 1")
      .get() as { position: number }
    const edit = sqlite.prepare(
      "UPDATE ntm_events SET data = replace(data, '2014-12-20', '2013-12-20') WHERE position = ?"
    )
    expect(edit.run(position).changes).toBe(1)
    recompute(sqlite, position)
    sqlite.close()
    expect((await ntm(["verify", "--database", db])).code).toBe(0)
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(`the log differs from the anchor signed at position ${head}`)
    expect(v.stderr).toContain(`changed after position 0 and at or before ${head}`)
  })

  it("the last events deleted: the log ends before the anchor", async () => {
    const { db, verify, head } = await anchored()
    const sqlite = new Database(db)
    sqlite.prepare("DELETE FROM ntm_events WHERE position > ?").run(head - 3)
    sqlite.close()
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(
      `the log was truncated: it ends at position ${head - 3}, before the anchor signed at ${head}`
    )
  })

  it("the last events deleted and the log appended to again: positions jump, the anchored event is missing", async () => {
    const { db, verify, head } = await anchored()
    const sqlite = new Database(db)
    sqlite.prepare("DELETE FROM ntm_events WHERE position > ?").run(head - 3)
    sqlite.close()
    const imported = await ntm(["evidence", "import", fixture("evidence-good.csv"), "--database", db])
    expect(imported.code, imported.stderr).toBe(0)
    const plain = await ntm(["verify", "--database", db])
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain(`positions jump at event ${head + 1} (expected ${head - 2})`)
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(`the anchored event ${head} is missing`)
    expect(v.stderr).toContain(`positions jump at event ${head + 1}`)
  })

  it("an event forged with a back-dated recording time and its hashes computed", async () => {
    const { db, verify, head } = await anchored()
    const sqlite = new Database(db)
    const last = sqlite.prepare("SELECT * FROM ntm_events ORDER BY position DESC LIMIT 1").get() as Row
    const at = Date.UTC(2024, 0, 15)
    const data = JSON.stringify({ forged: true })
    const content = HashChain.contentHash("forged", "Forged", 1, at, data)
    sqlite
      .prepare(
        "INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash) VALUES (?, 'forged', 1, 'Forged', 1, ?, ?, ?, ?)"
      )
      .run(
        head + 1,
        data,
        at,
        HashChain.chainHash(last.hash, head + 1, content),
        HashChain.chainHash(HashChain.genesis, 1, content)
      )
    sqlite.close()
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(`recording time goes back at event ${head + 1}: 2024-01-15T00:00:00.000Z is before`)
  })

  it("an anchor altered in the published file is named by its line", async () => {
    const { published, verify } = await anchored()
    const line = JSON.parse(readFileSync(published, "utf8").trim())
    writeFileSync(published, `${JSON.stringify({ ...line, position: line.position - 1 })}\n`)
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain("the anchor on line 1")
    expect(v.stderr).toContain("the anchors file was altered")
  })

  it("ntm serve --anchor-key signs the head, and once more when it stops", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ntm-serve-anchor-"))
    const key = join(dir, "k")
    const published = join(dir, "anchors.jsonl")
    const db = await demoCopy()
    expect((await ntm(["anchor", "keygen", "--out", key])).code).toBe(0)
    const child = spawn(
      process.execPath,
      [bin, "serve", "--port", "0", "--database", db, "--anchor-key", key, "--anchor-log", published],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    let stderr = ""
    let stdout = ""
    child.stdout.on("data", (b) => {
      stdout += b
    })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address in time:\n${stderr}`)), 60_000)
      child.stderr.on("data", (b) => {
        stderr += b
        if (/Listening on/.test(stderr)) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    expect(stderr).toContain("signing anchors with key")
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c))
      child.kill("SIGINT")
    })
    expect(code, stderr).toBe(0)
    expect(existsSync(published), `${stdout}\n${stderr}`).toBe(true)
    const lines = readFileSync(published, "utf8").trim().split("\n")
    const last = JSON.parse(lines.at(-1)!) as { position: number }
    // The head includes the national catalogs the server published and its admin token's events, if any.
    const migrate = await ntm(["migrate", "--database", db])
    expect(last.position).toBe(Number(/\((\d+) sự kiện/.exec(migrate.stdout)?.[1]))
    const v = await ntm(["verify", "--database", db, "--anchors", published, "--public-key", `${key}.pub`])
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain(`agrees with ${lines.length} signed anchors`)
  })
})

describe("ntm verify --anchors on PostgreSQL", () => {
  const adminUrl = process.env.NTM_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  const name = `ntm_cli_${randomUUID().replace(/-/g, "").slice(0, 12)}`
  const url = (() => {
    const u = new URL(adminUrl)
    u.pathname = `/${name}`
    return u.toString()
  })()
  const on = <A>(target: string, self: Effect.Effect<A, unknown, SqlClient.SqlClient>) =>
    Effect.runPromise(self.pipe(Effect.provide(PgClient.layer({ url: Redacted.make(target) })), Effect.scoped))
  beforeAll(() =>
    on(
      adminUrl,
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`))
    )
  )
  afterAll(() =>
    on(
      adminUrl,
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    )
  )

  it("a row rewritten with every hash recomputed passes the chain, and fails the anchor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ntm-anchor-pg-"))
    const key = join(dir, "anchor.key")
    const published = join(dir, "anchors.jsonl")
    expect((await ntm(["demo", "--pg", url])).code).toBe(0)
    expect((await ntm(["anchor", "keygen", "--out", key])).code).toBe(0)
    expect((await ntm(["anchor", "sign", "--anchor-key", key, "--anchor-log", published, "--pg", url])).code).toBe(0)
    const head = (JSON.parse(readFileSync(published, "utf8").trim()) as { position: number }).position
    const verify = () => ntm(["verify", "--pg", url, "--anchors", published, "--public-key", `${key}.pub`])
    expect((await verify()).code).toBe(0)
    await on(
      url,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [first] = yield* sql<{ position: number | string }>`SELECT position FROM ntm_events
          WHERE data LIKE '%2014-12-20%' ORDER BY position LIMIT 1`
        const position = Number(first!.position)
        yield* sql`UPDATE ntm_events SET data = replace(data, '2014-12-20', '2013-12-20') WHERE position = ${position}`
        const rows = yield* sql<Row>`SELECT * FROM ntm_events WHERE position >= ${position - 1} ORDER BY position`
        let previous = rows[0]!.hash
        for (const r of rows.slice(1)) {
          const [tip] = yield* sql<{ stream_hash: string }>`SELECT stream_hash FROM ntm_events
            WHERE stream = ${r.stream} AND stream_version = ${r.stream_version - 1}`
          const content = HashChain.contentHash(r.stream, r.type, r.version, Number(r.recorded_at), r.data)
          previous = HashChain.chainHash(previous, Number(r.position), content)
          const streamHash = HashChain.chainHash(tip?.stream_hash ?? HashChain.genesis, r.stream_version, content)
          yield* sql`UPDATE ntm_events SET hash = ${previous}, stream_hash = ${streamHash} WHERE position = ${r.position}`
        }
      })
    )
    expect((await ntm(["verify", "--pg", url])).code).toBe(0)
    const v = await verify()
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(`the log differs from the anchor signed at position ${head}`)
  })
})
