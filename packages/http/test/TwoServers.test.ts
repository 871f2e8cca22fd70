/**
 * Two servers on one database: a commitment made through server A, then withdrawn through server B with another
 * commune's token, at once and thirty times over. B's read model may not know the commitment yet; the command reads
 * its unit from the commitment's own stream, so the refusal holds every time. Over SQLite in a file and over
 * PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Server from "../src/Server.js"
import * as Bench from "./helpers.js"

const { units } = Bench

const tries = 30

/** Server A (the bench: seeded, with tokens) and a second server B over the same database. */
const twoServers = (database: Server.Database) =>
  Effect.gen(function* () {
    const a = yield* Effect.map(Layer.build(Bench.layer(database)), (ctx) => ctx.unsafeMap.get(Bench.TestBench.key))
    const bench = a as Bench.Bench
    const b = yield* Layer.build(
      Server.layerApp.pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provideMerge(Server.layerServices(database)),
        Layer.orDie,
        Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
      )
    )
    const bUrl = Option.getOrThrow(yield* Effect.provide(Server.address, b))
    return { bench, bUrl }
  })

const scenario = (database: Server.Database) =>
  Effect.gen(function* () {
    const { bench, bUrl } = yield* twoServers(database)
    const send = (base: string, who: Bench.Who, body: unknown) =>
      Effect.promise(async () => {
        const res = await fetch(`${base}/commitments`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${bench.tokens[who].token}`,
            "content-type": "application/json"
          },
          body: JSON.stringify(body)
        })
        return { status: res.status, body: (await res.json()) as { code?: string } }
      })
    const refused: Array<string> = []
    for (let i = 0; i < tries; i++) {
      const id = `two-${i}-${Math.random().toString(36).slice(2, 8)}`
      const made = yield* send(bench.baseUrl, "commune", {
        _tag: "MakeCommitment",
        commitment: id,
        maker: { name: "UBND xã C1", unit: units.C1 },
        to: { name: "UBND huyện D", unit: units.D },
        subject: { unit: units.C1 },
        description: "Cam kết thử / test commitment",
        due: "2027-01-01",
        responsible: { agency: "Ban quản lý xã" },
        effective: "2026-01-01"
      })
      expect(made.status).toBe(200)
      const withdrawn = yield* send(bUrl, "commune2", {
        _tag: "WithdrawCommitment",
        commitment: id,
        reason: "không phải của tôi / not mine",
        effective: "2026-02-01"
      })
      if (withdrawn.status === 403 && withdrawn.body.code === "OutOfScope") refused.push(id)
    }
    expect(refused.length).toBe(tries)
    // and the owner may, through B
    const own = yield* send(bUrl, "commune", {
      _tag: "WithdrawCommitment",
      commitment: refused[0],
      reason: "đã gộp / merged",
      effective: "2026-02-01"
    })
    expect(own.status).toBe(200)
  })

describe("two servers on one database", () => {
  it.scopedLive(
    "SQLite in a file: another commune's withdrawal through the second server is refused every time",
    () =>
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "ntm-http-two-"))),
          (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
        )
        yield* scenario({ _tag: "Sqlite", filename: join(dir, "ntm.db") })
      }),
    60_000
  )

  it.scopedLive(
    "PostgreSQL: another commune's withdrawal through the second server is refused every time",
    () =>
      Effect.gen(function* () {
        const url: string = yield* Bench.freshPgDatabase
        yield* scenario({ _tag: "Pg", url })
      }) as Effect.Effect<void, never, Scope.Scope>,
    60_000
  )
})
