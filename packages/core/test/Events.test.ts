import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as B from "../src/Bilingual.js"
import { catalogId } from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import * as Commitment from "../src/Commitment.js"
import * as Dossier from "../src/Dossier.js"
import type { EventData, RecordedEvent } from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Recognition from "../src/Recognition.js"
import { standardId } from "../src/Standard.js"
import { admin, communeCatalog, communeOfficer, date, districtOfficer, provinceOfficer, unit } from "./fixtures.js"

const province = unit("bac-giang")
const district = unit("bac-giang/tan-yen")
const commune = unit("bac-giang/tan-yen/cao-xa")
const effective = date("2025-07-01")
const catalog = catalogId("test/commune")
const report = new Evidence.DocumentRef({
  title: "Báo cáo kết quả / results report",
  number: "12/BC-UBND",
  date: date("2023-01-10"),
  issuer: "UBND xã Cao Xá",
  url: "https://example.org/bc-12.pdf",
  contentHash: "sha256:00ff"
})
const decision = new Recognition.Decision({
  number: "1234/QĐ-UBND",
  date: date("2023-05-01"),
  issuer: "UBND tỉnh Bắc Giang",
  signer: "Chủ tịch / Chairman"
})

/** One event of every type, with its optional fields filled in where it has them. */
const oneOfEach: ReadonlyArray<Events.DomainEvent> = [
  new CatalogSet.CatalogPublished({ catalog: communeCatalog(), effective: date("2022-01-01"), by: admin }),
  new Hierarchy.UnitEstablished({
    unit: district,
    kind: "district",
    name: B.make("Tân Yên", "Tan Yen"),
    parent: province,
    classes: { region: "TDMNPB" },
    officialCode: "218",
    effective: date("2020-01-01"),
    by: admin
  }),
  new Hierarchy.UnitRenamed({ unit: commune, name: B.make("Cao Thượng", "Cao Thuong"), effective, by: admin }),
  new Hierarchy.UnitMoved({ unit: commune, parent: province, effective, by: admin }),
  new Hierarchy.UnitClassified({ unit: commune, scheme: "communeGroup", code: "1", effective, by: admin }),
  new Hierarchy.UnitsMerged({
    into: commune,
    merged: [unit("bac-giang/tan-yen/lien-son"), unit("bac-giang/tan-yen/ngoc-thien")],
    basis: "Nghị quyết 1/NQ-UBTVQH / Resolution 1",
    effective,
    by: admin
  }),
  new Hierarchy.UnitDissolved({ unit: district, basis: "Nghị quyết 76/2025/UBTVQH15", effective, by: admin }),
  new Recognition.RecognitionGranted({
    recognition: "1234/QĐ-UBND",
    unit: commune,
    standard: standardId("ntm"),
    catalog: { id: catalog, version: "1" },
    decision,
    effective: date("2023-05-01"),
    by: provinceOfficer(province)
  }),
  new Recognition.RecognitionRevoked({
    unit: commune,
    standard: standardId("ntm"),
    decision: new Recognition.Decision({ number: "99/QĐ-UBND", date: date("2024-03-01") }),
    reason: "Không duy trì tiêu chí / criteria not maintained",
    effective: date("2024-03-01"),
    by: provinceOfficer(province)
  }),
  new Evidence.EvidenceRecorded({
    entry: "e-1",
    unit: commune,
    catalog,
    code: "1.2",
    value: new EvidenceValue.Percent({ value: 72, numerator: 18, denominator: 25 }),
    effective: date("2023-01-01"),
    validUntil: date("2023-12-31"),
    sources: [report],
    note: "Số liệu điều tra / survey data",
    by: communeOfficer(commune)
  }),
  new Evidence.EvidenceCorrected({
    entry: "e-2",
    corrects: "e-1",
    chain: "e-1",
    unit: commune,
    catalog,
    code: "1.2",
    value: new EvidenceValue.Percent({ value: 74 }),
    effective: date("2023-01-01"),
    validUntil: date("2023-12-31"),
    sources: [report],
    reason: "Nhập nhầm số liệu / data entry error",
    by: communeOfficer(commune)
  }),
  new Evidence.EvidenceRetracted({
    entry: "e-2",
    chain: "e-1",
    unit: commune,
    catalog,
    code: "1.2",
    effective: date("2023-01-01"),
    reason: "Minh chứng không hợp lệ / invalid evidence",
    by: communeOfficer(commune)
  }),
  new Evidence.IndicatorAssessed({
    assessment: "a-1",
    unit: commune,
    catalog,
    code: "1.1",
    verdict: { _tag: "Overridden", status: "NotApplicable" },
    reason: "Thẩm tra hồ sơ / dossier verified",
    basis: "e-1",
    effective: date("2023-03-01"),
    by: districtOfficer(district)
  }),
  new Evidence.AssessmentWithdrawn({
    assessment: "a-1",
    unit: commune,
    catalog,
    code: "1.1",
    effective: date("2023-03-01"),
    reason: "Đánh giá lại / reassessed",
    by: districtOfficer(district)
  }),
  new Commitment.CommitmentMade({
    commitment: "c-1",
    by: districtOfficer(district),
    maker: new Commitment.Party({ name: "UBND huyện Tân Yên", unit: district }),
    to: new Commitment.Party({ name: "UBND tỉnh Bắc Giang", unit: province }),
    subject: new Commitment.Subject({
      unit: district,
      catalog,
      indicators: ["8.1"],
      criteria: [],
      standard: standardId("advanced")
    }),
    description: "Cấp nước sạch / clean water",
    due: date("2024-12-31"),
    responsible: new Commitment.Responsible({ agency: "Sở NN&PTNT", head: "Giám đốc Sở" }),
    source: report,
    madeFor: "r-2020",
    effective: date("2024-04-05")
  }),
  new Commitment.CommitmentProgressReported({
    commitment: "c-1",
    note: "Đang thi công / under way",
    percent: 40,
    effective: date("2024-06-30"),
    by: districtOfficer(district)
  }),
  new Commitment.CommitmentExtended({
    commitment: "c-1",
    previousDue: date("2024-12-31"),
    due: date("2025-06-30"),
    reason: "Chậm giải phóng mặt bằng / site clearance delayed",
    effective: date("2024-12-01"),
    by: provinceOfficer(province)
  }),
  new Commitment.CommitmentFulfilled({
    commitment: "c-1",
    evidence: ["e-1"],
    note: "Xong / done",
    effective: date("2025-05-01"),
    by: districtOfficer(district)
  }),
  new Commitment.CommitmentWithdrawn({
    commitment: "c-2",
    reason: "Không còn phù hợp / no longer relevant",
    effective: date("2024-05-01"),
    by: districtOfficer(district)
  }),
  new Dossier.DossierOpened({
    dossier: "d-1",
    unit: commune,
    standard: standardId("advanced"),
    catalog: { id: catalog, version: "1" },
    effective: date("2024-05-15"),
    by: communeOfficer(commune)
  }),
  new Dossier.SelfAssessmentSubmitted({
    dossier: "d-1",
    scorecard: new Dossier.FrozenScorecard({
      catalog: { id: catalog, version: "1" },
      asOf: date("2024-08-15"),
      knownAt: 1_723_680_000_000,
      standardMet: true,
      met: 4,
      applicable: 4,
      total: 4,
      criteria: [{ code: "1", status: "Met" }],
      indicators: [{ code: "1.1", status: "Met" }],
      conditions: []
    }),
    report,
    effective: date("2024-08-15"),
    by: communeOfficer(commune)
  }),
  new Dossier.ConsultationRecorded({
    dossier: "d-1",
    satisfaction: 96.5,
    bySubunit: [{ unit: unit("bac-giang/tan-yen/cao-xa/thon-1"), satisfaction: 95 }],
    report,
    effective: date("2024-08-25"),
    by: communeOfficer(commune)
  }),
  new Dossier.DossierVerified({ dossier: "d-1", report, effective: date("2024-09-25"), by: districtOfficer(district) }),
  new Dossier.DossierAppraised({
    dossier: "d-1",
    council: "Hội đồng thẩm định cấp tỉnh",
    report,
    effective: date("2024-10-20"),
    by: provinceOfficer(province)
  }),
  new Dossier.DossierRecognised({
    dossier: "d-1",
    recognition: "r-1",
    decision,
    override: { reason: "Lý do / reason" },
    effective: date("2024-10-30"),
    by: provinceOfficer(province)
  }),
  new Dossier.RecognitionAnnounced({ dossier: "d-1", effective: date("2024-11-10"), by: districtOfficer(district) }),
  new Dossier.DossierReturned({
    dossier: "d-2",
    from: "Verified",
    reasons: ["Thiếu biên bản / minutes missing"],
    effective: date("2024-10-01"),
    by: provinceOfficer(province)
  }),
  new Dossier.DossierRevoked({
    dossier: "d-1",
    decision,
    reason: "Không duy trì / not maintained",
    effective: date("2025-12-01"),
    by: provinceOfficer(province)
  }),
  new Dossier.DossierListed({
    dossier: "d-1",
    unit: commune,
    standard: standardId("advanced"),
    catalog: { id: catalog, version: "1" },
    effective: date("2024-05-15"),
    by: communeOfficer(commune)
  })
]

/** What a store hands back: the encoded data as JSON, with an envelope. */
const stored = (data: EventData, position = 1, stream = "Test-1"): RecordedEvent => ({
  ...data,
  data: JSON.parse(JSON.stringify(data.data)),
  position,
  stream,
  streamVersion: position,
  recordedAt: 1_700_000_000_000
})

describe("Events", () => {
  it("the examples cover every event type the library knows", () => {
    expect(oneOfEach.map((e) => e._tag).sort()).toEqual(Object.keys(Events.versions).sort())
  })

  for (const event of oneOfEach) {
    it(`${event._tag} round-trips through encode, JSON and decode`, () => {
      const data = Events.encode(event)
      expect(data.type).toBe(event._tag)
      expect(data.version).toBe(Events.versions[event._tag])
      const decoded = Either.getOrThrow(Events.decode(stored(data, 42, "Stream-x")))
      expect(decoded).toMatchObject({
        position: 42,
        stream: "Stream-x",
        streamVersion: 42,
        recordedAt: 1_700_000_000_000
      })
      expect(decoded.event).toStrictEqual(event)
      expect(Events.effectiveDate(decoded.event)).toBe(event.effective)
    })
  }

  describe("the upcaster", () => {
    /** `UnitEstablished` as the first draft stored it: version 1, a Vietnamese name only. */
    const v1 = {
      unit: "bac-giang/tan-yen",
      kind: "district",
      name: "Tân Yên",
      parent: "bac-giang",
      effective: "2020-01-01",
      by: { id: "admin", name: "Quản trị / Admin", role: "admin" }
    }

    it("reads an old UnitEstablished (version 1) with a bilingual name", () => {
      const decoded = Either.getOrThrow(Events.decode(stored({ type: "UnitEstablished", version: 1, data: v1 })))
      expect(decoded.event).toBeInstanceOf(Hierarchy.UnitEstablished)
      const event = decoded.event as Hierarchy.UnitEstablished
      expect(event.name).toEqual(B.make("Tân Yên", "Tan Yen"))
      expect(event.name).toBeInstanceOf(B.Bilingual)
      expect(event).toMatchObject({ unit: district, kind: "district", parent: province, classes: {} })
    })

    it("writes Đ as D and drops every diacritic in the English name", () => {
      const decoded = Either.getOrThrow(
        Events.decode(stored({ type: "UnitEstablished", version: 1, data: { ...v1, name: "Đồng Việt Ưng Hòa" } }))
      )
      expect((decoded.event as Hierarchy.UnitEstablished).name).toEqual(
        B.make("Đồng Việt Ưng Hòa", "Dong Viet Ung Hoa")
      )
    })

    it("rejects an old event whose name is missing or not a string, rather than inventing one", () => {
      const { name: _, ...noName } = v1
      for (const data of [noName, { ...v1, name: 42 }, null, "Tân Yên"]) {
        const result = Events.decode(stored({ type: "UnitEstablished", version: 1, data }, 7, "Hierarchy-vn"))
        expect(Either.isLeft(result), JSON.stringify(data)).toBe(true)
        if (Either.isLeft(result)) expect(result.left).toMatchObject({ _tag: "EventDecodeError", position: 7 })
      }
    })
  })

  describe("what cannot be read is an EventDecodeError naming the stream and position", () => {
    const fails = (recorded: RecordedEvent) => {
      const result = Events.decode(recorded)
      if (Either.isRight(result)) return expect.unreachable(`decoded ${recorded.type} v${recorded.version}`)
      const error = result.left
      expect(error).toBeInstanceOf(Events.EventDecodeError)
      expect(error).toMatchObject({ stream: recorded.stream, position: recorded.position, type: recorded.type })
      expect(error.message).toContain(recorded.stream)
      expect(error.message).toContain(`position ${recorded.position}`)
      return error
    }
    const valid = Events.encode(oneOfEach[2]!)

    it("an unknown type", () => {
      const error = fails(stored({ type: "UnitTeleported", version: 1, data: {} }, 3, "Hierarchy-vn"))
      expect(error.reason).toContain("unknown event type UnitTeleported")
    })

    it("a version newer than the library's", () => {
      const error = fails(stored({ ...valid, version: 9 }, 11, "Hierarchy-vn"))
      expect(error.version).toBe(9)
      expect(error.reason).toContain("newer")
    })

    it("an old version with no upcaster", () => {
      const error = fails(stored({ type: "UnitEstablished", version: 0, data: {} }, 5, "Hierarchy-vn"))
      expect(error.reason).toContain("no upcaster")
    })

    it("data that does not decode", () => {
      const data = valid.data as Record<string, unknown>
      fails(stored({ ...valid, data: { ...data, effective: "2025-02-30" } }, 4, "Hierarchy-vn"))
      fails(stored({ ...valid, data: { ...data, unit: "" } }, 5, "Evidence-x"))
      const { name: _, ...noName } = data
      fails(stored({ ...valid, data: noName }, 6, "Hierarchy-vn"))
      // Data of another type under this type's name.
      fails(stored({ ...valid, data: Events.encode(oneOfEach[3]!).data }, 8, "Hierarchy-vn"))
    })
  })
})
