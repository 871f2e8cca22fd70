/**
 * Progress reports: reading periods (`parsePeriod`) and the report of a unit over a period (`report`): what was met
 * at its start and end, what changed and the evidence or assessment behind each change, and the commitments due.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { catalogId } from "../src/Catalog.js"
import * as Commands from "../src/Commands.js"
import * as Commitment from "../src/Commitment.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Progress from "../src/Progress.js"
import { Decision, GrantRecognition } from "../src/Recognition.js"
import { standardId } from "../src/Standard.js"
import { establish, makeCommitment, recordedLedger } from "./arbitraries.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtCatalog,
  districtOfficer,
  memoryStore,
  provinceOfficer,
  unit
} from "./fixtures.js"

const period = (label: string) => Either.getOrThrow(Progress.parsePeriod(label))

describe("Progress.parsePeriod", () => {
  it("reads a month, a quarter and a year, to their last day", () => {
    expect(period("2024-05")).toEqual({ label: "2024-05", from: "2024-05-01", to: "2024-05-31" })
    expect(period("2024-02")).toMatchObject({ from: "2024-02-01", to: "2024-02-29" })
    expect(period("2023-02")).toMatchObject({ from: "2023-02-01", to: "2023-02-28" })
    expect(period("2024-12")).toMatchObject({ from: "2024-12-01", to: "2024-12-31" })
    expect(period("2024-Q1")).toEqual({ label: "2024-Q1", from: "2024-01-01", to: "2024-03-31" })
    expect(period("2024-Q2")).toMatchObject({ from: "2024-04-01", to: "2024-06-30" })
    expect(period("2024-Q3")).toMatchObject({ from: "2024-07-01", to: "2024-09-30" })
    expect(period("2024-Q4")).toMatchObject({ from: "2024-10-01", to: "2024-12-31" })
    expect(period("2024")).toEqual({ label: "2024", from: "2024-01-01", to: "2024-12-31" })
  })

  it("rejects anything else with a typed InvalidPeriod naming the label", () => {
    for (const label of [
      "2024-13",
      "2024-00",
      "2024-Q0",
      "2024-Q5",
      "2024-q2",
      "2024-5",
      "24-05",
      "2024-05-01",
      " 2024",
      "2024 ",
      "",
      "Q2-2024",
      "năm 2024"
    ]) {
      const error = Either.getOrThrow(Either.flip(Progress.parsePeriod(label)))
      expect(error).toBeInstanceOf(Progress.InvalidPeriod)
      expect(error).toMatchObject({ _tag: "InvalidPeriod", period: label })
      expect(error.message).toContain(`"${label}"`)
    }
  })

  it("a month runs from its first day to the day before the next month's; quarters and years are made of months", () => {
    const month = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9998 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const p = period(month(y, m))
        expect(p.from).toBe(`${month(y, m)}-01`)
        const next = m === 12 ? `${y + 1}-01-01` : `${month(y, m + 1)}-01`
        expect(LocalDate.addDays(p.to, 1)).toBe(next)
        const q = Math.ceil(m / 3)
        const quarter = period(`${y}-Q${q}`)
        expect(quarter.from).toBe(period(month(y, q * 3 - 2)).from)
        expect(quarter.to).toBe(period(month(y, q * 3)).to)
        expect(period(`${y}`)).toMatchObject({ from: period(`${y}-Q1`).from, to: period(`${y}-Q4`).to })
      })
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// A small history: province p, district d (communes x1, x2), district d2 (commune x3, established 2024-04-15).
// ---------------------------------------------------------------------------------------------------------------

const commune = catalogId("test/commune")
const district = catalogId("test/district")

const evidence = (entry: string, u: string, code: string, value: EvidenceValue.EvidenceValue, effective: string) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit: unit(u),
      catalog: commune,
      code,
      value,
      effective: date(effective),
      sources: [new Evidence.DocumentRef({ title: "Báo cáo / report" })],
      by: communeOfficer(u)
    })
  )

const by = districtOfficer("p/d")

const history = Effect.gen(function* () {
  yield* Commands.publishCatalog(communeCatalog(), admin)
  yield* Commands.publishCatalog(districtCatalog(), admin)
  yield* establish("p", "province", undefined, { region: "A" })
  yield* establish("p/d", "district", "p")
  yield* establish("p/d/x1", "commune", "p/d")
  yield* establish("p/d/x2", "commune", "p/d")
  yield* establish("p/d2", "district", "p")
  yield* establish("p/d2/x3", "commune", "p/d2", { effective: "2024-04-15" })

  const x1 = "p/d/x1"
  yield* evidence("e1", x1, "1.1", new EvidenceValue.Attained({ attained: true }), "2024-01-15")
  yield* evidence("e2", x1, "1.2", new EvidenceValue.Percent({ value: 60 }), "2024-03-01")
  yield* evidence("e3", x1, "1.2", new EvidenceValue.Percent({ value: 75 }), "2024-05-10")
  yield* evidence("e4", x1, "2.1", new EvidenceValue.Count({ value: 2 }), "2024-06-30")
  yield* Commands.evidence(
    new Evidence.CorrectEvidence({
      entry: "e4-corrected",
      unit: unit(x1),
      corrects: "e4",
      value: new EvidenceValue.Count({ value: 3 }),
      sources: [],
      reason: "Đếm lại / recounted",
      by
    })
  )
  // Income has no known threshold: undetermined from evidence, until the province assesses it.
  yield* evidence("e5", x1, "2.2", new EvidenceValue.Quantity({ value: 50 }), "2024-04-01")
  yield* Commands.evidence(
    new Evidence.AssessIndicator({
      assessment: "a1",
      unit: unit(x1),
      catalog: commune,
      code: "2.2",
      verdict: { _tag: "Overridden", status: "Met" },
      reason: "Đạt theo ngưỡng tỉnh / met by the provincial threshold",
      effective: date("2024-06-01"),
      by: provinceOfficer("p")
    })
  )
  // After the period: not part of it.
  yield* evidence("e6", x1, "1.1", new EvidenceValue.Attained({ attained: false }), "2024-07-01")
  yield* evidence("e7", "p/d2/x3", "1.1", new EvidenceValue.Attained({ attained: true }), "2024-05-01")
  yield* Commands.recognise(
    new GrantRecognition({
      recognition: "r-x1",
      unit: unit(x1),
      standard: standardId("ntm"),
      catalog: { id: commune, version: "1" },
      decision: new Decision({ number: "15/QĐ-UBND", date: date("2024-05-15") }),
      effective: date("2024-05-15"),
      by: provinceOfficer("p")
    })
  )

  const made = "2024-01-10"
  const agency = "Phòng Kinh tế - Hạ tầng"
  yield* makeCommitment({ commitment: "c1", unit: x1, agency, due: "2024-05-31", made })
  yield* Commands.commitment(
    new Commitment.FulfilCommitment({ commitment: "c1", evidence: ["e3"], effective: date("2024-05-20"), by })
  )
  yield* makeCommitment({ commitment: "c2", unit: x1, agency, due: "2024-06-15", made })
  yield* makeCommitment({ commitment: "c3", unit: x1, agency, due: "2024-09-30", made })
  yield* makeCommitment({ commitment: "c4", unit: "p/d/x2", agency, due: "2024-05-01", made })
  yield* makeCommitment({ commitment: "c5", unit: x1, agency, due: "2024-03-31", made })
  yield* Commands.commitment(
    new Commitment.ExtendCommitment({
      commitment: "c5",
      due: date("2024-06-20"),
      reason: "Chờ vốn / awaiting funds",
      effective: date("2024-03-15"),
      by
    })
  )
  yield* Commands.commitment(
    new Commitment.ReportProgress({
      commitment: "c5",
      note: "Đã xong 80% / 80% done",
      percent: 80,
      effective: date("2024-06-10"),
      by
    })
  )
  // Extended only after the period: due within it, as it stood at its end.
  yield* makeCommitment({ commitment: "c6", unit: x1, agency, due: "2024-04-30", made })
  yield* Commands.commitment(
    new Commitment.ExtendCommitment({
      commitment: "c6",
      due: date("2024-08-31"),
      reason: "Mưa lũ / floods",
      effective: date("2024-07-05"),
      by
    })
  )
  yield* makeCommitment({ commitment: "c7", unit: x1, agency, due: "2024-06-01", made })
  yield* Commands.commitment(
    new Commitment.WithdrawCommitment({
      commitment: "c7",
      reason: "Không còn cần / no longer needed",
      effective: date("2024-05-01"),
      by
    })
  )
  yield* makeCommitment({ commitment: "c8", unit: x1, agency, due: "2024-04-10", made: "2024-04-01" })
  yield* Commands.commitment(
    new Commitment.FulfilCommitment({ commitment: "c8", evidence: [], effective: date("2024-04-15"), by })
  )
  return yield* recordedLedger
})

describe("Progress.report", () => {
  it.effect("what was met at the start and the end, and each change with the evidence or assessment behind it", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const r = Either.getOrThrow(
        Progress.report(ledger, { unit: unit("p/d/x1"), catalog: commune, period: period("2024-Q2") })
      )
      expect(r.unit).toBe("p/d/x1")
      expect(r.period).toEqual(period("2024-Q2"))
      // The start is the day before the period; the end its last day.
      expect(r.start?.asOf).toBe("2024-03-31")
      expect(r.end.asOf).toBe("2024-06-30")
      expect(r.start).toMatchObject({ standardMet: false, indicators: { met: 1, notMet: 1, noData: 2 } })
      expect(r.end).toMatchObject({ standardMet: true, indicators: { met: 4 } })
      expect(
        r.changes.map((c) => ({
          code: c.code,
          name: c.name,
          before: c.before,
          after: c.after,
          evidence: c.evidence?.entry,
          assessment: c.assessment?.assessment
        }))
      ).toEqual([
        {
          code: "1.2",
          name: "Tỷ lệ đường thôn",
          before: "NotMet",
          after: "Met",
          evidence: "e3",
          assessment: undefined
        },
        // The correction is the evidence in force: it names the entry that caused the change.
        {
          code: "2.1",
          name: "Nhà văn hóa",
          before: "NoData",
          after: "Met",
          evidence: "e4-corrected",
          assessment: undefined
        },
        { code: "2.2", name: "Thu nhập", before: "NoData", after: "Met", evidence: "e5", assessment: "a1" }
      ])
      expect(r.changes[1]!.evidence).toMatchObject({ _tag: "EvidenceCorrected", corrects: "e4" })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("the commitments about the unit due in the period, as they stood at its end", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const r = Either.getOrThrow(
        Progress.report(ledger, { unit: unit("p/d/x1"), catalog: commune, period: period("2024-Q2") })
      )
      expect(r.commitmentsDue.map((v) => [v.made.commitment, v.due, v.status])).toEqual([
        ["c8", "2024-04-10", "FulfilledLate"],
        // Extended on 2024-07-05, after the period: still due on 2024-04-30 at its end.
        ["c6", "2024-04-30", "Overdue"],
        ["c1", "2024-05-31", "Fulfilled"],
        ["c7", "2024-06-01", "Withdrawn"],
        ["c2", "2024-06-15", "Overdue"],
        // Extended on 2024-03-15 from 2024-03-31: due in the period.
        ["c5", "2024-06-20", "Overdue"]
      ])
      const c5 = r.commitmentsDue.find((v) => v.made.commitment === "c5")!
      expect(c5.lastProgress?.percent).toBe(80)
      expect(c5.extensions.map((e) => e.previousDue)).toEqual(["2024-03-31"])
      // A month: only what is due in it.
      const may = Either.getOrThrow(
        Progress.report(ledger, { unit: unit("p/d/x1"), catalog: commune, period: period("2024-05") })
      )
      expect(may.commitmentsDue.map((v) => [v.made.commitment, v.status])).toEqual([["c1", "Fulfilled"]])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "a district's report: its entry conditions change with its communes' recognitions; commitments under it",
    () =>
      Effect.gen(function* () {
        const ledger = yield* history
        const r = Either.getOrThrow(
          Progress.report(ledger, { unit: unit("p/d"), catalog: district, period: period("2024-Q2") })
        )
        // x1 recognised on 2024-05-15: one of the district's two communes.
        expect(r.changes).toEqual([
          {
            code: "ĐK1",
            name: "Xã đạt chuẩn NTM",
            before: "NotMet",
            after: "Met",
            evidence: undefined,
            assessment: undefined
          }
        ])
        expect(r.commitmentsDue.map((v) => v.made.commitment)).toEqual(["c8", "c6", "c4", "c1", "c7", "c2", "c5"])
        const year = Either.getOrThrow(
          Progress.report(ledger, { unit: unit("p/d"), catalog: district, period: period("2024") })
        )
        expect(year.commitmentsDue.map((v) => v.made.commitment)).toContain("c3")
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("no report without a scorecard at the end of the period: its error is returned", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const fails = (u: string, c = commune, p = "2024-Q2") => {
        const e = Either.getOrThrow(
          Either.flip(Progress.report(ledger, { unit: unit(u), catalog: c, period: period(p) }))
        )
        return { _tag: e._tag, ...("date" in e ? { date: e.date } : {}) }
      }
      expect(fails("nowhere")).toEqual({ _tag: "UnknownUnit" })
      expect(fails("p/d2/x3", commune, "2024-03")).toEqual({ _tag: "UnitNotInForce", date: "2024-03-31" })
      expect(fails("p/d", commune)).toEqual({ _tag: "NoCatalogForUnit", date: "2024-06-30" })
      expect(fails("p/d/x1", district)).toEqual({ _tag: "NoCatalogForUnit", date: "2024-06-30" })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a unit or a criteria set that comes into force during the period starts with nothing", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const report = (u: string, p: string) =>
        Either.getOrThrow(Progress.report(ledger, { unit: unit(u), catalog: commune, period: period(p) }))
      // x3 was established on 2024-04-15: it had no scorecard the day before the quarter.
      const r = report("p/d2/x3", "2024-Q2")
      expect(r.start).toBeUndefined()
      expect(r.changes.map((c) => [c.code, c.before, c.after, c.evidence?.entry])).toEqual([
        ["1.1", "NoData", "Met", "e7"]
      ])
      // The commune criteria set takes effect on 2022-01-01: its first month starts with no scorecard.
      const first = report("p/d/x1", "2022-01")
      expect(first.start).toBeUndefined()
      expect(first.end.indicators.noData).toBe(4)
      expect(first.changes).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )
})
