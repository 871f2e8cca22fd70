/**
 * The whole server as it is deployed (`Server.layer` on a port the system picks) over SQLite in a file and over a
 * fresh PostgreSQL database: tokens made as the command line makes them (the token store on its own connection),
 * then a short scenario over plain HTTP, and the live event feed (server-sent events) delivering a new event.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as HashChain from "@ntm/sql/HashChain"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Server from "../src/Server.js"
import * as Tokens from "../src/Tokens.js"
import * as Bench from "./helpers.js"

const { units } = Bench

/** Starts the server over a database and makes tokens through a connection of its own; answers the base URL. */
const start = (database: Server.Database, client: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      Server.layer({ port: 0, host: "127.0.0.1", database }).pipe(
        Layer.provide(Logger.minimumLogLevel(LogLevel.Warning)),
        Layer.orDie
      )
    )
    const baseUrl = Option.getOrThrow(yield* Effect.provide(Server.address, context))
    // A token for a unit is made once the hierarchy holds the unit.
    const mint = (request: Tokens.TokenRequest) =>
      Effect.runPromise(
        Effect.flatMap(Tokens.Tokens, (store) => Effect.map(store.create(request), (t) => t.token)).pipe(
          Effect.provide(Tokens.layer.pipe(Layer.provide(SqlEventStore.layer.pipe(Layer.provideMerge(client))))),
          Effect.orDie
        )
      )
    const tokens = {
      admin: yield* Effect.promise(() => mint({ name: "Quản trị", role: "admin" })),
      auditor: yield* Effect.promise(() => mint({ name: "Kiểm toán", role: "auditor" })),
      commune: () => mint({ name: "Cán bộ xã C1", role: "commune", unit: units.C1 })
    }
    return { baseUrl, tokens }
  })

const post = async (baseUrl: string, token: string, path: string, body: unknown) => {
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  const json = (await res.json()) as { streamVersion?: number; events?: ReadonlyArray<{ _tag: string }> }
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

const get = async (baseUrl: string, token: string, path: string) => {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const establish = (unit: string, kind: string, vi: string, parent?: string) => ({
  _tag: "EstablishUnit",
  unit,
  kind,
  name: { vi, en: vi },
  ...(parent === undefined ? {} : { parent }),
  effective: "2020-01-01"
})

const evidence = (entry: string, code: string, value: unknown) => ({
  _tag: "RecordEvidence",
  entry,
  unit: units.C1,
  catalog: "test/commune",
  code,
  value,
  effective: "2025-01-01",
  sources: [{ title: "Báo cáo / report" }]
})

/** The scenario, over plain HTTP. */
const scenario = (baseUrl: string, minted: { admin: string; auditor: string; commune: () => Promise<string> }) =>
  Effect.promise(async () => {
    const tokens = { ...minted, commune: "" }
    // an empty store is ready at position 0, and answers without a token
    const ready = await fetch(`${baseUrl}/ready`).then((r) => r.json())
    expect(ready).toEqual({ status: "ready", position: 0 })

    // the admin publishes a criteria set and establishes the hierarchy
    const published = await post(baseUrl, tokens.admin, "/catalogs", Bench.catalogDocument())
    expect(published.events?.map((e) => e._tag)).toEqual(["CatalogPublished"])
    await post(baseUrl, tokens.admin, "/hierarchy", establish(units.P, "province", "Tỉnh P"))
    await post(baseUrl, tokens.admin, "/hierarchy", establish(units.D, "district", "Huyện D", units.P))
    const last = await post(baseUrl, tokens.admin, "/hierarchy", establish(units.C1, "commune", "Xã C1", units.D))
    expect(last.streamVersion).toBe(3)
    tokens.commune = await minted.commune()

    // the commune officer records evidence; the scorecard counts it
    await post(baseUrl, tokens.commune, "/evidence", evidence("e2e-1", "1.1", { _tag: "Attained", attained: true }))
    await post(baseUrl, tokens.commune, "/evidence", evidence("e2e-2", "1.2", { _tag: "Percent", value: 82.5 }))
    const card = await get(
      baseUrl,
      tokens.commune,
      `/units/${Bench.seg(units.C1)}/scorecard?catalog=test/commune&asOf=2025-06-30`
    )
    expect(card.status).toBe(200)
    const indicators = card.body.indicators as { met: number; total: number; noData: number }
    expect(indicators).toMatchObject({ total: 3, met: 2, noData: 1 })
    expect(card.body.remaining).toEqual(["2.1"])
    expect(card.body.standardMet).toBe(false)
    const before = await get(
      baseUrl,
      tokens.commune,
      `/units/${Bench.seg(units.C1)}/scorecard?catalog=test/commune&asOf=2024-12-31`
    )
    expect((before.body.indicators as { met: number }).met).toBe(0)

    // the live feed: subscribe after what is there, record, and receive it
    const position = ((await fetch(`${baseUrl}/ready`).then((r) => r.json())) as { position: number }).position
    expect(position).toBe(6)
    const abort = new AbortController()
    const feed = await fetch(`${baseUrl}/events?after=${position}&unit=${encodeURIComponent(units.C1)}`, {
      headers: { authorization: `Bearer ${tokens.auditor}` },
      signal: abort.signal
    })
    expect(feed.status).toBe(200)
    expect(feed.headers.get("content-type")).toContain("text/event-stream")
    const reading = Bench.readEvents(feed, (frame) => frame.includes("event: EvidenceRecorded"), 10_000)
    await post(baseUrl, tokens.commune, "/evidence", evidence("e2e-3", "2.1", { _tag: "Count", value: 1 }))
    const frames = await reading
    abort.abort()
    const frame = frames.find((f) => f.includes("event: EvidenceRecorded"))
    expect(frame, `frames: ${JSON.stringify(frames)}`).toBeDefined()
    expect(frame).toContain(`id: ${position + 1}`)
    const data = JSON.parse(
      frame!
        .split("\n")
        .find((l) => l.startsWith("data: "))!
        .slice(6)
    ) as {
      position: number
      stream: string
      data: { entry: string; by: { role: string } }
    }
    expect(data.position).toBe(position + 1)
    expect(data.stream).toBe(`Evidence-${units.C1}`)
    expect(data.data.entry).toBe("e2e-3")
    expect(data.data.by.role).toBe("commune")

    // the standard is met now, and the chain verifies
    const after = await get(
      baseUrl,
      tokens.commune,
      `/units/${Bench.seg(units.C1)}/scorecard?catalog=test/commune&asOf=2025-06-30`
    )
    expect(after.body.standardMet).toBe(true)
    const verified = await get(baseUrl, tokens.auditor, "/verify")
    expect(verified.body).toEqual({ checked: 7, ok: true })
  })

/** Sets the last event's recorded time to the epoch and recomputes its two hashes; answers its position. */
const backdateLast = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const [last] = yield* sql<{
    position: number
    stream: string
    stream_version: number
    type: string
    version: number
    data: string
  }>`SELECT position, stream, stream_version, type, version, data FROM ntm_events ORDER BY position DESC LIMIT 1`
  const [before] = yield* sql<{ hash: string }>`SELECT hash FROM ntm_events WHERE position < ${last!.position}
    ORDER BY position DESC LIMIT 1`
  const [tip] = yield* sql<{ stream_hash: string }>`SELECT stream_hash FROM ntm_events WHERE stream = ${last!.stream}
    AND stream_version = ${last!.stream_version - 1}`
  const content = HashChain.contentHash(last!.stream, last!.type, last!.version, 0, last!.data)
  yield* sql`UPDATE ntm_events SET recorded_at = 0,
    hash = ${HashChain.chainHash(before?.hash ?? HashChain.genesis, last!.position, content)},
    stream_hash = ${HashChain.chainHash(tip?.stream_hash ?? HashChain.genesis, last!.stream_version, content)}
    WHERE position = ${last!.position}`
  return last!.position
}).pipe(Effect.orDie)

describe("end to end", () => {
  it.scopedLive(
    "SQLite in a file",
    () =>
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "ntm-http-e2e-"))),
          (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
        )
        const filename = join(dir, "ntm.db")
        const { baseUrl, tokens } = yield* start(
          { _tag: "Sqlite", filename },
          SqliteClient.layer({ filename }) as Layer.Layer<SqlClient.SqlClient, unknown>
        )
        yield* scenario(baseUrl, tokens)
        // The last event back-dated behind the store's back, its hashes computed again: the chain holds, and
        // /verify names the recording time that goes back.
        const last = yield* backdateLast.pipe(
          Effect.provide(SqliteClient.layer({ filename }) as Layer.Layer<SqlClient.SqlClient>)
        )
        const verified = yield* Effect.promise(() => get(baseUrl, tokens.auditor, "/verify"))
        expect(verified.body).toEqual({ checked: 7, ok: false, faults: [{ _tag: "TimeReversed", position: last }] })
      }),
    30_000
  )

  it.scopedLive(
    "PostgreSQL, a fresh database",
    () =>
      Effect.gen(function* () {
        const url: string = yield* Bench.freshPgDatabase
        const { baseUrl, tokens } = yield* start(
          { _tag: "Pg", url },
          PgClient.layer({ url: Redacted.make(url) }) as Layer.Layer<SqlClient.SqlClient, unknown>
        )
        yield* scenario(baseUrl, tokens)
      }) as Effect.Effect<void, never, Scope.Scope>,
    30_000
  )
})
