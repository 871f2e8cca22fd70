import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Catalog from "../src/Catalog.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import type { Status } from "../src/Provenance.js"
import * as Requirement from "../src/Requirement.js"
import * as Scoring from "../src/Scoring.js"
import * as ShippedCatalogs from "../src/ShippedCatalogs.js"

const allDocuments = [...ShippedCatalogs.documents, ...ShippedCatalogs.illustrativeDocuments]

const loadAll = (): ReadonlyArray<Catalog.Catalog> =>
  Either.getOrElse(ShippedCatalogs.load(allDocuments), (e) => expect.fail(e.message))

const find = (catalogs: ReadonlyArray<Catalog.Catalog>, id: string, version?: string): Catalog.Catalog => {
  const found = catalogs.find((c) => c.id === id && (version === undefined || c.version === version))
  if (found === undefined) return expect.fail(`catalog ${id}@${version ?? "*"} not loaded`)
  return found
}

const documentOf = (file: string): unknown => {
  const found = allDocuments.find((d) => d.file === file)
  if (found === undefined) return expect.fail(`no shipped document ${file}`)
  return found.document
}

type Path = ReadonlyArray<string | number>

const parentOf = (root: unknown, path: Path): Record<string | number, unknown> => {
  let node = root
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key]
  return node as Record<string | number, unknown>
}

/** A deep copy of a document with the value at a path replaced. */
const withValue = (document: unknown, path: Path, value: unknown): unknown => {
  const copy = structuredClone(document)
  parentOf(copy, path)[path[path.length - 1]!] = value
  return copy
}

/** A deep copy of a document with the field at a path removed. */
const without = (document: unknown, path: Path): unknown => {
  const copy = structuredClone(document)
  delete parentOf(copy, path)[path[path.length - 1]!]
  return copy
}

const issuesOf = (result: Either.Either<Catalog.Catalog, Catalog.CatalogInvalid>) =>
  Either.match(result, {
    onLeft: (e) => e.issues,
    onRight: (c) => expect.fail(`${c.id}@${c.version} was accepted`)
  })

const thresholdStatuses = (r: Requirement.Requirement): ReadonlyArray<Status> => {
  const t = Requirement.thresholdOf(r)
  return t?._tag === "Known" ? [t.status] : []
}

/** Every provenance or threshold status anywhere in a catalog, with where it was found. */
const statuses = (c: Catalog.Catalog): ReadonlyArray<{ readonly at: string; readonly status: Status }> => {
  const out: Array<{ at: string; status: Status }> = [{ at: "catalog", status: c.provenance.status }]
  c.legalBasis.forEach((l, i) => {
    out.push({ at: `legalBasis[${i}]`, status: l.provenance.status })
  })
  const item = (it: Catalog.Item, at: string) => {
    out.push({ at, status: it.provenance.status })
    for (const status of thresholdStatuses(it.requirement)) out.push({ at: `${at}.requirement`, status })
    for (const [k, r] of Object.entries(it.requirementByClass)) {
      for (const status of thresholdStatuses(r)) out.push({ at: `${at}.requirementByClass.${k}`, status })
    }
  }
  for (const cr of c.criteria) {
    out.push({ at: `criterion ${cr.code}`, status: cr.provenance.status })
    for (const ind of cr.indicators) item(ind, `indicator ${ind.code}`)
  }
  for (const cd of c.conditions) item(cd, `condition ${cd.code}`)
  return out
}

describe("ShippedCatalogs", () => {
  it("loads every shipped document", () => {
    const catalogs = loadAll()
    expect(catalogs).toHaveLength(allDocuments.length)
    expect(Either.isRight(ShippedCatalogs.load())).toBe(true)
    expect(Either.isRight(ShippedCatalogs.load(ShippedCatalogs.documents))).toBe(true)
  })

  it("loads each base document on its own", () => {
    for (const { file, document } of allDocuments) {
      if (typeof document === "object" && document !== null && "changes" in document) continue
      const result = Catalog.decode(document, file)
      if (Either.isLeft(result)) expect.fail(result.left.message)
    }
  })

  it("names every shipped catalog id in ids", () => {
    const known = new Set<string>(Object.values(ShippedCatalogs.ids))
    for (const c of loadAll()) expect(known.has(c.id)).toBe(true)
  })

  describe("the illustrative Tân Yên catalog", () => {
    const catalog = () => find(loadAll(), ShippedCatalogs.ids.tanYenIllustrative)

    it("has 9 criteria and 38 indicators, and is marked illustrative", () => {
      const c = catalog()
      expect(c.criteria).toHaveLength(9)
      expect(c.indicators).toHaveLength(38)
      expect(c.criteria.map((cr) => cr.indicators.length)).toEqual([2, 4, 3, 2, 5, 5, 4, 9, 4])
      expect(c.provenance.status).toBe("illustrative")
      expect(c.isIllustrative).toBe(true)
      expect(c.sources.map((s) => [s.id, s.kind])).toEqual([
        ["notice_tan_yen_2024", "notice"],
        ["illustrative", "illustrative"]
      ])
    })

    it("holds the nine indicators the example records as not met, with their agencies", () => {
      const c = catalog()
      const expected: ReadonlyArray<readonly [string, string, Requirement.Requirement["_tag"]]> = [
        ["2.3", "Sở Giao thông vận tải", "MinClass"],
        ["5.3", "Sở Giáo dục và Đào tạo", "MinPercent"],
        ["6.5", "Sở Nông nghiệp và Phát triển nông thôn", "Attainment"],
        ["7.3", "Sở Tài nguyên và Môi trường", "MinPercent"],
        ["8.1", "Sở Nông nghiệp và Phát triển nông thôn", "MinPercent"],
        ["8.2", "Sở Nông nghiệp và Phát triển nông thôn", "MinPercent"],
        ["8.9", "Sở Thông tin và Truyền thông", "MinCount"],
        ["9.2", "Sở Nội vụ", "Attainment"],
        ["9.4", "Công an tỉnh", "Attainment"]
      ]
      for (const [code, agency, tag] of expected) {
        const ind = c.indicators.find((i) => i.code === code)
        expect(ind, code).toBeDefined()
        expect(ind?.responsible?.agency?.vi, code).toBe(agency)
        expect(ind?.requirement._tag, code).toBe(tag)
      }
      const busStation = c.indicators.find((i) => i.code === "2.3")?.requirement
      expect(busStation).toMatchObject({
        _tag: "MinClass",
        scale: ["VI", "V", "IV", "III", "II", "I"],
        threshold: { _tag: "Known", value: "III", status: "illustrative" }
      })
      expect(c.indicators.find((i) => i.code === "2.3")?.provenance).toMatchObject({
        status: "unverified",
        sources: ["notice_tan_yen_2024"]
      })
    })

    it("gives every indicator a responsible agency and only illustrative known thresholds", () => {
      const c = catalog()
      for (const ind of c.indicators) {
        expect(ind.responsible?.agency, ind.code).toBeDefined()
        for (const status of thresholdStatuses(ind.requirement)) expect(status, ind.code).toBe("illustrative")
      }
      expect(c.conditions.map((cd) => [cd.code, Requirement.describe(cd.requirement)])).toEqual([
        ["ĐK1", "đã được công nhận / recognised: ntm"],
        ["ĐK2", "≥ 30% commune advanced/model (ceil)"],
        ["ĐK3", "≥ 5% commune model (ceil)"],
        ["ĐK4", "≥ 95%"]
      ])
    })
  })

  it("has the 2026–2030 commune set with 10 criteria and 3 commune groups", () => {
    const c = find(loadAll(), ShippedCatalogs.ids.communeNtm2026)
    expect(c.criteria).toHaveLength(10)
    expect(c.indicators).toHaveLength(0)
    expect(c.classification?.scheme).toBe("communeGroup")
    expect(c.classification?.classes.map((k) => k.code)).toEqual(["1", "2", "3"])
    expect(c.effective.from).toBe("2026-02-15")
  })

  it("has the four entry conditions of the district NTM set", () => {
    const c = find(loadAll(), ShippedCatalogs.ids.districtNtm2021, "320/2022")
    expect(c.conditions.map((cd) => cd.code)).toEqual(["ĐK1", "ĐK2", "ĐK3", "ĐK4"])
    const [communes, advanced, towns, satisfaction] = c.conditions
    expect(communes?.requirement).toMatchObject({
      _tag: "MinShareOfSubunits",
      subunitKinds: ["commune"],
      standards: ["ntm", "advanced", "model"],
      threshold: { _tag: "Known", value: 100, status: "verified" }
    })
    expect(advanced?.requirement).toMatchObject({
      _tag: "MinShareOfSubunits",
      subunitKinds: ["commune"],
      standards: ["advanced", "model"],
      threshold: { _tag: "Known", value: 10, status: "verified" },
      rounding: "ceil"
    })
    expect(towns?.requirement).toMatchObject({
      _tag: "MinShareOfSubunits",
      subunitKinds: ["town"],
      standards: ["civilised-urban"],
      threshold: { _tag: "Known", value: 100 }
    })
    expect(satisfaction?.requirement).toMatchObject({
      _tag: "MinPercent",
      threshold: { _tag: "Known", value: 90, status: "verified" }
    })
    expect(c.criteria).toHaveLength(9)
    expect(Catalog.findItem(c, "2.4")?.requirement).toMatchObject({
      _tag: "MinClass",
      threshold: { _tag: "Known", value: "IV" }
    })
    expect(Catalog.findItem(c, "2.4")?.appliesOnlyIf?.vi).toBe("nếu có theo quy hoạch")
  })

  it("gives every class of a classified catalog its own requirement: unknown where the values were not found", () => {
    // 318 gives every indicator a general value and one per region; none of the regional values is in hand, so
    // no region may silently fall back to the general value (3.1's 80% applied to every region).
    for (const c of loadAll()) {
      const classes = c.classification?.classes.map((k) => k.code) ?? []
      for (const item of c.indicators) {
        if (item.requirement._tag === "NotKnown") continue
        expect(Object.keys(item.requirementByClass).sort(), `${c.id}@${c.version} ${item.code}`).toEqual(
          [...classes].sort()
        )
      }
    }
  })

  it("scores 2021–2025 commune indicator 3.1 undetermined in every region, and by the general 80% only for a commune of no region", () => {
    const c = find(loadAll(), ShippedCatalogs.ids.communeNtm2021, "318/2022")
    const item = Catalog.findItem(c, "3.1")!
    const computed: Scoring.Computed = { share: () => ({ count: 0, total: 0 }), holds: () => false }
    const evaluate = (region: string | undefined, percent: number) =>
      Scoring.evaluate(Catalog.requirementFor(item, region), new EvidenceValue.Percent({ value: percent }), computed)
    for (const region of c.classification!.classes.map((k) => k.code)) {
      expect(evaluate(region, 95), region).toMatchObject({ status: "Undetermined", reason: "ThresholdUnknown" })
    }
    expect(evaluate(undefined, 95).status).toBe("Met")
    expect(evaluate(undefined, 70).status).toBe("NotMet")
    const advanced = find(loadAll(), ShippedCatalogs.ids.communeAdvanced2021)
    // The "Đạt" read for the Southeast was most likely Hồ Chí Minh City's own value (§12 of the reference).
    expect(Catalog.requirementFor(Catalog.findItem(advanced, "1.1")!, "DNB")._tag).toBe("NotKnown")
  })

  it("puts nothing illustrative in a national catalog", () => {
    const national = ShippedCatalogs.load(ShippedCatalogs.documents).pipe(
      Either.getOrElse((e) => expect.fail(e.message))
    )
    expect(national.length).toBeGreaterThan(0)
    for (const c of national) {
      expect(c.isIllustrative).toBe(false)
      expect(c.sources.filter((s) => s.kind === "illustrative")).toEqual([])
      const illustrative = statuses(c).filter((s) => s.status === "illustrative")
      expect(illustrative, `${c.id}@${c.version}`).toEqual([])
    }
  })

  it("resolves every overlay to a catalog derived from its base", () => {
    const catalogs = loadAll()
    let overlays = 0
    allDocuments.forEach(({ file, document }, i) => {
      if (typeof document !== "object" || document === null || !("changes" in document)) return
      overlays++
      const overlay = Either.getOrElse(Catalog.decodeOverlayDocument(document, file), (e) => expect.fail(e.message))
      const loaded = catalogs[i]!
      expect(loaded.id).toBe(overlay.id)
      expect(loaded.version).toBe(overlay.version)
      expect(loaded.derivedFrom).toMatchObject({ id: overlay.derivedFrom.id, version: overlay.derivedFrom.version })
      const base = find(catalogs, overlay.derivedFrom.id, overlay.derivedFrom.version)
      expect(catalogs.indexOf(base)).toBeLessThan(i)
      expect(loaded.criteria.map((c) => c.code)).toEqual(base.criteria.map((c) => c.code))
      expect(loaded.indicators.length).toBe(base.indicators.length)
      expect(loaded.legalBasis.map((l) => l.number)).toEqual([...base.legalBasis.map((l) => l.number), "211/QĐ-TTg"])
    })
    expect(overlays).toBe(4)
  })

  it("rejects an overlay whose base is not loaded", () => {
    const overlay = documentOf("vn-2021-2025-district-ntm-211.json")
    const issues = issuesOf(Catalog.load(overlay, [], "overlay"))
    expect(issues.map((i) => i.path)).toEqual(["derivedFrom"])
  })

  describe("rejects a malformed copy and names the paths", () => {
    const communeNtm = () => documentOf("vn-2021-2025-commune-ntm.json")

    it("a percentage of 150", () => {
      const doc = withValue(communeNtm(), ["criteria", 2, "indicators", 0, "requirement", "threshold", "value"], 150)
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues).toEqual([
        {
          path: "criteria[2].indicators[0].requirement.threshold.value",
          message: "a percentage lies between 0 and 100"
        }
      ])
    })

    it("a missing name.vi", () => {
      const issues = issuesOf(Catalog.decode(without(communeNtm(), ["name", "vi"])))
      expect(issues.map((i) => i.path)).toEqual(["name.vi"])
    })

    it("a missing name.vi and a bad percentage together", () => {
      const doc = withValue(
        without(communeNtm(), ["name", "vi"]),
        ["criteria", 2, "indicators", 0, "requirement", "threshold", "value"],
        150
      )
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path).sort()).toEqual(
        ["criteria[2].indicators[0].requirement.threshold.value", "name.vi"].sort()
      )
    })

    it("an unknown source id", () => {
      const doc = withValue(communeNtm(), ["criteria", 2, "indicators", 0, "provenance", "sources"], ["no_such_source"])
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues).toEqual([
        {
          path: "criteria[2].indicators[0].provenance.sources[0]",
          message: 'nguồn "no_such_source" không có trong danh mục nguồn / unknown source "no_such_source"'
        }
      ])
    })

    it("an unknown source id on a threshold", () => {
      const doc = withValue(
        communeNtm(),
        ["criteria", 2, "indicators", 0, "requirement", "threshold", "sources"],
        ["dantocmiennui_318", "no_such_source"]
      )
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path)).toEqual(["criteria[2].indicators[0].requirement.threshold.sources[1]"])
    })

    it("a duplicate code", () => {
      const doc = withValue(communeNtm(), ["criteria", 2, "indicators", 1, "code"], "3.1")
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path)).toEqual(["criteria[2].indicators[1].code"])
    })

    it("a class that is not on the scale", () => {
      const doc = withValue(
        documentOf("vn-2021-2025-district-ntm.json"),
        ["criteria", 1, "indicators", 2, "requirement", "threshold", "value"],
        "VII"
      )
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path)).toEqual(["criteria[1].indicators[2].requirement.threshold.value"])
    })

    it("a regional requirement for a class the catalog does not define", () => {
      const doc = withValue(
        documentOf("vn-2021-2025-commune-advanced.json"),
        ["criteria", 0, "indicators", 0, "requirementByClass"],
        { XYZ: { _tag: "Attainment" } }
      )
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path)).toEqual(["criteria[0].indicators[0].requirementByClass.XYZ"])
    })

    it("an excess property", () => {
      const doc = withValue(communeNtm(), ["criteria", 0, "weight"], 1)
      const issues = issuesOf(Catalog.decode(doc))
      expect(issues.map((i) => i.path)).toEqual(["criteria[0].weight"])
    })
  })
})
