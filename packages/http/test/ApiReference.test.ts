/**
 * `docs/http-api.md` is generated from the contract; this test fails when an endpoint changes without the page.
 * `UPDATE_DOCS=1 npx vitest run --project http ApiReference` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as ApiReference from "../src/ApiReference.js"

const page = fileURLToPath(new URL("../../../docs/http-api.md", import.meta.url))

describe("ApiReference", () => {
  it("docs/http-api.md matches the contract", () => {
    const text = ApiReference.markdown()
    if (process.env.UPDATE_DOCS === "1") writeFileSync(page, text)
    expect(readFileSync(page, "utf8")).toBe(text)
    // Every endpoint of the contract is on the page.
    for (const path of [
      "/units/{unit}/scorecard",
      "/evidence",
      "/dossiers",
      "/events",
      "/verify",
      "/catalogs/{id}/diff"
    ])
      expect(text).toContain(path)
  })
})
