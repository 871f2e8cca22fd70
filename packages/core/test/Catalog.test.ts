import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Catalog from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import type { DomainEvent, Recorded } from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import * as Scorecard from "../src/Scorecard.js"
import { admin, communeCatalog, communeCatalogDocument, date, name, unit } from "./fixtures.js"

const verified = { status: "verified" as const, sources: ["test"] }

/** A provincial version that fixes 2.2's threshold (left unknown nationally) and raises 1.2's. */
const provincial = {
  id: "test/commune",
  version: "1-province-p",
  derivedFrom: { id: "test/commune", version: "1", kind: "provincial" },
  legalBasis: [{ number: "9/2023/QĐ-UBND", date: "2023-01-01", provenance: verified }],
  effective: { from: "2023-01-01" },
  province: "p",
  provenance: verified,
  sources: [],
  changes: [
    {
      _tag: "ReplaceIndicator",
      indicator: {
        code: "2.2",
        name: { vi: "Thu nhập", en: "Income" },
        requirement: {
          _tag: "MinQuantity",
          unit: { vi: "triệu đồng", en: "million VND" },
          threshold: { _tag: "Known", value: 60, ...verified }
        },
        provenance: verified
      }
    },
    {
      _tag: "ReplaceIndicator",
      indicator: {
        code: "1.2",
        name: { vi: "Tỷ lệ đường thôn", en: "Village roads share" },
        requirement: { _tag: "MinPercent", threshold: { _tag: "Known", value: 90, ...verified } },
        provenance: verified
      }
    },
    { _tag: "RemoveIndicator", code: "2.1", reason: "Không áp dụng ở tỉnh / not used in the province" }
  ]
}

describe("Catalog overlays and diffs", () => {
  it("resolves a provincial version against its base and shows what changed", () => {
    const base = communeCatalog()
    const derived = Either.getOrThrow(Catalog.load(provincial, [base], "provincial.json"))
    expect(derived.province).toBe("p")
    expect(derived.derivedFrom?.kind).toBe("provincial")
    expect(derived.indicators.map((i) => i.code)).toEqual(["1.1", "1.2", "2.2"])
    const diff = Catalog.diff(base, derived)
    expect(diff.map((d) => [d.kind, d.code])).toEqual([
      ["changed", "1.2"],
      ["removed", "2.1"],
      ["changed", "2.2"]
    ])
    const fields = diff.find((d) => d.code === "1.2")!.fields.map((f) => f.field)
    expect(fields).toContain("requirement")
  })

  it("rejects an overlay whose base is not loaded, or whose change names a missing item", () => {
    const missing = Catalog.load(provincial, [], "provincial.json")
    expect(Either.isLeft(missing) && missing.left.issues[0]!.path).toBe("derivedFrom")
    const bad = Catalog.load(
      { ...provincial, changes: [{ _tag: "RemoveIndicator", code: "9.9", reason: "x" }] },
      [communeCatalog()],
      "bad.json"
    )
    expect(Either.isLeft(bad) && bad.left.issues.map((i) => [i.path, i.message])).toEqual([
      ["changes[0]", 'không có chỉ tiêu "9.9" để bỏ / no indicator "9.9" to remove']
    ])
  })

  it("returns every problem of an overlay that reuses a code, names an unknown source or class, as a value", () => {
    // The result used to be checked by encoding it, which threw a ParseError out of Catalog.load.
    const reused = {
      code: "1.1",
      name: { vi: "Trùng mã", en: "Reused code" },
      requirement: {
        _tag: "MinPercent",
        threshold: { _tag: "Known", value: 90, status: "verified", sources: ["nope"] }
      },
      requirementByClass: { atlantis: { _tag: "MinPercent", threshold: { _tag: "Unknown" } } },
      provenance: { status: "verified", sources: ["nowhere"] }
    }
    const overlay = {
      ...provincial,
      changes: [
        { _tag: "AddIndicator", criterion: "1", indicator: reused },
        { _tag: "RemoveIndicator", code: "9.9", reason: "x" }
      ]
    }
    const run = () => Catalog.load(overlay, [communeCatalog()], "overlay.json")
    expect(run).not.toThrow()
    const r = run()
    expect(Either.isLeft(r) && r.left._tag).toBe("CatalogInvalid")
    expect(Either.isLeft(r) && r.left.issues.map((i) => i.path)).toEqual([
      "changes[1]",
      "criteria[0].indicators[2].code",
      "criteria[0].indicators[2].provenance.sources[0]",
      "criteria[0].indicators[2].requirement.threshold.sources[0]",
      "criteria[0].indicators[2].requirementByClass.atlantis"
    ])
    expect(Either.isLeft(r) && r.left.issues.every((i) => / \/ /.test(i.message))).toBe(true)
    const direct = Either.flatMap(Catalog.decodeOverlayDocument(overlay), (o) =>
      Catalog.applyOverlay(communeCatalog(), o)
    )
    expect(Either.isLeft(direct) && direct.left.issues.length).toBe(5)
  })

  it("never throws, over overlays of any changes and any document at all: problems come back as values", () => {
    const code = fc.constantFrom("1.1", "1.2", "2.1", "2.2", "9.9", "ĐK1")
    const source = fc.constantFrom("test", "nope")
    const indicator = fc.record({
      code,
      name: fc.constant({ vi: "Chỉ tiêu", en: "Indicator" }),
      requirement: fc.oneof(
        fc.constant({ _tag: "Attainment" }),
        source.map((s) => ({
          _tag: "MinPercent",
          threshold: { _tag: "Known", value: 80, status: "verified", sources: [s] }
        })),
        fc.constant({
          _tag: "MinClass",
          scale: ["I", "II"],
          threshold: { _tag: "Known", value: "III", status: "verified", sources: ["test"] }
        })
      ),
      requirementByClass: fc.dictionary(fc.constantFrom("A", "B", "atlantis"), fc.constant({ _tag: "NotKnown" }), {
        maxKeys: 2
      }),
      provenance: source.map((s) => ({ status: "verified", sources: [s] }))
    })
    const change = fc.oneof(
      indicator.map((i) => ({ _tag: "ReplaceIndicator", indicator: i })),
      fc.record({ criterion: fc.constantFrom("1", "2", "9"), indicator }).map((c) => ({ _tag: "AddIndicator", ...c })),
      code.map((c) => ({ _tag: "RemoveIndicator", code: c, reason: "x" })),
      indicator.map((i) => ({ _tag: "AddCondition", condition: i })),
      indicator.map((i) => ({ _tag: "ReplaceCondition", condition: i })),
      code.map((c) => ({ _tag: "RemoveCondition", code: c, reason: "x" }))
    )
    const base = communeCatalog()
    let rejected = 0
    fc.assert(
      fc.property(fc.array(change, { maxLength: 6 }), fc.boolean(), (changes, rightBase) => {
        const overlay = {
          ...provincial,
          ...(rightBase ? {} : { derivedFrom: { ...provincial.derivedFrom, version: "0" } }),
          changes
        }
        const r = Catalog.load(overlay, [base], "overlay.json")
        if (Either.isLeft(r)) {
          expect(r.left.issues.length).toBeGreaterThan(0)
          rejected++
        }
      }),
      { numRuns: 500 }
    )
    expect(rejected).toBeGreaterThan(100)
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const r = Catalog.load(doc, [base])
        expect(Either.isLeft(r) || Either.isRight(r)).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it("scores a unit of the province against the provincial version, and others against the national one", () => {
    const base = communeCatalog()
    const derived = Either.getOrThrow(Catalog.load(provincial, [base], "provincial.json"))
    const e = date("2020-01-01")
    const events: Array<DomainEvent> = [
      new CatalogSet.CatalogPublished({ catalog: base, effective: base.effective.from, by: admin }),
      new CatalogSet.CatalogPublished({ catalog: derived, effective: derived.effective.from, by: admin }),
      new Hierarchy.UnitEstablished({
        unit: unit("p"),
        kind: "province",
        name: name("P"),
        classes: {},
        effective: e,
        by: admin
      }),
      new Hierarchy.UnitEstablished({
        unit: unit("q"),
        kind: "province",
        name: name("Q"),
        classes: {},
        effective: e,
        by: admin
      }),
      ...["p", "q"].map(
        (p) =>
          new Hierarchy.UnitEstablished({
            unit: unit(`${p}/x`),
            kind: "commune",
            name: name(`${p} x`),
            parent: unit(p),
            classes: {},
            effective: e,
            by: admin
          })
      ),
      ...["p", "q"].map(
        (p) =>
          new Evidence.EvidenceRecorded({
            entry: `${p}-e1`,
            unit: unit(`${p}/x`),
            catalog: base.id,
            code: "1.2",
            value: new EvidenceValue.Percent({ value: 80 }),
            effective: date("2023-06-01"),
            sources: [],
            by: admin
          })
      )
    ]
    const recorded: Array<Recorded> = events.map((event, i) => ({
      position: i + 1,
      stream: "s",
      streamVersion: 1,
      recordedAt: 1,
      event
    }))
    const ledger = Ledger.fold(recorded)
    const card = (u: string, d: string) =>
      Either.getOrThrow(Scorecard.make(ledger, { unit: unit(u), catalog: base.id, asOf: date(d) }))
    // 80% meets the national 70%, not the province's 90%; the province's version applies from 2023.
    const roads = (u: string, d: string) => card(u, d).criteria[0]!.indicators.find((i) => i.code === "1.2")
    expect([card("p/x", "2023-07-01").catalog.version, roads("p/x", "2023-07-01")?.status]).toEqual([
      "1-province-p",
      "NotMet"
    ])
    expect([card("q/x", "2023-07-01").catalog.version, roads("q/x", "2023-07-01")?.status]).toEqual(["1", "Met"])
    expect(card("p/x", "2022-12-31").catalog.version).toBe("1")
    // Every unit under a parent, against the same set.
    const all = Scorecard.forDescendants(ledger, { parent: unit("p"), catalog: base.id, asOf: date("2023-07-01") })
    expect(all.map((c) => Either.getOrThrow(c).unit.id)).toEqual(["p/x"])
  })

  it("names the path and the problem of every error in a malformed document", () => {
    const doc = communeCatalogDocument({ version: "" }) as Record<string, unknown>
    const r = Catalog.decode(doc, "x.json")
    expect(Either.isLeft(r) && r.left.message).toContain("version")
  })
})
