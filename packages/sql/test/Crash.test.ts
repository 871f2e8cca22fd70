import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as PgEventStore from "../src/PgEventStore.js"
import * as SqliteEventStore from "../src/SqliteEventStore.js"
import { pgUrl } from "./pg.js"

const script = fileURLToPath(new URL("../dist/test/fixtures/appendBatch.js", import.meta.url))
const count = 100_000

/** Starts the child, kills it `delayMs` after it says it is appending, and tells whether it had finished. */
const killMidBatch = (kind: string, target: string, stream: string, delayMs: number) =>
  Effect.async<{ readonly started: boolean; readonly finished: boolean }>((resume) => {
    const child = spawn(process.execPath, [script, kind, target, String(count), stream], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString()
      if (out.includes("starting") && !child.killed) setTimeout(() => child.kill("SIGKILL"), delayMs)
    })
    child.on("exit", () =>
      resume(Effect.succeed({ started: out.includes("starting"), finished: out.includes("done") }))
    )
  })

const cases: ReadonlyArray<
  readonly [string, () => { kind: string; target: string; read: () => Layer.Layer<EventStore.EventStore, unknown> }]
> = [
  [
    "SQLite",
    () => {
      const file = join(mkdtempSync(join(tmpdir(), "ntm-crash-")), "events.sqlite")
      return { kind: "sqlite", target: file, read: () => SqliteEventStore.layer({ filename: file }) }
    }
  ],
  ["PostgreSQL", () => ({ kind: "pg", target: pgUrl, read: () => PgEventStore.layer({ url: pgUrl }) })]
]

describe("a process killed in the middle of an append", () => {
  for (const [name, make] of cases) {
    it.live(
      `${name}: leaves all of the batch or none of it`,
      () =>
        Effect.gen(function* () {
          let killedMidway = 0
          for (const delay of [50, 200, 400]) {
            const { kind, target, read } = make()
            const stream = `crash-${randomUUID()}`
            const { started, finished } = yield* killMidBatch(kind, target, stream, delay)
            expect(started).toBe(true)
            const after = yield* Effect.provide(
              Effect.flatMap(EventStore.EventStore, (s) => s.readStream(stream)),
              read() as Layer.Layer<EventStore.EventStore>
            )
            const added = after.length
            expect([0, count]).toContain(added)
            if (!finished) killedMidway++
            if (finished) expect(added).toBe(count)
          }
          // The batch takes seconds to write: at least one kill landed in the middle of it.
          expect(killedMidway).toBeGreaterThan(0)
        }),
      60_000
    )
  }
})
