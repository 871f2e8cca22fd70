// Load benchmark of the HTTP server: health, scorecard reads and evidence writes on SQLite and PostgreSQL, with
// throughput, p50/p99 latency, the scorecard/health throughput ratio, and the server's memory over a long read run.
//
//   npm run bench:http [-- --duration 10 --long 60 --pg postgres://postgres@127.0.0.1:5432/postgres]
import { execFileSync, spawn } from "node:child_process"
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
    only: { type: "string" }
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

const load = (options) =>
  new Promise((resolve, reject) =>
    autocannon({ connections, duration, ...options }, (e, r) => (e ? reject(e) : resolve(r)))
  )

const line = (name, r) =>
  `  ${name.padEnd(22)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors}   non-2xx ${r.non2xx}`

const scorecardPath =
  "/units/bac-giang%2Ftan-yen/scorecard?catalog=illustrative%2Ftan-yen%2Fdistrict-advanced&asOf=2024-04-05"

const run = async (label, database, port) => {
  const { child, tokens } = await start(database, port)
  const base = `http://127.0.0.1:${port}`
  try {
    console.log(`\n${label}`)
    const health = await load({ url: `${base}/health` })
    console.log(line("GET /health", health))
    const card = await load({ url: `${base}${scorecardPath}`, headers: { authorization: `Bearer ${tokens.reader}` } })
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
      const long = await load({
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
  `NTM HTTP load: ${connections} connections, ${duration} s per run; node ${process.version}; ${execFileSync("sh", ["-c", "nproc"]).toString().trim()} cores`
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
