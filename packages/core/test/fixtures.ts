/**
 * Small builders shared by the core's tests.
 */
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Actor from "../src/Actor.js"
import * as B from "../src/Bilingual.js"
import * as Catalog from "../src/Catalog.js"
import * as EventStore from "../src/EventStore.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LocalDate from "../src/LocalDate.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import * as Unit from "../src/Unit.js"

export const date = LocalDate.unsafeMake
export const unit = Unit.unitId

export const admin = new Actor.Actor({ id: "admin", name: "Quản trị / Admin", role: "admin" })
/** The operator's import tool (`ntm evidence import`): records evidence for any unit. */
export const importer = new Actor.Actor({ id: "import", name: "Nhập dữ liệu / import", role: "system" })
export const communeOfficer = (u: string) =>
  new Actor.Actor({ id: `officer-${u}`, name: "Cán bộ xã / Commune officer", role: "commune", unit: unit(u) })
export const provinceOfficer = (u: string) =>
  new Actor.Actor({ id: `province-${u}`, name: "Cán bộ tỉnh / Province officer", role: "province", unit: unit(u) })
export const districtOfficer = (u: string) =>
  new Actor.Actor({ id: `district-${u}`, name: "Cán bộ huyện / District officer", role: "district", unit: unit(u) })

/** The date the tests record on: the commands judge an actor's scope on it, and the test clock starts in 1970. */
export const today = Date.UTC(2026, 0, 5)

/** The in-memory store, with the test clock set to {@link today}. */
export const memoryStore = Layer.merge(EventStore.layerMemory, Layer.effectDiscard(TestClock.setTime(today)))

const verified = { status: "verified" as const, sources: ["test"] }

/** A small valid catalog document (encoded form) for communes. */
export const communeCatalogDocument = (overrides: Record<string, unknown> = {}) => ({
  id: "test/commune",
  version: "1",
  name: { vi: "Bộ tiêu chí thử", en: "Test criteria set" },
  appliesTo: ["commune"],
  standard: "ntm",
  legalBasis: [{ number: "1/QĐ-TEST", date: "2022-01-01", provenance: verified }],
  effective: { from: "2022-01-01" },
  classification: {
    scheme: "region",
    name: { vi: "Vùng", en: "Region" },
    classes: [
      { code: "A", name: { vi: "Vùng A", en: "Region A" } },
      { code: "B", name: { vi: "Vùng B", en: "Region B" } }
    ]
  },
  provenance: verified,
  sources: [{ id: "test", title: "Test source", kind: "official" }],
  criteria: [
    {
      code: "1",
      name: { vi: "Giao thông", en: "Transport" },
      provenance: verified,
      indicators: [
        {
          code: "1.1",
          name: { vi: "Đường xã", en: "Commune roads" },
          requirement: { _tag: "Attainment" },
          provenance: verified
        },
        {
          code: "1.2",
          name: { vi: "Tỷ lệ đường thôn", en: "Village roads share" },
          requirement: { _tag: "MinPercent", threshold: { _tag: "Known", value: 70, ...verified } },
          requirementByClass: {
            B: { _tag: "MinPercent", threshold: { _tag: "Known", value: 50, ...verified } }
          },
          provenance: verified
        }
      ]
    },
    {
      code: "2",
      name: { vi: "Văn hóa", en: "Culture" },
      provenance: verified,
      indicators: [
        {
          code: "2.1",
          name: { vi: "Nhà văn hóa", en: "Cultural house" },
          requirement: { _tag: "MinCount", threshold: { _tag: "Known", value: 1, ...verified } },
          appliesOnlyIf: { vi: "nếu có quy hoạch", en: "if planned" },
          provenance: verified
        },
        {
          code: "2.2",
          name: { vi: "Thu nhập", en: "Income" },
          requirement: {
            _tag: "MinQuantity",
            unit: { vi: "triệu đồng", en: "million VND" },
            threshold: { _tag: "Unknown" }
          },
          provenance: { status: "unverified" }
        }
      ]
    }
  ],
  conditions: [],
  ...overrides
})

export const communeCatalog = (): Catalog.Catalog => {
  const c = Catalog.decode(communeCatalogDocument())
  if (c._tag === "Left") throw new Error(c.left.message)
  return c.right
}

export const districtCatalogDocument = () => ({
  id: "test/district",
  version: "1",
  name: { vi: "Bộ tiêu chí huyện thử", en: "Test district set" },
  appliesTo: ["district"],
  standard: "ntm",
  legalBasis: [],
  effective: { from: "2022-01-01" },
  provenance: verified,
  sources: [{ id: "test", title: "Test source", kind: "official" }],
  criteria: [
    {
      code: "1",
      name: { vi: "Quy hoạch", en: "Planning" },
      provenance: verified,
      indicators: [
        {
          code: "1.1",
          name: { vi: "Quy hoạch", en: "Plan" },
          requirement: { _tag: "Attainment" },
          provenance: verified
        }
      ]
    }
  ],
  conditions: [
    {
      code: "ĐK1",
      name: { vi: "Xã đạt chuẩn NTM", en: "Communes NTM" },
      requirement: {
        _tag: "MinShareOfSubunits",
        subunitKinds: ["commune"],
        standards: ["ntm"],
        threshold: { _tag: "Known", value: 50, ...verified }
      },
      provenance: verified
    }
  ]
})

export const districtCatalog = (): Catalog.Catalog => {
  const c = Catalog.decode(districtCatalogDocument())
  if (c._tag === "Left") throw new Error(c.left.message)
  return c.right
}

export const name = (vi: string) => B.make(vi, vi)

/** A unit established by the admin, under a parent, on a date (2020-01-01 by default). */
export const established = (
  id: UnitId,
  kind: UnitKind,
  vi: string,
  en: string,
  parent?: UnitId,
  effective = "2020-01-01"
) =>
  new Hierarchy.UnitEstablished({
    unit: id,
    kind,
    name: B.make(vi, en),
    ...(parent !== undefined ? { parent } : {}),
    classes: {},
    effective: date(effective),
    by: admin
  })
