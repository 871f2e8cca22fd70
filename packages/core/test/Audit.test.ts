/**
 * Audit: replaying what the record says of a unit, an indicator, a dossier, a commitment or a person, in record order
 * with both times (`replay`); and what later records changed in a scorecard as of one date (`diff`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import * as Audit from "../src/Audit.js"
import { catalogId } from "../src/Catalog.js"
import * as Commands from "../src/Commands.js"
import * as Commitment from "../src/Commitment.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import { establish, exampleDossier, makeCommitment, recorded } from "./arbitraries.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtOfficer,
  memoryStore,
  provinceOfficer,
  unit
} from "./fixtures.js"

const catalog = catalogId("test/commune")
const x1 = unit("p/d/x1")
const x2 = unit("p/d/x2")
const officer = communeOfficer("p/d/x1")
const district = districtOfficer("p/d")

const record = (entry: string, u: string, code: string, value: EvidenceValue.EvidenceValue) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit: unit(u),
      catalog,
      code,
      value,
      effective: date("2024-01-01"),
      sources: [],
      by: communeOfficer(u)
    })
  )

/** Moves the clock on an hour and returns the time the next appends are recorded at. */
const later = Effect.zipRight(TestClock.adjust("1 hour"), Clock.currentTimeMillis)

/**
 * A history recorded at hourly steps: evidence for two communes, a correction, an assessment, a dossier taken to
 * recognition, a commitment, the merge of x2 into x1, and the retraction of the correction.
 */
const history = Effect.gen(function* () {
  const t0 = yield* Clock.currentTimeMillis
  yield* Commands.publishCatalog(communeCatalog(), admin)
  yield* establish("p", "province", undefined, { region: "A" })
  yield* establish("p/d", "district", "p")
  yield* establish("p/d/x1", "commune", "p/d")
  yield* establish("p/d/x2", "commune", "p/d")
  const t1 = yield* later
  yield* record("e1", x1, "1.1", new EvidenceValue.Attained({ attained: false }))
  yield* record("e2", x1, "1.2", new EvidenceValue.Percent({ value: 80 }))
  yield* record("e3", x2, "1.1", new EvidenceValue.Attained({ attained: true }))
  const t2 = yield* later
  yield* Commands.evidence(
    new Evidence.CorrectEvidence({
      entry: "e1-corrected",
      unit: x1,
      corrects: "e1",
      value: new EvidenceValue.Attained({ attained: true }),
      sources: [],
      reason: "Nhập nhầm / entered wrongly",
      by: district
    })
  )
  const t3 = yield* later
  yield* Commands.evidence(
    new Evidence.AssessIndicator({
      assessment: "a1",
      unit: x1,
      catalog,
      code: "1.2",
      verdict: { _tag: "Overridden", status: "NotMet" },
      reason: "Số liệu chưa được kiểm chứng / figures not checked",
      effective: date("2024-02-01"),
      by: provinceOfficer("p")
    })
  )
  const t4 = yield* later
  const hs = exampleDossier({
    dossier: "hs-x1",
    unit: x1,
    catalog: communeCatalog(),
    by: officer,
    reviewer: district,
    approver: provinceOfficer("p")
  })
  yield* hs.open("2024-03-01")
  yield* hs.selfAssess("2024-03-10")
  yield* hs.consult("2024-03-20")
  yield* hs.verify("2024-04-01")
  yield* hs.appraise("2024-04-15")
  yield* hs.recognise("2024-05-01")
  yield* hs.announce("2024-05-10")
  const t5 = yield* later
  yield* makeCommitment({ commitment: "c1", unit: x1, agency: "Sở Y tế", due: "2024-12-31", made: "2024-05-01" })
  yield* Commands.commitment(
    new Commitment.ReportProgress({
      commitment: "c1",
      note: "Đang làm / under way",
      effective: date("2024-08-01"),
      by: district
    })
  )
  yield* Commands.commitment(
    new Commitment.FulfilCommitment({ commitment: "c1", evidence: ["e2"], effective: date("2024-11-30"), by: district })
  )
  const t6 = yield* later
  yield* Commands.changeHierarchy(
    new Hierarchy.MergeUnits({ into: x1, merged: [x2], effective: date("2025-07-01"), by: admin })
  )
  const t7 = yield* later
  yield* Commands.evidence(
    new Evidence.RetractEvidence({
      unit: x1,
      entry: "e1-corrected",
      reason: "Đính chính sai / wrong correction",
      by: district
    })
  )
  return { events: yield* recorded, times: { t0, t1, t2, t3, t4, t5, t6, t7 } }
})

const types = (lines: ReadonlyArray<Audit.Line>) => lines.map((l) => l.type)

describe("Audit.replay", () => {
  it.effect("a unit: every event that concerns it, in record order, with both times", () =>
    Effect.gen(function* () {
      const { events, times } = yield* history
      const lines = Audit.replay(events, { _tag: "Unit", unit: x1 })
      expect(types(lines)).toEqual([
        "UnitEstablished",
        "EvidenceRecorded",
        "EvidenceRecorded",
        "EvidenceCorrected",
        "IndicatorAssessed",
        // Dossier events concern the unit the dossier was opened for; the recognition is written with its decision.
        "DossierOpened",
        "SelfAssessmentSubmitted",
        "ConsultationRecorded",
        "DossierVerified",
        "DossierAppraised",
        "DossierRecognised",
        "RecognitionGranted",
        "RecognitionAnnounced",
        // Commitment events concern the unit the commitment is about.
        "CommitmentMade",
        "CommitmentProgressReported",
        "CommitmentFulfilled",
        "UnitsMerged",
        "EvidenceRetracted"
      ])
      // Record order: positions increase; both times are given, the recorded one from the store's clock.
      for (let i = 1; i < lines.length; i++) expect(lines[i]!.position).toBeGreaterThan(lines[i - 1]!.position)
      for (const l of lines) {
        expect(l.effective).toBe(l.event.effective)
        expect(l.actor).toBe(l.event.by.id)
        expect(l.stream).toBe(events.find((r) => r.position === l.position)!.stream)
      }
      expect(lines[1]).toEqual({
        position: lines[1]!.position,
        stream: "Evidence-p/d/x1",
        recordedAt: times.t1,
        effective: "2024-01-01",
        type: "EvidenceRecorded",
        actor: "officer-p/d/x1",
        event: events.find((r) => r.event._tag === "EvidenceRecorded" && r.event.entry === "e1")!.event
      })
      expect(lines.map((l) => l.recordedAt)).toEqual([
        times.t0,
        times.t1,
        times.t1,
        times.t2,
        times.t3,
        ...Array(8).fill(times.t4),
        ...Array(3).fill(times.t5),
        times.t6,
        times.t7
      ])
      const merge = lines.find((l) => l.type === "UnitsMerged")!
      expect([merge.effective, merge.recordedAt, merge.stream]).toEqual(["2025-07-01", times.t6, "Hierarchy-vn"])
      // The recognition and the dossier step that granted it were recorded together, one after the other.
      const [recognised, granted] = lines.filter(
        (l) => l.type === "DossierRecognised" || l.type === "RecognitionGranted"
      )
      expect(granted!.position).toBe(recognised!.position + 1)
      expect(granted!.recordedAt).toBe(recognised!.recordedAt)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a merge concerns both the unit merged into and the units merged", () =>
    Effect.gen(function* () {
      const { events } = yield* history
      expect(types(Audit.replay(events, { _tag: "Unit", unit: x2 }))).toEqual([
        "UnitEstablished",
        "EvidenceRecorded",
        "UnitsMerged"
      ])
      expect(types(Audit.replay(events, { _tag: "Unit", unit: unit("p/d") }))).toEqual(["UnitEstablished"])
      expect(Audit.replay(events, { _tag: "Unit", unit: unit("nowhere") })).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("an indicator of a unit: its evidence and assessments, not other indicators' nor other units'", () =>
    Effect.gen(function* () {
      const { events } = yield* history
      const one = Audit.replay(events, { _tag: "Indicator", unit: x1, catalog, code: "1.1" })
      expect(types(one)).toEqual(["EvidenceRecorded", "EvidenceCorrected", "EvidenceRetracted"])
      expect(one.map((l) => ("entry" in l.event ? l.event.entry : undefined))).toEqual([
        "e1",
        "e1-corrected",
        "e1-corrected"
      ])
      expect(types(Audit.replay(events, { _tag: "Indicator", unit: x1, catalog, code: "1.2" }))).toEqual([
        "EvidenceRecorded",
        "IndicatorAssessed"
      ])
      expect(types(Audit.replay(events, { _tag: "Indicator", unit: x2, catalog, code: "1.1" }))).toEqual([
        "EvidenceRecorded"
      ])
      expect(
        Audit.replay(events, { _tag: "Indicator", unit: x1, catalog: catalogId("test/other"), code: "1.1" })
      ).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a dossier, a commitment, and a person's actions", () =>
    Effect.gen(function* () {
      const { events } = yield* history
      expect(types(Audit.replay(events, { _tag: "Dossier", dossier: "hs-x1" }))).toEqual([
        "DossierOpened",
        "SelfAssessmentSubmitted",
        "ConsultationRecorded",
        "DossierVerified",
        "DossierAppraised",
        "DossierRecognised",
        "RecognitionAnnounced"
      ])
      const c1 = Audit.replay(events, { _tag: "Commitment", commitment: "c1" })
      expect(types(c1)).toEqual(["CommitmentMade", "CommitmentProgressReported", "CommitmentFulfilled"])
      expect(c1.map((l) => l.effective)).toEqual(["2024-05-01", "2024-08-01", "2024-11-30"])
      // The district officer corrected, verified, announced, reported progress, fulfilled and retracted.
      expect(types(Audit.replay(events, { _tag: "Actor", actor: district.id }))).toEqual([
        "EvidenceCorrected",
        "DossierVerified",
        "RecognitionAnnounced",
        "CommitmentProgressReported",
        "CommitmentFulfilled",
        "EvidenceRetracted"
      ])
      // The province officer's recognition through the dossier is also recorded as the unit's recognition, by them.
      expect(types(Audit.replay(events, { _tag: "Actor", actor: "province-p" }))).toEqual([
        "IndicatorAssessed",
        "DossierAppraised",
        "DossierRecognised",
        "RecognitionGranted"
      ])
      expect(types(Audit.replay(events, { _tag: "Actor", actor: admin.id }))).toEqual([
        "CatalogPublished",
        "UnitEstablished",
        "UnitEstablished",
        "UnitEstablished",
        "UnitEstablished",
        "UnitsMerged"
      ])
      expect(Audit.replay(events, { _tag: "Dossier", dossier: "hs-none" })).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )
})

describe("Audit.diff", () => {
  const asOf = date("2024-06-30")

  it.effect("a correction between two recording times: the change names the correcting event as its cause", () =>
    Effect.gen(function* () {
      const { events, times } = yield* history
      const changes = Either.getOrThrow(Audit.diff(events, { unit: x1, catalog, asOf, from: times.t1, to: times.t2 }))
      expect(changes).toHaveLength(1)
      const [change] = changes as [Audit.Change]
      expect(change).toMatchObject({
        code: "1.1",
        before: { status: "NotMet", entry: "e1" },
        after: { status: "Met", entry: "e1-corrected" }
      })
      expect(change.causes.map((l) => [l.type, l.recordedAt, l.actor])).toEqual([
        ["EvidenceCorrected", times.t2, district.id]
      ])
      expect(change.causes[0]!.event).toMatchObject({ entry: "e1-corrected", corrects: "e1", chain: "e1" })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("an assessment, a retraction, and everything since the unit was recorded", () =>
    Effect.gen(function* () {
      const { events, times } = yield* history
      const diff = (from: number, to: number, on = asOf) =>
        Either.getOrThrow(Audit.diff(events, { unit: x1, catalog, asOf: on, from, to })).map((c) => ({
          code: c.code,
          before: [c.before.status, c.before.entry],
          after: [c.after.status, c.after.entry],
          causes: c.causes.map((l) => l.type)
        }))
      // The assessment overrides the status; the evidence in force is the same entry.
      expect(diff(times.t2, times.t3)).toEqual([
        { code: "1.2", before: ["Met", "e2"], after: ["NotMet", "e2"], causes: ["IndicatorAssessed"] }
      ])
      // The retraction of the correction brings the corrected entry back.
      expect(diff(times.t6, times.t7)).toEqual([
        { code: "1.1", before: ["Met", "e1-corrected"], after: ["NotMet", "e1"], causes: ["EvidenceRetracted"] }
      ])
      // From when the unit was established to the end: every event of each indicator is a cause.
      expect(diff(times.t0, times.t7)).toEqual([
        {
          code: "1.1",
          before: ["NoData", undefined],
          after: ["NotMet", "e1"],
          causes: ["EvidenceRecorded", "EvidenceCorrected", "EvidenceRetracted"]
        },
        {
          code: "1.2",
          before: ["NoData", undefined],
          after: ["NotMet", "e2"],
          causes: ["EvidenceRecorded", "IndicatorAssessed"]
        }
      ])
      // Nothing changed between two times when nothing about the unit's items was recorded between them, or as of
      // a date before the evidence took effect.
      expect(diff(times.t3, times.t6)).toEqual([])
      expect(diff(times.t2, times.t2)).toEqual([])
      expect(diff(times.t1, times.t2, date("2023-12-31"))).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "what was not yet recorded at the first time reads as empty; without a scorecard at the second, its error",
    () =>
      Effect.gen(function* () {
        const { events, times } = yield* history
        const diff = (u: string, from: number) =>
          Audit.diff(events, { unit: unit(u), catalog, asOf, from, to: times.t7 }).pipe(Either.mapLeft((e) => e._tag))
        // Before anything was recorded, the unit was not known: every item it has by the second time is a change.
        const fromNothing = diff("p/d/x1", times.t0 - 1)
        expect(Either.isRight(fromNothing) && fromNothing.right.every((c) => c.before.status === "NoData")).toBe(true)
        expect(Either.isRight(fromNothing) && fromNothing.right.length).toBeGreaterThan(0)
        expect(diff("nowhere", times.t0)).toEqual(Either.left("UnknownUnit"))
        expect(diff("p/d", times.t0)).toEqual(Either.left("NoCatalogForUnit"))
        expect(Either.isRight(diff("p/d/x2", times.t0))).toBe(true)
      }).pipe(Effect.provide(memoryStore))
  )
})
