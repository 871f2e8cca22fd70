// Load benchmark of the HTTP server: health, scorecard reads and evidence writes on SQLite and PostgreSQL, with
// throughput, p50/p99 latency, the scorecard/health throughput ratio, and the server's memory over a long read run.
//
//   npm run bench:http [-- --duration 10 --long 60 --pg postgres://postgres@127.0.0.1:5432/postgres]
import { execFile, execFileSync, spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import autocannon from "autocannon"

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    long: { type: "string", default: "60" },
    connections: { type: "string", default: "10" },
    pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    only: { type: "string" },
    tool: { type: "string" }
  }
})
const duration = Number(values.duration)
const connections = Number(values.connections)
const root = new URL("../../", import.meta.url).pathname

const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024

const start = (database, port) =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, "bench/http/server.mjs"), JSON.stringify(database), String(port)],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    let out = ""
    child.stdout.on("data", (d) => {
      out += d
      const line = out.split("\n").find((l) => l.startsWith("{"))
      if (line !== undefined) setTimeout(() => resolve({ child, tokens: JSON.parse(line) }), 500)
    })
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })

// wrk (C, from Debian's packages) costs the client far less per response than autocannon: on two cores the load
// generator shares the CPU with the server, so reads are measured with wrk when it is installed.
const hasWrk = (() => {
  try {
    execFileSync("sh", ["-c", "command -v wrk"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()
const readTool = values.tool ?? (hasWrk ? "wrk" : "autocannon")

const ms = (s) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(s)
  if (m === null) return Number.NaN
  const v = Number(m[1])
  return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v
}

const wrk = async (options) => {
  const args = ["-t1", `-c${connections}`, `-d${options.duration ?? duration}s`, "--latency"]
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}: ${v}`)
  const out = await new Promise((resolve, reject) =>
    execFile("wrk", [...args, options.url], { encoding: "utf8" }, (e, stdout) => (e ? reject(e) : resolve(stdout)))
  )
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? "none"
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  return {
    requests: { average: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]) },
    latency: { p50: ms(/ 50%\s+(\S+)/.exec(out)[1]), p99: ms(/ 99%\s+(\S+)/.exec(out)[1]) },
    errors: errors === "none" ? 0 : errors,
    non2xx
  }
}

const read = (options) => (readTool === "wrk" ? wrk(options) : load(options))

const load = (options) =>
  new Promise((resolve, reject) =>
    autocannon({ connections, duration, ...options }, (e, r) => (e ? reject(e) : resolve(r)))
  )

const line = (name, r) =>
  `  ${name.padEnd(22)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${r.latency.p50.toFixed(1).padStart(6)} ms   p99 ${r.latency.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}   non-2xx ${r.non2xx}`

const scorecardPath =
  "/units/bac-giang%2Ftan-yen/scorecard?catalog=illustrative%2Ftan-yen%2Fdistrict-advanced&asOf=2024-04-05"

const run = async (label, database, port) => {
  const { child, tokens } = await start(database, port)
  const base = `http://127.0.0.1:${port}`
  try {
    console.log(`\n${label}`)
    // Warm up (the first scorecard is computed once, then answered from the memo until an event is recorded).
    await read({ url: `${base}${scorecardPath}`, headers: { authorization: `Bearer ${tokens.reader}` }, duration: 2 })
    const health = await read({ url: `${base}/health` })
    console.log(line("GET /health", health))
    const card = await read({ url: `${base}${scorecardPath}`, headers: { authorization: `Bearer ${tokens.reader}` } })
    console.log(line("GET scorecard", card))
    console.log(`  scorecard / health throughput: ${(card.requests.average / health.requests.average).toFixed(2)}`)
    let n = 0
    const writes = await load({
      url: `${base}/evidence`,
      method: "POST",
      headers: { authorization: `Bearer ${tokens.writer}`, "content-type": "application/json" },
      requests: [
        {
          setupRequest: (req) => {
            n++
            return {
              ...req,
              body: JSON.stringify({
                _tag: "RecordEvidence",
                entry: `load-${process.pid}-${n}`,
                unit: "bac-giang/tan-yen",
                catalog: "illustrative/tan-yen/district-advanced",
                code: "8.1",
                value: { _tag: "Percent", value: 50 + (n % 50) },
                effective: "2024-05-01",
                sources: []
              })
            }
          }
        }
      ]
    })
    console.log(line("POST /evidence", writes))
    if (values.long !== "0") {
      const samples = []
      const timer = setInterval(() => samples.push(rss(child.pid)), 1000)
      const long = await read({
        url: `${base}${scorecardPath}`,
        headers: { authorization: `Bearer ${tokens.reader}` },
        duration: Number(values.long)
      })
      clearInterval(timer)
      const third = Math.max(1, Math.floor(samples.length / 3))
      const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
      console.log(line(`scorecard ${values.long} s`, long))
      console.log(
        `  server RSS over ${values.long} s: first third ${avg(samples.slice(0, third)).toFixed(0)} MiB, last third ${avg(samples.slice(-third)).toFixed(0)} MiB, max ${Math.max(...samples).toFixed(0)} MiB`
      )
    }
  } finally {
    child.kill("SIGINT")
  }
}

console.log(
  `NTM HTTP load: ${connections} connections, ${duration} s per run; reads with ${readTool}, writes with autocannon; node ${process.version}; ${execFileSync("sh", ["-c", "nproc"]).toString().trim()} cores`
)
if (values.only !== "pg") {
  const dir = mkdtempSync(join(tmpdir(), "ntm-http-bench-"))
  await run("SQLite (embedded file)", { _tag: "Sqlite", filename: join(dir, "ntm.db") }, 18_081)
}
if (values.only !== "sqlite") {
  const db = `ntm_http_bench_${process.pid}`
  execFileSync("psql", [values.pg, "-qc", `CREATE DATABASE ${db}`])
  try {
    await run("PostgreSQL", { _tag: "Pg", url: values.pg.replace(/\/[^/]*$/, `/${db}`) }, 18_082)
  } finally {
    execFileSync("psql", [values.pg, "-qc", `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`])
  }
}
