import { spawn } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { bin, tempDatabase } from "./helpers.js"

describe("ntm serve", () => {
  it("starts on an empty database with the demo, prints the tokens once, serves, and stops on SIGINT", async () => {
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--demo", "--database", tempDatabase()], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b) => {
      stdout += b
    })
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address in time:\n${stderr}`)), 60_000)
      child.stderr.on("data", (b) => {
        stderr += b
        const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(stderr)
        if (m) {
          clearTimeout(timer)
          resolve(`http://127.0.0.1:${m[1]}`)
        }
      })
    })
    expect(stdout).toContain("new admin token")
    expect(stdout).toContain("new auditor token")
    const auditor = /new auditor token[^\n]*\n\s+(ntm_\S+)/.exec(stdout)![1]!
    const response = await fetch(`${address}/openapi.json`)
    expect(response.status).toBe(200)
    const units = await fetch(
      `${address}/units/bac-giang%2Ftan-yen/scorecard?catalog=illustrative/tan-yen/district-advanced&asOf=2024-04-05`,
      {
        headers: { authorization: `Bearer ${auditor}` }
      }
    )
    expect(units.status).toBe(200)
    expect(((await units.json()) as { indicators: { met: number } }).indicators.met).toBe(29)
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c))
      child.kill("SIGINT")
    })
    expect(code).toBe(0)
    expect(stderr).toContain("server stopped")
  })

  it("takes the read budgets and the failed-authentication limit as options", async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        "serve",
        "--port",
        "0",
        "--demo",
        "--database",
        tempDatabase(),
        "--fold-budget",
        "10",
        "--auth-failures",
        "2"
      ],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b) => {
      stdout += b
    })
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address in time:\n${stderr}`)), 60_000)
        child.stderr.on("data", (b) => {
          stderr += b
          const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(stderr)
          if (m) {
            clearTimeout(timer)
            resolve(`http://127.0.0.1:${m[1]}`)
          }
        })
      })
      const auditor = /new auditor token[^\n]*\n\s+(ntm_\S+)/.exec(stdout)![1]!
      const scorecard = `${address}/units/bac-giang%2Ftan-yen/scorecard?catalog=illustrative/tan-yen/district-advanced&asOf=2024-04-05`
      const knownAt = await fetch(`${scorecard}&knownAt=${new Date().toISOString()}`, {
        headers: { authorization: `Bearer ${auditor}` }
      })
      expect(knownAt.status).toBe(422)
      expect(await knownAt.json()).toMatchObject({ code: "FoldOverBudget", facts: { limit: 10 } })
      const wrong = { authorization: "Bearer ntm_aaaaaaaaaaaa_0123456789012345678901234567890123456789012" }
      expect((await fetch(scorecard, { headers: wrong })).status).toBe(401)
      expect((await fetch(scorecard, { headers: wrong })).status).toBe(401)
      const refused = await fetch(scorecard, { headers: { authorization: `Bearer ${auditor}` } })
      expect(refused.status).toBe(429)
      expect(refused.headers.get("retry-after")).not.toBeNull()
    } finally {
      child.kill("SIGINT")
    }
  })
})
