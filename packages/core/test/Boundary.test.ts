/**
 * The core runs in a browser and in any host system: it imports `effect` and nothing else (see STYLE.md, Layout).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const root = fileURLToPath(new URL("..", import.meta.url))
const src = join(root, "src")

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : []
  })

/**
 * The module specifiers a source imports or re-exports: `import … from "x"`, `export … from "x"`, `import "x"`,
 * `import("x")`, `import x = require("x")`, `require("x")`. Statements are matched at the start of a line, so that
 * prose in comments is not taken for an import; dynamic imports and requires are matched anywhere.
 */
const specifiers = (source: string): ReadonlyArray<string> => {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g
  ]
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!))
}

/** Relative, or `effect` and its modules. */
const allowed = (specifier: string): boolean =>
  specifier.startsWith("./") || specifier.startsWith("../") || specifier === "effect" || specifier.startsWith("effect/")

describe("the core's import boundary", () => {
  it("finds every kind of import, and flags what is not allowed", () => {
    const sample = [
      `import * as Schema from "effect/Schema"`,
      `import type { Actor } from "./Actor.js"`,
      `import {`,
      `  readFileSync,`,
      `  writeFileSync`,
      `} from "node:fs"`,
      `export * from "../internal/x.js"`,
      `export { SqlClient } from '@effect/sql'`,
      `import "reflect-metadata"`,
      `const m = await import("node:path")`,
      `import { Effect } from "effect"`,
      `import { x } from "effect-extra"`,
      ` * Imported from "somewhere" (prose in a comment)`
    ].join("\n")
    const found = specifiers(sample)
    expect([...found].sort()).toEqual(
      [
        "effect/Schema",
        "./Actor.js",
        "node:fs",
        "../internal/x.js",
        "@effect/sql",
        "reflect-metadata",
        "node:path",
        "effect",
        "effect-extra"
      ].sort()
    )
    expect(found.filter((s) => !allowed(s)).sort()).toEqual([
      "@effect/sql",
      "effect-extra",
      "node:fs",
      "node:path",
      "reflect-metadata"
    ])
  })

  it("every file under src imports only relative modules and effect", () => {
    const files = sourceFiles(src)
    expect(files.length).toBeGreaterThan(10)
    const imports = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8")).map((specifier) => ({ file: relative(root, file), specifier }))
    )
    // The scan sees the core's imports (so an empty result below means something).
    expect(imports.some((i) => i.specifier === "effect/Schema")).toBe(true)
    const offending = imports.filter((i) => !allowed(i.specifier)).map((i) => `${i.file}: ${i.specifier}`)
    expect(offending).toEqual([])
  })

  it("package.json depends on effect alone", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
    }
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(["effect"])
    expect(Object.keys(pkg.peerDependencies ?? {}).filter((d) => d !== "effect")).toEqual([])
  })
})
