/**
 * The server's edge: security headers on the pages and the API, logs that never carry a credential, and server
 * faults (a full disk, a defect) logged as errors with their cause.
 */

import { createHash } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createServer, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import { CommandHandler, EventStore } from "@ntm/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Handlers from "../src/Handlers.js"
import * as ReadModel from "../src/ReadModel.js"
import * as Server from "../src/Server.js"
import * as Tokens from "../src/Tokens.js"
import * as Bench from "./helpers.js"

const dir = mkdtempSync(join(tmpdir(), "ntm-edge-"))
writeFileSync(join(dir, "index.html"), "<!doctype html><title>NTM</title>")

/** Every log line, as logfmt. */
const lines: Array<string> = []
const capture = Logger.replace(
  Logger.defaultLogger,
  Logger.map(Logger.logfmtLogger, (line) => {
    lines.push(line)
  })
)

/** The fault the store shows next: none, a full disk on append, or a defect on a stream read. */
let fault: "none" | "disk" | "defect" | "slow" = "none"

const diskFull = Effect.fail(
  new EventStore.EventStoreError({ reason: "append failed", cause: new Error("SQLITE_FULL: database or disk is full") })
)

const faulty = Layer.effect(
  EventStore.EventStore,
  Effect.map(EventStore.EventStore, (store) =>
    EventStore.EventStore.of({
      ...store,
      append: (...args) => (fault === "disk" ? diskFull : store.append(...args)),
      appendMany: (...args) => (fault === "disk" ? diskFull : store.appendMany(...args)),
      readAll: (...args) =>
        fault === "slow"
          ? Stream.concat(Stream.fromEffect(Effect.sleep("3 seconds")).pipe(Stream.drain), store.readAll(...args))
          : store.readAll(...args),
      readStream: (...args) =>
        fault === "defect" ? Effect.die(new RangeError("Maximum call stack size exceeded")) : store.readStream(...args)
    })
  )
)

class Fixture extends Context.Tag("Fixture")<
  Fixture,
  { readonly base: string; readonly admin: string; readonly province: string }
>() {}

const store = Server.layerStore({ _tag: "Sqlite", filename: ":memory:" })
const services = Layer.mergeAll(
  Tokens.layer,
  ReadModel.layer,
  Layer.sync(CommandHandler.CurrentStateCache, () => ({ cache: CommandHandler.makeStateCache() }))
).pipe(Layer.provideMerge(Layer.merge(store, Layer.provide(faulty, store))))

const fixture = Layer.effect(
  Fixture,
  Effect.gen(function* () {
    yield* Bench.seed
    const token = yield* (yield* Tokens.Tokens).create({ name: "Quản trị", role: "admin" })
    const province = yield* (yield* Tokens.Tokens).create({ name: "Tỉnh P", role: "province", unit: Bench.units.P })
    return { base: Option.getOrThrow(yield* Server.address), admin: token.token, province: province.token }
  })
).pipe(
  Layer.provideMerge(
    Server.layerApp.pipe(
      Layer.provide(Server.layerStatic({ dir, path: "/app" })),
      Layer.provide(
        Layer.succeed(Handlers.HandlerOptions, {
          ...Handlers.HandlerOptions.defaultValue(),
          authFailures: { limit: 3, window: Duration.minutes(1) },
          budget: { time: Duration.seconds(1), foldEvents: 5 }
        })
      ),
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provideMerge(services)
    )
  ),
  Layer.orDie,
  Layer.provide(Layer.merge(capture, Logger.minimumLogLevel(LogLevel.All)))
)

const evidence = {
  _tag: "RecordEvidence",
  entry: "edge-1",
  unit: Bench.units.C1,
  catalog: "test/commune",
  code: "1.1",
  value: { _tag: "Attained", attained: true },
  effective: "2025-01-01",
  sources: []
}

layer(fixture, { excludeTestServices: true })("edge", (it) => {
  it.effect("the dashboard, the documentation page and the API answer with security headers", () =>
    Effect.gen(function* () {
      const { base, admin } = yield* Fixture
      const get = (path: string) =>
        Effect.promise(async () => {
          const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } })
          return { headers: r.headers, body: await r.text() }
        })
      for (const path of ["/app/", "/docs", "/units", "/openapi.json", "/nowhere"]) {
        const { headers } = yield* get(path)
        expect(headers.get("x-content-type-options"), path).toBe("nosniff")
        expect(headers.get("referrer-policy"), path).toBe("no-referrer")
        expect(headers.get("x-frame-options"), path).toBe("DENY")
        expect(headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'")
      }
      expect((yield* get("/app/")).headers.get("content-security-policy")).toBe(Server.appPolicy)
      // the documentation page runs its inline scripts by their hash, and nothing else
      const docs = yield* get("/docs")
      const policy = docs.headers.get("content-security-policy")!
      const scripts = [...docs.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
      expect(scripts.length).toBeGreaterThan(0)
      for (const s of scripts)
        expect(policy).toContain(`'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`)
      expect(policy).not.toContain("unsafe-eval")
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/)
    })
  )

  it.effect("no log line carries a bearer token or a credential in the query string", () =>
    Effect.gen(function* () {
      const { base, admin } = yield* Fixture
      lines.length = 0
      const secret = "ntm_abcdefghijkl_SECRETSECRETSECRETSECRETSECRETSECRETSECRET12"
      for (const path of [
        `/units?token=${secret}`,
        `/app/?unit=p&access_token=${secret}&lang=en`,
        `/units?api_key=${secret}&password=${secret}`,
        "/units"
      ])
        yield* Effect.promise(() =>
          fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.text())
        )
      yield* Effect.promise(() =>
        fetch(`${base}/units`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.text())
      )
      const log = lines.join("\n")
      expect(lines.length).toBeGreaterThanOrEqual(5)
      expect(log).not.toContain("SECRET")
      expect(log).not.toContain(admin.slice(17))
      expect(log).toContain("token=REDACTED")
      expect(log).toContain("lang=en")
    })
  )

  it("redacts credential-looking query parameters, and nothing else", () => {
    expect(Server.redactUrl("/a?token=x&unit=p%2Fd&Access_Token=y&sessionId=z&code=1.1")).toBe(
      "/a?token=REDACTED&unit=p%2Fd&Access_Token=REDACTED&sessionId=REDACTED&code=1.1"
    )
    expect(Server.redactUrl("/a")).toBe("/a")
  })

  it.effect("a full disk and a defect are logged at Error level with their cause, and answer a 500 problem", () =>
    Effect.gen(function* () {
      const { base, province } = yield* Fixture
      const send = (path: string, init?: RequestInit) =>
        Effect.promise(async () => {
          const r = await fetch(`${base}${path}`, {
            ...init,
            headers: { authorization: `Bearer ${province}`, "content-type": "application/json" }
          })
          return { status: r.status, body: (await r.json()) as { _tag: string } }
        })
      lines.length = 0
      fault = "disk"
      const full = yield* send("/evidence", { method: "POST", body: JSON.stringify(evidence) })
      fault = "defect"
      const defect = yield* send(`/units/${encodeURIComponent(Bench.units.C1)}/evidence`)
      fault = "none"
      expect(full.status).toBe(500)
      expect(full.body._tag).toBe("ServerError")
      expect(defect.status).toBe(500)
      const errors = lines.filter((l) => l.includes("level=ERROR"))
      expect(errors.some((l) => l.includes("database or disk is full"))).toBe(true)
      expect(errors.some((l) => l.includes("Maximum call stack size exceeded"))).toBe(true)
      // the 500s are not logged as information
      expect(lines.filter((l) => l.includes("level=INFO") && l.includes("http.status=500"))).toEqual([])
    })
  )

  it.effect(
    "an address that failed to authenticate 3 times is refused (429, Retry-After) whatever it sends; others are not",
    () =>
      Effect.gen(function* () {
        const { base, admin } = yield* Fixture
        const url = new URL(`${base}/units`)
        /** A GET from a given loopback address. */
        const from = (localAddress: string, token: string) =>
          Effect.promise(
            () =>
              new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
                const req = request(
                  {
                    host: url.hostname,
                    port: url.port,
                    path: url.pathname,
                    localAddress,
                    headers: { authorization: `Bearer ${token}` }
                  },
                  (res) => {
                    let body = ""
                    res.on("data", (b: Buffer) => {
                      body += b.toString()
                    })
                    res.on("end", () =>
                      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"], body })
                    )
                  }
                )
                req.on("error", reject)
                req.end()
              })
          )
        const wrong = "ntm_aaaaaaaaaaaa_0123456789012345678901234567890123456789012"
        for (let i = 0; i < 3; i++) expect((yield* from("127.0.0.2", wrong)).status).toBe(401)
        const refused = yield* from("127.0.0.2", wrong)
        expect(refused.status).toBe(429)
        expect(Number(refused.retryAfter)).toBeGreaterThan(0)
        expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60)
        expect(JSON.parse(refused.body)).toMatchObject({
          _tag: "TooManyRequests",
          code: "TooManyFailedAuthentications"
        })
        // a right token from that address waits too; another address is not slowed down
        expect((yield* from("127.0.0.2", admin)).status).toBe(429)
        expect((yield* from("127.0.0.3", admin)).status).toBe(200)
        expect((yield* from("127.0.0.3", wrong)).status).toBe(401)
      })
  )

  it.effect(
    "an unreadable stored event is left out and reported: /ready and the log name it, reads that need its stream answer 503 naming it, the rest keep working",
    () =>
      Effect.gen(function* () {
        const { base, province } = yield* Fixture
        const get = (path: string, init?: RequestInit) =>
          Effect.promise(async () => {
            const r = await fetch(`${base}${path}`, {
              ...init,
              headers: { authorization: `Bearer ${province}`, "content-type": "application/json" }
            })
            return { status: r.status, body: (await r.json()) as Record<string, unknown> }
          })
        const c1 = encodeURIComponent(Bench.units.C1)
        const c2 = encodeURIComponent(Bench.units.C2)
        // as an older build, or a hand edit, might have left it
        const store = yield* EventStore.EventStore
        const stream = `Evidence-${Bench.units.C2}`
        const appended = yield* store.append(stream, "any", [
          { type: "EvidenceRecorded", version: 1, data: { entry: 42, unit: Bench.units.C2 } }
        ])
        // seen at once rather than within the read model's 200 ms
        yield* (yield* ReadModel.ReadModel).invalidate
        lines.length = 0
        const ready = yield* get("/ready")
        expect(ready.status).toBe(200)
        expect(ready.body).toMatchObject({ status: "degraded", position: appended.position })
        expect(ready.body.unreadable).toEqual([
          expect.objectContaining({ stream, position: appended.position, type: "EvidenceRecorded", version: 1 })
        ])
        expect((ready.body.unreadable as Array<{ reason: string }>)[0]!.reason.length).toBeGreaterThan(0)
        const logged = lines.filter((l) => l.includes("level=ERROR") && l.includes("unreadable event"))
        expect(logged.length).toBe(1)
        expect(logged[0]).toContain(`position=${appended.position}`)
        expect(logged[0]).toContain(stream)
        // reads that do not need the stream keep working
        expect((yield* get(`/units/${c1}/scorecard?catalog=test/commune`)).status).toBe(200)
        expect((yield* get(`/units/${c1}/evidence`)).status).toBe(200)
        expect((yield* get("/units")).status).toBe(200)
        expect((yield* get("/catalogs")).status).toBe(200)
        expect((yield* get("/dossiers")).status).toBe(200)
        // those that need it refuse, naming the event
        for (const path of [
          `/units/${c2}/scorecard?catalog=test/commune`,
          `/units/${c2}/evidence`,
          `/units/${encodeURIComponent(Bench.units.D)}/rollup`,
          `/units/${c2}/history`
        ]) {
          const refused = yield* get(path)
          expect(refused.status, path).toBe(503)
          expect(refused.body, path).toMatchObject({
            _tag: "Unavailable",
            code: "UnreadableEvent",
            facts: { stream, position: appended.position }
          })
        }
        // and so does a write to it; one elsewhere goes through
        const write = (unit: string, entry: string) =>
          get("/evidence", { method: "POST", body: JSON.stringify({ ...evidence, unit, entry }) })
        expect((yield* write(Bench.units.C2, "edge-c2")).status).toBe(503)
        expect((yield* write(Bench.units.C1, "edge-c1")).status).toBe(200)
        // the event is logged once, not on every refresh
        yield* get("/ready")
        expect(lines.filter((l) => l.includes("level=ERROR") && l.includes("unreadable event")).length).toBe(1)
      })
  )

  it.effect("a read over its time budget is stopped and refused (503), and the next one is answered", () =>
    Effect.gen(function* () {
      const { base, admin } = yield* Fixture
      const get = (path: string) =>
        Effect.promise(async () => {
          const started = Date.now()
          const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } })
          return { status: r.status, body: (await r.json()) as Record<string, unknown>, ms: Date.now() - started }
        })
      yield* (yield* ReadModel.ReadModel).invalidate
      fault = "slow"
      const slow = yield* get("/units")
      fault = "none"
      expect(slow.status).toBe(503)
      expect(slow.body).toMatchObject({ _tag: "Unavailable", code: "OverTimeBudget" })
      expect(slow.ms).toBeLessThan(2_500)
      expect((yield* get("/units")).status).toBe(200)
    })
  )

  it.effect('an "as known at" read that would fold more events than the budget is refused (422) before folding', () =>
    Effect.gen(function* () {
      const { base, admin } = yield* Fixture
      const get = (path: string) =>
        Effect.promise(async () => {
          const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } })
          return { status: r.status, body: (await r.json()) as Record<string, unknown> }
        })
      const scorecard = `/units/${encodeURIComponent(Bench.units.C1)}/scorecard?catalog=test/commune&asOf=2025-06-01`
      const over = yield* get(`${scorecard}&knownAt=${new Date(Date.now() + 60_000).toISOString()}`)
      expect(over.status).toBe(422)
      expect(over.body).toMatchObject({ code: "FoldOverBudget", facts: { limit: 5 } })
      expect((over.body.facts as { events: number }).events).toBeGreaterThan(5)
      expect(over.body.detail).toContain("budget")
      // a time before any event folds nothing, within the budget; the current state needs no fold
      expect((yield* get(`${scorecard}&knownAt=2000-01-01`)).status).not.toBe(422)
      expect((yield* get(scorecard)).status).toBe(200)
    })
  )
})
