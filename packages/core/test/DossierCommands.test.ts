import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as fc from "fast-check"
import { Actor } from "../src/Actor.js"
import { type CatalogId, catalogId } from "../src/Catalog.js"
import * as CommandHandler from "../src/CommandHandler.js"
import * as Commands from "../src/Commands.js"
import * as Dossier from "../src/Dossier.js"
import * as EventStore from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Recognition from "../src/Recognition.js"
import * as Scorecard from "../src/Scorecard.js"
import { standardId } from "../src/Standard.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtCatalog,
  districtOfficer,
  memoryStore,
  name,
  provinceOfficer,
  unit
} from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The world, recorded through the commands: a province, a district, two communes, the test criteria sets, and
// evidence on which commune x1 meets the standard and commune x2 does not.
// ---------------------------------------------------------------------------------------------------------------

const p = unit("p")
const d = unit("p/d")
const x1 = unit("p/d/x1")
const x2 = unit("p/d/x2")
const ntm = standardId("ntm")
const communeSet = catalogId("test/commune")
const districtSet = catalogId("test/district")

const xa1 = communeOfficer(x1)
const xa2 = communeOfficer(x2)
const huyen = districtOfficer(d)
const tinh = provinceOfficer(p)
const central = new Actor({
  id: "hdtd-tw",
  name: "Hội đồng thẩm định Trung ương / Central Appraisal Council",
  role: "central"
})

const establish = (id: UnitId, kind: UnitKind, parent?: UnitId) =>
  Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit: id,
      kind,
      name: name(id),
      ...(parent !== undefined ? { parent } : {}),
      classes: kind === "province" ? { region: "A" } : {},
      effective: date("2020-01-01"),
      by: admin
    })
  )

const record = (entry: string, u: UnitId, catalog: CatalogId, code: string, value: EvidenceValue.EvidenceValue) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit: u,
      catalog,
      code,
      value,
      effective: date("2023-06-01"),
      sources: [new Evidence.DocumentRef({ title: "Báo cáo / report" })],
      by: communeOfficer(u)
    })
  )

const setup = Effect.gen(function* () {
  yield* Commands.publishCatalog(communeCatalog(), admin)
  yield* Commands.publishCatalog(districtCatalog(), admin)
  yield* establish(p, "province")
  yield* establish(d, "district", p)
  yield* establish(x1, "commune", d)
  yield* establish(x2, "commune", d)
  // x1 meets every indicator: 2.1 does not apply to it, 2.2 (whose threshold is unknown) is assessed met.
  yield* record("x1-1.1", x1, communeSet, "1.1", new EvidenceValue.Attained({ attained: true }))
  yield* record("x1-1.2", x1, communeSet, "1.2", new EvidenceValue.Percent({ value: 80 }))
  yield* record("x1-2.1", x1, communeSet, "2.1", new EvidenceValue.NotApplicable({ reason: "Chưa quy hoạch" }))
  yield* Commands.evidence(
    new Evidence.AssessIndicator({
      assessment: "x1-2.2",
      unit: x1,
      catalog: communeSet,
      code: "2.2",
      verdict: { _tag: "Overridden", status: "Met" },
      reason: "Thu nhập đạt theo báo cáo của huyện / income met by the district's report",
      effective: date("2023-06-01"),
      by: huyen
    })
  )
  // x2 has roads only; the district has its plan.
  yield* record("x2-1.1", x2, communeSet, "1.1", new EvidenceValue.Attained({ attained: true }))
  yield* record("d-1.1", d, districtSet, "1.1", new EvidenceValue.Attained({ attained: true }))
})

const ledgerNow = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const recorded = yield* Stream.runCollect(store.readAll())
  return Ledger.fold(Chunk.toReadonlyArray(recorded).map((r) => Either.getOrThrow(Events.decode(r))))
})

/** The unit's real scorecard as of a date, over the ledger folded from the store, frozen as known now. */
const frozenScorecard = (u: UnitId, catalog: CatalogId, asOf: LocalDate.LocalDate) =>
  Effect.map(ledgerNow, (ledger) =>
    Dossier.freeze(Either.getOrThrow(Scorecard.make(ledger, { unit: u, catalog, asOf })), ledger.lastRecordedAt)
  )

const read = (stream: string) =>
  Effect.flatMap(EventStore.EventStore, (store) => store.readStream(stream)).pipe(
    Effect.map((recorded) => recorded.map((r) => Either.getOrThrow(Events.decode(r))))
  )

const countAll = Effect.flatMap(EventStore.EventStore, (store) => Stream.runCount(store.readAll()))

// ---------------------------------------------------------------------------------------------------------------
// Dossier commands
// ---------------------------------------------------------------------------------------------------------------

interface Flow {
  readonly dossier: string
  readonly unit: UnitId
  readonly catalog: CatalogId
  readonly actors: Readonly<Record<Dossier.Step, Actor>>
}

const communeActors = (officer: Actor): Flow["actors"] => ({
  open: officer,
  selfAssess: officer,
  consult: officer,
  verify: huyen,
  appraise: tinh,
  recognise: tinh,
  announce: huyen,
  revoke: tinh
})

const flowX1: Flow = { dossier: "hs-x1", unit: x1, catalog: communeSet, actors: communeActors(xa1) }
const flowX2: Flow = { dossier: "hs-x2", unit: x2, catalog: communeSet, actors: communeActors(xa2) }
const flowD: Flow = {
  dossier: "hs-d",
  unit: d,
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

const report = (title: string) => new Evidence.DocumentRef({ title })
const decisionOf = (number: string, effective: LocalDate.LocalDate) =>
  new Recognition.Decision({ number, date: effective, issuer: "UBND tỉnh P" })

type Tag = Dossier.Command["_tag"]
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

interface CommandOptions {
  readonly by?: Actor
  readonly override?: string
  readonly recognition?: string
}

/** A command for a flow's dossier, by the actor the flow names for its step unless told. */
const command = (
  flow: Flow,
  tag: Tag,
  effective: LocalDate.LocalDate,
  o: CommandOptions = {}
): Effect.Effect<Dossier.Command, EventStore.EventStoreError, EventStore.EventStore> => {
  const header = { dossier: flow.dossier, effective, by: o.by ?? flow.actors[stepOf[tag]] }
  switch (tag) {
    case "OpenDossier":
      return Effect.succeed(
        new Dossier.OpenDossier({
          ...header,
          unit: flow.unit,
          standard: ntm,
          catalog: { id: flow.catalog, version: "1" }
        })
      )
    case "SubmitSelfAssessment":
      return Effect.succeed(new Dossier.SubmitSelfAssessment(header))
    case "RecordConsultation":
      return Effect.succeed(new Dossier.RecordConsultation({ ...header, satisfaction: 91 }))
    case "VerifyDossier":
      return Effect.succeed(new Dossier.VerifyDossier({ ...header, report: report("Báo cáo thẩm tra") }))
    case "AppraiseDossier":
      return Effect.succeed(
        new Dossier.AppraiseDossier({ ...header, council: "Hội đồng thẩm định", report: report("Báo cáo thẩm định") })
      )
    case "RecogniseDossier":
      return Effect.succeed(
        new Dossier.RecogniseDossier({
          ...header,
          recognition: o.recognition ?? `qd-${flow.dossier}`,
          decision: decisionOf(`${flow.dossier}/QĐ-UBND`, effective),
          ...(o.override !== undefined ? { override: { reason: o.override } } : {})
        })
      )
    case "AnnounceRecognition":
      return Effect.succeed(new Dossier.AnnounceRecognition(header))
    case "ReturnDossier":
      return Effect.succeed(new Dossier.ReturnDossier({ ...header, reasons: ["Thiếu minh chứng / evidence missing"] }))
    case "RevokeDossier":
      return Effect.succeed(
        new Dossier.RevokeDossier({
          ...header,
          decision: decisionOf(`${flow.dossier}/QĐ-THUHOI`, effective),
          reason: "Không duy trì tiêu chí / criteria not maintained"
        })
      )
  }
}

const take = (flow: Flow, tag: Tag, effective: string, o: CommandOptions = {}) =>
  Effect.flatMap(command(flow, tag, date(effective), o), (c) => Commands.dossier(c))

const upToAppraisal = ["OpenDossier", "SubmitSelfAssessment", "RecordConsultation", "VerifyDossier", "AppraiseDossier"]
const pathDates = ["2024-01-10", "2024-02-01", "2024-02-15", "2024-03-01", "2024-04-01"]

/** Takes a dossier to its appraisal through the commands. */
const appraised = (flow: Flow) =>
  Effect.forEach(upToAppraisal, (tag, i) => take(flow, tag as Tag, pathDates[i]!), { discard: true })

describe("Commands.dossier", () => {
  it.effect("the full path for a commune: the recognition is written to the dossier and to the unit at once", () =>
    Effect.gen(function* () {
      yield* setup
      const scorecard = yield* frozenScorecard(x1, communeSet, date("2024-02-01"))
      expect(scorecard).toMatchObject({
        catalog: { id: communeSet, version: "1" },
        asOf: date("2024-02-01"),
        standardMet: true,
        met: 3,
        applicable: 3,
        total: 4
      })
      yield* appraised(flowX1)
      const recognisedOn = date("2024-05-01")
      expect(Ledger.holds(yield* ledgerNow, x1, ntm, recognisedOn)).toBe(false)

      const outcome = yield* take(flowX1, "RecogniseDossier", recognisedOn)
      expect(outcome.events.map((e) => e._tag)).toEqual(["DossierRecognised"])
      const dossier = yield* read(Dossier.streamId(flowX1.dossier))
      const recognition = yield* read(Recognition.streamId(x1))
      expect(dossier.map((r) => r.event._tag)).toEqual([
        "DossierOpened",
        "SelfAssessmentSubmitted",
        "ConsultationRecorded",
        "DossierVerified",
        "DossierAppraised",
        "DossierRecognised"
      ])
      expect(dossier[1]!.event).toMatchObject({ scorecard })
      expect(recognition.map((r) => r.event)).toEqual([
        new Recognition.RecognitionGranted({
          recognition: "qd-hs-x1",
          unit: x1,
          standard: ntm,
          catalog: { id: communeSet, version: "1" },
          decision: decisionOf("hs-x1/QĐ-UBND", recognisedOn),
          effective: recognisedOn,
          by: tinh
        })
      ])
      // One append: the two events are adjacent in the log and recorded at the same time.
      expect(recognition[0]!.position).toBe(dossier[5]!.position + 1)
      expect(recognition[0]!.recordedAt).toBe(dossier[5]!.recordedAt)

      const ledger = yield* ledgerNow
      expect(Ledger.holds(ledger, x1, ntm, LocalDate.addDays(recognisedOn, -1))).toBe(false)
      expect(Ledger.holds(ledger, x1, ntm, recognisedOn)).toBe(true)
      expect(ledger.dossiers.get(flowX1.dossier)?.stage).toBe("Recognised")
      // The district now has one commune of two recognised: its share condition is met.
      const district = Either.getOrThrow(Scorecard.make(ledger, { unit: d, catalog: districtSet, asOf: recognisedOn }))
      expect(district.standardMet).toBe(true)

      // Recognising again appends nothing to either stream.
      const before = yield* countAll
      const again = yield* take(flowX1, "RecogniseDossier", recognisedOn)
      expect(again.events).toEqual([])
      expect(yield* countAll).toBe(before)

      // Announcing touches the dossier only; revoking revokes the unit's recognition in the same append.
      yield* take(flowX1, "AnnounceRecognition", "2024-05-10")
      expect(yield* read(Recognition.streamId(x1))).toHaveLength(1)
      const revokedOn = date("2025-03-01")
      yield* take(flowX1, "RevokeDossier", revokedOn)
      const dossierAfter = yield* read(Dossier.streamId(flowX1.dossier))
      const recognitionAfter = yield* read(Recognition.streamId(x1))
      expect(dossierAfter.at(-1)!.event._tag).toBe("DossierRevoked")
      expect(recognitionAfter.map((r) => r.event._tag)).toEqual(["RecognitionGranted", "RecognitionRevoked"])
      expect(recognitionAfter[1]!.event).toMatchObject({
        unit: x1,
        standard: ntm,
        effective: revokedOn,
        decision: decisionOf("hs-x1/QĐ-THUHOI", revokedOn),
        by: tinh
      })
      expect(recognitionAfter[1]!.position).toBe(dossierAfter.at(-1)!.position + 1)
      const revoked = yield* ledgerNow
      expect(Ledger.holds(revoked, x1, ntm, LocalDate.addDays(revokedOn, -1))).toBe(true)
      expect(Ledger.holds(revoked, x1, ntm, revokedOn)).toBe(false)

      // Revoking again appends nothing.
      const count = yield* countAll
      yield* take(flowX1, "RevokeDossier", revokedOn)
      expect(yield* countAll).toBe(count)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "a district is recognised by the central level once its communes count, and the grant is the district's",
    () =>
      Effect.gen(function* () {
        yield* setup
        // Before any commune is recognised, the district's frozen scorecard does not meet the standard.
        yield* take(flowD, "OpenDossier", "2024-01-10")
        const early = yield* frozenScorecard(d, districtSet, date("2024-02-01"))
        expect(early.standardMet).toBe(false)
        expect(early.conditions).toEqual([{ code: "ĐK1", status: "NotMet" }])
        yield* appraised(flowX1)
        yield* take(flowX1, "RecogniseDossier", "2024-05-01")
        for (const [tag, on] of [
          ["SubmitSelfAssessment", "2024-06-01"],
          ["RecordConsultation", "2024-06-15"],
          ["VerifyDossier", "2024-07-01"],
          ["AppraiseDossier", "2024-08-01"],
          ["RecogniseDossier", "2024-09-01"]
        ] as const) {
          yield* take(flowD, tag, on)
        }
        const frozen = (yield* read(Dossier.streamId(flowD.dossier)))[1]!.event
        expect(frozen._tag === "SelfAssessmentSubmitted" && frozen.scorecard.standardMet).toBe(true)
        const granted = yield* read(Recognition.streamId(d))
        expect(granted.map((r) => r.event)).toMatchObject([
          { _tag: "RecognitionGranted", unit: d, catalog: { id: districtSet, version: "1" }, by: central }
        ])
        expect(Ledger.holds(yield* ledgerNow, d, ntm, date("2024-09-01"))).toBe(true)
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a recognition refused because the frozen scorecard does not meet the standard appends nothing", () =>
    Effect.gen(function* () {
      yield* setup
      const scorecard = yield* frozenScorecard(x2, communeSet, date("2024-02-01"))
      expect(scorecard.standardMet).toBe(false)
      yield* appraised(flowX2)
      const before = yield* countAll
      const dossierBefore = yield* read(Dossier.streamId(flowX2.dossier))
      const error = yield* Effect.flip(take(flowX2, "RecogniseDossier", "2024-05-01"))
      expect(error).toMatchObject({ _tag: "StandardNotMet", dossier: flowX2.dossier, met: 1 })
      expect(yield* countAll).toBe(before)
      expect(yield* read(Dossier.streamId(flowX2.dossier))).toEqual(dossierBefore)
      expect(yield* read(Recognition.streamId(x2))).toEqual([])
      expect(Ledger.holds(yield* ledgerNow, x2, ntm, date("2024-05-01"))).toBe(false)

      // With an override, the recognition goes ahead and its reason is recorded.
      const reason = "Tỉnh quyết định công nhận / the province decided to recognise"
      yield* take(flowX2, "RecogniseDossier", "2024-05-01", { override: reason })
      const dossier = yield* read(Dossier.streamId(flowX2.dossier))
      expect(dossier.at(-1)!.event).toMatchObject({ _tag: "DossierRecognised", override: { reason } })
      expect((yield* read(Recognition.streamId(x2))).map((r) => r.event._tag)).toEqual(["RecognitionGranted"])
      expect(Ledger.holds(yield* ledgerNow, x2, ntm, date("2024-05-01"))).toBe(true)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a recognition the unit's record refuses appends nothing to the dossier either", () =>
    Effect.gen(function* () {
      yield* setup
      // The same recognition id is already recorded for the unit, with another decision.
      yield* Commands.recognise(
        new Recognition.GrantRecognition({
          recognition: "qd-hs-x1",
          unit: x1,
          standard: ntm,
          catalog: { id: communeSet, version: "1" },
          decision: decisionOf("999/QĐ-UBND", date("2023-01-01")),
          effective: date("2023-01-01"),
          by: tinh
        })
      )
      yield* appraised(flowX1)
      const before = yield* countAll
      const error = yield* Effect.flip(take(flowX1, "RecogniseDossier", "2024-05-01"))
      expect(error._tag).toBe("RecognitionConflict")
      expect(yield* countAll).toBe(before)
      const dossier = yield* CommandHandler.load(Dossier.decider, Dossier.streamId(flowX1.dossier))
      expect(dossier.state.stage).toBe("Appraised")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("revoking a dossier never recognised is out of order and appends nothing", () =>
    Effect.gen(function* () {
      yield* setup
      yield* appraised(flowX1)
      const before = yield* countAll
      const error = yield* Effect.flip(take(flowX1, "RevokeDossier", "2024-06-01"))
      expect(error).toMatchObject({ _tag: "StepOutOfOrder", stage: "Appraised" })
      expect(yield* countAll).toBe(before)
      expect(yield* read(Recognition.streamId(x1))).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("the self-assessment freezes the record's scorecard, whatever the unit would say", () =>
    Effect.gen(function* () {
      yield* setup
      yield* take(flowX2, "OpenDossier", "2024-01-10")
      yield* take(flowX2, "SubmitSelfAssessment", "2024-02-01")
      const [, submitted] = yield* read(Dossier.streamId(flowX2.dossier))
      const expected = yield* frozenScorecard(x2, communeSet, date("2024-02-01"))
      expect(submitted!.event).toMatchObject({ _tag: "SelfAssessmentSubmitted", scorecard: expected })
      expect(expected.standardMet).toBe(false)
      // A body carrying a scorecard of its own decodes to a command without one: nothing the caller says is frozen.
      const forged = Dossier.Command.pipe(Schema.decodeUnknownSync)({
        _tag: "SubmitSelfAssessment",
        dossier: flowX2.dossier,
        effective: "2024-02-01",
        by: Schema.encodeSync(Actor)(xa2),
        scorecard: { ...Schema.encodeSync(Dossier.FrozenScorecard)(expected), standardMet: true }
      })
      expect("scorecard" in forged).toBe(false)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a commune dossier against a district set, or a model dossier against the NTM set, is refused", () =>
    Effect.gen(function* () {
      yield* setup
      const wrongSet = yield* Effect.flip(take({ ...flowX1, catalog: districtSet }, "OpenDossier", "2024-01-10"))
      expect(wrongSet).toMatchObject({ _tag: "StandardNotApplicable", unit: x1, catalog: "test/district@1" })
      expect(wrongSet.message).toContain("applies to district, not to a commune")
      const model = yield* Effect.flip(
        Commands.dossier(
          new Dossier.OpenDossier({
            dossier: flowX1.dossier,
            unit: x1,
            standard: standardId("model"),
            catalog: { id: communeSet, version: "1" },
            effective: date("2024-01-10"),
            by: xa1
          })
        )
      )
      expect(model).toMatchObject({ _tag: "StandardNotApplicable", standard: "model" })
      expect(yield* read(Dossier.streamId(flowX1.dossier))).toEqual([])
      expect(yield* read(Dossier.indexStreamId(x1))).toEqual([])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("one open dossier per unit, standard and catalog version, also when two servers open at once", () =>
    Effect.gen(function* () {
      yield* setup
      const other = { ...flowX1, dossier: "hs-x1-b" }
      yield* take(flowX1, "OpenDossier", "2024-01-10")
      expect((yield* read(Dossier.indexStreamId(x1))).map((r) => r.event)).toMatchObject([
        { _tag: "DossierListed", dossier: flowX1.dossier, unit: x1, standard: ntm }
      ])
      const refused = yield* Effect.flip(take(other, "OpenDossier", "2024-01-11"))
      expect(refused).toMatchObject({ _tag: "DossierAlreadyOpen", dossier: "hs-x1-b", open: flowX1.dossier })
      expect(yield* read(Dossier.streamId(other.dossier))).toEqual([])
      // Another server opens x2's first dossier between this server's read and its append: the index's expected
      // version makes the append fail, the retry reads the other dossier and refuses.
      const store = yield* EventStore.EventStore
      let raced = false
      const racing = EventStore.EventStore.of({
        ...store,
        appendMany: (writes, options) =>
          Effect.gen(function* () {
            if (!raced) {
              raced = true
              yield* take(flowX2, "OpenDossier", "2024-01-10").pipe(
                Effect.provideService(EventStore.EventStore, store),
                Effect.orDie
              )
            }
            return yield* store.appendMany(writes, options)
          })
      })
      const lost = yield* Effect.flip(
        take({ ...flowX2, dossier: "hs-x2-b" }, "OpenDossier", "2024-01-10").pipe(
          Effect.provideService(EventStore.EventStore, racing)
        )
      )
      expect(raced).toBe(true)
      expect(lost).toMatchObject({ _tag: "DossierAlreadyOpen", dossier: "hs-x2-b", open: flowX2.dossier })
      expect((yield* read(Dossier.indexStreamId(x2))).map((r) => r.event._tag)).toEqual(["DossierListed"])
      // Once recognised, the next dossier for the same set may open.
      yield* Effect.forEach(upToAppraisal.slice(1), (tag, i) => take(flowX1, tag as Tag, pathDates[i + 1]!), {
        discard: true
      })
      yield* take(flowX1, "RecogniseDossier", "2024-05-01", { override: "Tỉnh quyết định / the province decided" })
      const next = yield* take(other, "OpenDossier", "2025-01-10")
      expect(next.events.map((e) => e._tag)).toEqual(["DossierOpened"])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("revoking directly a recognition that a dossier granted is refused, naming the dossier", () =>
    Effect.gen(function* () {
      yield* setup
      yield* appraised(flowX1)
      yield* take(flowX1, "RecogniseDossier", "2024-05-01")
      const revoke = (effective: string) =>
        Commands.recognise(
          new Recognition.RevokeRecognition({
            unit: x1,
            standard: ntm,
            decision: decisionOf("77/QĐ-UBND", date(effective)),
            reason: "Không duy trì / not maintained",
            effective: date(effective),
            by: tinh
          })
        )
      const before = yield* countAll
      const refused = yield* Effect.flip(revoke("2025-01-01"))
      expect(refused).toMatchObject({
        _tag: "RecognitionHeldByDossier",
        unit: x1,
        standard: ntm,
        dossier: flowX1.dossier,
        path: `/dossiers/${flowX1.dossier}`
      })
      expect(refused.message).toContain(`/dossiers/${flowX1.dossier}`)
      expect(yield* countAll).toBe(before)
      // Revoked through the dossier, both move together; the dossier and the unit agree.
      yield* take(flowX1, "RevokeDossier", "2025-01-01")
      // Nor may a direct revocation dated before the dossier's own make them disagree in between.
      expect(yield* Effect.flip(revoke("2024-12-01"))).toMatchObject({
        _tag: "RecognitionHeldByDossier",
        dossier: flowX1.dossier
      })
      const ledger = yield* ledgerNow
      expect(ledger.dossiers.get(flowX1.dossier)?.stage).toBe("Revoked")
      expect(Ledger.holds(ledger, x1, ntm, date("2025-01-01"))).toBe(false)
      // A recognition granted directly (not by a dossier) is still revoked directly.
      yield* Commands.recognise(
        new Recognition.GrantRecognition({
          recognition: "qd-x2-direct",
          unit: x2,
          standard: ntm,
          catalog: { id: communeSet, version: "1" },
          decision: decisionOf("12/QĐ-UBND", date("2023-01-01")),
          effective: date("2023-01-01"),
          by: tinh
        })
      )
      const direct = yield* Commands.recognise(
        new Recognition.RevokeRecognition({
          unit: x2,
          standard: ntm,
          decision: decisionOf("13/QĐ-UBND", date("2024-01-01")),
          reason: "Không duy trì / not maintained",
          effective: date("2024-01-01"),
          by: tinh
        })
      )
      expect(direct.events.map((e) => e._tag)).toEqual(["RecognitionRevoked"])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "a dossier opened before the index existed is listed by the migration (Commands.listAllDossiers), and then counts",
    () =>
      Effect.gen(function* () {
        yield* setup
        // A dossier recorded by an earlier build: its own stream and the unit's recognition, no index entry.
        const store = yield* EventStore.EventStore
        const by = tinh
        const legacy = [
          new Dossier.DossierOpened({
            dossier: "hs-x1-old",
            unit: x1,
            standard: ntm,
            catalog: { id: communeSet, version: "1" },
            effective: date("2023-01-10"),
            by: xa1
          }),
          new Dossier.DossierRecognised({
            dossier: "hs-x1-old",
            recognition: "qd-old",
            decision: decisionOf("1/QĐ-UBND", date("2023-05-01")),
            override: { reason: "Dữ liệu cũ / earlier data" },
            effective: date("2023-05-01"),
            by
          })
        ]
        yield* store.appendMany([
          { stream: Dossier.streamId("hs-x1-old"), expected: 0, events: legacy.map(Events.encode) },
          {
            stream: Recognition.streamId(x1),
            expected: 0,
            events: [
              Events.encode(
                new Recognition.RecognitionGranted({
                  recognition: "qd-old",
                  unit: x1,
                  standard: ntm,
                  catalog: { id: communeSet, version: "1" },
                  decision: decisionOf("1/QĐ-UBND", date("2023-05-01")),
                  effective: date("2023-05-01"),
                  by
                })
              )
            ]
          }
        ])
        // The migration lists every dossier the log holds that its index lacks, once.
        expect(yield* Commands.listAllDossiers).toBe(1)
        expect(yield* Commands.listAllDossiers).toBe(0)
        expect((yield* read(Dossier.indexStreamId(x1))).map((r) => r.event)).toMatchObject([
          { _tag: "DossierListed", dossier: "hs-x1-old", unit: x1 }
        ])
        expect((yield* Commands.listDossier("hs-x1-old")).events).toEqual([])
        const refused = yield* Effect.flip(
          Commands.recognise(
            new Recognition.RevokeRecognition({
              unit: x1,
              standard: ntm,
              decision: decisionOf("2/QĐ-UBND", date("2024-01-01")),
              reason: "Không duy trì / not maintained",
              effective: date("2024-01-01"),
              by
            })
          )
        )
        expect(refused).toMatchObject({ _tag: "RecognitionHeldByDossier", dossier: "hs-x1-old" })
        expect(yield* Effect.flip(Commands.listDossier("nope"))).toMatchObject({ _tag: "UnknownDossier" })
      }).pipe(Effect.provide(memoryStore))
  )

  describe("properties", () => {
    const flows = [flowX1, { ...flowX1, dossier: "hs-x1-b" }, flowX2, flowD] as const
    const tags: ReadonlyArray<Tag> = Object.keys(stepOf) as Array<Tag>
    const actors = [xa1, xa2, huyen, tinh, central, admin]
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
    const reviewerOf: Partial<Record<Dossier.Stage, Dossier.Step>> = {
      SelfAssessed: "verify",
      Consulted: "verify",
      Verified: "appraise",
      Appraised: "recognise"
    }
    const stepArb = fc.record({
      flow: fc.nat(flows.length - 1),
      onward: fc.nat(99),
      tag: fc.constantFrom(...tags),
      named: fc.nat(99),
      actor: fc.constantFrom(...actors),
      days: fc.integer({ min: 0, max: 30 }),
      variant: fc.nat(100)
    })

    /** Runs the steps through the commands, on a store of its own, and returns the ledger at the end. */
    const run = (steps: ReadonlyArray<typeof stepArb extends fc.Arbitrary<infer A> ? A : never>) =>
      Effect.gen(function* () {
        yield* setup
        let last = date("2024-01-01")
        for (const s of steps) {
          const flow = flows[s.flow]!
          const { state } = yield* CommandHandler.load(Dossier.decider, Dossier.streamId(flow.dossier))
          const choices = onward[state.stage]
          const tag = s.onward < 80 ? choices[s.onward % choices.length]! : s.tag
          const step = tag === "ReturnDossier" ? (reviewerOf[state.stage] ?? "verify") : stepOf[tag]
          const effective = LocalDate.addDays(last, s.days)
          const c = yield* command(flow, tag, effective, {
            by: s.named < 80 ? flow.actors[step] : s.actor,
            ...(s.variant % 3 === 0 ? { override: "Tỉnh quyết định / the province decided" } : {}),
            // Both of x1's dossiers sometimes name the same recognition: the unit's record refuses the second.
            ...(s.variant % 5 === 0 ? { recognition: "qd-shared" } : {})
          })
          const result = yield* Effect.either(Commands.dossier(c))
          if (Either.isRight(result) && result.right.events.length > 0) last = effective
        }
        return yield* ledgerNow
      }).pipe(Effect.provide(EventStore.layerMemory))

    /** The self-assessment in force when each recognition of a dossier was decided. */
    const recognitionsOf = (state: Dossier.State) => {
      const out: Array<{ event: Dossier.DossierRecognised; assessed: Dossier.SelfAssessmentSubmitted | undefined }> = []
      let assessed: Dossier.SelfAssessmentSubmitted | undefined
      for (const e of state.events) {
        if (e._tag === "SelfAssessmentSubmitted") assessed = e
        if (e._tag === "DossierReturned") assessed = undefined
        if (e._tag === "DossierRecognised") out.push({ event: e, assessed })
      }
      return out
    }

    it("a recognised unit always had a frozen scorecard meeting the standard or a recorded override", async () => {
      let recognised = 0
      let overridden = 0
      let revoked = 0
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 40, maxLength: 80 }), async (steps) => {
          const ledger = await Effect.runPromise(run(steps))
          const dossiers = [...ledger.dossiers.values()]
          for (const u of [x1, x2, d]) {
            const record = ledger.recognitions.get(u) ?? Recognition.initial
            // Every grant of the unit was decided by one of its dossiers, on a scorecard that met the standard or
            // with the override recorded.
            for (const granted of record.granted.values()) {
              const decided = dossiers
                .filter((s) => s.opened?.unit === u)
                .flatMap(recognitionsOf)
                .filter((r) => r.event.recognition === granted.recognition)
              expect(decided, `the dossier that decided ${granted.recognition}`).toHaveLength(1)
              const { event, assessed } = decided[0]!
              expect(event.effective).toBe(granted.effective)
              expect(event.override !== undefined || assessed?.scorecard.standardMet === true).toBe(true)
              recognised++
              if (event.override !== undefined) overridden++
            }
            // Every day the unit held the standard, a dossier had recognised it by then.
            for (const e of record.events) {
              if (!Ledger.holds(ledger, u, ntm, e.effective)) continue
              expect(
                dossiers.some(
                  (s) => s.opened?.unit === u && recognitionsOf(s).some((r) => r.event.effective <= e.effective)
                )
              ).toBe(true)
            }
            // A dossier's revocation and the unit's are written together.
            const dossierRevocations = dossiers
              .filter((s) => s.opened?.unit === u)
              .flatMap((s) => s.events.filter((e) => e._tag === "DossierRevoked"))
            const unitRevocations = record.events.filter((e) => e._tag === "RecognitionRevoked")
            expect(unitRevocations.map((e) => e.decision.number).sort()).toEqual(
              dossierRevocations.map((e) => e.decision.number).sort()
            )
            revoked += unitRevocations.length
          }
        }),
        { numRuns: 25 }
      )
      // The sequences reach recognitions, with and without override, and revocations.
      expect(recognised).toBeGreaterThan(0)
      expect(overridden).toBeGreaterThan(0)
      expect(recognised - overridden).toBeGreaterThan(0)
      expect(revoked).toBeGreaterThan(0)
    })

    it("a recognised dossier's frozen scorecard is the scorecard replayed from the log as of its date, as known at its time", async () => {
      // Evidence recorded, corrected and retracted between the dossier steps, on dates before and after them, and
      // communes recognised: the frozen scorecard is what the log said then, not what it says at the end.
      const evidenceArb = fc.record({
        unit: fc.constantFrom(x1, x2, d),
        code: fc.constantFrom("1.1", "1.2"),
        met: fc.boolean(),
        days: fc.integer({ min: -200, max: 60 }),
        change: fc.constantFrom("record", "record", "correct", "retract")
      })
      // Dossier steps that move the dossier on, by the actor its path names: most dossiers get recognised.
      const onwardArb = fc.record({
        flow: fc.nat(flows.length - 1),
        choice: fc.nat(99),
        days: fc.integer({ min: 0, max: 30 }),
        override: fc.boolean()
      })
      const mixedArb = fc.array(fc.oneof({ arbitrary: onwardArb, weight: 3 }, { arbitrary: evidenceArb, weight: 2 }), {
        minLength: 40,
        maxLength: 70
      })
      let checked = 0
      let moved = 0
      type EvidenceStep = typeof evidenceArb extends fc.Arbitrary<infer A> ? A : never
      type DossierStep = typeof onwardArb extends fc.Arbitrary<infer A> ? A : never
      const replay = (mixed: ReadonlyArray<EvidenceStep | DossierStep>) =>
        Effect.gen(function* () {
          yield* setup
          let last = date("2024-01-01")
          const entries = new Map<string, string>()
          let n = 0
          for (const m of mixed) {
            // Time passes between commands: each is recorded, and read, at a time of its own.
            yield* TestClock.adjust("1 millis")
            if ("change" in m) {
              const e = m
              const catalog = e.unit === d ? districtSet : communeSet
              const value =
                e.code === "1.1"
                  ? new EvidenceValue.Attained({ attained: e.met })
                  : new EvidenceValue.Percent({ value: e.met ? 90 : 40 })
              const key = `${e.unit}\t${e.code}`
              const previous = entries.get(key)
              const by = e.unit === d ? huyen : communeOfficer(e.unit)
              const entry = `e${++n}`
              const sources = [new Evidence.DocumentRef({ title: "Báo cáo / report" })]
              const command =
                e.change === "correct" && previous !== undefined
                  ? new Evidence.CorrectEvidence({
                      entry,
                      unit: e.unit,
                      corrects: previous,
                      value,
                      sources,
                      reason: "Sửa / fix",
                      by
                    })
                  : e.change === "retract" && previous !== undefined
                    ? new Evidence.RetractEvidence({ unit: e.unit, entry: previous, reason: "Rút / withdrawn", by })
                    : new Evidence.RecordEvidence({
                        entry,
                        unit: e.unit,
                        catalog,
                        code: e.code,
                        value,
                        effective: LocalDate.addDays(last, e.days),
                        sources,
                        by
                      })
              const r = yield* Effect.either(Commands.evidence(command))
              if (Either.isRight(r) && command._tag !== "RetractEvidence") entries.set(key, entry)
              if (Either.isRight(r) && command._tag === "RetractEvidence") entries.delete(key)
              continue
            }
            const st = m
            const flow = flows[st.flow]!
            const { state } = yield* CommandHandler.load(Dossier.decider, Dossier.streamId(flow.dossier))
            const choices = onward[state.stage]
            const tag = choices[st.choice % choices.length]!
            const step = tag === "ReturnDossier" ? (reviewerOf[state.stage] ?? "verify") : stepOf[tag]
            const effective = LocalDate.addDays(last, st.days)
            const c = yield* command(flow, tag, effective, {
              by: flow.actors[step],
              ...(st.override ? { override: "Tỉnh quyết định / the province decided" } : {})
            })
            const result = yield* Effect.either(Commands.dossier(c))
            if (Either.isRight(result) && result.right.events.length > 0) last = effective
          }
          const store = yield* EventStore.EventStore
          const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll())).map((r) =>
            Either.getOrThrow(Events.decode(r))
          )
          const final = Ledger.fold(all)
          for (const state of final.dossiers.values()) {
            if (state.recognised === undefined) continue
            for (const e of state.events) {
              if (e._tag !== "SelfAssessmentSubmitted") continue
              const frozen = e.scorecard
              expect(frozen.asOf).toBe(e.effective)
              const query = {
                unit: state.opened!.unit,
                catalog: frozen.catalog.id,
                version: frozen.catalog.version,
                asOf: frozen.asOf
              }
              const then = Scorecard.make(Ledger.fold(all, { knownAt: frozen.knownAt }), query)
              expect(Dossier.freeze(Either.getOrThrow(then), frozen.knownAt)).toEqual(frozen)
              checked++
              const now = Scorecard.make(final, query)
              if (JSON.stringify(Dossier.freeze(Either.getOrThrow(now), frozen.knownAt)) !== JSON.stringify(frozen))
                moved++
            }
          }
        })
      await fc.assert(
        fc.asyncProperty(mixedArb, (mixed) =>
          Effect.runPromise(replay(mixed).pipe(Effect.provide(memoryStore), Effect.provide(TestContext.TestContext)))
        ),
        { numRuns: 20 }
      )
      // Recognised dossiers were checked, and some of their scorecards read differently on the final log.
      expect(checked).toBeGreaterThan(4)
      expect(moved).toBeGreaterThan(0)
    })
  })
})
