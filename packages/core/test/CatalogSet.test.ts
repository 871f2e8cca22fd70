import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { Actor } from "../src/Actor.js"
import * as B from "../src/Bilingual.js"
import * as Catalog from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import * as Hierarchy from "../src/Hierarchy.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import { checkSequence, DeciderSpec, stepsArb } from "./DeciderSpec.js"
import { admin, communeCatalogDocument, date, unit } from "./fixtures.js"

const spec = DeciderSpec.for(CatalogSet.decider)

const catalog = (overrides: Record<string, unknown> = {}) =>
  Either.getOrThrow(Catalog.decode(communeCatalogDocument(overrides)))

const bacGiang = unit("bac-giang")
const haNoi = unit("ha-noi")

/** The national set from 2022, amended from 2024; Bắc Giang's own version from 2023. */
const national1 = catalog()
const national2 = catalog({ version: "2", effective: { from: "2024-01-01" } })
const bacGiang1 = catalog({
  version: "bg-1",
  province: "bac-giang",
  name: { vi: "Bộ tiêu chí tỉnh Bắc Giang", en: "Bac Giang criteria set" },
  effective: { from: "2023-01-01" }
})

const publish = (c: Catalog.Catalog, by = admin) => new CatalogSet.PublishCatalog({ catalog: c, by })
const published = (c: Catalog.Catalog, by = admin) =>
  new CatalogSet.CatalogPublished({ catalog: c, effective: c.effective.from, by })

describe("CatalogSet", () => {
  describe("PublishCatalog", () => {
    it("publishes a version, in force from its effective date", () => {
      spec
        .given([])
        .when(publish(national1))
        .then([published(national1)])
      const [event] = spec
        .given([published(national1)])
        .when(publish(national2))
        .then([published(national2)])
      expect(event?.effective).toBe(date("2024-01-01"))
      const state = [published(national1), event!].reduce(CatalogSet.evolve, CatalogSet.initial)
      expect([...state.versions.keys()]).toEqual(["1", "2"])
    })

    it("publishing the same text again records nothing, whoever publishes it", () => {
      spec
        .given([published(national1)])
        .when(publish(national1))
        .thenNothing()
      // Decoded afresh (another object with the same content) and published by someone else.
      const other = new Actor({ id: "admin-2", name: "Quản trị 2 / Admin 2", role: "admin" })
      spec
        .given([published(national1)])
        .when(publish(catalog(), other))
        .thenNothing()
    })

    it("rejects a different text under a version already published", () => {
      const amended = catalog({ name: { vi: "Bộ tiêu chí đã sửa", en: "Edited criteria set" } })
      spec
        .given([published(national1)])
        .when(publish(amended))
        .thenRejects((r) => r._tag === "CatalogVersionConflict" && r.catalog === "test/commune" && r.version === "1")
      const moved = catalog({ effective: { from: "2022-06-01" } })
      spec
        .given([published(national1)])
        .when(publish(moved))
        .thenRejects("CatalogVersionConflict")
    })
  })

  describe("versionFor", () => {
    const all = [national1, national2, bacGiang1]
    const versionAt = (province: UnitId | undefined, d: string, catalogs: ReadonlyArray<Catalog.Catalog> = all) =>
      CatalogSet.versionFor(catalogs, national1.id, province, date(d))?.version

    it("picks the province's own version over the national one in force on the same date", () => {
      expect(versionAt(bacGiang, "2023-06-01")).toBe("bg-1")
      expect(versionAt(haNoi, "2023-06-01")).toBe("1")
      expect(versionAt(undefined, "2023-06-01")).toBe("1")
      // The provincial version applies only once in force.
      expect(versionAt(bacGiang, "2022-12-31")).toBe("1")
      // And it still applies after a later national amendment.
      expect(versionAt(bacGiang, "2024-06-01")).toBe("bg-1")
    })

    it("picks the version that took effect last", () => {
      expect(versionAt(haNoi, "2023-12-31")).toBe("1")
      expect(versionAt(haNoi, "2024-01-01")).toBe("2")
      // The order the versions are listed in does not matter.
      expect(versionAt(haNoi, "2024-01-01", [national2, national1])).toBe("2")
    })

    it("gives nothing before the first version takes effect or after the last one ends", () => {
      expect(versionAt(haNoi, "2021-12-31")).toBeUndefined()
      const ending = [catalog({ effective: { from: "2022-01-01", until: "2025-12-31" } })]
      expect(versionAt(haNoi, "2025-12-31", ending)).toBe("1")
      expect(versionAt(haNoi, "2026-01-01", ending)).toBeUndefined()
    })

    it("gives nothing for another criteria set", () => {
      expect(CatalogSet.versionFor(all, Catalog.catalogId("test/district"), haNoi, date("2024-01-01"))).toBeUndefined()
    })

    it("finds a commune's province before and after its district is dissolved", () => {
      const by = admin
      const establish = (id: UnitId, kind: UnitKind, parent?: UnitId) =>
        new Hierarchy.UnitEstablished({
          unit: id,
          kind,
          name: B.make(id, id),
          ...(parent !== undefined ? { parent } : {}),
          classes: {},
          effective: date("2020-01-01"),
          by
        })
      const district = unit("bac-giang/tan-yen")
      const commune = unit("bac-giang/tan-yen/cao-xa")
      const before = [
        establish(bacGiang, "province"),
        establish(district, "district", bacGiang),
        establish(commune, "commune", district)
      ].reduce(Hierarchy.evolve, Hierarchy.initial)
      const reform = new Hierarchy.DissolveUnit({
        unit: district,
        moveChildrenTo: bacGiang,
        effective: date("2025-07-01"),
        by
      })
      const hierarchy = Either.getOrThrow(Hierarchy.decide(reform, before)).reduce(Hierarchy.evolve, before)
      for (const d of ["2023-06-01", "2025-06-30", "2025-07-01"]) {
        expect(CatalogSet.provinceOf(hierarchy, commune, date(d))).toBe(bacGiang)
        expect(versionAt(CatalogSet.provinceOf(hierarchy, commune, date(d)), d)).toBe("bg-1")
      }
      expect(CatalogSet.provinceOf(hierarchy, bacGiang, date("2023-06-01"))).toBe(bacGiang)
      expect(CatalogSet.provinceOf(hierarchy, unit("nowhere"), date("2023-06-01"))).toBeUndefined()
    })
  })

  describe("properties over generated command sequences", () => {
    const variants = [
      national1,
      catalog({ name: { vi: "Bộ tiêu chí đã sửa", en: "Edited criteria set" } }),
      national2,
      catalog({ version: "2", effective: { from: "2024-06-01" } }),
      bacGiang1
    ]
    const commandArb = fc.constantFrom(...variants).map((c) => publish(c))

    it("every decision is idempotent, evolvable and rejects cleanly", () => {
      const outcomes = new Set<string>()
      fc.assert(
        fc.property(stepsArb(commandArb, { maxLength: 10 }), (steps) => {
          const history = checkSequence(CatalogSet.decider, steps, { outcomes })
          // A version, once published, keeps its first text.
          const state = history.reduce(CatalogSet.evolve, CatalogSet.initial)
          for (const e of history) expect(state.versions.get(e.catalog.version)).toBe(e.catalog)
        }),
        { numRuns: 100 }
      )
      expect([...outcomes].sort()).toEqual([
        "CatalogVersionConflict",
        "PublishCatalog: events",
        "PublishCatalog: nothing"
      ])
    })
  })
})
