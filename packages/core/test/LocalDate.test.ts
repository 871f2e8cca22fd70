import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as LocalDate from "../src/LocalDate.js"

describe("LocalDate", () => {
  it("accepts real calendar dates and rejects others, in every century", () => {
    const ok = Schema.decodeUnknownEither(LocalDate.LocalDate)
    expect(Either.isRight(ok("2024-02-29"))).toBe(true)
    expect(Either.isRight(ok("2023-02-29"))).toBe(false)
    expect(Either.isRight(ok("2000-02-29"))).toBe(true)
    expect(Either.isRight(ok("2100-02-29"))).toBe(false)
    expect(Either.isRight(ok("2024-13-01"))).toBe(false)
    expect(Either.isRight(ok("24-01-01"))).toBe(false)
  })

  it("accepts dates from 1900-01-01 to 2199-12-31 only (year 0000 was accepted)", () => {
    const ok = (s: string) => Either.isRight(Schema.decodeUnknownEither(LocalDate.LocalDate)(s))
    expect(ok("1900-01-01")).toBe(true)
    expect(ok("2199-12-31")).toBe(true)
    expect(ok("1899-12-31")).toBe(false)
    expect(ok("2200-01-01")).toBe(false)
    expect(ok("0000-02-29")).toBe(false)
    expect(ok("9999-12-31")).toBe(false)
  })

  it("end of month and day arithmetic", () => {
    const d = LocalDate.unsafeMake
    expect(LocalDate.endOfMonth(d("2024-02-10"))).toBe("2024-02-29")
    expect(LocalDate.endOfMonth(d("0099-12-01"))).toBe("0099-12-31")
    expect(LocalDate.addDays(d("2024-12-31"), 1)).toBe("2025-01-01")
    expect(LocalDate.addDays(d("2024-03-01"), -1)).toBe("2024-02-29")
  })
})
