/**
 * Commitments as of a date (`asOf`): their status, the "due soon" horizon, those about a unit or the units under it;
 * grouped by agency and by unit with counts (`byAgency`, `byUnit`); and those made at a recognition (`madeFor`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import * as Commands from "../src/Commands.js"
import * as Commitment from "../src/Commitment.js"
import * as Commitments from "../src/Commitments.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LocalDate from "../src/LocalDate.js"
import { establish, makeCommitment, recordedLedger } from "./arbitraries.js"
import { admin, date, districtOfficer, memoryStore, unit } from "./fixtures.js"

const transport = "Sở Giao thông vận tải"
const health = "Sở Y tế"
const agriculture = "Sở Nông nghiệp và Phát triển nông thôn"
const by = districtOfficer("p/d1")
/** d2's officer answers for x3's commitments (d1's may not: x3 is not under d1). */
const byD2 = districtOfficer("p/d2")

/**
 * Province p; district d1 (communes x1, x2), district d2 (commune x3); x2 moves to d2 on 2024-07-01. Six
 * commitments made on 2024-01-10 (c6 on 2024-05-01); c1, c3 and c6 were made at d1's recognition r-d1.
 */
const history = Effect.gen(function* () {
  yield* establish("p", "province")
  yield* establish("p/d1", "district", "p")
  yield* establish("p/d1/x1", "commune", "p/d1")
  yield* establish("p/d1/x2", "commune", "p/d1")
  yield* establish("p/d2", "district", "p")
  yield* establish("p/d2/x3", "commune", "p/d2")
  const made = "2024-01-10"
  yield* makeCommitment({
    commitment: "c1",
    unit: "p/d1/x1",
    agency: transport,
    due: "2024-06-30",
    made,
    madeFor: "r-d1"
  })
  yield* makeCommitment({ commitment: "c2", unit: "p/d1/x2", agency: health, due: "2024-03-31", made })
  yield* Commands.commitment(
    new Commitment.ExtendCommitment({
      commitment: "c2",
      due: date("2024-05-31"),
      reason: "Chờ phân bổ vốn / awaiting funds",
      effective: date("2024-03-20"),
      by
    })
  )
  yield* makeCommitment({ commitment: "c3", unit: "p/d1", agency: transport, due: "2024-02-28", made, madeFor: "r-d1" })
  yield* Commands.commitment(
    // No evidence cited: a fulfilment cites only evidence recorded for the unit, and none is recorded here.
    new Commitment.FulfilCommitment({ commitment: "c3", evidence: [], effective: date("2024-02-20"), by })
  )
  yield* makeCommitment({ commitment: "c4", unit: "p/d2/x3", agency: health, due: "2024-02-28", made })
  yield* Commands.commitment(
    new Commitment.FulfilCommitment({ commitment: "c4", evidence: [], effective: date("2024-03-05"), by: byD2 })
  )
  yield* makeCommitment({ commitment: "c5", unit: "p/d2/x3", agency: agriculture, due: "2024-12-31", made })
  yield* Commands.commitment(
    new Commitment.WithdrawCommitment({
      commitment: "c5",
      reason: "Đã gộp vào cam kết khác / merged into another",
      effective: date("2024-02-01"),
      by: byD2
    })
  )
  yield* makeCommitment({
    commitment: "c6",
    unit: "p/d1/x1",
    agency: health,
    due: "2024-09-30",
    made: "2024-05-01",
    madeFor: "r-d1"
  })
  yield* Commands.changeHierarchy(
    new Hierarchy.MoveUnit({ unit: unit("p/d1/x2"), parent: unit("p/d2"), effective: date("2024-07-01"), by: admin })
  )
  return yield* recordedLedger
})

/** The commitments as of a date, as `id status due`, in the order given. */
const show = (views: ReadonlyArray<Commitment.View>) => views.map((v) => `${v.made.commitment} ${v.status} ${v.due}`)

describe("Commitments.asOf", () => {
  it.effect("every commitment made by the date, as it stood then, soonest due first", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const at = (d: string, horizonDays?: number) =>
        show(Commitments.asOf(ledger, date(d), horizonDays === undefined ? undefined : { horizonDays }))
      expect(at("2024-01-09")).toEqual([])
      expect(at("2024-02-29")).toEqual([
        "c3 Fulfilled 2024-02-28",
        // Due yesterday and not fulfilled by the date.
        "c4 Overdue 2024-02-28",
        // Due in 31 days: beyond the 30-day horizon.
        "c2 Open 2024-03-31",
        "c1 Open 2024-06-30",
        "c5 Withdrawn 2024-12-31"
      ])
      expect(at("2024-03-10")).toEqual([
        "c3 Fulfilled 2024-02-28",
        "c4 FulfilledLate 2024-02-28",
        // Its extension takes effect on 2024-03-20: still due on 2024-03-31, within 30 days.
        "c2 DueSoon 2024-03-31",
        "c1 Open 2024-06-30",
        "c5 Withdrawn 2024-12-31"
      ])
      expect(at("2024-04-15")).toEqual([
        "c3 Fulfilled 2024-02-28",
        "c4 FulfilledLate 2024-02-28",
        "c2 Open 2024-05-31",
        "c1 Open 2024-06-30",
        "c5 Withdrawn 2024-12-31"
      ])
      // c6, made on 2024-05-01, counts from then on.
      expect(at("2024-05-01")).toHaveLength(6)
      expect(at("2024-07-01")).toEqual([
        "c3 Fulfilled 2024-02-28",
        "c4 FulfilledLate 2024-02-28",
        "c2 Overdue 2024-05-31",
        "c1 Overdue 2024-06-30",
        "c6 Open 2024-09-30",
        "c5 Withdrawn 2024-12-31"
      ])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "the horizon: due within that many days is due soon; the due date itself is, the day after is overdue",
    () =>
      Effect.gen(function* () {
        const ledger = yield* history
        const status = (id: string, d: string, horizonDays?: number) =>
          Commitments.asOf(ledger, date(d), horizonDays === undefined ? undefined : { horizonDays }).find(
            (v) => v.made.commitment === id
          )?.status
        // 30 days by default: from 2024-03-01, 2024-03-31 is 30 days ahead.
        expect(status("c2", "2024-03-01")).toBe("DueSoon")
        expect(status("c2", "2024-02-29")).toBe("Open")
        expect(status("c2", "2024-04-15", 60)).toBe("DueSoon")
        expect(status("c1", "2024-04-15", 60)).toBe("Open")
        expect(status("c1", "2024-04-15", 76)).toBe("DueSoon")
        expect(status("c1", "2024-06-29", 0)).toBe("Open")
        expect(status("c1", "2024-06-30", 0)).toBe("DueSoon")
        expect(status("c1", "2024-07-01", 0)).toBe("Overdue")
        // Closed commitments are not due, whatever the horizon.
        expect(status("c5", "2024-12-31", 365)).toBe("Withdrawn")
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("within a unit: the commitments about it and the units under it, as the hierarchy stood on the date", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const ids = (d: string, within: string) =>
        Commitments.asOf(ledger, date(d), { within: unit(within) }).map((v) => v.made.commitment)
      expect(ids("2024-04-15", "p/d1")).toEqual(["c3", "c2", "c1"])
      expect(ids("2024-04-15", "p/d1/x1")).toEqual(["c1"])
      expect(ids("2024-04-15", "p/d2")).toEqual(["c4", "c5"])
      expect(ids("2024-04-15", "p")).toEqual(["c3", "c4", "c2", "c1", "c5"])
      // x2 moved to d2 on 2024-07-01: its commitment follows it.
      expect(ids("2024-07-01", "p/d1")).toEqual(["c3", "c1", "c6"])
      expect(ids("2024-07-01", "p/d2")).toEqual(["c4", "c2", "c5"])
      expect(ids("2024-07-01", "nowhere")).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )
})

describe("Commitments.byAgency and byUnit", () => {
  const zero = { Open: 0, DueSoon: 0, Overdue: 0, Fulfilled: 0, FulfilledLate: 0, Withdrawn: 0 }

  it.effect("group by the responsible agency, with counts by status", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const groups = Commitments.byAgency(Commitments.asOf(ledger, date("2024-04-15")))
      expect(
        groups.map((g) => ({ key: g.key, counts: g.counts, ids: g.commitments.map((v) => v.made.commitment) }))
      ).toEqual([
        { key: transport, counts: { ...zero, Fulfilled: 1, Open: 1 }, ids: ["c3", "c1"] },
        { key: agriculture, counts: { ...zero, Withdrawn: 1 }, ids: ["c5"] },
        { key: health, counts: { ...zero, FulfilledLate: 1, Open: 1 }, ids: ["c4", "c2"] }
      ])
      expect(Commitments.byAgency([])).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("group by the unit the commitment is about, within a unit", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const groups = Commitments.byUnit(Commitments.asOf(ledger, date("2024-07-01"), { within: unit("p/d1") }))
      expect(groups.map((g) => [g.key, g.counts, g.commitments.map((v) => v.made.commitment)])).toEqual([
        ["p/d1", { ...zero, Fulfilled: 1 }, ["c3"]],
        ["p/d1/x1", { ...zero, Overdue: 1, Open: 1 }, ["c1", "c6"]]
      ])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("on any date and horizon, the groups partition the commitments and their counts add up", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const day = fc.integer({ min: 0, max: 400 }).map((n) => LocalDate.addDays(date("2024-01-01"), n))
      fc.assert(
        fc.property(day, fc.integer({ min: 0, max: 120 }), (d, horizonDays) => {
          const views = Commitments.asOf(ledger, d, { horizonDays })
          for (const v of views)
            expect(Commitment.viewAt(ledger.commitments.get(v.made.commitment)!, d, horizonDays)).toEqual(v)
          for (let i = 1; i < views.length; i++) expect(views[i - 1]!.due <= views[i]!.due).toBe(true)
          for (const groups of [Commitments.byAgency(views), Commitments.byUnit(views)]) {
            expect(
              groups
                .flatMap((g) => g.commitments)
                .map((v) => v.made.commitment)
                .sort()
            ).toEqual(views.map((v) => v.made.commitment).sort())
            for (const g of groups) {
              expect(Object.values(g.counts).reduce((a, b) => a + b, 0)).toBe(g.commitments.length)
              for (const [status, n] of Object.entries(g.counts)) {
                expect(g.commitments.filter((v) => v.status === status)).toHaveLength(n)
              }
            }
            const keys = groups.map((g) => g.key)
            expect(keys).toEqual([...new Set(keys)].sort())
          }
        }),
        { numRuns: 200 }
      )
    }).pipe(Effect.provide(memoryStore))
  )
})

describe("Commitments.madeFor", () => {
  it.effect("the commitments made at a recognition, and where each stood on the date", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      expect(show(Commitments.madeFor(ledger, "r-d1", date("2024-04-15")))).toEqual([
        "c3 Fulfilled 2024-02-28",
        "c1 Open 2024-06-30"
      ])
      expect(show(Commitments.madeFor(ledger, "r-d1", date("2024-07-01")))).toEqual([
        "c3 Fulfilled 2024-02-28",
        "c1 Overdue 2024-06-30",
        "c6 Open 2024-09-30"
      ])
      expect(Commitments.madeFor(ledger, "r-none", date("2024-07-01"))).toEqual([])
      expect(Commitments.madeFor(ledger, "r-d1", date("2024-01-09"))).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )
})
