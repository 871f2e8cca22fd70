import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { Actor } from "../src/Actor.js"
import * as B from "../src/Bilingual.js"
import { type Catalog, catalogId } from "../src/Catalog.js"
import { fold } from "../src/Decider.js"
import * as Dossier from "../src/Dossier.js"
import { DocumentRef, NoCatalogForUnit } from "../src/Evidence.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LocalDate from "../src/LocalDate.js"
import { Decision } from "../src/Recognition.js"
import { standardId } from "../src/Standard.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import { checkSequence, DeciderSpec, stepsArb } from "./DeciderSpec.js"
import { admin, communeOfficer, date, districtOfficer, provinceOfficer, unit } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The world: two provinces; districts with communes; one district abolished by the 2025 reform, its commune
// moving under the province.
// ---------------------------------------------------------------------------------------------------------------

const bacGiang = unit("bac-giang")
const haNoi = unit("ha-noi")
const tanYen = unit("bac-giang/tan-yen")
const vietYen = unit("bac-giang/viet-yen")
const langGiang = unit("bac-giang/lang-giang")
const caoXa = unit("bac-giang/tan-yen/cao-xa")
const lienSon = unit("bac-giang/tan-yen/lien-son")
/** Under Lạng Giang until the reform, under the province after it. */
const myHa = unit("bac-giang/lang-giang/my-ha")
/** Established in mid-2023. */
const ngocThien = unit("bac-giang/tan-yen/ngoc-thien")
const ghost = unit("nowhere")
const reform = date("2025-07-01")

const established = (id: UnitId, kind: UnitKind, vi: string, parent?: UnitId, effective = "2020-01-01") =>
  new Hierarchy.UnitEstablished({
    unit: id,
    kind,
    name: B.make(vi, vi),
    ...(parent !== undefined ? { parent } : {}),
    classes: {},
    effective: date(effective),
    by: admin
  })

const beforeReform = [
  established(bacGiang, "province", "Bắc Giang"),
  established(haNoi, "province", "Hà Nội"),
  established(tanYen, "district", "Tân Yên", bacGiang),
  established(vietYen, "district", "Việt Yên", bacGiang),
  established(langGiang, "district", "Lạng Giang", bacGiang),
  established(caoXa, "commune", "Cao Xá", tanYen),
  established(lienSon, "commune", "Liên Sơn", tanYen),
  established(myHa, "commune", "Mỹ Hà", langGiang),
  established(ngocThien, "commune", "Ngọc Thiện", tanYen, "2023-06-01"),
  // A village under each commune, for the consultations' per-sub-unit figures.
  ...[caoXa, lienSon, myHa].map((c) => established(unit(`${c}/thon-1`), "village", "Thôn 1", c)),
  established(unit(`${ngocThien}/thon-1`), "village", "Thôn 1", ngocThien, "2023-06-01")
].reduce(Hierarchy.evolve, Hierarchy.initial)

const hierarchy = Either.getOrThrow(
  Hierarchy.decide(
    new Hierarchy.DissolveUnit({ unit: langGiang, moveChildrenTo: bacGiang, effective: reform, by: admin }),
    beforeReform
  )
).reduce(Hierarchy.evolve, beforeReform)

// ---------------------------------------------------------------------------------------------------------------
// Actors
// ---------------------------------------------------------------------------------------------------------------

const xa = communeOfficer(caoXa)
const xaLienSon = communeOfficer(lienSon)
const xaMyHa = communeOfficer(myHa)
const huyen = districtOfficer(tanYen)
const huyenVietYen = districtOfficer(vietYen)
const huyenLangGiang = districtOfficer(langGiang)
const tinh = provinceOfficer(bacGiang)
const tinhHaNoi = provinceOfficer(haNoi)
const central = new Actor({
  id: "hdtd-tw",
  name: "Hội đồng thẩm định Trung ương / Central Appraisal Council",
  role: "central"
})

// ---------------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------------

const ntm = standardId("ntm")
type CatalogRef = { readonly id: ReturnType<typeof catalogId>; readonly version: string }
const communeSet: CatalogRef = { id: catalogId("test/commune"), version: "1" }
const districtSet: CatalogRef = { id: catalogId("test/district"), version: "1" }

const frozen = (catalog: CatalogRef, standardMet: boolean, asOf = "2024-01-31") =>
  new Dossier.FrozenScorecard({
    catalog,
    asOf: date(asOf),
    knownAt: 1_706_659_200_000,
    standardMet,
    met: standardMet ? 4 : 2,
    applicable: 4,
    total: 4,
    criteria: [
      { code: "1", status: "Met" },
      { code: "2", status: standardMet ? "Met" : "NotMet" }
    ],
    indicators: [
      { code: "1.1", status: "Met" },
      { code: "1.2", status: "Met" },
      { code: "2.1", status: standardMet ? "Met" : "NotMet" },
      { code: "2.2", status: standardMet ? "Met" : "NoData" }
    ],
    conditions: []
  })

const published: Record<string, Pick<Catalog, "standard" | "appliesTo">> = {
  [`${communeSet.id}@1`]: { standard: ntm, appliesTo: ["commune", "town", "ward"] },
  [`${districtSet.id}@1`]: { standard: ntm, appliesTo: ["district"] }
}

/**
 * What the record gives a decision: the published catalogs above, the unit's other dossiers, and the scorecard a
 * self-assessment freezes (met or not, as the record stands).
 */
const contextWith =
  (
    o: { readonly standardMet?: (state: Dossier.State) => boolean; readonly others?: ReadonlyArray<Dossier.State> } = {}
  ) =>
  (state: Dossier.State): Dossier.Context => ({
    hierarchy,
    policy: Dossier.defaultWorkflowPolicy,
    catalog: (ref) => published[`${ref.id}@${ref.version}`],
    unitDossiers: o.others ?? [],
    scorecard:
      state.opened === undefined
        ? undefined
        : Either.right(frozen(state.opened.catalog, o.standardMet?.(state) ?? true))
  })

const context = contextWith()
const spec = DeciderSpec.for(Dossier.decider, context)
/** For the properties: a record whose scorecard meets the standard or not, depending on the dossier's history. */
const propertyContext = contextWith({ standardMet: (state) => state.events.length % 3 !== 0 })

/** A dossier's unit, criteria set and who takes each step of its path. */
interface Flow {
  readonly dossier: string
  readonly unit: UnitId
  readonly catalog: CatalogRef
  readonly actors: Readonly<Record<Dossier.Step, Actor>>
}

const commune: Flow = {
  dossier: "hs-cao-xa-2024",
  unit: caoXa,
  catalog: communeSet,
  actors: {
    open: xa,
    selfAssess: xa,
    consult: xa,
    verify: huyen,
    appraise: tinh,
    recognise: tinh,
    announce: huyen,
    revoke: tinh
  }
}

const district: Flow = {
  dossier: "hs-tan-yen-2024",
  unit: tanYen,
  catalog: districtSet,
  actors: {
    open: huyen,
    selfAssess: huyen,
    consult: huyen,
    verify: tinh,
    appraise: central,
    recognise: central,
    announce: tinh,
    revoke: central
  }
}

/** A commune whose district is abolished by the reform: before it, its district verifies; after it, the province. */
const reformed: Flow = {
  dossier: "hs-my-ha-2025",
  unit: myHa,
  catalog: communeSet,
  actors: { ...commune.actors, open: xaMyHa, selfAssess: xaMyHa, consult: xaMyHa, verify: huyenLangGiang }
}

const defaultDates: Record<Dossier.Step, string> = {
  open: "2024-01-10",
  selfAssess: "2024-02-01",
  consult: "2024-02-15",
  verify: "2024-03-01",
  appraise: "2024-04-01",
  recognise: "2024-05-01",
  announce: "2024-05-10",
  revoke: "2025-03-01"
}

interface Options {
  readonly effective?: string
  readonly by?: Actor
}

const header = (f: Flow, step: Dossier.Step, o: Options) => ({
  dossier: f.dossier,
  effective: date(o.effective ?? defaultDates[step]),
  by: o.by ?? f.actors[step]
})

const report = (title: string) =>
  new DocumentRef({ title, number: "15/BC-UBND", date: date("2024-03-01"), issuer: "UBND" })

const open = (f: Flow, o: Options & { readonly unit?: UnitId; readonly catalog?: CatalogRef } = {}) =>
  new Dossier.OpenDossier({
    ...header(f, "open", o),
    unit: o.unit ?? f.unit,
    standard: ntm,
    catalog: o.catalog ?? f.catalog
  })

const submit = (f: Flow, o: Options = {}) =>
  new Dossier.SubmitSelfAssessment({
    ...header(f, "selfAssess", o),
    report: report("Báo cáo tự đánh giá / self-assessment report")
  })

const consult = (f: Flow, o: Options & { readonly satisfaction?: number } = {}) =>
  new Dossier.RecordConsultation({
    ...header(f, "consult", o),
    satisfaction: o.satisfaction ?? 92.5,
    bySubunit: [{ unit: f.unit === tanYen ? caoXa : unit(`${f.unit}/thon-1`), satisfaction: 95 }]
  })

const verify = (f: Flow, o: Options = {}) =>
  new Dossier.VerifyDossier({ ...header(f, "verify", o), report: report("Báo cáo thẩm tra / verification report") })

const appraise = (f: Flow, o: Options = {}) =>
  new Dossier.AppraiseDossier({
    ...header(f, "appraise", o),
    council: "Hội đồng thẩm định / appraisal council",
    report: report("Báo cáo thẩm định / appraisal report")
  })

const decision = (number: string, d: string) =>
  new Decision({ number, date: date(d), issuer: "UBND tỉnh Bắc Giang", signer: "Chủ tịch / Chairman" })

const recognise = (f: Flow, o: Options & { readonly override?: string; readonly recognition?: string } = {}) =>
  new Dossier.RecogniseDossier({
    ...header(f, "recognise", o),
    recognition: o.recognition ?? `qd-${f.dossier}`,
    decision: decision("1234/QĐ-UBND", o.effective ?? defaultDates.recognise),
    ...(o.override !== undefined ? { override: { reason: o.override } } : {})
  })

const announce = (f: Flow, o: Options = {}) => new Dossier.AnnounceRecognition(header(f, "announce", o))

const returnFrom = (
  f: Flow,
  reviewer: Dossier.Step,
  o: Options & { readonly reasons?: readonly [string, ...Array<string>] } = {}
) =>
  new Dossier.ReturnDossier({
    dossier: f.dossier,
    effective: date(o.effective ?? defaultDates[reviewer]),
    by: o.by ?? f.actors[reviewer],
    reasons: o.reasons ?? ["Thiếu biên bản lấy ý kiến / consultation minutes missing"]
  })

const revoke = (f: Flow, o: Options & { readonly reason?: string } = {}) =>
  new Dossier.RevokeDossier({
    ...header(f, "revoke", o),
    decision: decision("88/QĐ-UBND", o.effective ?? defaultDates.revoke),
    reason: o.reason ?? "Không duy trì tiêu chí / criteria not maintained"
  })

/**
 * The event a command records (a return records the stage it returned from, a self-assessment the scorecard the
 * record gave).
 */
const eventOf = (
  command: Dossier.Command,
  from?: Dossier.DossierReturned["from"],
  scorecard: Dossier.FrozenScorecard = frozen(communeSet, true)
): Dossier.Event => {
  switch (command._tag) {
    case "OpenDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierOpened(f)
    }
    case "SubmitSelfAssessment": {
      const { _tag, ...f } = command
      return new Dossier.SelfAssessmentSubmitted({ ...f, scorecard })
    }
    case "RecordConsultation": {
      const { _tag, ...f } = command
      return new Dossier.ConsultationRecorded(f)
    }
    case "VerifyDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierVerified(f)
    }
    case "AppraiseDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierAppraised(f)
    }
    case "RecogniseDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierRecognised(f)
    }
    case "AnnounceRecognition": {
      const { _tag, ...f } = command
      return new Dossier.RecognitionAnnounced(f)
    }
    case "ReturnDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierReturned({ ...f, from: from ?? "SelfAssessed" })
    }
    case "RevokeDossier": {
      const { _tag, ...f } = command
      return new Dossier.DossierRevoked(f)
    }
  }
}

const path = ["Opened", "SelfAssessed", "Consulted", "Verified", "Appraised", "Recognised", "Announced"] as const
type PathStage = (typeof path)[number]

/** The events of a dossier that went the straight path up to a stage. */
const at = (f: Flow, stage: PathStage, standardMet = true): ReadonlyArray<Dossier.Event> => {
  const scorecard = frozen(f.catalog, standardMet)
  const commands = [
    open(f),
    submit(f),
    consult(f),
    verify(f),
    appraise(f),
    recognise(f, standardMet ? {} : { override: "Tỉnh quyết định / the province decided" }),
    announce(f)
  ]
  return commands.slice(0, path.indexOf(stage) + 1).map((c) => eventOf(c, undefined, scorecard))
}

const stateOf = (events: ReadonlyArray<Dossier.Event>) => fold(Dossier.decider, events)

const notPermitted =
  (step: Dossier.Step, actor: Actor, reason?: string) =>
  (r: Dossier.Rejection): boolean =>
    r._tag === "StepNotPermitted" &&
    r.step === step &&
    r.actor === actor.id &&
    r.role === actor.role &&
    (reason === undefined || r.reason.includes(reason))

const outOfOrder =
  (stage: Dossier.Stage, command: Dossier.Command["_tag"]) =>
  (r: Dossier.Rejection): boolean =>
    r._tag === "StepOutOfOrder" && r.stage === stage && r.command === command

describe("Dossier", () => {
  describe("OpenDossier", () => {
    it("a commune opens its own dossier, a district its own", () => {
      spec
        .given([])
        .when(open(commune))
        .then([eventOf(open(commune))])
      spec
        .given([])
        .when(open(district))
        .then([eventOf(open(district))])
    })

    it("repeating the opening records nothing, whoever repeats it", () => {
      spec.given(at(commune, "Opened")).when(open(commune)).thenNothing()
      spec
        .given(at(commune, "Consulted"))
        .when(open(commune, { by: admin }))
        .thenNothing()
    })

    it("rejects opening the same dossier for another unit, standard or catalog", () => {
      spec
        .given(at(commune, "Opened"))
        .when(open(commune, { unit: lienSon, by: xaLienSon }))
        .thenRejects((r) => r._tag === "DossierConflict" && r.dossier === commune.dossier)
      spec
        .given(at(commune, "Opened"))
        .when(new Dossier.OpenDossier({ ...open(commune), standard: standardId("advanced") }))
        .thenRejects("DossierConflict")
      spec
        .given(at(commune, "Opened"))
        .when(open(commune, { catalog: { ...communeSet, version: "2" } }))
        .thenRejects("DossierConflict")
    })

    it("refuses a standard the catalog's kind and the unit's level do not allow", () => {
      const notApplicable = (reason: string) => (r: Dossier.Rejection) =>
        r._tag === "StandardNotApplicable" && r.dossier === commune.dossier && r.reason.includes(reason)
      // A commune dossier against a district set.
      spec
        .given([])
        .when(open(commune, { catalog: districtSet }))
        .thenRejects(notApplicable("applies to district, not to a commune"))
      // A "model" dossier against the commune NTM set.
      spec
        .given([])
        .when(new Dossier.OpenDossier({ ...open(commune), standard: standardId("model") }))
        .thenRejects(notApplicable("the catalog defines ntm"))
      // A version never published.
      spec
        .given([])
        .when(open(commune, { catalog: { ...communeSet, version: "9" } }))
        .thenRejects(notApplicable("not published"))
    })

    it("refuses a second open dossier for the same unit, standard and catalog version", () => {
      const other = (stage: PathStage, events = at({ ...commune, dossier: "hs-cao-xa-khac" }, stage)) =>
        DeciderSpec.for(Dossier.decider, contextWith({ others: [stateOf(events)] }))
      for (const stage of ["Opened", "SelfAssessed", "Consulted", "Verified", "Appraised"] as const) {
        other(stage)
          .given([])
          .when(open(commune))
          .thenRejects(
            (r) => r._tag === "DossierAlreadyOpen" && r.open === "hs-cao-xa-khac" && r.catalog === "test/commune@1"
          )
      }
      // Once the other is recognised or revoked, or when it is for another version, a new one may open.
      other("Recognised")
        .given([])
        .when(open(commune))
        .then([eventOf(open(commune))])
      other("Announced", [
        ...at({ ...commune, dossier: "hs-cao-xa-khac" }, "Announced"),
        eventOf(revoke({ ...commune, dossier: "hs-cao-xa-khac" }))
      ])
        .given([])
        .when(open(commune))
        .then([eventOf(open(commune))])
      other("Opened", at({ ...commune, dossier: "hs-cao-xa-khac", catalog: { ...communeSet, version: "0" } }, "Opened"))
        .given([])
        .when(open(commune))
        .then([eventOf(open(commune))])
    })

    it("rejects an unknown unit and a unit not in force on the date", () => {
      spec
        .given([])
        .when(open(commune, { unit: ghost }))
        .thenRejects((r) => r._tag === "UnknownUnit" && r.unit === ghost)
      spec
        .given([])
        .when(open(commune, { unit: ngocThien, by: communeOfficer(ngocThien), effective: "2023-05-31" }))
        .thenRejects((r) => r._tag === "UnitNotInForce" && r.unit === ngocThien)
      spec
        .given([])
        .when(open(district, { unit: langGiang, by: huyenLangGiang, effective: "2025-07-01" }))
        .thenRejects((r) => r._tag === "UnitNotInForce" && r.date === reform)
    })

    it("only the unit itself opens its dossier", () => {
      spec
        .given([])
        .when(open(commune, { by: huyen }))
        .thenRejects(notPermitted("open", huyen, "commune"))
      spec
        .given([])
        .when(open(commune, { by: xaLienSon }))
        .thenRejects(notPermitted("open", xaLienSon, `${caoXa} is not under ${lienSon}`))
      spec
        .given([])
        .when(open(district, { by: tinh }))
        .thenRejects(notPermitted("open", tinh))
    })

    it("no step is defined for a province's dossier", () => {
      spec
        .given([])
        .when(open(commune, { unit: bacGiang, by: tinh }))
        .thenRejects(notPermitted("open", tinh, "no open step is defined for a province"))
    })
  })

  describe("SubmitSelfAssessment", () => {
    it("the unit submits its self-assessment, freezing the scorecard the record gives", () => {
      const command = submit(commune)
      spec
        .given(at(commune, "Opened"))
        .when(command)
        .then([eventOf(command)])
      const s = stateOf([...at(commune, "Opened"), eventOf(command)])
      expect(s.stage).toBe("SelfAssessed")
      expect(s.selfAssessment?.scorecard).toEqual(frozen(communeSet, true))
      spec
        .given(at(district, "Opened"))
        .when(submit(district))
        .then([eventOf(submit(district), undefined, frozen(districtSet, true))])
      // The record's scorecard does not meet the standard: that is what is frozen, whatever the unit says.
      DeciderSpec.for(Dossier.decider, contextWith({ standardMet: () => false }))
        .given(at(commune, "Opened"))
        .when(command)
        .then([eventOf(command, undefined, frozen(communeSet, false))])
    })

    it("is refused when the record gives no scorecard, with the reason the scorecard could not be made", () => {
      const noCatalog = new NoCatalogForUnit({ unit: caoXa, catalog: communeSet.id, date: date("2024-02-01") })
      DeciderSpec.for(Dossier.decider, (state: Dossier.State) => ({
        ...context(state),
        scorecard: Either.left(noCatalog)
      }))
        .given(at(commune, "Opened"))
        .when(submit(commune))
        .thenRejects("NoCatalogForUnit")
      DeciderSpec.for(Dossier.decider, (state: Dossier.State) => ({ ...context(state), scorecard: undefined }))
        .given(at(commune, "Opened"))
        .when(submit(commune))
        .thenRejects((r) => r._tag === "DossierConflict" && r.reason.includes("no scorecard"))
    })

    it("repeating the submission records nothing", () => {
      spec.given(at(commune, "SelfAssessed")).when(submit(commune)).thenNothing()
    })

    it("rejects a step on a dossier never opened", () => {
      for (const command of [
        submit(commune),
        consult(commune),
        verify(commune),
        appraise(commune),
        recognise(commune),
        announce(commune),
        returnFrom(commune, "verify"),
        revoke(commune)
      ]) {
        spec
          .given([])
          .when(command)
          .thenRejects((r) => r._tag === "UnknownDossier" && r.dossier === commune.dossier)
      }
    })

    it("rejects a second, different submission and a submission after the consultation", () => {
      spec
        .given(at(commune, "SelfAssessed"))
        .when(submit(commune, { effective: "2024-02-05" }))
        .thenRejects(outOfOrder("SelfAssessed", "SubmitSelfAssessment"))
      spec
        .given(at(commune, "Consulted"))
        .when(submit(commune, { effective: "2024-02-20" }))
        .thenRejects(outOfOrder("Consulted", "SubmitSelfAssessment"))
    })

    it("rejects a step dated before the previous one", () => {
      spec
        .given(at(commune, "Opened"))
        .when(submit(commune, { effective: "2024-01-09" }))
        .thenRejects((r) => r._tag === "DossierConflict" && r.reason.includes("2024-01-10"))
    })

    it("only the unit submits", () => {
      spec
        .given(at(commune, "Opened"))
        .when(submit(commune, { by: huyen }))
        .thenRejects(notPermitted("selfAssess", huyen))
      spec
        .given(at(commune, "Opened"))
        .when(submit(commune, { by: xaLienSon }))
        .thenRejects(notPermitted("selfAssess", xaLienSon, "not under"))
    })
  })

  describe("RecordConsultation", () => {
    it("records the satisfaction rates after the self-assessment", () => {
      const command = consult(commune)
      spec
        .given(at(commune, "SelfAssessed"))
        .when(command)
        .then([eventOf(command)])
      expect(stateOf([...at(commune, "SelfAssessed"), eventOf(command)]).consultation?.satisfaction).toBe(92.5)
    })

    it("repeating it records nothing; before the self-assessment it is out of order", () => {
      spec.given(at(commune, "Consulted")).when(consult(commune)).thenNothing()
      spec.given(at(commune, "Opened")).when(consult(commune)).thenRejects(outOfOrder("Opened", "RecordConsultation"))
    })

    it("refuses a per-sub-unit figure for a unit not under the dossier's, or one given twice", () => {
      const outside = new Dossier.RecordConsultation({
        ...header(commune, "consult", {}),
        satisfaction: 92.5,
        bySubunit: [{ unit: unit(`${lienSon}/thon-1`), satisfaction: 95 }]
      })
      spec
        .given(at(commune, "SelfAssessed"))
        .when(outside)
        .thenRejects(
          (r) =>
            r._tag === "DossierConflict" &&
            r.reason === `${lienSon}/thon-1 is not a sub-unit of ${caoXa} on ${outside.effective}`
        )
      const twice = new Dossier.RecordConsultation({
        ...header(commune, "consult", {}),
        satisfaction: 92.5,
        bySubunit: [
          { unit: unit(`${caoXa}/thon-1`), satisfaction: 95 },
          { unit: unit(`${caoXa}/thon-1`), satisfaction: 60 }
        ]
      })
      spec
        .given(at(commune, "SelfAssessed"))
        .when(twice)
        .thenRejects((r) => r._tag === "DossierConflict" && r.reason === `${caoXa}/thon-1 is consulted twice`)
    })

    it("only the unit records its consultation", () => {
      spec
        .given(at(commune, "SelfAssessed"))
        .when(consult(commune, { by: tinh }))
        .thenRejects(notPermitted("consult", tinh))
    })
  })

  describe("VerifyDossier (thẩm tra)", () => {
    it("a commune's district verifies it", () => {
      const command = verify(commune)
      spec
        .given(at(commune, "Consulted"))
        .when(command)
        .then([eventOf(command)])
    })

    it("the province does not verify a commune under a district, nor another district", () => {
      spec
        .given(at(commune, "Consulted"))
        .when(verify(commune, { by: tinh }))
        .thenRejects(notPermitted("verify", tinh, "the step is taken by: district"))
      spec
        .given(at(commune, "Consulted"))
        .when(verify(commune, { by: huyenVietYen }))
        .thenRejects(notPermitted("verify", huyenVietYen, `${caoXa} is not under ${vietYen}`))
      spec
        .given(at(commune, "Consulted"))
        .when(verify(commune, { by: xa }))
        .thenRejects(notPermitted("verify", xa))
    })

    it("a district's province verifies it; the district itself and another province do not", () => {
      const command = verify(district)
      spec
        .given(at(district, "Consulted"))
        .when(command)
        .then([eventOf(command)])
      spec
        .given(at(district, "Consulted"))
        .when(verify(district, { by: huyen }))
        .thenRejects(notPermitted("verify", huyen, "province"))
      spec
        .given(at(district, "Consulted"))
        .when(verify(district, { by: tinhHaNoi }))
        .thenRejects(notPermitted("verify", tinhHaNoi, `${tanYen} is not under ${haNoi}`))
    })

    it("after the 2025 reform a commune directly under the province is verified by the province", () => {
      const consulted = [
        eventOf(open(reformed, { effective: "2025-03-01" })),
        eventOf(submit(reformed, { effective: "2025-04-01" })),
        eventOf(consult(reformed, { effective: "2025-05-01" }))
      ]
      // Before the reform: its district.
      const before = verify(reformed, { effective: "2025-06-30" })
      spec
        .given(consulted)
        .when(before)
        .then([eventOf(before)])
      spec
        .given(consulted)
        .when(verify(reformed, { effective: "2025-06-30", by: tinh }))
        .thenRejects(notPermitted("verify", tinh))
      // From the reform on: the province; the dissolved district no longer.
      const after = verify(reformed, { effective: "2025-07-01", by: tinh })
      spec
        .given(consulted)
        .when(after)
        .then([eventOf(after)])
      spec
        .given(consulted)
        .when(verify(reformed, { effective: "2025-07-01" }))
        .thenRejects(notPermitted("verify", huyenLangGiang, "the step is taken by: province"))
      spec
        .given(consulted)
        .when(verify(reformed, { effective: "2025-08-01", by: tinhHaNoi }))
        .thenRejects(notPermitted("verify", tinhHaNoi, "not under"))
    })

    it("rejects a verification before the consultation, or dated before it", () => {
      spec
        .given(at(commune, "SelfAssessed"))
        .when(verify(commune))
        .thenRejects(outOfOrder("SelfAssessed", "VerifyDossier"))
      spec
        .given(at(commune, "Verified"))
        .when(verify(commune, { effective: "2024-03-02" }))
        .thenRejects(outOfOrder("Verified", "VerifyDossier"))
      spec
        .given(at(commune, "Consulted"))
        .when(verify(commune, { effective: "2024-02-14" }))
        .thenRejects("DossierConflict")
    })

    it("repeating the verification records nothing, whoever repeats it", () => {
      spec.given(at(commune, "Verified")).when(verify(commune)).thenNothing()
      spec
        .given(at(commune, "Verified"))
        .when(verify(commune, { by: admin }))
        .thenNothing()
    })
  })

  describe("AppraiseDossier (thẩm định)", () => {
    it("the province appraises a commune, the central council a district", () => {
      spec
        .given(at(commune, "Verified"))
        .when(appraise(commune))
        .then([eventOf(appraise(commune))])
      spec
        .given(at(district, "Verified"))
        .when(appraise(district))
        .then([eventOf(appraise(district))])
    })

    it("no other role appraises", () => {
      spec
        .given(at(commune, "Verified"))
        .when(appraise(commune, { by: huyen }))
        .thenRejects(notPermitted("appraise", huyen, "the step is taken by: province"))
      spec
        .given(at(commune, "Verified"))
        .when(appraise(commune, { by: tinhHaNoi }))
        .thenRejects(notPermitted("appraise", tinhHaNoi, "not under"))
      spec
        .given(at(district, "Verified"))
        .when(appraise(district, { by: tinh }))
        .thenRejects(notPermitted("appraise", tinh, "the step is taken by: central"))
    })

    it("rejects an appraisal before the verification, and repeating it records nothing", () => {
      spec
        .given(at(commune, "Consulted"))
        .when(appraise(commune))
        .thenRejects(outOfOrder("Consulted", "AppraiseDossier"))
      spec.given(at(commune, "Appraised")).when(appraise(commune)).thenNothing()
    })
  })

  describe("RecogniseDossier (công nhận)", () => {
    it("the province recognises a commune, the central level a district, when the frozen scorecard meets the standard", () => {
      const command = recognise(commune)
      spec
        .given(at(commune, "Appraised"))
        .when(command)
        .then([eventOf(command)])
      expect(stateOf([...at(commune, "Appraised"), eventOf(command)]).recognised).toEqual(eventOf(command))
      spec
        .given(at(district, "Appraised"))
        .when(recognise(district))
        .then([eventOf(recognise(district))])
    })

    it("refuses a recognition when the frozen scorecard does not meet the standard", () => {
      const unmet = [
        ...at(commune, "Opened"),
        eventOf(submit(commune), undefined, frozen(communeSet, false)),
        ...at(commune, "Appraised").slice(2)
      ]
      const r = spec.given(unmet).when(recognise(commune)).thenRejects("StandardNotMet")
      expect(r).toMatchObject({ dossier: commune.dossier, met: 2, applicable: 4 })
    })

    it("recognises against an unmet scorecard with an override, and records the reason", () => {
      const unmet = [
        ...at(commune, "Opened"),
        eventOf(submit(commune), undefined, frozen(communeSet, false)),
        ...at(commune, "Appraised").slice(2)
      ]
      const command = recognise(commune, { override: "Chỉ tiêu 2.1 đạt sau thẩm định / 2.1 met after appraisal" })
      const [event] = spec
        .given(unmet)
        .when(command)
        .then([eventOf(command)])
      expect(event).toMatchObject({ override: { reason: "Chỉ tiêu 2.1 đạt sau thẩm định / 2.1 met after appraisal" } })
    })

    it("rejects a recognition before the appraisal, and by anyone but the competent authority", () => {
      spec
        .given(at(commune, "Verified"))
        .when(recognise(commune))
        .thenRejects(outOfOrder("Verified", "RecogniseDossier"))
      spec
        .given(at(commune, "Appraised"))
        .when(recognise(commune, { by: huyen }))
        .thenRejects(notPermitted("recognise", huyen))
      spec
        .given(at(district, "Appraised"))
        .when(recognise(district, { by: tinh }))
        .thenRejects(notPermitted("recognise", tinh, "central"))
    })

    it("repeating the recognition records nothing; a second, different one is out of order", () => {
      spec.given(at(commune, "Recognised")).when(recognise(commune)).thenNothing()
      spec
        .given(at(commune, "Recognised"))
        .when(recognise(commune, { recognition: "qd-other", effective: "2024-05-02" }))
        .thenRejects(outOfOrder("Recognised", "RecogniseDossier"))
    })
  })

  describe("AnnounceRecognition (công bố)", () => {
    it("a commune's district announces it, a district's province", () => {
      spec
        .given(at(commune, "Recognised"))
        .when(announce(commune))
        .then([eventOf(announce(commune))])
      spec
        .given(at(district, "Recognised"))
        .when(announce(district))
        .then([eventOf(announce(district))])
    })

    it("rejects an announcement before the recognition, or by the unit itself", () => {
      spec
        .given(at(commune, "Appraised"))
        .when(announce(commune))
        .thenRejects(outOfOrder("Appraised", "AnnounceRecognition"))
      spec
        .given(at(commune, "Recognised"))
        .when(announce(commune, { by: xa }))
        .thenRejects(notPermitted("announce", xa))
    })
  })

  describe("ReturnDossier (trả lại hồ sơ)", () => {
    const reviews: ReadonlyArray<readonly [Dossier.DossierReturned["from"], Dossier.Step]> = [
      ["SelfAssessed", "verify"],
      ["Consulted", "verify"],
      ["Verified", "appraise"],
      ["Appraised", "recognise"]
    ]

    for (const flow of [commune, district]) {
      for (const [stage, reviewer] of reviews) {
        it(`the ${reviewer} reviewer of a ${flow === commune ? "commune" : "district"} returns it from ${stage}, with reasons`, () => {
          const given = at(flow, stage)
          const effective = LocalDate.addDays(given.at(-1)!.effective, 3)
          const command = returnFrom(flow, reviewer, {
            effective,
            reasons: ["Thiếu minh chứng chỉ tiêu 2.1 / evidence for 2.1 missing", "Số liệu không khớp / figures differ"]
          })
          const [event] = spec
            .given(given)
            .when(command)
            .then([eventOf(command, stage)])
          expect(event).toMatchObject({ from: stage, reasons: command.reasons })
          const s = stateOf([...given, event!])
          expect(s).toMatchObject({
            stage: "Opened",
            since: effective,
            selfAssessment: undefined,
            consultation: undefined
          })
          // The unit re-submits, and the dossier goes the path again.
          const again = submit(flow, { effective: LocalDate.addDays(effective, 10) })
          spec
            .given([...given, event!])
            .when(again)
            .then([eventOf(again, undefined, frozen(flow.catalog, true))])
        })
      }
    }

    it("repeating a return records nothing, whoever repeats it", () => {
      const command = returnFrom(commune, "verify", { effective: "2024-02-20" })
      const returned = [...at(commune, "Consulted"), eventOf(command, "Consulted")]
      spec.given(returned).when(command).thenNothing()
      spec
        .given(returned)
        .when(returnFrom(commune, "verify", { effective: "2024-02-20", by: admin }))
        .thenNothing()
    })

    it("only the reviewer of the stage returns the dossier", () => {
      spec
        .given(at(commune, "Consulted"))
        .when(returnFrom(commune, "verify", { by: xa }))
        .thenRejects(notPermitted("verify", xa))
      spec
        .given(at(commune, "Verified"))
        .when(returnFrom(commune, "appraise", { by: huyen }))
        .thenRejects(notPermitted("appraise", huyen))
      spec
        .given(at(district, "Appraised"))
        .when(returnFrom(district, "recognise", { by: tinh }))
        .thenRejects(notPermitted("recognise", tinh))
    })

    it("nothing to return before the self-assessment, or once recognised", () => {
      spec
        .given(at(commune, "Opened"))
        .when(returnFrom(commune, "verify"))
        .thenRejects(outOfOrder("Opened", "ReturnDossier"))
      spec
        .given(at(commune, "Recognised"))
        .when(returnFrom(commune, "recognise"))
        .thenRejects(outOfOrder("Recognised", "ReturnDossier"))
      spec
        .given(at(commune, "Announced"))
        .when(returnFrom(commune, "recognise", { effective: "2024-06-01" }))
        .thenRejects(outOfOrder("Announced", "ReturnDossier"))
      spec
        .given([...at(commune, "Announced"), eventOf(revoke(commune))])
        .when(returnFrom(commune, "recognise", { effective: "2025-04-01" }))
        .thenRejects(outOfOrder("Revoked", "ReturnDossier"))
    })

    it("after a return, the recognition is judged on the scorecard submitted again", () => {
      const returned = eventOf(returnFrom(commune, "recognise", { effective: "2024-04-10" }), "Appraised")
      const resubmitted = eventOf(
        submit(commune, { effective: "2024-04-20" }),
        undefined,
        frozen(communeSet, false, "2024-04-15")
      )
      const onward = [
        eventOf(consult(commune, { effective: "2024-04-25" })),
        eventOf(verify(commune, { effective: "2024-05-05" })),
        eventOf(appraise(commune, { effective: "2024-05-15" }))
      ]
      const given = [...at(commune, "Appraised"), returned, resubmitted, ...onward]
      spec
        .given(given)
        .when(recognise(commune, { effective: "2024-06-01" }))
        .thenRejects("StandardNotMet")
      // Nor may the dossier skip the path again: it is at Opened after the return.
      spec
        .given([...at(commune, "Appraised"), returned])
        .when(recognise(commune, { effective: "2024-06-01" }))
        .thenRejects(outOfOrder("Opened", "RecogniseDossier"))
    })
  })

  describe("RevokeDossier (thu hồi)", () => {
    it("the competent authority revokes a recognition, announced or not", () => {
      for (const stage of ["Recognised", "Announced"] as const) {
        const command = revoke(commune)
        spec
          .given(at(commune, stage))
          .when(command)
          .then([eventOf(command)])
      }
      spec
        .given(at(district, "Announced"))
        .when(revoke(district))
        .then([eventOf(revoke(district))])
    })

    it("revokes only after a recognition", () => {
      for (const stage of ["Opened", "SelfAssessed", "Consulted", "Verified", "Appraised"] as const) {
        spec.given(at(commune, stage)).when(revoke(commune)).thenRejects(outOfOrder(stage, "RevokeDossier"))
      }
    })

    it("repeating the revocation records nothing; a second one, or a new recognition, is out of order", () => {
      const revoked = [...at(commune, "Announced"), eventOf(revoke(commune))]
      spec.given(revoked).when(revoke(commune)).thenNothing()
      spec
        .given(revoked)
        .when(revoke(commune, { effective: "2025-04-01", reason: "Another reason" }))
        .thenRejects(outOfOrder("Revoked", "RevokeDossier"))
      spec
        .given(revoked)
        .when(recognise(commune, { effective: "2025-04-01", recognition: "qd-again" }))
        .thenRejects(outOfOrder("Revoked", "RecogniseDossier"))
    })

    it("only the authority that recognises revokes", () => {
      spec
        .given(at(commune, "Announced"))
        .when(revoke(commune, { by: huyen }))
        .thenRejects(notPermitted("revoke", huyen))
      spec
        .given(at(district, "Announced"))
        .when(revoke(district, { by: tinh }))
        .thenRejects(notPermitted("revoke", tinh, "central"))
    })

    it("rejects a revocation dated before the recognition", () => {
      spec
        .given(at(commune, "Recognised"))
        .when(revoke(commune, { effective: "2024-04-30" }))
        .thenRejects("DossierConflict")
    })
  })

  describe("stages, deadlines and overdue dossiers", () => {
    const deadline = (days: number, kind: Dossier.Deadline["kind"]): Dossier.Deadline => ({
      days,
      kind,
      source: "test",
      verified: false
    })

    it("the stage as of a date counts only the events effective by then", () => {
      const s = stateOf(at(commune, "Announced"))
      expect(Dossier.stageAt(s, date("2024-01-09"))).toEqual({ stage: "None", since: undefined })
      expect(Dossier.stageAt(s, date("2024-03-15"))).toEqual({ stage: "Verified", since: date("2024-03-01") })
      expect(Dossier.stageAt(s, date("2030-01-01"))).toEqual({ stage: "Announced", since: date("2024-05-10") })
      expect(s).toMatchObject({ stage: "Announced", since: date("2024-05-10") })
    })

    it("working days skip Saturdays and Sundays; calendar days do not", () => {
      const friday = date("2024-05-03")
      expect(Dossier.deadlineDate(friday, deadline(0, "working"))).toBe(friday)
      expect(Dossier.deadlineDate(friday, deadline(1, "working"))).toBe(date("2024-05-06"))
      expect(Dossier.deadlineDate(friday, deadline(5, "working"))).toBe(date("2024-05-10"))
      expect(Dossier.deadlineDate(friday, deadline(10, "working"))).toBe(date("2024-05-17"))
      expect(Dossier.deadlineDate(date("2024-05-04"), deadline(1, "working"))).toBe(date("2024-05-06"))
      expect(Dossier.deadlineDate(friday, deadline(10, "calendar"))).toBe(date("2024-05-13"))
      expect(Dossier.deadlineDate(date("2024-02-25"), deadline(5, "calendar"))).toBe(date("2024-03-01"))
    })

    it("a working-day deadline falls on the first weekday by which that many weekdays have passed", () => {
      const weekday = (d: LocalDate.LocalDate) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 3000 }).map((n) => LocalDate.addDays(date("2020-01-01"), n)),
          fc.integer({ min: 1, max: 60 }),
          (from, days) => {
            const due = Dossier.deadlineDate(from, deadline(days, "working"))
            expect(weekday(due)).toBe(true)
            let count = 0
            for (let d = LocalDate.addDays(from, 1); d <= due; d = LocalDate.addDays(d, 1)) if (weekday(d)) count++
            expect(count).toBe(days)
          }
        ),
        { numRuns: 200 }
      )
    })

    it("no deadline is shipped: with an empty policy nothing is ever overdue", () => {
      for (const stage of path) {
        const s = stateOf(at(commune, stage))
        for (const d of ["2024-01-10", "2024-06-01", "2030-01-01"]) {
          expect(Dossier.overdueAt(s, date(d), {})).toBeUndefined()
        }
      }
      expect(Dossier.overdueAt(Dossier.initial, date("2030-01-01"), {})).toBeUndefined()
    })

    it("with a configured policy, a dossier waiting in a stage past its deadline is overdue as of a date", () => {
      const policy: Dossier.DeadlinePolicy = {
        Consulted: deadline(10, "working"),
        Verified: deadline(30, "calendar")
      }
      // Consulted on Thursday 2024-02-15: ten working days end on Thursday 2024-02-29.
      const consulted = stateOf(at(commune, "Consulted"))
      expect(Dossier.overdueAt(consulted, date("2024-02-29"), policy)).toBeUndefined()
      expect(Dossier.overdueAt(consulted, date("2024-03-01"), policy)).toEqual({
        stage: "Consulted",
        due: date("2024-02-29"),
        deadline: policy.Consulted
      })
      // Verified late, on 2024-03-05: it was overdue as of 2024-03-04, and no longer waiting in that stage after.
      const verifiedLate = stateOf([...at(commune, "Consulted"), eventOf(verify(commune, { effective: "2024-03-05" }))])
      expect(Dossier.overdueAt(verifiedLate, date("2024-03-04"), policy)?.stage).toBe("Consulted")
      expect(Dossier.overdueAt(verifiedLate, date("2024-04-04"), policy)).toBeUndefined()
      expect(Dossier.overdueAt(verifiedLate, date("2024-04-05"), policy)).toEqual({
        stage: "Verified",
        due: date("2024-04-04"),
        deadline: policy.Verified
      })
      // A stage without a deadline is never overdue.
      expect(Dossier.overdueAt(stateOf(at(commune, "Opened")), date("2030-01-01"), policy)).toBeUndefined()
    })

    it("labels every stage in both languages", () => {
      for (const label of Object.values(Dossier.stageLabel)) expect(label).toMatch(/ \/ /)
    })
  })

  // -------------------------------------------------------------------------------------------------------------
  // Properties
  // -------------------------------------------------------------------------------------------------------------

  const actors = [xa, xaLienSon, xaMyHa, huyen, huyenVietYen, huyenLangGiang, tinh, tinhHaNoi, central, admin]
  const tags = [
    "OpenDossier",
    "SubmitSelfAssessment",
    "RecordConsultation",
    "VerifyDossier",
    "AppraiseDossier",
    "RecogniseDossier",
    "AnnounceRecognition",
    "ReturnDossier",
    "RevokeDossier"
  ] as const
  type Tag = (typeof tags)[number]
  const reviewerOf: Partial<Record<Dossier.Stage, Dossier.Step>> = {
    SelfAssessed: "verify",
    Consulted: "verify",
    Verified: "appraise",
    Appraised: "recognise"
  }
  const stepOf: Record<Tag, Dossier.Step> = {
    OpenDossier: "open",
    SubmitSelfAssessment: "selfAssess",
    RecordConsultation: "consult",
    VerifyDossier: "verify",
    AppraiseDossier: "appraise",
    RecogniseDossier: "recognise",
    AnnounceRecognition: "announce",
    ReturnDossier: "verify",
    RevokeDossier: "revoke"
  }

  /** A command of any kind for a flow's dossier, its content picked by `variant`. */
  const commandOf = (flow: Flow, tag: Tag, effective: string, by: Actor, variant: number): Dossier.Command => {
    const o = { effective, by }
    switch (tag) {
      case "OpenDossier":
        return open(flow, {
          ...o,
          ...(variant % 3 === 2 ? { unit: [ghost, lienSon, bacGiang][Math.floor(variant / 3) % 3]! } : {})
        })
      case "SubmitSelfAssessment":
        return submit(flow, o)
      case "RecordConsultation":
        return consult(flow, { ...o, satisfaction: variant % 2 === 0 ? 92.5 : 80 })
      case "VerifyDossier":
        return verify(flow, o)
      case "AppraiseDossier":
        return appraise(flow, o)
      case "RecogniseDossier":
        return recognise(flow, {
          ...o,
          recognition: variant % 4 === 3 ? "qd-other" : `qd-${flow.dossier}`,
          ...(variant % 3 === 0 ? { override: "Quyết định của tỉnh / the province decided so" } : {})
        })
      case "AnnounceRecognition":
        return announce(flow, o)
      case "ReturnDossier":
        return returnFrom(flow, "verify", {
          ...o,
          reasons: variant % 2 === 0 ? ["Thiếu minh chứng / evidence missing"] : ["Sai số liệu / wrong figures"]
        })
      case "RevokeDossier":
        return revoke(flow, { ...o, reason: variant % 2 === 0 ? "Vi phạm / breach" : "Không duy trì / not kept up" })
    }
  }

  /** The commands that move a dossier on from a stage (returns included from the stages under review). */
  const onward: Record<Dossier.Stage, ReadonlyArray<Tag>> = {
    None: ["OpenDossier"],
    Opened: ["SubmitSelfAssessment"],
    SelfAssessed: ["RecordConsultation", "RecordConsultation", "ReturnDossier"],
    Consulted: ["VerifyDossier", "VerifyDossier", "ReturnDossier"],
    Verified: ["AppraiseDossier", "AppraiseDossier", "ReturnDossier"],
    Appraised: ["RecogniseDossier", "RecogniseDossier", "ReturnDossier"],
    Recognised: ["AnnounceRecognition", "RevokeDossier"],
    Announced: ["RevokeDossier"],
    Revoked: tags
  }

  /** The actor the path names for a step on a date (the reformed commune's verifier changes with the reform). */
  const named = (flow: Flow, step: Dossier.Step, effective: LocalDate.LocalDate): Actor =>
    step === "verify" && flow === reformed && effective >= reform ? tinh : flow.actors[step]

  const flows = [commune, district, reformed] as const
  const dates = [
    "2024-01-10",
    "2024-02-01",
    "2024-02-15",
    "2024-03-01",
    "2024-04-01",
    "2024-05-01",
    "2024-05-10",
    "2025-03-01",
    "2025-06-30",
    "2025-07-01",
    "2025-12-01"
  ]

  it("every decision is idempotent, evolvable and rejects cleanly", () => {
    const outcomes = new Set<string>()
    const runArb = fc
      .record({
        flow: fc.constantFrom(...flows),
        stage: fc.constantFrom(undefined, undefined, ...path),
        standardMet: fc.boolean(),
        /** Commands carry a date at least as late as the given events, most of the time. */
        lateDates: fc.boolean()
      })
      .chain(({ flow, stage, standardMet, lateDates }) => {
        const given = stage === undefined ? [] : at(flow, stage, standardMet)
        const current = stage ?? "None"
        const lastDate = given.at(-1)?.effective ?? "2024-01-10"
        // The command that moves the dossier on from the given stage, or any; by the actor the path names, or any.
        const commandArb = fc
          .record({
            tag: fc.oneof(fc.constantFrom(...onward[current]), fc.constantFrom(...tags)),
            effective: fc.constantFrom(...(lateDates ? dates.filter((d) => d >= lastDate) : dates)).map(date),
            named: fc.nat(3),
            actor: fc.constantFrom(...actors),
            variant: fc.nat(100)
          })
          .map(({ tag, effective, named: n, actor, variant }) => {
            const step = tag === "ReturnDossier" ? (reviewerOf[current] ?? "verify") : stepOf[tag]
            return commandOf(flow, tag, effective, n > 0 ? named(flow, step, effective) : actor, variant)
          })
        return stepsArb(commandArb, { maxLength: 12 }).map((steps) => ({ given, steps }))
      })
    fc.assert(
      fc.property(runArb, ({ given, steps }) => {
        checkSequence(Dossier.decider, steps, { given, context: propertyContext, outcomes })
      }),
      // The coverage check below needs the rarer outcomes (a repeated recognition, say) reached in every run: at
      // 400 runs one CI run in about ten missed "RecogniseDossier: nothing".
      { numRuns: 1500 }
    )
    for (const tag of tags) expect(outcomes).toContain(`${tag}: events`)
    for (const o of [
      "OpenDossier: nothing",
      "RecogniseDossier: nothing",
      "ReturnDossier: nothing",
      "StepOutOfOrder",
      "StepNotPermitted",
      "StandardNotMet",
      "DossierConflict",
      "UnknownDossier",
      "UnknownUnit"
    ]) {
      expect(outcomes).toContain(o)
    }
  })

  describe("every reachable dossier state is reached only through permitted transitions", () => {
    /** The transitions of the workflow, as documented in Dossier.ts. */
    const transitions: ReadonlyArray<readonly [Dossier.Stage, Dossier.Event["_tag"], Dossier.Stage]> = [
      ["None", "DossierOpened", "Opened"],
      ["Opened", "SelfAssessmentSubmitted", "SelfAssessed"],
      ["SelfAssessed", "ConsultationRecorded", "Consulted"],
      ["Consulted", "DossierVerified", "Verified"],
      ["Verified", "DossierAppraised", "Appraised"],
      ["Appraised", "DossierRecognised", "Recognised"],
      ["Recognised", "RecognitionAnnounced", "Announced"],
      ["SelfAssessed", "DossierReturned", "Opened"],
      ["Consulted", "DossierReturned", "Opened"],
      ["Verified", "DossierReturned", "Opened"],
      ["Appraised", "DossierReturned", "Opened"],
      ["Recognised", "DossierRevoked", "Revoked"],
      ["Announced", "DossierRevoked", "Revoked"]
    ]
    const eventStep: Record<Exclude<Dossier.Event["_tag"], "DossierReturned">, Dossier.Step> = {
      DossierOpened: "open",
      SelfAssessmentSubmitted: "selfAssess",
      ConsultationRecorded: "consult",
      DossierVerified: "verify",
      DossierAppraised: "appraise",
      DossierRecognised: "recognise",
      RecognitionAnnounced: "announce",
      DossierRevoked: "revoke"
    }

    /** The roles the default policy lets take a step for a unit on a date, "parent" resolved. */
    const rolesFor = (u: UnitId, step: Dossier.Step, d: LocalDate.LocalDate): ReadonlyArray<string | undefined> => {
      const kind = hierarchy.units.get(u)!.kind
      const parent = Hierarchy.parentAt(hierarchy, u, d)
      return (Dossier.defaultWorkflowPolicy[kind]?.[step] ?? []).map((r) =>
        r === "parent" ? (parent === undefined ? undefined : hierarchy.units.get(parent)?.kind) : r
      )
    }

    /**
     * The invariants a dossier state keeps, as the list of those broken (empty when it is sound). Plain checks
     * rather than an `expect` each: they run on every step of every generated sequence.
     */
    const violations = (state: Dossier.State): ReadonlyArray<string> => {
      const out: Array<string> = []
      let stage: Dossier.Stage = "None"
      let since: LocalDate.LocalDate | undefined
      let selfAssessment: Dossier.SelfAssessmentSubmitted | undefined
      let appraised = false
      const u = state.opened?.unit
      for (const [i, e] of state.events.entries()) {
        const edge = transitions.find(([a, tag]) => a === stage && tag === e._tag)
        if (edge === undefined) {
          out.push(`${e._tag} is no transition from ${stage}`)
          break
        }
        if ((i === 0) !== (e._tag === "DossierOpened")) out.push(`${e._tag} at ${i}: the dossier opens once, first`)
        if (since !== undefined && e.effective < since) out.push(`${e._tag} on ${e.effective} is before ${since}`)
        // Who took it: a role the policy names for the step on its date, within the actor's scope.
        const step = e._tag === "DossierReturned" ? reviewerOf[e.from]! : eventStep[e._tag]
        if (u !== undefined && !rolesFor(u, step, e.effective).includes(e.by.role)) {
          out.push(`${e.by.role} may not ${step} on ${e.effective}`)
        }
        if (u !== undefined && e.by.unit !== undefined && !Hierarchy.isWithin(hierarchy, u, e.by.unit, e.effective)) {
          out.push(`${u} is not under ${e.by.unit}`)
        }
        switch (e._tag) {
          case "DossierReturned":
            if (e.from !== stage) out.push(`returned from ${e.from}, at ${stage}`)
            selfAssessment = undefined
            appraised = false
            break
          case "SelfAssessmentSubmitted":
            if (JSON.stringify(e.scorecard.catalog) !== JSON.stringify(state.opened?.catalog)) {
              out.push("a scorecard against another criteria set")
            }
            selfAssessment = e
            break
          case "DossierAppraised":
            appraised = true
            break
          case "DossierRecognised":
            if (!appraised) out.push("recognised without an appraisal")
            if (e.override === undefined && selfAssessment?.scorecard.standardMet !== true) {
              out.push("recognised without override on a scorecard that does not meet the standard")
            }
            break
          case "RecognitionAnnounced":
          case "DossierRevoked":
            if (!appraised) out.push(`${e._tag} without an appraisal`)
            break
        }
        stage = edge[2]
        since = e.effective
      }
      if (state.stage !== stage) out.push(`the stage is ${state.stage}, the last event leads to ${stage}`)
      if (state.since !== since) out.push(`since is ${state.since}, the last event is dated ${since}`)
      if (state.opened !== state.events[0]) out.push("opened is not the first event")
      if (state.selfAssessment !== selfAssessment)
        out.push("the self-assessment in force is not the last since a return")
      if (state.recognised !== [...state.events].reverse().find((e) => e._tag === "DossierRecognised")) {
        out.push("recognised is not the last recognition")
      }
      return out
    }

    /**
     * A step: which command (the one that moves the dossier on, most of the time, else any), who issues it (the
     * actor the path names, most of the time, else anyone), how many days after the last step (sometimes before).
     */
    const stepArb = fc.record({
      onward: fc.nat(99),
      tag: fc.constantFrom(...tags),
      rightActor: fc.nat(99),
      actor: fc.constantFrom(...actors),
      days: fc.integer({ min: -5, max: 40 }),
      variant: fc.nat(100)
    })

    it("over random command sequences, any command by any role on random dates", () => {
      const reached = new Set<string>()
      fc.assert(
        fc.property(
          fc.constantFrom(...flows),
          fc.constantFrom("2024-01-10", "2024-10-01", "2025-05-01"),
          fc.array(stepArb, { minLength: 20, maxLength: 60 }),
          (flow, start, steps) => {
            let state = Dossier.initial
            let last = date(start)
            for (const s of steps) {
              const choices = onward[state.stage]
              const tag = s.onward < 70 ? choices[s.onward % choices.length]! : s.tag
              const effective = LocalDate.addDays(last, s.days)
              const step = tag === "ReturnDossier" ? (reviewerOf[state.stage] ?? "verify") : stepOf[tag]
              const by = s.rightActor < 75 ? named(flow, step, effective) : s.actor
              const decided = Dossier.decide(
                commandOf(flow, tag, effective, by, s.variant),
                state,
                propertyContext(state)
              )
              if (Either.isLeft(decided)) {
                reached.add(decided.left._tag)
                continue
              }
              for (const e of decided.right) state = Dossier.evolve(state, e)
              if (decided.right.length > 0) last = effective
              expect(violations(state)).toEqual([])
              reached.add(state.stage)
              for (const e of decided.right) {
                if (e._tag === "DossierRecognised" && e.override !== undefined) reached.add("override")
                if (e._tag === "DossierReturned") reached.add(`returned from ${e.from}`)
              }
            }
          }
        ),
        { numRuns: 300 }
      )
      // The generator goes deep: every stage, returns from every review stage, overrides and the rejections.
      for (const r of [
        ...path,
        "Revoked",
        "override",
        "returned from SelfAssessed",
        "returned from Consulted",
        "returned from Verified",
        "returned from Appraised",
        "StepOutOfOrder",
        "StepNotPermitted",
        "StandardNotMet",
        "DossierConflict"
      ]) {
        expect(reached).toContain(r)
      }
    })
  })
})
