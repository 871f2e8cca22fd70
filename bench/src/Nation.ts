/**
 * A synthetic nation for benchmarks: provinces, communes, a 47-indicator commune catalog (synthetic, labelled so),
 * and monthly evidence for every indicator of every commune. Events are generated month by month so that a
 * benchmark can fold them without holding the whole history.
 */
import {
  Actor,
  Bilingual,
  Catalog,
  CatalogSet,
  type Events,
  Evidence,
  EvidenceValue,
  Hierarchy,
  LocalDate,
  Unit
} from "@ntm/core"
import * as Either from "effect/Either"

export interface Shape {
  readonly provinces: number
  readonly communes: number
  readonly indicators: number
  readonly months: number
}

/** 34 provinces, about 3,300 communes, 47 indicators, five years of monthly evidence: about 9.3 million events. */
export const nation: Shape = { provinces: 34, communes: 3_300, indicators: 47, months: 60 }

const by = new Actor.Actor({ id: "bench", name: "Benchmark", role: "system" }, { disableValidation: true })
const synthetic = { status: "illustrative" as const, sources: ["bench"] }

/** A synthetic commune catalog with `n` indicators over 10 criteria: every third a percentage, the rest attainment. */
export const catalog = (n: number): Catalog.Catalog => {
  const criteria = Array.from({ length: 10 }, (_, c) => ({
    code: `${c + 1}`,
    name: { vi: `Tiêu chí ${c + 1}`, en: `Criterion ${c + 1}` },
    provenance: synthetic,
    indicators: Array.from({ length: n }, (_, i) => i)
      .filter((i) => i % 10 === c)
      .map((i) => ({
        code: `${c + 1}.${Math.floor(i / 10) + 1}`,
        name: { vi: `Chỉ tiêu ${i + 1}`, en: `Indicator ${i + 1}` },
        requirement:
          i % 3 === 0
            ? { _tag: "MinPercent", threshold: { _tag: "Known", value: 80, ...synthetic } }
            : { _tag: "Attainment" },
        provenance: synthetic
      }))
  }))
  return Either.getOrThrow(
    Catalog.decode({
      id: "bench/commune",
      version: "1",
      name: { vi: "Bộ tiêu chí tổng hợp (đo hiệu năng)", en: "Synthetic set (benchmark)" },
      appliesTo: ["commune"],
      standard: "ntm",
      legalBasis: [],
      effective: { from: "2020-01-01" },
      provenance: { status: "illustrative", note: "synthetic, for benchmarks only" },
      sources: [{ id: "bench", title: "Synthetic", kind: "illustrative" }],
      criteria
    })
  )
}

const t0 = Date.parse("2021-01-01T00:00:00Z")

/** Unit ids. */
export const provinceId = (p: number) => Unit.unitId(`p${p}`)
export const communeId = (c: number, shape: Shape) => Unit.unitId(`p${c % shape.provinces}/c${c}`)

/**
 * The set-up events: the catalog and the hierarchy.
 */
export const setup = (shape: Shape, cat: Catalog.Catalog): Array<Events.Recorded> => {
  const out: Array<Events.Recorded> = []
  let position = 0
  const push = (stream: string, event: Events.DomainEvent) =>
    out.push({ position: ++position, stream, streamVersion: 1, recordedAt: t0, event })
  push(
    CatalogSet.streamId(cat.id),
    new CatalogSet.CatalogPublished({ catalog: cat, effective: cat.effective.from, by })
  )
  const effective = LocalDate.unsafeMake("2020-01-01")
  for (let p = 0; p < shape.provinces; p++) {
    push(
      Hierarchy.streamId,
      new Hierarchy.UnitEstablished(
        {
          unit: provinceId(p),
          kind: "province",
          name: Bilingual.make(`Tỉnh ${p}`, `Province ${p}`),
          classes: {},
          effective,
          by
        },
        { disableValidation: true }
      )
    )
  }
  for (let c = 0; c < shape.communes; c++) {
    push(
      Hierarchy.streamId,
      new Hierarchy.UnitEstablished(
        {
          unit: communeId(c, shape),
          kind: "commune",
          name: Bilingual.make(`Xã ${c}`, `Commune ${c}`),
          parent: provinceId(c % shape.provinces),
          classes: {},
          effective,
          by
        },
        { disableValidation: true }
      )
    )
  }
  return out
}

/**
 * The evidence of one month for every indicator of every commune, as recorded events. Values drift upwards over
 * the months so that scorecards change.
 */
export const month = (shape: Shape, cat: Catalog.Catalog, m: number, firstPosition: number): Array<Events.Recorded> => {
  const indicators = cat.indicators
  const effective = LocalDate.fromEpochMillis(Date.UTC(2021, m, 1))
  const recordedAt = Date.UTC(2021, m, 10)
  const out: Array<Events.Recorded> = new Array(shape.communes * indicators.length)
  let position = firstPosition
  let k = 0
  for (let c = 0; c < shape.communes; c++) {
    const unit = communeId(c, shape)
    const stream = Evidence.streamId(unit)
    for (let i = 0; i < indicators.length; i++) {
      const ind = indicators[i]!
      const progress = (c * 7 + i * 13 + m * 3) % 100
      const value =
        ind.requirement._tag === "MinPercent"
          ? new EvidenceValue.Percent({ value: Math.min(100, 40 + progress * 0.6 + m) }, { disableValidation: true })
          : new EvidenceValue.Attained({ attained: progress + m > 60 }, { disableValidation: true })
      out[k++] = {
        position: ++position,
        stream,
        streamVersion: m * indicators.length + i + 1,
        recordedAt,
        event: new Evidence.EvidenceRecorded(
          {
            entry: `${unit}/${ind.code}/${m}`,
            unit,
            catalog: cat.id,
            code: ind.code,
            value,
            effective,
            sources: [],
            by
          },
          { disableValidation: true }
        )
      }
    }
  }
  return out
}
