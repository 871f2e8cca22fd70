/**
 * The page sends its token only to its own origin or to one allowed when it was built: a `?api=` naming another
 * server is refused, whatever its form.
 */
import { describe, expect, it } from "vitest"
import { apiBase } from "../src/Origin.js"

const page = "https://ntm.bacgiang.gov.vn/app/?api=x"

describe("apiBase", () => {
  it("the page's own origin: nothing asked, the origin itself, or a path on it", () => {
    expect(apiBase(null, page, [])).toBe("")
    expect(apiBase("", page, [])).toBe("")
    expect(apiBase("https://ntm.bacgiang.gov.vn/", page, [])).toBe("")
    expect(apiBase("https://ntm.bacgiang.gov.vn/api/", page, [])).toBe("https://ntm.bacgiang.gov.vn/api")
    expect(apiBase("/api", page, [])).toBe("https://ntm.bacgiang.gov.vn/api")
  })

  it("another origin is refused unless the build allowed it", () => {
    for (const evil of [
      "https://evil.example",
      "https://evil.example/",
      "//evil.example",
      "http://ntm.bacgiang.gov.vn",
      "https://ntm.bacgiang.gov.vn:8443",
      "https://ntm.bacgiang.gov.vn.evil.example",
      "https://user:pw@ntm.bacgiang.gov.vn",
      "javascript:alert(1)",
      "data:text/plain,x",
      "http://[::1"
    ])
      expect(apiBase(evil, page, []), evil).toBeUndefined()
    expect(apiBase("https://api.ntm.gov.vn/v1/", page, ["https://api.ntm.gov.vn"])).toBe("https://api.ntm.gov.vn/v1")
    expect(apiBase("https://evil.example", page, ["https://api.ntm.gov.vn"])).toBeUndefined()
  })

  it("a page built without an allow-list calls only its own origin", async () => {
    const { allowedOrigins } = await import("../src/Origin.js")
    expect(allowedOrigins).toEqual([])
    expect(apiBase("https://evil.example", page)).toBeUndefined()
  })
})
