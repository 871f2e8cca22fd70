/**
 * The test bench of the HTTP API: an app on a free port over a fresh store, a small criteria set, a hierarchy
 * (province P → district D → communes C1 and C2, and a second branch Q → E → C3 that is out of everyone's scope),
 * a token for every role, and a typed client derived from the contract.
 */
import { randomUUID } from "node:crypto"
import { createServer } from "node:http"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Actor, Bilingual, Catalog, Commands, Hierarchy, LocalDate, Unit } from "@ntm/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { Api } from "../src/Api.js"
import * as Handlers from "../src/Handlers.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import * as Tokens from "../src/Tokens.js"

export const date = LocalDate.unsafeMake

/** The units of the bench. */
export const units = {
  P: Unit.unitId("p"),
  D: Unit.unitId("p/d"),
  C1: Unit.unitId("p/d/c1"),
  C2: Unit.unitId("p/d/c2"),
  Q: Unit.unitId("q"),
  E: Unit.unitId("q/e"),
  C3: Unit.unitId("q/e/c3")
} as const

export const catalogId = Catalog.catalogId("test/commune")

const verified = { status: "verified" as const, sources: ["test"] }

/** A small criteria set for communes (encoded form): three indicators that evidence can meet. */
export const catalogDocument = (overrides: Record<string, unknown> = {}) => ({
  id: "test/commune",
  version: "1",
  name: { vi: "Bộ tiêu chí thử", en: "Test criteria set" },
  appliesTo: ["commune"],
  standard: "ntm",
  legalBasis: [{ number: "1/QĐ-TEST", date: "2022-01-01", provenance: verified }],
  effective: { from: "2022-01-01" },
  provenance: verified,
  sources: [{ id: "test", title: "Test source", kind: "official" }],
  criteria: [
    {
      code: "1",
      name: { vi: "Giao thông", en: "Transport" },
      provenance: verified,
      indicators: [
        {
          code: "1.1",
          name: { vi: "Đường xã", en: "Commune roads" },
          requirement: { _tag: "Attainment" },
          provenance: verified
        },
        {
          code: "1.2",
          name: { vi: "Tỷ lệ đường thôn", en: "Village roads share" },
          requirement: { _tag: "MinPercent", threshold: { _tag: "Known", value: 70, ...verified } },
          provenance: verified
        }
      ]
    },
    {
      code: "2",
      name: { vi: "Văn hóa", en: "Culture" },
      provenance: verified,
      indicators: [
        {
          code: "2.1",
          name: { vi: "Nhà văn hóa", en: "Cultural house" },
          requirement: { _tag: "MinCount", threshold: { _tag: "Known", value: 1, ...verified } },
          provenance: verified
        }
      ]
    }
  ],
  conditions: [],
  ...overrides
})

/** A catalog document decoded. */
export const catalog = (overrides: Record<string, unknown> = {}): Catalog.Catalog => {
  const c = Catalog.decode(catalogDocument(overrides))
  if (c._tag === "Left") throw new Error(c.left.message)
  return c.right
}

const bootstrap = new Actor.Actor({ id: "test:bootstrap", name: "Khởi tạo thử / test bootstrap", role: "admin" })

const establish = (unit: Unit.UnitId, kind: Unit.UnitKind, vi: string, parent?: Unit.UnitId) =>
  Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit,
      kind,
      name: Bilingual.make(vi, vi),
      ...(parent === undefined ? {} : { parent }),
      classes: {},
      effective: date("2020-01-01"),
      by: bootstrap
    })
  )

/** Publishes the criteria set and establishes the hierarchy, directly through the core's commands. */
export const seed = Effect.gen(function* () {
  yield* Commands.publishCatalog(catalog(), bootstrap)
  yield* establish(units.P, "province", "Tỉnh P")
  yield* establish(units.D, "district", "Huyện D", units.P)
  yield* establish(units.C1, "commune", "Xã C1", units.D)
  yield* establish(units.C2, "commune", "Xã C2", units.D)
  yield* establish(units.Q, "province", "Tỉnh Q")
  yield* establish(units.E, "district", "Huyện E", units.Q)
  yield* establish(units.C3, "commune", "Xã C3", units.E)
})

/** Who calls: one principal per role that holds a token (`system` holds none), scoped ones on the bench's units. */
export type Who = "admin" | "auditor" | "central" | "province" | "district" | "commune" | "commune2"

const requests: Record<Who, Tokens.TokenRequest> = {
  admin: { name: "Quản trị", role: "admin" },
  auditor: { name: "Kiểm toán", role: "auditor" },
  central: { name: "Trung ương", role: "central" },
  province: { name: "Cán bộ tỉnh P", role: "province", unit: units.P },
  district: { name: "Cán bộ huyện D", role: "district", unit: units.D },
  commune: { name: "Cán bộ xã C1", role: "commune", unit: units.C1 },
  commune2: { name: "Cán bộ xã C2", role: "commune", unit: units.C2 }
}

export const everyone: ReadonlyArray<Who> = Object.keys(requests) as Array<Who>

const makeClient = (baseUrl: string, token: string | undefined) =>
  HttpApiClient.make(Api, {
    baseUrl,
    transformClient: (client) =>
      token === undefined ? client : HttpClient.mapRequest(client, HttpClientRequest.bearerToken(token))
  }).pipe(Effect.provide(FetchHttpClient.layer))

/** The typed client of the API. */
export type Client = Effect.Effect.Success<ReturnType<typeof makeClient>>

/** The running bench. */
export interface Bench {
  readonly baseUrl: string
  readonly tokens: Record<Who, { readonly token: string; readonly principal: Principal.Principal }>
  /** A typed client calling as someone, or anonymously, or with a given bearer string. */
  readonly client: (who: Who | { readonly bearer: string } | undefined) => Effect.Effect<Client>
  /** A raw request with a role's token (or none). */
  readonly fetch: (path: string, init?: RequestInit & { readonly as?: Who }) => Promise<Response>
}

export class TestBench extends Context.Tag("@ntm/http/test/TestBench")<TestBench, Bench>() {}

/** The bench over a database: the app on a free port, seeded, with tokens. */
export const layer = (database: Server.Database = { _tag: "Sqlite", filename: ":memory:" }) => {
  const base = Server.layerApp.pipe(
    // Every request of the bench comes from 127.0.0.1, and some send wrong tokens on purpose: the throttle of failed
    // authentications (tested on its own in Edge.test.ts) would refuse the rest.
    Layer.provide(
      Layer.succeed(Handlers.HandlerOptions, {
        ...Handlers.HandlerOptions.defaultValue(),
        authFailures: { limit: Number.MAX_SAFE_INTEGER, window: Duration.minutes(1) }
      })
    ),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
    Layer.provideMerge(Server.layerServices(database))
  )
  const bench = Layer.effect(
    TestBench,
    Effect.gen(function* () {
      yield* seed
      const baseUrl = Option.getOrThrow(yield* Server.address)
      const tokens = {} as Record<Who, { token: string; principal: Principal.Principal }>
      const store = yield* Tokens.Tokens
      for (const who of everyone) {
        const t = yield* store.create(requests[who])
        tokens[who] = { token: t.token, principal: t.info.principal }
      }
      return TestBench.of({
        baseUrl,
        tokens,
        client: (who) =>
          makeClient(baseUrl, who === undefined ? undefined : typeof who === "string" ? tokens[who].token : who.bearer),
        fetch: (path, init) => {
          const headers = new Headers(init?.headers)
          if (init?.as !== undefined) headers.set("authorization", `Bearer ${tokens[init.as].token}`)
          return fetch(`${baseUrl}${path}`, { ...init, headers })
        }
      })
    })
  )
  return Layer.provideMerge(bench, base).pipe(Layer.orDie, Layer.provide(Logger.minimumLogLevel(LogLevel.Warning)))
}

/** The global position of the log, read through `/ready`. */
export const position = Effect.gen(function* () {
  const bench = yield* TestBench
  const res = yield* Effect.promise(() => bench.fetch("/ready"))
  const body = (yield* Effect.promise(() => res.json())) as { readonly position: number }
  return body.position
})

/**
 * A path parameter as the typed client must be given it. `HttpApiClient` pastes path parameters into the URL as
 * they are, so an id with a slash (every unit id of the shipped examples, every catalog id) would name another
 * path; the server decodes `%2F` back.
 */
export const seg = <S extends string>(id: S): S => encodeURIComponent(id) as S

/** How many events the store holds, counted in the database itself (not through the server's read model). */
export const eventCount = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly n: number | string }>`SELECT COUNT(*) AS n FROM ntm_events`
  return Number(rows[0]?.n ?? 0)
}).pipe(Effect.orDie)

/** The PostgreSQL server the tests use (as packages/sql/test/pg.ts). A test that cannot reach it fails, never skips. */
export const pgUrl = process.env.NTM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/ntm_test"

/** A PostgreSQL database of its own for the scope: created, and dropped after (with whatever still holds it). */
export const freshPgDatabase = Effect.gen(function* () {
  const name = `ntm_http_${randomUUID().replace(/-/g, "").slice(0, 12)}`
  const admin = PgClient.layer({ url: Redacted.make(pgUrl) })
  yield* Effect.acquireRelease(
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`)).pipe(
      Effect.provide(admin),
      Effect.orDie
    ),
    () =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).pipe(
        Effect.provide(admin),
        Effect.orDie
      )
  )
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  return url.toString()
})

/**
 * Reads server-sent events until one satisfies the predicate, or the time is up. Answers the frames read.
 */
export const readEvents = async (
  response: Response,
  until: (frame: string) => boolean,
  timeoutMs: number
): Promise<ReadonlyArray<string>> => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const frames: Array<string> = []
  let buffer = ""
  const deadline = Date.now() + timeoutMs
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), deadline - Date.now()))
      ])
      if (chunk === "timeout" || chunk.done) break
      buffer += decoder.decode(chunk.value, { stream: true })
      let end = buffer.indexOf("\n\n")
      while (end >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        frames.push(frame)
        if (until(frame)) return frames
        end = buffer.indexOf("\n\n")
      }
    }
    return frames
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}
