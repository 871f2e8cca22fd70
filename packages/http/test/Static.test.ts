/**
 * The server serves a built web app from a directory: files by path with their content type, `index.html` for the
 * app's own routes, and never a file outside the directory.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
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
import * as Server from "../src/Server.js"

const dir = mkdtempSync(join(tmpdir(), "ntm-static-"))
mkdirSync(join(dir, "assets"))
writeFileSync(join(dir, "index.html"), "<!doctype html><title>NTM</title>")
writeFileSync(join(dir, "assets", "app.js"), "console.log('ntm')")
// A secret next to the app's directory, which must not be served.
writeFileSync(join(dir, "..", `${dir.split("/").at(-1)}-secret.txt`), "secret")

const server = Server.layerApp.pipe(
  Layer.provide(Server.layerStatic({ dir, path: "/app" })),
  Layer.provide(Server.layerServices({ _tag: "Sqlite", filename: ":memory:" })),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0 }))
)

describe("Server.layerStatic", () => {
  it.effect("serves files, falls back to index.html, refuses paths outside the directory", () =>
    Effect.gen(function* () {
      const base = Option.getOrThrow(yield* Server.address)
      const get = (path: string) =>
        Effect.promise(async () => {
          const r = await fetch(`${base}${path}`, { redirect: "manual" })
          return { status: r.status, type: r.headers.get("content-type"), body: await r.text() }
        })
      const index = yield* get("/app/")
      expect(index).toMatchObject({ status: 200, body: "<!doctype html><title>NTM</title>" })
      expect(index.type).toContain("text/html")
      const js = yield* get("/app/assets/app.js")
      expect(js).toMatchObject({ status: 200, body: "console.log('ntm')" })
      expect(js.type).toMatch(/javascript/)
      expect((yield* get("/app/units/bac-giang")).body).toBe("<!doctype html><title>NTM</title>")
      const outside = yield* get(`/app/..%2F${dir.split("/").at(-1)}-secret.txt`)
      expect(outside.body).not.toContain("secret")
      expect((yield* get("/app")).status).toBe(302)
      // The API is still there.
      expect((yield* get("/health")).body).toBe('{"status":"ok"}')
    }).pipe(Effect.provide(server), Logger.withMinimumLogLevel(LogLevel.Warning))
  )
})
