import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import type { Actor } from "../src/Actor.js"
import { defaultAssessmentPolicy } from "../src/Actor.js"
import * as Catalog from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import type { UnitId } from "../src/Unit.js"
import { checkSequence, DeciderSpec, stepsArb } from "./DeciderSpec.js"
import {
  admin,
  communeCatalogDocument,
  communeOfficer,
  date,
  districtOfficer,
  established,
  provinceOfficer,
  unit
} from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The world the decisions are made in: a hierarchy (with the 2025 reform) and one criteria set.
// ---------------------------------------------------------------------------------------------------------------

const province = unit("bac-giang")
const district = unit("bac-giang/tan-yen")
const otherDistrict = unit("bac-giang/viet-yen")
const caoXa = unit("bac-giang/tan-yen/cao-xa")
const lienSon = unit("bac-giang/tan-yen/lien-son")
const village = unit("bac-giang/tan-yen/cao-xa/thon-1")
const lateCommune = unit("bac-giang/tan-yen/ngoc-thien")
const goneCommune = unit("bac-giang/tan-yen/phuc-son")
const ghost = unit("nowhere")
const reform = date("2025-07-01")

const beforeReform = [
  established(province, "province", "Bắc Giang", "Bac Giang"),
  new Hierarchy.UnitClassified({
    unit: province,
    scheme: "region",
    code: "A",
    effective: date("2020-01-01"),
    by: admin
  }),
  established(district, "district", "Tân Yên", "Tan Yen", province),
  established(otherDistrict, "district", "Việt Yên", "Viet Yen", province),
  established(caoXa, "commune", "Cao Xá", "Cao Xa", district),
  new Hierarchy.UnitClassified({ unit: caoXa, scheme: "region", code: "B", effective: date("2020-01-01"), by: admin }),
  established(lienSon, "commune", "Liên Sơn", "Lien Son", district),
  established(village, "village", "Thôn 1", "Village 1", caoXa),
  established(lateCommune, "commune", "Ngọc Thiện", "Ngoc Thien", district, "2023-06-01"),
  established(goneCommune, "commune", "Phúc Sơn", "Phuc Son", district),
  new Hierarchy.UnitDissolved({ unit: goneCommune, effective: date("2024-01-01"), by: admin })
].reduce(Hierarchy.evolve, Hierarchy.initial)

/** The 2025 reform: the district is dissolved and its communes go under the province. */
const hierarchy = Either.getOrThrow(
  Hierarchy.decide(
    new Hierarchy.DissolveUnit({ unit: district, moveChildrenTo: province, effective: reform, by: admin }),
    beforeReform
  )
).reduce(Hierarchy.evolve, beforeReform)

const verified = { status: "verified" as const, sources: ["test"] }
const catalogDocument = (() => {
  const doc = communeCatalogDocument()
  return {
    ...doc,
    criteria: [
      ...doc.criteria,
      {
        code: "3",
        name: { vi: "Bến xe", en: "Bus station" },
        provenance: verified,
        indicators: [
          {
            code: "3.1",
            name: { vi: "Loại bến xe", en: "Bus station class" },
            requirement: {
              _tag: "MinClass",
              scale: ["IV", "III", "II", "I"],
              threshold: { _tag: "Known", value: "III", ...verified }
            },
            provenance: verified
          }
        ]
      }
    ],
    conditions: [
      {
        code: "ĐK1",
        name: { vi: "Huyện đạt chuẩn NTM", en: "District recognised NTM" },
        requirement: { _tag: "HoldsRecognition", standards: ["ntm"] },
        provenance: verified
      }
    ]
  }
})()
const catalog = Either.getOrThrow(Catalog.decode(catalogDocument))
const catalogId = catalog.id

const context: Evidence.Context = {
  hierarchy,
  catalogFor: (c, u, d) => CatalogSet.versionFor([catalog], c, CatalogSet.provinceOf(hierarchy, u, d), d),
  assessmentPolicy: defaultAssessmentPolicy
}

const spec = DeciderSpec.for(Evidence.decider, context)

// ---------------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------------

const attained = new EvidenceValue.Attained({ attained: true })
const notAttained = new EvidenceValue.Attained({ attained: false })
const report = new Evidence.DocumentRef({ title: "Báo cáo kết quả / results report", number: "12/BC-UBND" })
const officer = communeOfficer(caoXa)

const record = (
  entry: string,
  code: string,
  value: EvidenceValue.EvidenceValue,
  options: {
    readonly unit?: UnitId
    readonly effective?: string
    readonly validUntil?: string
    readonly by?: Actor
  } = {}
) =>
  new Evidence.RecordEvidence({
    entry,
    unit: options.unit ?? caoXa,
    catalog: catalogId,
    code,
    value,
    effective: date(options.effective ?? "2023-01-01"),
    ...(options.validUntil !== undefined ? { validUntil: date(options.validUntil) } : {}),
    sources: [report],
    by: options.by ?? officer
  })

const recorded = (command: Evidence.RecordEvidence) => {
  const { _tag, ...fields } = command
  return new Evidence.EvidenceRecorded(fields)
}

const correct = (entry: string, corrects: string, value: EvidenceValue.EvidenceValue, validUntil?: string) =>
  new Evidence.CorrectEvidence({
    entry,
    unit: caoXa,
    corrects,
    value,
    ...(validUntil !== undefined ? { validUntil: date(validUntil) } : {}),
    sources: [report],
    reason: "Nhập nhầm số liệu / data entry error",
    by: officer
  })

const retract = (entry: string) =>
  new Evidence.RetractEvidence({
    unit: caoXa,
    entry,
    reason: "Minh chứng không hợp lệ / invalid evidence",
    by: officer
  })

const confirmed: Evidence.Verdict = { _tag: "Confirmed" }
const overridden: Evidence.Verdict = { _tag: "Overridden", status: "NotMet" }

const assess = (
  assessment: string,
  options: {
    readonly unit?: UnitId
    readonly code?: string
    readonly verdict?: Evidence.Verdict
    readonly basis?: string
    readonly effective?: string
    readonly by?: Actor
  } = {}
) =>
  new Evidence.AssessIndicator({
    assessment,
    unit: options.unit ?? caoXa,
    catalog: catalogId,
    code: options.code ?? "1.1",
    verdict: options.verdict ?? confirmed,
    reason: "Thẩm tra hồ sơ / dossier verified",
    ...(options.basis !== undefined ? { basis: options.basis } : {}),
    effective: date(options.effective ?? "2023-03-01"),
    by: options.by ?? districtOfficer(district)
  })

const assessed = (command: Evidence.AssessIndicator) => {
  const { _tag, ...fields } = command
  return new Evidence.IndicatorAssessed(fields)
}

const withdraw = (assessment: string, by: Actor = districtOfficer(district)) =>
  new Evidence.WithdrawAssessment({ unit: caoXa, assessment, reason: "Đánh giá lại / reassessed", by })

const stateOf = (events: ReadonlyArray<Evidence.Event>) => events.reduce(Evidence.evolve, Evidence.initial)

/** The events a command emits on a state known to accept it. */
const emitted = (given: ReadonlyArray<Evidence.Event>, command: Evidence.Command) =>
  Either.getOrThrow(Evidence.decide(command, stateOf(given), context))

describe("Evidence", () => {
  it("a state is never changed by evolving it: two folds from one state share nothing they can see", () => {
    // The state's maps are persistent (each event changes one key in O(log n)): evolving must leave the state it
    // started from as it was, whichever branch is folded on from it.
    const base = stateOf([recorded(record("e-1", "1.1", attained))])
    const left = Evidence.evolve(base, recorded(record("e-2", "1.2", attained)))
    const right = Evidence.evolve(base, recorded(record("e-3", "1.3", attained)))
    expect([...base.entryChain.keys()]).toEqual(["e-1"])
    expect([...left.entryChain.keys()].sort()).toEqual(["e-1", "e-2"])
    expect([...right.entryChain.keys()].sort()).toEqual(["e-1", "e-3"])
    expect(base.chains.size).toBe(1)
    expect(left.chains.get("e-3")).toBeUndefined()
    expect(right.chains.get("e-3")?.code).toBe("1.3")
    // A state built with plain maps (by a host system) is taken over on its first change, and left as it was.
    const plain: Evidence.State = {
      chains: new Map(base.chains),
      entryChain: new Map(base.entryChain),
      assessments: new Map()
    }
    const next = Evidence.evolve(plain, recorded(record("e-4", "1.4", attained)))
    expect(plain.entryChain.size).toBe(1)
    expect(next.entryChain.has("e-4") && next.entryChain.has("e-1")).toBe(true)
  })

  describe("RecordEvidence", () => {
    it("records a value for an indicator of a commune", () => {
      const command = record("e-1", "1.1", attained)
      spec
        .given([])
        .when(command)
        .then([recorded(command)])
    })

    it("records the measurement of a period, and a level on the scale", () => {
      const period = record("e-1", "1.2", new EvidenceValue.Percent({ value: 72, numerator: 18, denominator: 25 }), {
        effective: "2023-01-01",
        validUntil: "2023-12-31"
      })
      spec
        .given([])
        .when(period)
        .then([recorded(period)])
      const level = record("e-2", "3.1", new EvidenceValue.Level({ value: "II" }))
      spec
        .given([])
        .when(level)
        .then([recorded(level)])
    })

    it("accepts NotApplicable where the item applies only under a condition", () => {
      const command = record(
        "e-1",
        "2.1",
        new EvidenceValue.NotApplicable({ reason: "Chưa có quy hoạch / not planned" })
      )
      spec
        .given([])
        .when(command)
        .then([recorded(command)])
    })

    it("repeating the same record records nothing, whoever repeats it", () => {
      const command = record("e-1", "1.1", attained)
      spec
        .given([recorded(command)])
        .when(command)
        .thenNothing()
      spec
        .given([recorded(command)])
        .when(record("e-1", "1.1", attained, { by: provinceOfficer(province) }))
        .thenNothing()
    })

    it("rejects an id already used for other content, or for a correction", () => {
      const first = record("e-1", "1.1", attained)
      spec
        .given([recorded(first)])
        .when(record("e-1", "1.1", notAttained))
        .thenRejects((r) => r._tag === "EntryConflict" && r.entry === "e-1")
      const given = [recorded(first), ...emitted([recorded(first)], correct("e-2", "e-1", notAttained))]
      spec
        .given(given)
        .when(record("e-2", "1.1", notAttained))
        .thenRejects("EntryConflict")
    })

    it("rejects a period that ends before it starts", () => {
      spec
        .given([])
        .when(record("e-1", "1.2", new EvidenceValue.Percent({ value: 80 }), { validUntil: "2022-12-31" }))
        .thenRejects((r) => r._tag === "InvalidPeriod" && r.validUntil === date("2022-12-31"))
    })

    it("rejects an unknown unit and a unit not in force on the date", () => {
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { unit: ghost }))
        .thenRejects("UnknownUnit")
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { unit: lateCommune, effective: "2023-05-31" }))
        .thenRejects("UnitNotInForce")
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { unit: goneCommune, effective: "2024-01-01" }))
        .thenRejects("UnitNotInForce")
    })

    it("rejects a catalog that does not apply: before it took effect, to another kind of unit, or unknown", () => {
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { effective: "2021-12-31" }))
        .thenRejects((r) => r._tag === "NoCatalogForUnit" && r.date === date("2021-12-31"))
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { unit: village }))
        .thenRejects("NoCatalogForUnit")
      spec
        .given([])
        .when(record("e-1", "1.1", attained, { unit: district, effective: "2023-01-01" }))
        .thenRejects("NoCatalogForUnit")
      const otherCatalog = new Evidence.RecordEvidence({
        ...record("e-1", "1.1", attained),
        catalog: Catalog.catalogId("test/other")
      })
      spec.given([]).when(otherCatalog).thenRejects("NoCatalogForUnit")
    })

    it("rejects a code the catalog does not have", () => {
      spec
        .given([])
        .when(record("e-1", "9.9", attained))
        .thenRejects((r) => r._tag === "IndicatorNotInCatalog" && r.code === "9.9" && r.version === "1")
    })

    it("rejects a value of the wrong kind, a level off the scale, NotApplicable where the item always applies", () => {
      spec
        .given([])
        .when(record("e-1", "1.1", new EvidenceValue.Percent({ value: 90 })))
        .thenRejects((r) => r._tag === "ValueTypeMismatch" && r.given === "Percent" && r.accepted.join() === "Attained")
      spec
        .given([])
        .when(record("e-1", "3.1", new EvidenceValue.Level({ value: "V" })))
        .thenRejects((r) => r._tag === "ValueTypeMismatch" && r.detail !== undefined && r.detail.includes("scale"))
      spec
        .given([])
        .when(record("e-1", "1.1", new EvidenceValue.NotApplicable({ reason: "Không có / none" })))
        .thenRejects(
          (r) =>
            r._tag === "ValueTypeMismatch" &&
            r.given === "NotApplicable" &&
            r.detail === "this indicator always applies"
        )
    })

    it("rejects a value for a requirement computed from the hierarchy", () => {
      spec
        .given([])
        .when(record("e-1", "ĐK1", attained))
        .thenRejects((r) => r._tag === "ValueTypeMismatch" && r.code === "ĐK1" && r.accepted.length === 0)
    })
  })

  describe("CorrectEvidence", () => {
    const original = recorded(record("e-1", "1.1", notAttained))

    it("corrects the entry in force, keeping its chain and effective date", () => {
      spec
        .given([original])
        .when(correct("e-2", "e-1", attained))
        .then([
          new Evidence.EvidenceCorrected({
            entry: "e-2",
            corrects: "e-1",
            chain: "e-1",
            unit: caoXa,
            catalog: catalogId,
            code: "1.1",
            value: attained,
            effective: date("2023-01-01"),
            sources: [report],
            reason: "Nhập nhầm số liệu / data entry error",
            by: officer
          })
        ])
    })

    it("a correction of a correction stays in the first entry's chain", () => {
      const given = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      const [event] = spec
        .given(given)
        .when(correct("e-3", "e-2", notAttained))
        .then(emitted(given, correct("e-3", "e-2", notAttained)))
      expect(event).toMatchObject({ chain: "e-1", corrects: "e-2" })
      const chain = stateOf([...given, event!]).chains.get("e-1")!
      expect(Evidence.head(chain)?.entry).toBe("e-3")
    })

    it("repeating a correction records nothing", () => {
      const given = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      spec
        .given(given)
        .when(correct("e-2", "e-1", attained))
        .thenNothing()
    })

    it("rejects a correction id already used for other content", () => {
      const given = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      spec
        .given(given)
        .when(correct("e-2", "e-1", notAttained))
        .thenRejects("EntryConflict")
      const other = recorded(record("e-9", "1.2", new EvidenceValue.Percent({ value: 50 })))
      spec
        .given([original, other])
        .when(correct("e-9", "e-1", attained))
        .thenRejects("EntryConflict")
    })

    it("rejects correcting an unknown entry", () => {
      spec
        .given([original])
        .when(correct("e-2", "e-404", attained))
        .thenRejects((r) => r._tag === "UnknownEntry" && r.entry === "e-404")
    })

    it("rejects correcting an entry that is not the chain's head", () => {
      const given = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      spec
        .given(given)
        .when(correct("e-3", "e-1", notAttained))
        .thenRejects((r) => r._tag === "EntryNotInForce" && r.entry === "e-1" && r.inForce === "e-2")
      const retracted = [original, ...emitted([original], retract("e-1"))]
      spec
        .given(retracted)
        .when(correct("e-3", "e-1", attained))
        .thenRejects((r) => r._tag === "EntryNotInForce" && r.inForce === undefined)
    })

    it("rejects a period that ends before the chain's effective date, and a value of the wrong kind", () => {
      const period = recorded(
        record("e-1", "1.2", new EvidenceValue.Percent({ value: 60 }), { validUntil: "2023-12-31" })
      )
      spec
        .given([period])
        .when(correct("e-2", "e-1", new EvidenceValue.Percent({ value: 65 }), "2022-06-30"))
        .thenRejects("InvalidPeriod")
      spec
        .given([original])
        .when(correct("e-2", "e-1", new EvidenceValue.Count({ value: 3 })))
        .thenRejects("ValueTypeMismatch")
    })
  })

  describe("RetractEvidence", () => {
    const original = recorded(record("e-1", "1.1", notAttained))

    it("retracts the entry in force; the chain then has none", () => {
      const events = spec
        .given([original])
        .when(retract("e-1"))
        .then([
          new Evidence.EvidenceRetracted({
            entry: "e-1",
            chain: "e-1",
            unit: caoXa,
            catalog: catalogId,
            code: "1.1",
            effective: date("2023-01-01"),
            reason: "Minh chứng không hợp lệ / invalid evidence",
            by: officer
          })
        ])
      expect(Evidence.head(stateOf([original, ...events]).chains.get("e-1")!)).toBeUndefined()
    })

    it("a correction followed by the retraction of the correction leaves the original entry in force", () => {
      const corrected = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      expect(Evidence.head(stateOf(corrected).chains.get("e-1")!)?.value).toEqual(attained)
      const events = spec
        .given(corrected)
        .when(retract("e-2"))
        .then(emitted(corrected, retract("e-2")))
      const chain = stateOf([...corrected, ...events]).chains.get("e-1")!
      expect(Evidence.head(chain)?.entry).toBe("e-1")
      expect(Evidence.head(chain)?.value).toEqual(notAttained)
      // The original can be corrected again, and retracted in its turn.
      const after = [...corrected, ...events]
      spec
        .given(after)
        .when(correct("e-3", "e-1", attained))
        .then(emitted(after, correct("e-3", "e-1", attained)))
      spec
        .given(after)
        .when(retract("e-1"))
        .then(emitted(after, retract("e-1")))
    })

    it("repeating a retraction records nothing", () => {
      const given = [original, ...emitted([original], retract("e-1"))]
      spec.given(given).when(retract("e-1")).thenNothing()
    })

    it("rejects an unknown entry, and an entry that is not the chain's head", () => {
      spec.given([original]).when(retract("e-404")).thenRejects("UnknownEntry")
      const corrected = [original, ...emitted([original], correct("e-2", "e-1", attained))]
      spec
        .given(corrected)
        .when(retract("e-1"))
        .thenRejects((r) => r._tag === "EntryNotInForce" && r.entry === "e-1" && r.inForce === "e-2")
    })
  })

  describe("AssessIndicator", () => {
    const evidence = recorded(record("e-1", "1.1", attained))

    it("a district officer assesses a commune of the district, on the evidence in force", () => {
      const command = assess("a-1", { basis: "e-1" })
      spec
        .given([evidence])
        .when(command)
        .then([assessed(command)])
      const override = assess("a-2", { verdict: overridden, code: "1.2" })
      spec
        .given([evidence])
        .when(override)
        .then([assessed(override)])
    })

    it("after the reform, the province assesses the commune and the dissolved district no longer does", () => {
      const byProvince = assess("a-1", { effective: "2025-08-01", by: provinceOfficer(province) })
      spec
        .given([])
        .when(byProvince)
        .then([assessed(byProvince)])
      spec
        .given([])
        .when(assess("a-1", { effective: "2025-08-01" }))
        .thenRejects((r) => r._tag === "AssessmentNotPermitted" && r.reason.includes("is not under"))
      // The day before the reform the district still could.
      const before = assess("a-1", { effective: "2025-06-30" })
      spec
        .given([])
        .when(before)
        .then([assessed(before)])
    })

    it("repeating an assessment records nothing; the same id with another verdict is a conflict", () => {
      const command = assess("a-1", { basis: "e-1" })
      spec
        .given([evidence, assessed(command)])
        .when(command)
        .thenNothing()
      spec
        .given([evidence, assessed(command)])
        .when(assess("a-1", { basis: "e-1", verdict: overridden }))
        .thenRejects((r) => r._tag === "EntryConflict" && r.entry === "a-1")
    })

    it("rejects an assessor of the wrong role, or out of scope", () => {
      spec
        .given([evidence])
        .when(assess("a-1", { by: communeOfficer(caoXa) }))
        .thenRejects((r) => r._tag === "AssessmentNotPermitted" && r.role === "commune")
      spec
        .given([evidence])
        .when(assess("a-1", { by: districtOfficer(otherDistrict) }))
        .thenRejects((r) => r._tag === "AssessmentNotPermitted" && r.actor === `district-${otherDistrict}`)
    })

    it("rejects an unknown basis, unit, code, a unit not in force and a catalog not in force", () => {
      spec
        .given([evidence])
        .when(assess("a-1", { basis: "e-404" }))
        .thenRejects("UnknownEntry")
      spec
        .given([])
        .when(assess("a-1", { unit: ghost }))
        .thenRejects("UnknownUnit")
      spec
        .given([])
        .when(assess("a-1", { code: "9.9" }))
        .thenRejects("IndicatorNotInCatalog")
      spec
        .given([])
        .when(assess("a-1", { unit: goneCommune, effective: "2024-02-01" }))
        .thenRejects("UnitNotInForce")
      spec
        .given([])
        .when(assess("a-1", { effective: "2021-01-01" }))
        .thenRejects("NoCatalogForUnit")
    })
  })

  describe("WithdrawAssessment", () => {
    const assessment = assessed(assess("a-1"))

    it("withdraws an assessment", () => {
      spec
        .given([assessment])
        .when(withdraw("a-1"))
        .then([
          new Evidence.AssessmentWithdrawn({
            assessment: "a-1",
            unit: caoXa,
            catalog: catalogId,
            code: "1.1",
            effective: date("2023-03-01"),
            reason: "Đánh giá lại / reassessed",
            by: districtOfficer(district)
          })
        ])
    })

    it("repeating a withdrawal records nothing", () => {
      const given = [assessment, ...emitted([assessment], withdraw("a-1"))]
      spec.given(given).when(withdraw("a-1")).thenNothing()
    })

    it("rejects an unknown assessment and an actor who may not assess", () => {
      spec
        .given([assessment])
        .when(withdraw("a-404"))
        .thenRejects((r) => r._tag === "UnknownAssessment" && r.assessment === "a-404")
      spec
        .given([assessment])
        .when(withdraw("a-1", communeOfficer(caoXa)))
        .thenRejects("AssessmentNotPermitted")
    })
  })

  describe("properties over generated command sequences", () => {
    const entryArb = fc.constantFrom("e-1", "e-2", "e-3")
    /** A correction's id: mostly its own, sometimes one a record uses. */
    const correctionArb = fc.oneof({ arbitrary: fc.constantFrom("k-1", "k-2", "k-3"), weight: 3 }, entryArb)
    /** Any entry: recorded or a correction. */
    const anyEntryArb = fc.oneof({ arbitrary: entryArb, weight: 3 }, fc.constantFrom("k-1", "k-2"))
    const codeArb = fc.constantFrom("1.1", "1.1", "1.2", "2.1", "2.2", "3.1", "ĐK1", "9.9")
    const dateArb = fc.constantFrom("2021-06-01", "2023-01-01", "2023-01-01", "2024-01-01", "2025-08-01")
    const valueArb = fc.constantFrom<EvidenceValue.EvidenceValue>(
      attained,
      notAttained,
      new EvidenceValue.Percent({ value: 60 }),
      new EvidenceValue.Percent({ value: 85 }),
      new EvidenceValue.Count({ value: 1 }),
      new EvidenceValue.Quantity({ value: 48.5 }),
      new EvidenceValue.Level({ value: "III" }),
      new EvidenceValue.Level({ value: "V" }),
      new EvidenceValue.NotApplicable({ reason: "Chưa có quy hoạch / not planned" })
    )
    /** Mostly a value that fits the code, sometimes any value for any code. */
    const fittingArb = fc.oneof(
      {
        arbitrary: fc.constantFrom<[string, EvidenceValue.EvidenceValue]>(
          ["1.1", attained],
          ["1.1", notAttained],
          ["1.2", new EvidenceValue.Percent({ value: 60 })],
          ["2.1", new EvidenceValue.Count({ value: 1 })],
          ["2.1", new EvidenceValue.NotApplicable({ reason: "Chưa có quy hoạch / not planned" })],
          ["2.2", new EvidenceValue.Quantity({ value: 48.5 })],
          ["3.1", new EvidenceValue.Level({ value: "III" })],
          ["9.9", attained]
        ),
        weight: 3
      },
      { arbitrary: fc.tuple(codeArb, valueArb), weight: 1 }
    )
    /** An attestation of the most common code: what most corrections fit. */
    const attestationArb = fc.constantFrom<[string, EvidenceValue.EvidenceValue]>(
      ["1.1", attained],
      ["1.1", notAttained]
    )
    /** A correction's value: mostly an attestation, which fits the most common code. */
    const correctionValueArb = fc.oneof({ arbitrary: fc.constantFrom(attained, notAttained), weight: 3 }, valueArb)
    /** Mostly an actor who may assess a commune of the province; sometimes one who may not. */
    const actorArb = fc.oneof(
      { arbitrary: fc.constantFrom(provinceOfficer(province), districtOfficer(district)), weight: 3 },
      fc.constantFrom(officer, districtOfficer(otherDistrict))
    )
    const verdictArb = fc.constantFrom(confirmed, overridden)
    /** Mostly absent. */
    const optional = <A>(arb: fc.Arbitrary<A>) =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 })
    const recordArb = (
      u: UnitId,
      itemArb: fc.Arbitrary<[string, EvidenceValue.EvidenceValue]>,
      effectiveArb: fc.Arbitrary<string>,
      validUntilArb: fc.Arbitrary<string | undefined>
    ): fc.Arbitrary<Evidence.Command> =>
      fc.record({ entry: entryArb, item: itemArb, effective: effectiveArb, validUntil: validUntilArb }).map(
        (c) =>
          new Evidence.RecordEvidence({
            entry: c.entry,
            unit: u,
            catalog: catalogId,
            code: c.item[0],
            value: c.item[1],
            effective: date(c.effective),
            ...(c.validUntil !== undefined ? { validUntil: date(c.validUntil) } : {}),
            sources: [report],
            by: officer
          })
      )
    const commandArb = (u: UnitId): fc.Arbitrary<Evidence.Command> =>
      fc.oneof(
        { arbitrary: recordArb(u, fittingArb, dateArb, optional(dateArb)), weight: 3 },
        {
          arbitrary: fc
            .record({
              entry: correctionArb,
              corrects: anyEntryArb,
              value: correctionValueArb,
              validUntil: optional(dateArb)
            })
            .map(
              (c) => new Evidence.CorrectEvidence({ ...correct(c.entry, c.corrects, c.value, c.validUntil), unit: u })
            ),
          weight: 3
        },
        {
          arbitrary: anyEntryArb.map((e) => new Evidence.RetractEvidence({ ...retract(e), unit: u })),
          weight: 2
        },
        {
          arbitrary: fc
            .record({
              assessment: fc.constantFrom("a-1", "a-2"),
              code: fc.oneof({ arbitrary: fc.constantFrom("1.1", "1.2", "3.1"), weight: 3 }, codeArb),
              verdict: verdictArb,
              basis: optional(entryArb),
              effective: dateArb,
              by: actorArb
            })
            .map((c) =>
              assess(c.assessment, {
                unit: u,
                code: c.code,
                verdict: c.verdict,
                ...(c.basis !== undefined ? { basis: c.basis } : {}),
                effective: c.effective,
                by: c.by
              })
            ),
          weight: 2
        },
        {
          arbitrary: fc
            .record({
              assessment: fc.oneof({ arbitrary: fc.constantFrom("a-1", "a-2"), weight: 3 }, fc.constant("a-3")),
              by: actorArb
            })
            .map((c) => new Evidence.WithdrawAssessment({ ...withdraw(c.assessment, c.by), unit: u })),
          weight: 2
        }
      )
    /** Each run is one unit's stream: mostly a commune, sometimes a unit the catalog or the hierarchy rejects. */
    const runArb = fc.constantFrom(caoXa, caoXa, caoXa, caoXa, lienSon, lateCommune, village, ghost).chain((u) =>
      fc
        .tuple(
          // A few records and maybe an assessment first, so that later commands often find entries to correct
          // and retract, and assessments to withdraw.
          fc.array(recordArb(u, attestationArb, fc.constant("2024-01-01"), fc.constant(undefined)), {
            minLength: 1,
            maxLength: 3
          }),
          fc.array(
            fc
              .constantFrom("a-1", "a-2")
              .map((a) => assess(a, { unit: u, effective: "2024-01-01", by: provinceOfficer(province) })),
            { maxLength: 1 }
          ),
          stepsArb(commandArb(u))
        )
        .map(([records, assessments, rest]) => [...records, ...assessments, ...rest])
    )

    it("every decision is idempotent, evolvable and rejects cleanly", () => {
      const outcomes = new Set<string>()
      fc.assert(
        fc.property(runArb, (steps) => {
          checkSequence(Evidence.decider, steps, { context, outcomes })
        }),
        { numRuns: 200 }
      )
      for (const o of [
        "RecordEvidence: events",
        "RecordEvidence: nothing",
        "CorrectEvidence: events",
        "RetractEvidence: events",
        "RetractEvidence: nothing",
        "AssessIndicator: events",
        "WithdrawAssessment: events",
        "UnknownUnit",
        "NoCatalogForUnit",
        "IndicatorNotInCatalog",
        "ValueTypeMismatch",
        "EntryConflict",
        "UnknownEntry",
        "EntryNotInForce",
        "InvalidPeriod",
        "AssessmentNotPermitted",
        "UnknownAssessment"
      ]) {
        expect(outcomes).toContain(o)
      }
    })
  })
})
