/**
 * The contract is browser-safe: `Api.ts` and everything it imports inside the package (problems, views, principals,
 * the access matrix, the reference page) reach no Node module, no SQL, and none of the server's modules.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url))
const importsOf = (file: string): ReadonlyArray<string> =>
  [...readFileSync(src(file), "utf8").matchAll(/^(?:import|export)[^"']*["']([^"']+)["']/gm)].map((m) => m[1]!)

const forbidden = [/^node:/, /^@effect\/platform-node/, /^@effect\/sql/, /^@ntm\/sql/]
const serverModules = new Set(["Handlers.js", "Server.js", "Tokens.js", "ReadModel.js"])

describe("the contract's imports", () => {
  it("reach no Node, SQL or server module from the contract modules", () => {
    const seen = new Set<string>()
    const queue = ["Api.ts", "ApiReference.ts", "Access.ts"]
    const reached: Array<string> = []
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      for (const spec of importsOf(file)) {
        reached.push(`${file} → ${spec}`)
        if (spec.startsWith("./")) {
          expect(serverModules.has(spec.slice(2)), `${file} imports ${spec}`).toBe(false)
          queue.push(spec.slice(2).replace(/\.js$/, ".ts"))
        } else {
          for (const f of forbidden) expect(f.test(spec), `${file} imports ${spec}`).toBe(false)
        }
      }
    }
    expect([...seen].sort()).toEqual([
      "Access.ts",
      "Api.ts",
      "ApiReference.ts",
      "Principal.ts",
      "Problem.ts",
      "Views.ts"
    ])
    // The check reads real imports: the contract does import the platform and the core.
    expect(reached.some((r) => r.includes("@effect/platform/HttpApi"))).toBe(true)
    expect(reached.some((r) => r.includes("@ntm/core"))).toBe(true)
  })
})
