/**
 * Benchmark of `ntm evidence import`: a CSV of N rows (default 52,482, the file of issue 11) for the demo's district
 * (Tân Yên, its advanced catalog, one indicator, an entry id per row), imported on a SQLite file and on PostgreSQL
 * (a database of its own, created and dropped) through the built CLI, as a user runs it; then the same file again.
 *
 *   npm run bench:import                          # 52,482 rows, SQLite and PostgreSQL
 *   npm run bench:import -- --rows 10000          # another size
 *   npm run bench:import -- --only sqlite         # one database only (sqlite or pg)
 *   npm run bench:import -- --pg-database name    # the PostgreSQL database's name (default ntm_bench_import)
 *
 * Prints rows/s of the first import (the demo's load not counted) and the seconds of the re-import.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "52482" },
    only: { type: "string" },
    "pg-server": { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
    "pg-database": { type: "string", default: "ntm_bench_import" }
  }
})
const rows = Number(values.rows)
const bin = fileURLToPath(new URL("../../../packages/cli/dist/src/bin.js", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "ntm-bench-import-"))
const file = join(dir, "evidence.csv")
writeFileSync(
  file,
  [
    "unit,catalog,code,value,effective,entry",
    ...Array.from(
      { length: rows },
      (_, i) => `bac-giang/tan-yen,illustrative/tan-yen/district-advanced,8.9,1,2024-05-02,bench-${i}`
    )
  ].join("\n")
)

const ntm = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const started = performance.now()
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 28
  })
  const seconds = (performance.now() - started) / 1000
  if (r.status !== 0) throw new Error(`ntm ${args.join(" ")} failed (${r.status}): ${r.stderr}`)
  return { seconds, stdout: r.stdout }
}

const measure = (name: string, args: ReadonlyArray<string>, env: Record<string, string>) => {
  ntm(["demo", ...args], env)
  const first = ntm(["evidence", "import", file, ...args], env)
  const again = ntm(["evidence", "import", file, ...args], env)
  const line = (s: string) => s.trim().split("\n").at(-1)
  console.log(
    `${name}: ${rows} rows in ${first.seconds.toFixed(1)} s = ${Math.round(rows / first.seconds)} rows/s (${line(first.stdout)}); ` +
      `re-import ${again.seconds.toFixed(1)} s (${line(again.stdout)})`
  )
}

if (values.only !== "pg") measure("SQLite", ["--database", join(dir, "ntm.db")], {})
if (values.only !== "sqlite") {
  const server = values["pg-server"]
  const name = values["pg-database"]
  const psql = (sql: string) => {
    const r = spawnSync("psql", [`${server}/postgres`, "-v", "ON_ERROR_STOP=1", "-c", sql], { encoding: "utf8" })
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`)
  }
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  psql(`CREATE DATABASE ${name}`)
  try {
    measure("PostgreSQL", [], { NTM_PG_URL: `${server}/${name}` })
  } finally {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}
