/**
 * What the end-to-end test stands on: the page built by Vite, the real server started by the CLI on a fresh SQLite
 * file with the Tân Yên demo, a small static server that serves the page under `/app/` and passes every other path
 * to the API (same origin, as when the server serves the page itself), and Debian's Chromium driven by
 * playwright-core. No browser is downloaded: a machine without `/usr/bin/chromium` fails here, loudly.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as net from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"

/** The example's folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const repo = path.resolve(root, "../..")
const cli = path.join(repo, "packages/cli/dist/src/bin.js")

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium"

/** Runs a command to completion, failing with its output. */
const run = (command: string, args: ReadonlyArray<string>, cwd: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString()
    })
    child.stderr.on("data", (b: Buffer) => {
      out += b.toString()
    })
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${out}`))
    )
  })

/** Builds the page into `dist/` with the example's own Vite. */
export const buildPage = async (): Promise<string> => {
  await run(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], root)
  return path.join(root, "dist")
}

/** A port nobody listens on. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })

/** The running API server with the demo, and its tokens. */
export interface Server {
  readonly url: string
  readonly admin: string
  readonly auditor: string
  /** Creates a writer's token with the CLI (`ntm token create`), e.g. a district officer's. */
  readonly token: (role: string, unit: string) => Promise<string>
  readonly stop: () => Promise<void>
}

/** Starts `ntm serve --demo` on a fresh SQLite file and a free port; resolves once it listens. */
export const startServer = async (): Promise<Server> => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`tsc -b\` (npm run build) first`)
  const dir = mkdtempSync(path.join(tmpdir(), "ntm-dashboard-"))
  const port = await freePort()
  const database = path.join(dir, "demo.db")
  // A deadline for dossiers waiting after opening, so that the pipeline can show one late. A test policy, not law:
  // the limits of 18/2022 were not in hand, and none ships.
  const deadlines = path.join(dir, "deadlines.json")
  writeFileSync(
    deadlines,
    JSON.stringify({
      Opened: { days: 30, kind: "calendar", source: "chính sách thử / a test policy, not law", verified: false }
    })
  )
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "serve", "--demo", "--port", String(port), "--database", database, "--deadlines", deadlines],
    { cwd: repo, stdio: ["ignore", "pipe", "pipe"] }
  )
  let log = ""
  const ready = new Promise<{ admin: string; auditor: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${log}`)), 60_000)
    const read = (b: Buffer) => {
      log += b.toString()
      const tokens = [...log.matchAll(/^\s+(ntm_\S+)\s*$/gm)].map((m) => m[1]!)
      if (/Listening on/.test(log) && tokens.length >= 2) {
        clearTimeout(timer)
        resolve({ admin: tokens[0]!, auditor: tokens[1]! })
      }
    }
    child.stdout?.on("data", read)
    child.stderr?.on("data", read)
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited (${code}) before listening:\n${log}`))
    })
  })
  const tokens = await ready
  return {
    url: `http://127.0.0.1:${port}`,
    ...tokens,
    token: async (role, unit) => {
      const out = await run(
        process.execPath,
        [cli, "token", "create", "--name", `e2e-${role}`, "--role", role, "--unit", unit, "--database", database],
        repo
      )
      const token = /(ntm_\S+)/.exec(out)?.[1]
      if (token === undefined) throw new Error(`no token in:\n${out}`)
      return token
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve))
        child.kill("SIGTERM")
        // Open live feeds may hold a graceful shutdown; the test does not wait for them.
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png"
}

/** Serves `dist` under `/app/` and passes every other request to the API, streaming (the live feed too). */
export const startStatic = async (dist: string, api: string): Promise<{ url: string; stop: () => Promise<void> }> => {
  const target = new URL(api)
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    if (url.pathname === "/app") {
      res.writeHead(302, { location: `/app/${url.search}` })
      res.end()
      return
    }
    if (url.pathname.startsWith("/app/")) {
      const rel = decodeURIComponent(url.pathname.slice("/app/".length)) || "index.html"
      const file = path.resolve(dist, rel)
      if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404)
        res.end()
        return
      }
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" })
      res.end(readFileSync(file))
      return
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      }
    )
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Launches Debian's Chromium headless, with what a closed network needs. */
export const launchChromium = (): Promise<Browser> => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the end-to-end test drives Debian's chromium package (apt-get install -y chromium); ` +
        "it does not download a browser"
    )
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
}

/**
 * Opens a page of the dashboard and signs in with a token through its form: the page never takes a token from its
 * address. The form keeps it in the tab's session storage and reloads the page.
 */
export const signIn = async (page: Page, url: string, token: string): Promise<void> => {
  await page.goto(url)
  await page.fill("#token", token)
  await Promise.all([page.waitForEvent("load"), page.click("form.connect button[type=submit]")])
}
