import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Commitments, Dossier, EventStore, Ledger, LocalDate, Progress, ScorecardQuery } from "@ntm/core"
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

  it.effect("records the notice's commitments with their agencies and deadlines, and the 2020 commitments", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const ledger = yield* TanYen.ledger()
      const views = Commitments.asOf(ledger, d("2024-04-05"), { within: TanYen.ids.district })
      const byIndicator = new Map(views.flatMap((v) => v.made.subject.indicators.map((i) => [i, v] as const)))
      for (const [code, agency] of remainingWithAgencies) {
        expect(byIndicator.get(code)?.made.responsible.agency).toBe(agency)
        expect(byIndicator.get(code)?.due).toBe("2024-12-31")
      }
      const due = (id: string) => views.find((v) => v.made.commitment === `tan-yen:${id}`)
      expect(due("study-trip")?.status).toBe("DueSoon")
      expect(due("commune-dossiers-verified")?.due).toBe("2024-09-30")
      expect(due("commune-dossiers-submitted")?.due).toBe("2024-10-31")
      expect(due("district-dossier")?.due).toBe("2025-03-31")
      const made2020 = Commitments.madeFor(ledger, `${TanYen.ids.district}:ntm:2020-06-30`, d("2024-04-05"))
      expect(made2020.map((v) => v.made.to.name)).toEqual(["Bộ Nông nghiệp và Phát triển nông thôn"])
      // After the year's deadline the open ones are overdue.
      const later = Commitments.asOf(ledger, d("2025-01-01"), { within: TanYen.ids.district })
      expect(later.filter((v) => v.status === "Overdue").length).toBe(9)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("takes the six commune dossiers to recognition, which meets the district's commune conditions", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const ledger = yield* TanYen.ledger()
      const stages = (date: string) =>
        [...ledger.dossiers.values()].map((s) => Dossier.stageAt(s, d(date)).stage).filter((s) => s !== "None")
      expect(stages("2024-04-05")).toEqual([])
      expect(stages("2024-09-30").filter((s) => s === "Verified").length).toBe(6)
      expect(stages("2024-12-31").filter((s) => s === "Recognised").length).toBe(6)
      for (const s of ledger.dossiers.values()) {
        if (s.recognised !== undefined) {
          // The frozen scorecard did not meet the standard: each recognition carries its recorded reason.
          expect(s.selfAssessment?.scorecard.standardMet || s.recognised.override !== undefined).toBe(true)
        }
      }
      const end = yield* TanYen.scorecard(d("2024-12-31"))
      expect(end.conditions.find((c) => c.code === "ĐK2")?.computed.subunits).toEqual({
        count: 7,
        total: 20,
        required: 6
      })
      expect(end.conditions.find((c) => c.code === "ĐK3")?.status).toBe("Met")
      expect(Ledger.holds(ledger, TanYen.ids.district, "advanced" as never, d("2024-12-31"))).toBe(false)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("reports the first quarter of 2024: from 28 to 29 met, with the evidence behind each change", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const ledger = yield* TanYen.ledger()
      const period = yield* Progress.parsePeriod("2024-Q1")
      const r = yield* Progress.report(ledger, { unit: TanYen.ids.district, catalog: TanYen.ids.catalog, period })
      expect([r.start?.indicators.met, r.end.indicators.met]).toEqual([28, 29])
      expect(r.changes.map((c) => [c.code, c.after, c.evidence?.entry])).toEqual([
        ["6.3", "Met", "tan-yen:6.3:2024-03-31"],
        ["7.3", "NotMet", "tan-yen:7.3:2024-03-31"],
        ["8.9", "NotMet", "tan-yen:8.9:2024-03-31"],
        ["9.4", "NotMet", "tan-yen:9.4:2024-03-31"]
      ])
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a scorecard read from the streams it needs equals the one folded from the whole log", () =>
    Effect.gen(function* () {
      yield* TanYen.record
      const summary = (s: {
        indicators: unknown
        conditions: ReadonlyArray<{ code: string; status: string }>
        remaining: ReadonlyArray<{ code: string }>
      }) => ({
        indicators: s.indicators,
        conditions: s.conditions.map((c) => [c.code, c.status]),
        remaining: s.remaining.map((i) => i.code)
      })
      for (const [asOf, knownAt] of [
        ["2024-04-05", undefined],
        ["2023-06-30", undefined],
        ["2024-12-31", undefined],
        ["2024-04-05", TanYen.endOfDay(d("2024-01-01"))]
      ] as const) {
        const full = yield* TanYen.scorecard(d(asOf), knownAt)
        const read = yield* ScorecardQuery.scorecard({
          unit: TanYen.ids.district,
          catalog: TanYen.ids.catalog,
          asOf: d(asOf),
          ...(knownAt === undefined ? {} : { knownAt })
        })
        expect(summary(read)).toEqual(summary(full))
      }
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
    expect(out).toMatch(/Sở Giao thông vận tải \(Đang thực hiện \/ open: 1\)\n\s+2024-12-31 .*\[2\.3\]/)
    expect(out).toContain("Chỉ tiêu đạt / indicators met: 28/38 → 29/38")
    expect(out).toContain("ĐK2 Met (7/20, cần / required 6)")
    expect(out).toContain("xã / commune: 20 (ntm 20, advanced 7, model 2)")
    const known = execFileSync(process.execPath, [main, "--known-at", "2024-01-01"], { encoding: "utf8" })
    expect(known).toContain("Chỉ tiêu đạt / indicators met: 24/38")
  })
})
