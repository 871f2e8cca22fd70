import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { Actor } from "../src/Actor.js"
import * as B from "../src/Bilingual.js"
import { catalogId } from "../src/Catalog.js"
import * as Commitment from "../src/Commitment.js"
import { fold } from "../src/Decider.js"
import { DocumentRef } from "../src/Evidence.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LocalDate from "../src/LocalDate.js"
import { standardId } from "../src/Standard.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import { checkSequence, DeciderSpec, stepsArb } from "./DeciderSpec.js"
import { admin, communeOfficer, date, districtOfficer, unit } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The world: a province, a district and a commune that commits to its district.
// ---------------------------------------------------------------------------------------------------------------

const province = unit("bac-giang")
const district = unit("bac-giang/tan-yen")
const caoXa = unit("bac-giang/tan-yen/cao-xa")
const ghost = unit("nowhere")

const established = (id: UnitId, kind: UnitKind, vi: string, parent?: UnitId) =>
  new Hierarchy.UnitEstablished({
    unit: id,
    kind,
    name: B.make(vi, vi),
    ...(parent !== undefined ? { parent } : {}),
    classes: {},
    effective: date("2020-01-01"),
    by: admin
  })

const hierarchy = [
  established(province, "province", "Bắc Giang"),
  established(district, "district", "Tân Yên", province),
  established(caoXa, "commune", "Cao Xá", district)
].reduce(Hierarchy.evolve, Hierarchy.initial)

/** The catalogs published: the commune set only. */
const context: Commitment.Context = {
  hierarchy,
  published: (c) => c.id === "vn/2021-2025/commune",
  entryExists: (e) => e.startsWith("e-")
}
const spec = DeciderSpec.for(Commitment.decider, context)

const by = communeOfficer(caoXa)
const chairman = new Actor({ id: "chu-tich-cao-xa", name: "Chủ tịch UBND xã / Chairman", role: "commune", unit: caoXa })
const id = "cam-ket-1"

// ---------------------------------------------------------------------------------------------------------------
// Builders: each command, and the event it records.
// ---------------------------------------------------------------------------------------------------------------

interface MakeOptions {
  readonly commitment?: string
  readonly due?: string
  readonly effective?: string
  readonly subjectUnit?: UnitId
  readonly makerUnit?: UnitId
  readonly toUnit?: UnitId
  readonly description?: string
  readonly by?: Actor
}

const make = (o: MakeOptions = {}) =>
  new Commitment.MakeCommitment({
    commitment: o.commitment ?? id,
    maker: new Commitment.Party({ name: "UBND xã Cao Xá", unit: o.makerUnit ?? caoXa }),
    to: new Commitment.Party({ name: "UBND huyện Tân Yên", unit: o.toUnit ?? district }),
    subject: new Commitment.Subject({
      unit: o.subjectUnit ?? caoXa,
      catalog: catalogId("vn/2021-2025/commune"),
      indicators: ["2.1"],
      criteria: ["2"],
      standard: standardId("ntm")
    }),
    description: o.description ?? "Cứng hóa 100% đường thôn / pave every village road",
    due: date(o.due ?? "2024-12-31"),
    responsible: new Commitment.Responsible({ agency: "Phòng Kinh tế - Hạ tầng", head: "Trưởng phòng / head" }),
    source: new DocumentRef({
      title: "Thông báo kết luận / notice",
      number: "45/TB-UBND",
      date: date("2024-01-10"),
      issuer: "UBND huyện Tân Yên"
    }),
    madeFor: "recognition-2024",
    effective: date(o.effective ?? "2024-01-15"),
    by: o.by ?? by
  })

const made = (command: Commitment.MakeCommitment) => {
  const { _tag, ...fields } = command
  return new Commitment.CommitmentMade(fields)
}

const progress = (effective: string, note = "Đã cứng hóa 60% / 60% paved", percent: number | undefined = 60) =>
  new Commitment.ReportProgress({
    commitment: id,
    note,
    ...(percent !== undefined ? { percent } : {}),
    effective: date(effective),
    by
  })

const progressed = (command: Commitment.ReportProgress) => {
  const { _tag, ...fields } = command
  return new Commitment.CommitmentProgressReported(fields)
}

const fulfil = (effective: string, evidence: ReadonlyArray<string> = ["e-road-1"], actor: Actor = by) =>
  new Commitment.FulfilCommitment({
    commitment: id,
    evidence,
    note: "Hoàn thành / done",
    effective: date(effective),
    by: actor
  })

const fulfilled = (command: Commitment.FulfilCommitment) => {
  const { _tag, ...fields } = command
  return new Commitment.CommitmentFulfilled(fields)
}

const extend = (due: string, effective: string, reason = "Thiếu vốn / funds late") =>
  new Commitment.ExtendCommitment({ commitment: id, due: date(due), reason, effective: date(effective), by })

const extended = (command: Commitment.ExtendCommitment, previousDue: string) =>
  new Commitment.CommitmentExtended({
    commitment: command.commitment,
    previousDue: date(previousDue),
    due: command.due,
    reason: command.reason,
    effective: command.effective,
    by: command.by
  })

const withdraw = (effective: string, reason = "Không còn phù hợp / no longer relevant", actor: Actor = by) =>
  new Commitment.WithdrawCommitment({ commitment: id, reason, effective: date(effective), by: actor })

const withdrawn = (command: Commitment.WithdrawCommitment) => {
  const { _tag, ...fields } = command
  return new Commitment.CommitmentWithdrawn(fields)
}

const first = made(make())
const stateOf = (events: ReadonlyArray<Commitment.Event>) => fold(Commitment.decider, events)
const view = (events: ReadonlyArray<Commitment.Event>, d: string, horizon?: number) =>
  Commitment.viewAt(stateOf(events), date(d), horizon)
const statusOn = (events: ReadonlyArray<Commitment.Event>, d: string, horizon?: number) =>
  view(events, d, horizon)?.status

describe("Commitment", () => {
  describe("MakeCommitment", () => {
    it("records who committed to what, to whom, by when, and from which document", () => {
      const command = make()
      const [event] = spec
        .given([])
        .when(command)
        .then([made(command)])
      expect(event).toMatchObject({ due: date("2024-12-31"), madeFor: "recognition-2024" })
      expect(event?._tag === "CommitmentMade" && event.source?.number).toBe("45/TB-UBND")
    })

    it("accepts a due date on the day the commitment is made", () => {
      const command = make({ due: "2024-01-15" })
      spec
        .given([])
        .when(command)
        .then([made(command)])
    })

    it("repeating the same commitment records nothing, whoever repeats it", () => {
      spec.given([first]).when(make()).thenNothing()
      spec
        .given([first])
        .when(make({ by: chairman }))
        .thenNothing()
    })

    it("rejects a commitment id already made with other content", () => {
      spec
        .given([first])
        .when(make({ due: "2025-06-30" }))
        .thenRejects((r) => r._tag === "CommitmentConflict" && r.commitment === id)
      spec
        .given([first])
        .when(make({ description: "Xây nhà văn hóa / build a cultural house" }))
        .thenRejects("CommitmentConflict")
      // Even a content that would be rejected on its own: the conflict is what the caller must act on.
      spec
        .given([first])
        .when(make({ subjectUnit: ghost }))
        .thenRejects("CommitmentConflict")
    })

    it("rejects an unknown unit as the subject, the maker or the party committed to", () => {
      for (const o of [{ subjectUnit: ghost }, { makerUnit: ghost }, { toUnit: ghost }]) {
        spec
          .given([])
          .when(make(o))
          .thenRejects((r) => r._tag === "UnknownUnit" && r.unit === ghost)
      }
    })

    it("rejects a commitment for a unit no longer in force on the day it is made (merged away, dissolved)", () => {
      const dissolved = Hierarchy.evolve(
        hierarchy,
        new Hierarchy.UnitDissolved({ unit: caoXa, effective: date("2024-01-01"), by: admin })
      )
      const after = DeciderSpec.for(Commitment.decider, { ...context, hierarchy: dissolved })
      after
        .given([])
        .when(make())
        .thenRejects((r) => r._tag === "UnitNotInForce" && r.unit === caoXa && r.date === "2024-01-15")
      after
        .given([])
        .when(make({ effective: "2023-12-31" }))
        .then([made(make({ effective: "2023-12-31" }))])
    })

    it("rejects a commitment about a catalog never published", () => {
      const unpublished = DeciderSpec.for(Commitment.decider, { ...context, published: () => false })
      unpublished
        .given([])
        .when(make())
        .thenRejects((r) => r._tag === "UnknownCatalogVersion" && r.catalog === "vn/2021-2025/commune")
    })

    it("rejects a due date before the commitment was made", () => {
      const r = spec
        .given([])
        .when(make({ due: "2024-01-14" }))
        .thenRejects("InvalidDueDate")
      expect(r).toMatchObject({ commitment: id, due: date("2024-01-14"), reason: "before it was made" })
    })
  })

  describe("ReportProgress", () => {
    it("records progress, with or without a percentage", () => {
      const command = progress("2024-06-01")
      spec
        .given([first])
        .when(command)
        .then([progressed(command)])
      const noPercent = progress("2024-06-01", "Đang thi công / under way", undefined)
      spec
        .given([first])
        .when(noPercent)
        .then([progressed(noPercent)])
    })

    it("repeating a report records nothing; a different report is recorded", () => {
      const report = progressed(progress("2024-06-01"))
      spec.given([first, report]).when(progress("2024-06-01")).thenNothing()
      const later = progress("2024-09-01", "Đã cứng hóa 90% / 90% paved", 90)
      spec
        .given([first, report])
        .when(later)
        .then([progressed(later)])
    })

    it("repeating a report after the commitment closed is still satisfied (a retry)", () => {
      const report = progressed(progress("2024-06-01"))
      spec
        .given([first, report, fulfilled(fulfil("2024-10-01"))])
        .when(progress("2024-06-01"))
        .thenNothing()
    })

    it("rejects a report on an unknown commitment, before it was made, or after it closed", () => {
      spec.given([]).when(progress("2024-06-01")).thenRejects("UnknownCommitment")
      spec
        .given([first])
        .when(progress("2024-01-14"))
        .thenRejects((r) => r._tag === "BeforeCommitment" && r.date === date("2024-01-14"))
      spec
        .given([first, fulfilled(fulfil("2024-10-01"))])
        .when(progress("2024-11-01"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentFulfilled")
      spec
        .given([first, withdrawn(withdraw("2024-10-01"))])
        .when(progress("2024-11-01"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentWithdrawn")
    })
  })

  describe("FulfilCommitment", () => {
    it("rejects a fulfilment citing evidence never recorded for the unit or a unit under it", () => {
      spec
        .given([made(make())])
        .when(fulfil("2024-06-01", ["e-road-1", "missing-1"]))
        .thenRejects((r) => r._tag === "UnknownEntry" && r.entry === "missing-1" && r.unit === caoXa)
    })

    it("fulfils a commitment with the evidence that shows it", () => {
      const command = fulfil("2024-11-20", ["e-road-1", "e-road-2"])
      spec
        .given([first, progressed(progress("2024-06-01"))])
        .when(command)
        .then([fulfilled(command)])
    })

    it("repeating the fulfilment records nothing, whoever repeats it", () => {
      const done = fulfilled(fulfil("2024-11-20"))
      spec.given([first, done]).when(fulfil("2024-11-20")).thenNothing()
      spec
        .given([first, done])
        .when(fulfil("2024-11-20", ["e-road-1"], chairman))
        .thenNothing()
    })

    it("rejects a second, different fulfilment and a fulfilment after a withdrawal", () => {
      spec
        .given([first, fulfilled(fulfil("2024-11-20"))])
        .when(fulfil("2024-11-25"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentFulfilled")
      spec
        .given([first, fulfilled(fulfil("2024-11-20"))])
        .when(fulfil("2024-11-20", ["e-other"]))
        .thenRejects("CommitmentClosed")
      spec
        .given([first, withdrawn(withdraw("2024-10-01"))])
        .when(fulfil("2024-11-20"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentWithdrawn")
    })

    it("rejects fulfilling an unknown commitment or before it was made", () => {
      spec.given([]).when(fulfil("2024-11-20")).thenRejects("UnknownCommitment")
      spec.given([first]).when(fulfil("2024-01-01")).thenRejects("BeforeCommitment")
    })
  })

  describe("ExtendCommitment", () => {
    it("extends the due date and keeps the old one in the event", () => {
      const command = extend("2025-06-30", "2024-12-01")
      const [event] = spec
        .given([first])
        .when(command)
        .then([extended(command, "2024-12-31")])
      expect(event).toMatchObject({ previousDue: date("2024-12-31"), due: date("2025-06-30") })
    })

    it("a second extension starts from the first one's date", () => {
      const once = extended(extend("2025-06-30", "2024-12-01"), "2024-12-31")
      const command = extend("2025-12-31", "2025-06-01", "Mưa lũ / floods")
      spec
        .given([first, once])
        .when(command)
        .then([extended(command, "2025-06-30")])
    })

    it("extending to the due date in force records nothing", () => {
      spec.given([first]).when(extend("2024-12-31", "2024-12-01")).thenNothing()
      const once = extended(extend("2025-06-30", "2024-12-01"), "2024-12-31")
      spec.given([first, once]).when(extend("2025-06-30", "2024-12-01")).thenNothing()
      spec
        .given([first, once])
        .when(extend("2025-06-30", "2025-01-15", "Another reason"))
        .thenNothing()
    })

    it("repeating an extension after a later one is still satisfied (a retry)", () => {
      const once = extend("2025-06-30", "2024-12-01")
      const twice = extend("2025-12-31", "2025-06-01")
      spec
        .given([first, extended(once, "2024-12-31"), extended(twice, "2025-06-30")])
        .when(once)
        .thenNothing()
    })

    it("rejects a due date not later than the one in force", () => {
      const r = spec.given([first]).when(extend("2024-11-30", "2024-10-01")).thenRejects("InvalidDueDate")
      expect(r).toMatchObject({ commitment: id, due: date("2024-11-30") })
      expect(r._tag === "InvalidDueDate" && r.reason).toContain("2024-12-31")
      // After an extension, the original date is no longer the bar.
      const once = extended(extend("2025-06-30", "2024-12-01"), "2024-12-31")
      spec
        .given([first, once])
        .when(extend("2025-03-31", "2025-01-15"))
        .thenRejects((r) => r._tag === "InvalidDueDate" && r.reason.includes("2025-06-30"))
    })

    it("rejects extending an unknown, not yet made or closed commitment", () => {
      spec.given([]).when(extend("2025-06-30", "2024-12-01")).thenRejects("UnknownCommitment")
      spec.given([first]).when(extend("2025-06-30", "2023-12-01")).thenRejects("BeforeCommitment")
      spec
        .given([first, fulfilled(fulfil("2024-11-20"))])
        .when(extend("2025-06-30", "2024-12-01"))
        .thenRejects("CommitmentClosed")
      spec
        .given([first, withdrawn(withdraw("2024-10-01"))])
        .when(extend("2025-06-30", "2024-12-01"))
        .thenRejects("CommitmentClosed")
    })
  })

  describe("WithdrawCommitment", () => {
    it("withdraws a commitment with a reason", () => {
      const command = withdraw("2024-10-01")
      spec
        .given([first, progressed(progress("2024-06-01"))])
        .when(command)
        .then([withdrawn(command)])
    })

    it("repeating the withdrawal records nothing, whoever repeats it", () => {
      const done = withdrawn(withdraw("2024-10-01"))
      spec.given([first, done]).when(withdraw("2024-10-01")).thenNothing()
      spec
        .given([first, done])
        .when(withdraw("2024-10-01", undefined, districtOfficer(district)))
        .thenNothing()
    })

    it("rejects a different withdrawal, a withdrawal after fulfilment, an unknown commitment and an early date", () => {
      spec
        .given([first, withdrawn(withdraw("2024-10-01"))])
        .when(withdraw("2024-10-01", "Another reason"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentWithdrawn")
      spec
        .given([first, fulfilled(fulfil("2024-11-20"))])
        .when(withdraw("2024-12-01"))
        .thenRejects((r) => r._tag === "CommitmentClosed" && r.status === "CommitmentFulfilled")
      spec.given([]).when(withdraw("2024-10-01")).thenRejects("UnknownCommitment")
      spec.given([first]).when(withdraw("2024-01-01")).thenRejects("BeforeCommitment")
    })
  })

  describe("viewAt", () => {
    it("is undefined before the commitment was made, and for no commitment at all", () => {
      expect(view([first], "2024-01-14")).toBeUndefined()
      expect(view([], "2024-06-01")).toBeUndefined()
      expect(view([first], "2024-01-15")?.made).toEqual(first)
    })

    it("open, then due soon within the horizon (30 days by default), then overdue the day after the due date", () => {
      expect(statusOn([first], "2024-01-15")).toBe("Open")
      expect(statusOn([first], "2024-11-30")).toBe("Open")
      expect(statusOn([first], "2024-12-01")).toBe("DueSoon")
      expect(statusOn([first], "2024-12-31")).toBe("DueSoon")
      expect(statusOn([first], "2025-01-01")).toBe("Overdue")
      expect(statusOn([first], "2030-01-01")).toBe("Overdue")
    })

    it("takes the horizon as an argument", () => {
      expect(statusOn([first], "2024-12-01", 0)).toBe("Open")
      expect(statusOn([first], "2024-12-30", 0)).toBe("Open")
      expect(statusOn([first], "2024-12-31", 0)).toBe("DueSoon")
      expect(statusOn([first], "2024-10-02", 90)).toBe("DueSoon")
      expect(statusOn([first], "2024-10-01", 90)).toBe("Open")
    })

    it("counts an extension from its effective date, and lists it", () => {
      const ext = extended(extend("2025-06-30", "2025-01-10"), "2024-12-31")
      const events = [first, ext]
      // Recorded late: until it took effect, the commitment was overdue.
      expect(view(events, "2025-01-09")).toMatchObject({ status: "Overdue", due: date("2024-12-31"), extensions: [] })
      expect(view(events, "2025-01-10")).toMatchObject({ status: "Open", due: date("2025-06-30"), extensions: [ext] })
      expect(statusOn(events, "2025-06-01")).toBe("DueSoon")
      expect(statusOn(events, "2025-07-01")).toBe("Overdue")
    })

    it("a later-recorded extension dated before an earlier-recorded one does not bring the due date back", () => {
      const once = extended(extend("2025-06-30", "2024-12-15"), "2024-12-31")
      const backdated = extended(extend("2025-12-31", "2024-12-10"), "2025-06-30")
      const events = [first, once, backdated]
      expect(view(events, "2024-12-12")?.due).toBe(date("2025-12-31"))
      expect(view(events, "2024-12-20")?.due).toBe(date("2025-12-31"))
      expect(statusOn(events, "2025-08-01")).toBe("Open")
    })

    it("fulfilled on or before the due date in force, fulfilled late after it", () => {
      const onTime = [first, fulfilled(fulfil("2024-12-31"))]
      expect(statusOn(onTime, "2024-12-30")).toBe("DueSoon")
      expect(view(onTime, "2024-12-31")).toMatchObject({ status: "Fulfilled", closedBy: onTime[1] })
      expect(statusOn(onTime, "2030-01-01")).toBe("Fulfilled")
      const late = [first, fulfilled(fulfil("2025-02-01"))]
      expect(statusOn(late, "2025-01-31")).toBe("Overdue")
      expect(statusOn(late, "2025-02-01")).toBe("FulfilledLate")
      // Fulfilled after the original date but within the extension: on time.
      const extendedThenDone = [
        first,
        extended(extend("2025-06-30", "2024-12-15"), "2024-12-31"),
        fulfilled(fulfil("2025-02-01"))
      ]
      expect(statusOn(extendedThenDone, "2025-02-01")).toBe("Fulfilled")
    })

    it("withdrawn from the withdrawal's date, whatever the due date", () => {
      const events = [first, withdrawn(withdraw("2025-03-01"))]
      expect(statusOn(events, "2025-02-28")).toBe("Overdue")
      expect(view(events, "2025-03-01")).toMatchObject({ status: "Withdrawn", closedBy: events[1] })
    })

    it("the last progress effective by the date, in effective order", () => {
      const june = progressed(progress("2024-06-01"))
      const september = progressed(progress("2024-09-01", "90%", 90))
      const recordedLate = progressed(progress("2024-07-01", "70%", 70))
      const events = [first, june, september, recordedLate]
      expect(view(events, "2024-05-31")?.lastProgress).toBeUndefined()
      expect(view(events, "2024-06-15")?.lastProgress).toEqual(june)
      expect(view(events, "2024-08-01")?.lastProgress).toEqual(recordedLate)
      expect(view(events, "2024-10-01")?.lastProgress).toEqual(september)
    })

    it("labels every status in both languages", () => {
      for (const label of Object.values(Commitment.statusLabel)) expect(label).toMatch(/ \/ /)
    })
  })

  describe("properties over generated command sequences", () => {
    const dates = ["2024-01-01", "2024-01-15", "2024-06-01", "2024-12-01", "2024-12-31", "2025-03-01", "2025-06-30"]
    const dateArb = fc.constantFrom(...dates).map(date)
    const actorArb = fc.constantFrom(by, chairman, districtOfficer(district))
    const makeArb = fc
      .record({
        due: fc.constantFrom(...dates),
        effective: fc.constantFrom("2024-01-15", "2024-06-01"),
        subjectUnit: fc.constantFrom(caoXa, caoXa, caoXa, ghost),
        description: fc.constantFrom("Đường thôn / village roads", "Nhà văn hóa / cultural house"),
        by: actorArb
      })
      .map((o) => make(o))
    const progressArb = fc
      .record({
        note: fc.constantFrom("30%", "60%"),
        percent: fc.option(fc.constantFrom(30, 60), { nil: undefined }),
        effective: dateArb,
        by: actorArb
      })
      .map(
        ({ percent, ...o }) =>
          new Commitment.ReportProgress({ commitment: id, ...o, ...(percent === undefined ? {} : { percent }) })
      )
    const fulfilArb = fc
      .record({ evidence: fc.constantFrom(["e-1"], ["e-1", "e-2"]), effective: dateArb, by: actorArb })
      .map((o) => new Commitment.FulfilCommitment({ commitment: id, ...o }))
    const extendArb = fc
      .record({
        due: fc.oneof(dateArb, fc.constantFrom("2025-09-30", "2025-12-31", "2026-06-30").map(date)),
        reason: fc.constantFrom("Thiếu vốn / funds late", "Mưa lũ / floods"),
        effective: dateArb,
        by: actorArb
      })
      .map((o) => new Commitment.ExtendCommitment({ commitment: id, ...o }))
    const withdrawArb = fc
      .record({ reason: fc.constantFrom("Rút / withdrawn", "Sáp nhập / merged"), effective: dateArb, by: actorArb })
      .map((o) => new Commitment.WithdrawCommitment({ commitment: id, ...o }))
    /** Extensions weigh more, so that histories often hold several, some recorded out of date order. */
    const commandArb: fc.Arbitrary<Commitment.Command> = fc.oneof(
      { arbitrary: makeArb, weight: 2 },
      { arbitrary: progressArb, weight: 2 },
      { arbitrary: fulfilArb, weight: 1 },
      { arbitrary: extendArb, weight: 4 },
      { arbitrary: withdrawArb, weight: 1 }
    )

    // 1,500 runs: at 300, a run in a few missed a rare outcome the coverage check below asks for (withdrawing an
    // already withdrawn commitment, once commitments need a published catalog and fulfilments recorded evidence).
    it("every decision is idempotent, evolvable and rejects cleanly", () => {
      const outcomes = new Set<string>()
      fc.assert(
        fc.property(stepsArb(commandArb, { maxLength: 20 }), (steps) => {
          checkSequence(Commitment.decider, steps, { context, outcomes })
        }),
        { numRuns: 1_500 }
      )
      for (const o of [
        "MakeCommitment: events",
        "MakeCommitment: nothing",
        "ReportProgress: events",
        "ReportProgress: nothing",
        "FulfilCommitment: events",
        "FulfilCommitment: nothing",
        "ExtendCommitment: events",
        "ExtendCommitment: nothing",
        "WithdrawCommitment: events",
        "WithdrawCommitment: nothing",
        "CommitmentConflict",
        "UnknownCommitment",
        "CommitmentClosed",
        "InvalidDueDate",
        "BeforeCommitment",
        "UnknownUnit"
      ]) {
        expect(outcomes).toContain(o)
      }
    })

    /**
     * Histories the decider accepts: the events of a random command sequence, in record order. Most start from a
     * commitment already made, so that the commands after it are mostly accepted.
     */
    const historyArb = fc
      .record({ made: fc.boolean(), steps: stepsArb(commandArb, { minLength: 1, maxLength: 20 }) })
      .map(({ made, steps }) => {
        const history: Array<Commitment.Event> = made ? [first] : []
        const issued: Array<Commitment.Command> = []
        for (const step of steps) {
          const command =
            step === "again"
              ? issued.at(-1)
              : typeof step === "number"
                ? issued[step % Math.max(issued.length, 1)]
                : step
          if (command === undefined) continue
          issued.push(command)
          const decided = Commitment.decide(command, stateOf(history), context)
          if (Either.isRight(decided)) history.push(...decided.right)
        }
        return history
      })
    /** Any day from late 2023 to 2025, and often a day an event falls on or the day before. */
    const dayArb = fc.oneof(
      fc.integer({ min: 0, max: 800 }).map((n) => LocalDate.addDays(date("2023-12-01"), n)),
      fc
        .record({ d: fc.constantFrom(...dates), before: fc.boolean() })
        .map(({ d, before }) => LocalDate.addDays(date(d), before ? -1 : 0))
    )
    const horizonArb = fc.constantFrom(0, 7, 30, 90)

    it("the status as of a date depends only on the events effective by then", () => {
      const statuses = new Set<Commitment.Status>()
      fc.assert(
        fc.property(historyArb, dayArb, horizonArb, (history, d, horizon) => {
          const upToD = history.filter((e) => e.effective <= d)
          const full = Commitment.viewAt(stateOf(history), d, horizon)
          expect(full).toEqual(Commitment.viewAt(stateOf(upToD), d, horizon))
          if (full !== undefined) statuses.add(full.status)
        }),
        { numRuns: 500 }
      )
      expect([...statuses].sort()).toEqual(Object.keys(Commitment.statusLabel).sort())
    })

    it("the due date in force never moves earlier as the date advances, and a closed commitment stays closed", () => {
      fc.assert(
        fc.property(historyArb, fc.array(dayArb, { maxLength: 5 }), horizonArb, (history, days, horizon) => {
          const state = stateOf(history)
          // Every day an event falls on, the day before it, and a few others, in order.
          const checkpoints = [
            ...new Set([...history.flatMap((e) => [LocalDate.addDays(e.effective, -1), e.effective]), ...days])
          ].sort()
          let previous: Commitment.View | undefined
          for (const d of checkpoints) {
            const v = Commitment.viewAt(state, d, horizon)
            if (previous !== undefined) {
              expect(v, `a commitment made stays in view on ${d}`).toBeDefined()
              expect(v!.due >= previous.due, `the due date on ${d} (${v!.due}) is not before ${previous.due}`).toBe(
                true
              )
              if (previous.closedBy !== undefined) expect(v).toMatchObject({ closedBy: previous.closedBy })
            }
            // The due date in force is the made date or one the commitment was extended to.
            if (v !== undefined) expect([state.made!.due, ...v.extensions.map((e) => e.due)]).toContain(v.due)
            previous = v
          }
        }),
        { numRuns: 500 }
      )
    })
  })
})
