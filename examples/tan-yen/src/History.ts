/**
 * The recorded history of Tân Yên district (Bắc Giang), from the provincial notice of April 2024
 * (`../shared/seed/thong-bao-tan-yen-2024.md`).
 *
 * What comes from the notice or a public source: the 2020 recognition as an NTM district (Decision 904/QĐ-TTg,
 * signed by Deputy Prime Minister Trịnh Đình Dũng; 20 of 20 communes NTM); 29 of 38 advanced-district indicators
 * met in April 2024, 9 remaining, among them 2.3 (bus station), 8.1 and 8.2 (clean water), 8.9 (smart commune) and
 * the upper-secondary schools; the agencies the notice names.
 *
 * What is illustrative (invented so that the example runs, and labelled so in the output): the catalog's other
 * indicators and every threshold; the evidence values and their dates; the decision date of 904/QĐ-TTg (the year
 * is known, the day is not); the commune roster's recognition dates and the advanced communes.
 */
import {
  type Actor,
  Catalog,
  type Commitment,
  type Dossier,
  Evidence,
  EvidenceValue,
  Hierarchy,
  LocalDate,
  Recognition,
  ShippedCatalogs,
  Standard,
  type Unit
} from "@ntm/core"
import * as Either from "effect/Either"
import { plan } from "./Plan.js"

import { actors, ascii, communeId, communes, d, ids, name, towns } from "./Roster.js"

export { actors, communeId, communes, ids, towns }

/** One fact of the history and the date it was recorded. */
export type Step =
  | { readonly recordedOn: string; readonly kind: "catalog"; readonly catalog: Catalog.Catalog }
  | { readonly recordedOn: string; readonly kind: "hierarchy"; readonly command: Hierarchy.Command }
  | { readonly recordedOn: string; readonly kind: "recognition"; readonly command: Recognition.Command }
  | { readonly recordedOn: string; readonly kind: "evidence"; readonly command: Evidence.Command }
  | { readonly recordedOn: string; readonly kind: "commitment"; readonly command: Commitment.Command }
  /** A dossier step; a self-assessment's scorecard is computed by the core from the record at the time and frozen. */
  | { readonly recordedOn: string; readonly kind: "dossier"; readonly command: Dossier.Command }

const established = d("1997-01-01")

const hierarchy: ReadonlyArray<Step> = [
  {
    recordedOn: "2020-01-02",
    kind: "hierarchy",
    command: new Hierarchy.EstablishUnit({
      unit: ids.province,
      kind: "province",
      name: name("Bắc Giang", "Bac Giang"),
      classes: { region: "TDMNPB" },
      effective: established,
      by: actors.admin
    })
  },
  {
    recordedOn: "2020-01-02",
    kind: "hierarchy",
    command: new Hierarchy.EstablishUnit({
      unit: ids.district,
      kind: "district",
      name: name("Tân Yên", "Tan Yen"),
      parent: ids.province,
      effective: established,
      by: actors.admin
    })
  },
  ...[...communes.map((n) => ["commune", n] as const), ...towns.map((n) => ["town", n] as const)].map(
    ([kind, n]): Step => ({
      recordedOn: "2020-01-02",
      kind: "hierarchy",
      command: new Hierarchy.EstablishUnit({
        unit: communeId(n),
        kind,
        name: name(
          `${kind === "town" ? "Thị trấn" : "Xã"} ${n}`,
          `${ascii(n)} ${kind === "town" ? "town" : "commune"}`
        ),
        parent: ids.district,
        effective: established,
        by: actors.admin
      })
    })
  )
]

const grant = (
  recordedOn: string,
  unit: Unit.UnitId,
  standard: string,
  decision: string,
  date: string,
  signer: string,
  catalog: { id: Catalog.CatalogId; version: string },
  by: Actor.Actor
): Step => ({
  recordedOn,
  kind: "recognition",
  command: new Recognition.GrantRecognition({
    recognition: `${unit}:${standard}:${date}`,
    unit,
    standard: Standard.standardId(standard),
    catalog,
    decision: new Recognition.Decision({ number: decision, date: d(date), signer }),
    effective: d(date),
    by
  })
})

/**
 * A 2016–2020 set that recognitions before 2021 cite, published under its name without its criteria (they are not
 * encoded in this library): a recognition cites a published catalog version. Its one indicator has no known
 * requirement, so that a scorecard against it is undetermined, never met; it is in force for 2016–2020 only, so that
 * no later scorecard or page picks it.
 */
const recordOnly = (id: string, version: string, kind: "commune" | "district", vi: string, en: string) =>
  Either.getOrThrow(
    Catalog.decode({
      id,
      version,
      name: { vi, en },
      appliesTo: [kind],
      standard: "ntm",
      legalBasis: [],
      effective: { from: "2016-01-01", until: "2020-12-31" },
      provenance: {
        status: "illustrative",
        note: "Bộ tiêu chí 2016–2020 chưa được mã hóa; chỉ ghi tên để các quyết định công nhận trích dẫn / the 2016–2020 criteria are not encoded: the set is published by name so that recognitions cite it (dates illustrative)"
      },
      criteria: [
        {
          code: "2016",
          name: { vi: "Các tiêu chí 2016–2020 (chưa mã hóa)", en: "The 2016–2020 criteria (not encoded)" },
          provenance: { status: "illustrative" },
          indicators: [
            {
              code: "2016.1",
              name: { vi: "Các chỉ tiêu 2016–2020 (chưa mã hóa)", en: "The 2016–2020 indicators (not encoded)" },
              requirement: { _tag: "NotKnown" },
              provenance: { status: "illustrative" }
            }
          ]
        }
      ]
    })
  )

const catalog2016 = recordOnly(
  "vn/2016-2020/commune-ntm",
  "1980/2016",
  "commune",
  "Bộ tiêu chí quốc gia về xã nông thôn mới 2016–2020 (1980/QĐ-TTg)",
  "National NTM commune criteria 2016–2020 (1980/QĐ-TTg)"
)
const catalog2016District = recordOnly(
  "vn/2016-2020/district-ntm",
  "558/2016",
  "district",
  "Tiêu chí huyện nông thôn mới 2016–2020 (558/QĐ-TTg)",
  "NTM district criteria 2016–2020 (558/QĐ-TTg)"
)
const set2016 = { id: catalog2016.id, version: catalog2016.version }
const set2016District = { id: catalog2016District.id, version: catalog2016District.version }
const advancedCommuneSet = { id: Catalog.catalogId("vn/2021-2025/commune-advanced"), version: "318/2022" }

const recognitions: ReadonlyArray<Step> = [
  // All 20 communes were NTM by 2020 (illustrative dates, 2013 to 2019).
  ...communes.map((n, i) =>
    grant(
      "2020-01-03",
      communeId(n),
      "ntm",
      `QĐ-UBND công nhận xã ${n} đạt chuẩn NTM (minh họa / illustrative)`,
      `${2013 + (i % 7)}-12-20`,
      "Chủ tịch UBND tỉnh Bắc Giang",
      set2016,
      actors.province
    )
  ),
  grant(
    "2020-07-10",
    ids.district,
    "ntm",
    "904/QĐ-TTg",
    "2020-06-30",
    "Phó Thủ tướng Trịnh Đình Dũng",
    set2016District,
    actors.primeMinister
  ),
  // Advanced communes recognised before April 2024 (illustrative).
  ...["Ngọc Thiện", "Cao Xá", "Liên Chung"].map((n, i) =>
    grant(
      i < 2 ? "2023-01-05" : "2023-11-05",
      communeId(n),
      "advanced",
      `QĐ-UBND công nhận xã ${n} đạt chuẩn NTM nâng cao (minh họa / illustrative)`,
      i < 2 ? "2022-12-28" : "2023-10-30",
      "Chủ tịch UBND tỉnh Bắc Giang",
      advancedCommuneSet,
      actors.province
    )
  )
]

const report = (title: string, number: string, date: string) =>
  new Evidence.DocumentRef({
    title,
    number,
    date: d(date),
    issuer: "UBND huyện Tân Yên"
  })

type Value = EvidenceValue.EvidenceValue
const met = new EvidenceValue.Attained({ attained: true })
const notMet = new EvidenceValue.Attained({ attained: false })
const pct = (value: number) => new EvidenceValue.Percent({ value })
const count = (value: number) => new EvidenceValue.Count({ value })
const level = (value: string) => new EvidenceValue.Level({ value })

/** Quarterly self-assessments of the district: [effective date, recorded on, values by indicator code]. */
const quarters: ReadonlyArray<readonly [string, string, Readonly<Record<string, Value>>]> = [
  [
    "2023-03-31",
    "2023-04-10",
    {
      "1.1": met,
      "1.2": met,
      "2.1": met,
      "2.2": pct(100),
      "2.3": level("IV"),
      "2.4": met,
      "3.1": met,
      "3.2": pct(86),
      "3.3": met,
      "4.1": met,
      "4.2": pct(99.6),
      "5.1": met,
      "5.2": pct(93.1),
      "5.4": met,
      "5.5": met,
      "6.1": met,
      "6.2": met,
      "6.3": count(8)
    }
  ],
  ["2023-06-30", "2023-07-10", { "6.4": met, "7.1": met, "7.2": met, "8.3": met, "8.4": met }],
  [
    "2023-09-30",
    "2023-10-10",
    { "3.2": pct(91), "5.3": pct(66.7), "7.4": pct(98), "8.5": met, "8.6": met, "9.1": met, "9.3": met }
  ],
  [
    "2023-12-31",
    "2024-01-10",
    { "5.2": pct(95.6), "6.5": notMet, "8.1": pct(52.4), "8.2": pct(71), "8.7": met, "8.8": met, "9.2": notMet }
  ],
  ["2024-03-31", "2024-04-02", { "6.3": count(11), "7.3": pct(91.5), "8.9": count(0), "9.4": notMet }]
]

const evidence: ReadonlyArray<Step> = quarters.flatMap(([effective, recordedOn, values], q) =>
  Object.entries(values).map(
    ([code, value]): Step => ({
      recordedOn,
      kind: "evidence",
      command: new Evidence.RecordEvidence({
        entry: `tan-yen:${code}:${effective}`,
        unit: ids.district,
        catalog: ids.catalog,
        code,
        value,
        effective: d(effective),
        sources: [
          report(
            `Báo cáo kết quả xây dựng huyện NTM nâng cao quý ${(q % 4) + 1} (minh họa) / quarterly progress report (illustrative)`,
            `${100 + q}/BC-UBND`,
            recordedOn
          )
        ],
        by: actors.district
      })
    })
  )
)

const corrections: ReadonlyArray<Step> = [
  {
    // The September 2023 figure for hazardous and medical waste was entered wrongly: a correction, not an edit.
    recordedOn: "2024-01-15",
    kind: "evidence",
    command: new Evidence.CorrectEvidence({
      entry: "tan-yen:7.4:2023-09-30:correction-1",
      unit: ids.district,
      corrects: "tan-yen:7.4:2023-09-30",
      value: pct(100),
      sources: [
        report("Văn bản đính chính số liệu (minh họa) / data correction (illustrative)", "12/UBND-NN", "2024-01-15")
      ],
      reason: "Số liệu nhập sai (98% thay vì 100%) / data entry error (98% for 100%)",
      by: actors.district
    })
  },
  {
    // The Department of Transport confirms that the bus station (type IV) falls short of the class required.
    recordedOn: "2024-04-05",
    kind: "evidence",
    command: new Evidence.AssessIndicator({
      assessment: "tan-yen:2.3:2024-04-05",
      unit: ids.district,
      catalog: ids.catalog,
      code: "2.3",
      verdict: { _tag: "Confirmed" },
      reason:
        "Bến xe hiện có đạt loại IV, chưa đạt loại yêu cầu; cần điều chỉnh quy hoạch / the existing station is type IV, below the class required; the plan needs revising",
      basis: "tan-yen:2.3:2023-03-31",
      effective: d("2024-04-05"),
      by: actors.transport
    })
  }
]

/**
 * The shipped catalogs, published when their texts were issued; the illustrative one when the example starts; the
 * 2016–2020 sets by name before the recognitions that cite them.
 */
const catalogs: ReadonlyArray<Step> = [
  ...[catalog2016, catalog2016District].map(
    (catalog): Step => ({ recordedOn: "2020-01-02", kind: "catalog", catalog })
  ),
  ...Either.getOrThrow(ShippedCatalogs.load()).map(
    (catalog): Step => ({
      recordedOn: catalog.isIllustrative ? "2023-01-02" : LocalDate.maxOf(catalog.effective.from, d("2022-03-10")),
      kind: "catalog",
      catalog
    })
  )
]

/** The whole history in the order it was recorded. */
export const history: ReadonlyArray<Step> = [
  ...catalogs,
  ...hierarchy,
  ...recognitions,
  ...evidence,
  ...corrections,
  ...plan
].sort((a, b) => (a.recordedOn < b.recordedOn ? -1 : a.recordedOn > b.recordedOn ? 1 : 0))
