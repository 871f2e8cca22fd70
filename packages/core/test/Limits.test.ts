/**
 * What a record may hold: finite numbers, identifiers of one grammar, texts without control characters, bounded
 * lists and texts, dates in range. Every check is made at decode, on the commands and on the events, so that a
 * body that breaks one is refused before any decision, and a stored event is read with the same rules.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Catalog from "../src/Catalog.js"
import * as Commitment from "../src/Commitment.js"
import * as Dossier from "../src/Dossier.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Limits from "../src/Limits.js"
import * as Recognition from "../src/Recognition.js"
import * as ShippedCatalogs from "../src/ShippedCatalogs.js"
import { communeCatalogDocument } from "./fixtures.js"

const by = { id: "officer-1", name: "Cán bộ / officer", role: "commune", unit: "p/d/c1" }

/** Decodes JSON text as a body or a stored event is read: `1e999` becomes `Infinity` here. */
const decodesFromJson = <A, I>(schema: Schema.Schema<A, I>, json: string) =>
  Either.isRight(Schema.decodeUnknownEither(schema)(JSON.parse(json)))

const record = (overrides: Record<string, unknown> = {}) => ({
  _tag: "RecordEvidence",
  entry: "e-1",
  unit: "p/d/c1",
  catalog: "test/commune",
  code: "1.2",
  value: { _tag: "Percent", value: 50, numerator: 5, denominator: 10 },
  effective: "2024-01-01",
  sources: [],
  by,
  ...overrides
})

const decodes = <A, I>(schema: Schema.Schema<A, I>, value: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(schema)(value))

/** An event as a store hands it back. */
const stored = (type: string, data: unknown) =>
  Events.decode({ position: 1, stream: "s", streamVersion: 1, recordedAt: 0, type, version: 1, data })

describe("Limits", () => {
  it("events stored by earlier builds still decode: old recognitions of unpublished sets, long decision numbers, CRLF", () => {
    // As the Tân Yên example recorded its 2016–2020 recognitions before a grant had to cite a published version.
    const granted = {
      recognition: "bac-giang/tan-yen/cao-xa:ntm:2015-12-20",
      unit: "bac-giang/tan-yen/cao-xa",
      standard: "ntm",
      catalog: { id: "vn/2016-2020/commune-ntm", version: "1980/2016 (not shipped)" },
      decision: {
        number: "QĐ-UBND công nhận xã Cao Xá đạt chuẩn NTM (minh họa / illustrative)",
        date: "2015-12-20",
        signer: "Chủ tịch UBND tỉnh Bắc Giang"
      },
      effective: "2015-12-20",
      by: { id: "ubnd-bac-giang", name: "UBND tỉnh Bắc Giang", role: "province", unit: "bac-giang" }
    }
    expect(Either.isRight(stored("RecognitionGranted", granted))).toBe(true)
    // A set named otherwise than a catalog id, and no version: the event schema still reads them.
    expect(
      Either.isRight(stored("RecognitionGranted", { ...granted, catalog: { id: "Bộ tiêu chí 2010", version: "" } }))
    ).toBe(true)
    // A note imported from a Windows file.
    expect(
      Either.isRight(stored("EvidenceRecorded", { ...record({ note: "dòng 1\r\ndòng 2" }), _tag: undefined }))
    ).toBe(true)
  })

  describe("numbers", () => {
    it("refuses 1e999 and -1e999 in every number field of the commands and events", () => {
      const valueCases: ReadonlyArray<string> = [
        `{"_tag":"Percent","value":1e999}`,
        `{"_tag":"Percent","value":50,"numerator":1e999}`,
        `{"_tag":"Percent","value":50,"denominator":1e999}`,
        `{"_tag":"Percent","value":50,"numerator":-1e999}`,
        `{"_tag":"Count","value":1e999}`,
        `{"_tag":"Quantity","value":1e999}`,
        `{"_tag":"Quantity","value":-1e999}`
      ]
      for (const value of valueCases) {
        const json = JSON.stringify(record()).replace(/"value":\{[^}]*\}/, `"value":${value}`)
        expect(decodesFromJson(Evidence.Command, json), value).toBe(false)
        const event = json.replace('"_tag":"RecordEvidence"', '"_tag":"EvidenceRecorded"')
        expect(decodesFromJson(Events.DomainEvent, event), value).toBe(false)
      }
      // The same value, finite, decodes: the test breaks only the number.
      expect(decodesFromJson(Evidence.Command, JSON.stringify(record()))).toBe(true)

      const progress = (percent: string) =>
        `{"_tag":"ReportProgress","commitment":"c-1","note":"n","percent":${percent},"effective":"2024-01-01","by":${JSON.stringify(by)}}`
      expect(decodesFromJson(Commitment.Command, progress("60"))).toBe(true)
      expect(decodesFromJson(Commitment.Command, progress("1e999"))).toBe(false)

      const frozen = (knownAt: string) =>
        `{"catalog":{"id":"test/commune","version":"1"},"asOf":"2024-01-01","knownAt":${knownAt},"standardMet":true,"met":1,"applicable":1,"total":1,"criteria":[],"indicators":[],"conditions":[]}`
      expect(decodesFromJson(Dossier.FrozenScorecard, frozen("1700000000000"))).toBe(true)
      expect(decodesFromJson(Dossier.FrozenScorecard, frozen("1e999"))).toBe(false)
      expect(decodesFromJson(Dossier.FrozenScorecard, frozen("-1e999"))).toBe(false)

      const consultation = (satisfaction: string) =>
        `{"_tag":"RecordConsultation","dossier":"d-1","effective":"2024-01-01","by":${JSON.stringify(by)},"satisfaction":${satisfaction}}`
      expect(decodesFromJson(Dossier.Command, consultation("90"))).toBe(true)
      expect(decodesFromJson(Dossier.Command, consultation("1e999"))).toBe(false)

      // A catalog's quantity threshold.
      const quantity = (value: string) => {
        const doc = communeCatalogDocument()
        const text = JSON.stringify({
          ...doc,
          criteria: [
            {
              code: "9",
              name: { vi: "Thu nhập", en: "Income" },
              provenance: { status: "verified", sources: ["test"] },
              indicators: [
                {
                  code: "9.1",
                  name: { vi: "Thu nhập", en: "Income" },
                  requirement: {
                    _tag: "MinQuantity",
                    unit: { vi: "triệu đồng", en: "million VND" },
                    threshold: { _tag: "Known", value: "__V__", status: "verified", sources: ["test"] }
                  },
                  provenance: { status: "verified", sources: ["test"] }
                }
              ]
            }
          ]
        })
        return text.replace('"__V__"', value)
      }
      expect(decodesFromJson(Catalog.Catalog, quantity("60"))).toBe(true)
      expect(decodesFromJson(Catalog.Catalog, quantity("1e999"))).toBe(false)
    })
  })

  describe("identifiers", () => {
    it("refuse control, format and line-separator characters, and spaces at either end", () => {
      for (const bad of [
        "",
        "a\u0000b",
        "\u0000",
        "a\tb",
        "a\nb",
        "a\u0085b",
        "a\u202Eb",
        "a\u200Bb",
        "a\u2028b",
        "a\u00A0b",
        " a",
        "a ",
        "\uD800",
        "x".repeat(Limits.maxIdLength + 1)
      ]) {
        expect(Limits.isId(bad), JSON.stringify(bad)).toBe(false)
        expect(decodes(Evidence.Command, record({ entry: bad })), JSON.stringify(bad)).toBe(false)
        expect(decodes(Evidence.Command, record({ unit: bad })), JSON.stringify(bad)).toBe(false)
      }
    })

    it("accept every identifier the shipped catalogs, the examples and the tests use", () => {
      for (const good of [
        "bac-giang/tan-yen/cao-xa",
        "1234/QĐ-UBND",
        "tan-yen:7.4:2023-09-30:correction-1",
        "904/QĐ-TTg",
        "QĐ-UBND công nhận xã Cao Xá đạt chuẩn NTM (minh họa / illustrative)",
        "import-0123456789abcdef0123",
        "hs-cao-xa-2024",
        "8.1",
        "x".repeat(Limits.maxIdLength)
      ]) {
        expect(Limits.isId(good), good).toBe(true)
      }
      for (const c of Either.getOrThrow(ShippedCatalogs.load())) {
        expect(Limits.isId(c.id)).toBe(true)
        expect(Limits.isId(c.version)).toBe(true)
        for (const cr of c.criteria) {
          expect(Limits.isId(cr.code)).toBe(true)
          for (const i of cr.indicators) expect(Limits.isId(i.code)).toBe(true)
        }
        for (const cd of c.conditions) expect(Limits.isId(cd.code)).toBe(true)
      }
    })

    it("is one grammar for every id of every command", () => {
      const nul = "a\u0000b"
      const actor = { ...by, id: nul }
      expect(decodes(Evidence.Command, record({ by: actor }))).toBe(false)
      expect(
        decodes(Hierarchy.Command, {
          _tag: "EstablishUnit",
          unit: nul,
          kind: "commune",
          name: { vi: "Xã", en: "Commune" },
          effective: "2024-01-01",
          by
        })
      ).toBe(false)
      const grant = {
        _tag: "GrantRecognition",
        recognition: "r-1",
        unit: "p/d/c1",
        standard: "ntm",
        catalog: { id: "test/commune", version: "1" },
        decision: { number: "1/QĐ", date: "2024-01-01" },
        effective: "2024-01-01",
        by
      }
      expect(decodes(Recognition.Command, grant)).toBe(true)
      expect(decodes(Recognition.Command, { ...grant, recognition: nul })).toBe(false)
      expect(decodes(Recognition.Command, { ...grant, decision: { number: nul, date: "2024-01-01" } })).toBe(false)
      expect(
        decodes(Recognition.Command, { ...grant, catalog: { id: "'; DROP TABLE ntm_events; --", version: "1" } })
      ).toBe(false)
      expect(
        decodes(Commitment.Command, {
          _tag: "WithdrawCommitment",
          commitment: nul,
          reason: "r",
          effective: "2024-01-01",
          by
        })
      ).toBe(false)
      expect(decodes(Dossier.Command, { _tag: "AnnounceRecognition", dossier: nul, effective: "2024-01-01", by })).toBe(
        false
      )
    })
  })

  describe("texts", () => {
    it("refuse NUL and other control characters but tab and newline, lone surrogates, and overlong texts", () => {
      for (const bad of [
        "a\u0000",
        "\u0007",
        "\u001B[31m",
        "\u007F",
        "\u0090",
        "a\rb",
        "\uDC00",
        "x".repeat(Limits.maxTextLength + 1)
      ]) {
        expect(decodes(Evidence.Command, record({ note: bad })), JSON.stringify(bad.slice(0, 10))).toBe(false)
        expect(decodes(Evidence.Command, record({ sources: [{ title: bad }] }))).toBe(false)
        expect(decodes(Evidence.Command, record({ by: { ...by, name: bad } }))).toBe(false)
      }
      for (const good of [
        "dòng 1\ndòng 2",
        "cột\tcột",
        "Windows\r\nline",
        "😀 Tiếng Việt",
        "x".repeat(Limits.maxTextLength)
      ]) {
        expect(decodes(Evidence.Command, record({ note: good }))).toBe(true)
      }
      const withdraw = (reason: string) => ({
        _tag: "WithdrawCommitment",
        commitment: "c-1",
        reason,
        effective: "2024-01-01",
        by
      })
      expect(decodes(Commitment.Command, withdraw("lý do"))).toBe(true)
      expect(decodes(Commitment.Command, withdraw("lý do\u0000"))).toBe(false)
      const rename = (vi: string) => ({
        _tag: "RenameUnit",
        unit: "p",
        name: { vi, en: "P" },
        effective: "2024-01-01",
        by
      })
      expect(decodes(Hierarchy.Command, rename("Tỉnh P"))).toBe(true)
      expect(decodes(Hierarchy.Command, rename("Tỉnh\u0000P"))).toBe(false)
    })
  })

  describe("lists and dates", () => {
    it(`refuse more than ${Limits.maxSources} sources for one piece of evidence (one carried 20,000)`, () => {
      const sources = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Tài liệu ${i}` }))
      expect(decodes(Evidence.Command, record({ sources: sources(Limits.maxSources) }))).toBe(true)
      expect(decodes(Evidence.Command, record({ sources: sources(Limits.maxSources + 1) }))).toBe(false)
      expect(decodes(Evidence.Command, record({ sources: sources(20_000) }))).toBe(false)
      const reasons = (n: number) => ({
        _tag: "ReturnDossier",
        dossier: "d-1",
        effective: "2024-01-01",
        by,
        reasons: Array.from({ length: n }, (_, i) => `lý do ${i}`)
      })
      expect(decodes(Dossier.Command, reasons(Limits.maxListLength))).toBe(true)
      expect(decodes(Dossier.Command, reasons(Limits.maxListLength + 1))).toBe(false)
    })

    it(`refuse dates before ${Limits.earliestDate} and after ${Limits.latestDate} (year 0000 was accepted)`, () => {
      expect(decodes(Evidence.Command, record({ effective: "0000-01-01" }))).toBe(false)
      expect(decodes(Evidence.Command, record({ effective: "1899-12-31" }))).toBe(false)
      expect(decodes(Evidence.Command, record({ effective: "2200-01-01" }))).toBe(false)
      expect(decodes(Evidence.Command, record({ effective: Limits.earliestDate }))).toBe(true)
      expect(decodes(Evidence.Command, record({ effective: Limits.latestDate }))).toBe(true)
    })
  })
})
