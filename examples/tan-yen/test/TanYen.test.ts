import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventStore, LocalDate } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Report from "../src/Report.js"
import * as TanYen from "../src/TanYen.js"

const d = LocalDate.unsafeMake

const remainingWithAgencies: ReadonlyArray<readonly [string, string]> = [
  ["2.3", "Sở Giao thông vận tải"],
  ["5.3", "Sở Giáo dục và Đào tạo"],
  ["6.5", "Sở Nông nghiệp và Phát triển nông thôn"],
  ["7.3", "Sở Tài nguyên và Môi trường"],
  ["8.1", "Sở Nông nghiệp và Phát triển nông thôn"],
  ["8.2", "Sở Nông nghiệp và Phát triển nông thôn"],
  ["8.9", "Sở Thông tin và Truyền thông"],
  ["9.2", "Sở Nội vụ"],
  ["9.4", "Công an tỉnh"]
]

describe("examples/tan-yen", () => {
  it.effect("scores Tân Yên 29/38 as of the notice, with the 9 remaining and their agencies", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const s = yield* TanYen.scorecard(d("2024-04-05"))
      expect(s.catalog.illustrative).toBe(true)
      expect(s.indicators.total).toBe(38)
      expect(s.indicators.met).toBe(29)
      expect(s.remaining.map((i) => [i.code, i.responsible?.agency?.vi])).toEqual(remainingWithAgencies)
      expect(s.remaining.every((i) => i.status === "NotMet")).toBe(true)
      expect(s.standardMet).toBe(false)
      // The 2020 recognition as an NTM district satisfies the prerequisite condition.
      expect(s.conditions.find((c) => c.code === "ĐK1")?.status).toBe("Met")
      expect(s.conditions.find((c) => c.code === "ĐK2")?.computed.subunits).toEqual({
        count: 3,
        total: 20,
        required: 6
      })
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("shows fewer indicators met as of an earlier date, and as known before a correction", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      expect((yield* TanYen.scorecard(d("2023-06-30"))).indicators.met).toBe(19)
      expect((yield* TanYen.scorecard(d("2022-12-31"))).indicators.met).toBe(0)
      // Before the January 2024 correction of 7.4 and the 2024 reports, the record said 24.
      const before = yield* TanYen.scorecard(d("2024-04-05"), TanYen.endOfDay(d("2024-01-01")))
      expect(before.indicators.met).toBe(24)
      const i74 = before.criteria.flatMap((c) => c.indicators).find((i) => i.code === "7.4")
      expect(i74?.status).toBe("NotMet")
      const now = yield* TanYen.scorecard(d("2024-04-05"))
      const corrected = now.criteria.flatMap((c) => c.indicators).find((i) => i.code === "7.4")
      expect(corrected?.status).toBe("Met")
      expect(corrected?.evidence?.entry._tag).toBe("EvidenceCorrected")
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("labels the illustrative catalog in the rendered report", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const text = Report.render(yield* TanYen.scorecard(d("2024-04-05")))
      expect(text).toContain("※ MINH HỌA")
      expect(text).toContain("※ ILLUSTRATIVE")
      expect(text).toContain("Chỉ tiêu đạt / indicators met: 29/38")
      expect(text).toContain("Còn lại 9 chỉ tiêu / 9 indicators remaining:")
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it("prints the scorecard when run (the built example)", () => {
    const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url))
    const out = execFileSync(process.execPath, [main], { encoding: "utf8" })
    expect(out).toContain("Chỉ tiêu đạt / indicators met: 29/38")
    for (const [code, agency] of remainingWithAgencies) {
      expect(out).toMatch(new RegExp(`✘ ${code.replace(".", "\\.")}[\\s\\S]*?phụ trách / responsible: ${agency}`))
    }
    expect(out).toContain("tính đến / as of 2023-06-30: 19/38")
    const known = execFileSync(process.execPath, [main, "--known-at", "2024-01-01"], { encoding: "utf8" })
    expect(known).toContain("Chỉ tiêu đạt / indicators met: 24/38")
  })
})
