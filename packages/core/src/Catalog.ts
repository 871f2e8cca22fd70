/**
 * Criteria sets (bộ tiêu chí) as versioned data.
 *
 * A catalog is one version of a criteria set: its legal basis, the level and standard it applies to, its criteria
 * (tiêu chí) with their indicators (chỉ tiêu), and its entry conditions (điều kiện) that are not indicators.
 * Amendments (211/QĐ-TTg amends the 2022 sets) and provincial versions are new versions derived from a base by an
 * {@link CatalogOverlay}; {@link diff} shows what they changed.
 *
 * Catalogs are decoded with Schema when loaded: a malformed one is rejected with {@link CatalogInvalid}, whose
 * issues name the path and the problem.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Bilingual } from "./Bilingual.js"
import { LocalDate } from "./LocalDate.js"
import { Provenance, SourceRef } from "./Provenance.js"
import { Requirement } from "./Requirement.js"
import { StandardId } from "./Standard.js"
import { UnitId, UnitKind } from "./Unit.js"

/**
 * The identifier of a criteria set across its versions, e.g. `"vn/2021-2025/district-advanced"`.
 *
 * @since 0.1.0
 */
export const CatalogId = Schema.String.pipe(
  Schema.maxLength(200),
  Schema.pattern(/^[a-z0-9][a-z0-9./_-]*$/, {
    message: () => "a catalog id is lower case letters, digits and . / _ -"
  }),
  Schema.brand("@ntm/core/CatalogId"),
  Schema.annotations({ identifier: "CatalogId" })
)

/** @since 0.1.0 */
export type CatalogId = typeof CatalogId.Type

/** @since 0.1.0 */
export const catalogId = (s: string): CatalogId => s as CatalogId

/**
 * A legal instrument the catalog rests on, e.g. `320/QĐ-TTg` of 2022-03-08.
 *
 * @since 0.1.0
 */
export class LegalReference extends Schema.Class<LegalReference>("@ntm/core/LegalReference")({
  number: Schema.NonEmptyString,
  date: Schema.optional(LocalDate),
  issuer: Schema.optional(Schema.NonEmptyString),
  part: Schema.optional(Schema.String),
  provenance: Provenance
}) {}

/**
 * Who answers for an indicator: the sector (ngành) and, where the catalog or a provincial version names it, the
 * agency (cơ quan phụ trách).
 *
 * @since 0.1.0
 */
export class Responsibility extends Schema.Class<Responsibility>("@ntm/core/Responsibility")({
  sector: Bilingual,
  agency: Schema.optional(Bilingual)
}) {}

const itemFields = {
  /** The code, e.g. `"8.1"`; unique across the catalog's indicators and conditions. */
  code: Schema.NonEmptyTrimmedString,
  name: Bilingual,
  requirement: Requirement,
  /** Requirements that replace the general one for a class of units (a region, a commune group). */
  requirementByClass: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Requirement }), {
    default: () => ({})
  }),
  /** When set, the item applies only under this condition (e.g. "if planned"), and may be declared not applicable. */
  appliesOnlyIf: Schema.optional(Bilingual),
  provenance: Provenance
}

/**
 * An indicator (chỉ tiêu).
 *
 * @since 0.1.0
 */
export class Indicator extends Schema.Class<Indicator>("@ntm/core/Indicator")({
  ...itemFields,
  responsible: Schema.optional(Responsibility)
}) {}

/**
 * An entry condition (điều kiện) of a standard that is not an indicator, e.g. "100% of communes are NTM".
 *
 * @since 0.1.0
 */
export class Condition extends Schema.Class<Condition>("@ntm/core/Condition")({
  ...itemFields,
  responsible: Schema.optional(Responsibility)
}) {}

/**
 * A criterion (tiêu chí) and its indicators. A criterion whose indicators are not known has none, and is shown as
 * having no data.
 *
 * @since 0.1.0
 */
export class Criterion extends Schema.Class<Criterion>("@ntm/core/Criterion")({
  code: Schema.NonEmptyTrimmedString,
  name: Bilingual,
  group: Schema.optional(Bilingual),
  provenance: Provenance,
  indicators: Schema.Array(Indicator)
}) {}

/**
 * How a catalog classes units for its thresholds: by region (vùng) in the 2021–2025 sets, by commune group
 * (nhóm xã) in the 2026–2030 set.
 *
 * @since 0.1.0
 */
export class Classification extends Schema.Class<Classification>("@ntm/core/Classification")({
  /** The scheme's key, also used on units: `"region"`, `"communeGroup"`. */
  scheme: Schema.NonEmptyString,
  name: Bilingual,
  classes: Schema.NonEmptyArray(Schema.Struct({ code: Schema.NonEmptyString, name: Bilingual }))
}) {}

/**
 * How a version was derived from another.
 *
 * @since 0.1.0
 */
export class Derivation extends Schema.Class<Derivation>("@ntm/core/Derivation")({
  id: CatalogId,
  version: Schema.NonEmptyString,
  kind: Schema.Literal("amendment", "provincial")
}) {}

const catalogFields = {
  id: CatalogId,
  version: Schema.NonEmptyString,
  name: Bilingual,
  /** The level it applies to: the kinds of unit scored against it. */
  appliesTo: Schema.NonEmptyArray(UnitKind),
  /** The standard a unit meeting it reaches. */
  standard: StandardId,
  legalBasis: Schema.Array(LegalReference),
  /** The dates it is in force. */
  effective: Schema.Struct({ from: LocalDate, until: Schema.optional(LocalDate) }),
  /** Set for a provincial version: the province whose units it applies to. */
  province: Schema.optional(UnitId),
  classification: Schema.optional(Classification),
  derivedFrom: Schema.optional(Derivation),
  provenance: Provenance,
  sources: Schema.optionalWith(Schema.Array(SourceRef), { default: () => [] })
}

/** A problem found in a catalog, at a path. @since 0.1.0 */
export interface Issue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const pathString = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "")

const checkCatalog = (c: {
  readonly criteria: ReadonlyArray<Criterion>
  readonly conditions: ReadonlyArray<Condition>
  readonly classification?: Classification | undefined
  readonly sources: ReadonlyArray<SourceRef>
  readonly legalBasis: ReadonlyArray<LegalReference>
  readonly effective: { readonly from: LocalDate; readonly until?: LocalDate | undefined }
  readonly provenance: Provenance
}): Array<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  const classes = new Set(c.classification?.classes.map((k) => k.code) ?? [])
  const sourceIds = new Set(c.sources.map((s) => s.id))
  const seen = new Map<string, string>()
  const checkProvenance = (p: Provenance, path: ReadonlyArray<PropertyKey>) => {
    p.sources.forEach((id, i) => {
      if (!sourceIds.has(id))
        issues.push({
          path: [...path, "provenance", "sources", i],
          message: `nguồn "${id}" không có trong danh mục nguồn / unknown source "${id}"`
        })
    })
  }
  const checkRequirement = (r: Requirement, path: ReadonlyArray<PropertyKey>) => {
    if (r._tag === "MinClass" && r.threshold._tag === "Known" && !r.scale.includes(r.threshold.value)) {
      issues.push({
        path: [...path, "threshold", "value"],
        message: `hạng "${r.threshold.value}" không có trong thang / class "${r.threshold.value}" is not on the scale`
      })
    }
    const t = "threshold" in r ? r.threshold : undefined
    if (t?._tag === "Known") {
      t.sources.forEach((id, i) => {
        if (!sourceIds.has(id))
          issues.push({
            path: [...path, "threshold", "sources", i],
            message: `nguồn "${id}" không có trong danh mục nguồn / unknown source "${id}"`
          })
      })
    }
  }
  const checkItem = (
    item: Indicator | Condition,
    path: ReadonlyArray<PropertyKey>,
    what: "indicator" | "condition"
  ) => {
    const before = seen.get(item.code)
    if (before !== undefined)
      issues.push({
        path: [...path, "code"],
        message: `mã "${item.code}" đã dùng ở ${before} / code "${item.code}" is already used by ${before}`
      })
    seen.set(item.code, `${what} ${pathString(path)}`)
    checkProvenance(item.provenance, path)
    checkRequirement(item.requirement, [...path, "requirement"])
    for (const [k, r] of Object.entries(item.requirementByClass)) {
      if (!classes.has(k)) {
        issues.push({
          path: [...path, "requirementByClass", k],
          message: c.classification
            ? `"${k}" không phải là một hạng của ${c.classification.scheme} / "${k}" is not a class of ${c.classification.scheme}`
            : "bộ tiêu chí không phân hạng đơn vị / the catalog has no classification"
        })
      }
      checkRequirement(r, [...path, "requirementByClass", k])
    }
  }
  const criteriaCodes = new Set<string>()
  c.criteria.forEach((cr, i) => {
    if (criteriaCodes.has(cr.code))
      issues.push({
        path: ["criteria", i, "code"],
        message: `tiêu chí "${cr.code}" xuất hiện hai lần / criterion "${cr.code}" appears twice`
      })
    criteriaCodes.add(cr.code)
    checkProvenance(cr.provenance, ["criteria", i])
    cr.indicators.forEach((ind, j) => {
      checkItem(ind, ["criteria", i, "indicators", j], "indicator")
    })
  })
  c.conditions.forEach((cd, i) => {
    checkItem(cd, ["conditions", i], "condition")
  })
  c.legalBasis.forEach((l, i) => {
    checkProvenance(l.provenance, ["legalBasis", i])
  })
  checkProvenance(c.provenance, [])
  if (c.effective.until !== undefined && c.effective.until < c.effective.from) {
    issues.push({ path: ["effective", "until"], message: "kết thúc trước khi bắt đầu / ends before it starts" })
  }
  return issues
}

/**
 * One version of a criteria set.
 *
 * @since 0.1.0
 */
export class Catalog extends Schema.Class<Catalog>("@ntm/core/Catalog")(
  Schema.Struct({
    ...catalogFields,
    /** May be empty for a standard defined by conditions alone (the model commune of 319/QĐ-TTg). */
    criteria: Schema.Array(Criterion),
    conditions: Schema.optionalWith(Schema.Array(Condition), { default: () => [] })
  }).pipe(Schema.filter(checkCatalog))
) {
  /** Every indicator, in catalog order. */
  get indicators(): ReadonlyArray<Indicator> {
    return this.criteria.flatMap((c) => c.indicators)
  }
  /** Whether any part of it was invented for an example. */
  get isIllustrative(): boolean {
    return this.provenance.status === "illustrative"
  }
}

/** @since 0.1.0 */
export type Item = Indicator | Condition

/**
 * The indicator or condition with a code.
 *
 * @since 0.1.0
 */
export const findItem = (catalog: Catalog, code: string): Item | undefined => itemIndex(catalog).get(code)

const indexCache = new WeakMap<Catalog, Map<string, Item>>()

/**
 * Items by code (cached per catalog).
 *
 * @since 0.1.0
 */
export const itemIndex = (catalog: Catalog): ReadonlyMap<string, Item> => {
  let index = indexCache.get(catalog)
  if (index === undefined) {
    index = new Map()
    for (const i of catalog.indicators) index.set(i.code, i)
    for (const c of catalog.conditions) index.set(c.code, c)
    indexCache.set(catalog, index)
  }
  return index
}

/**
 * The requirement that applies to a unit of a class (its region or commune group).
 *
 * @since 0.1.0
 */
export const requirementFor = (item: Item, classCode: string | undefined): Requirement =>
  (classCode !== undefined ? item.requirementByClass[classCode] : undefined) ?? item.requirement

/**
 * A catalog was rejected when loaded.
 *
 * @since 0.1.0
 */
export class CatalogInvalid extends Schema.TaggedError<CatalogInvalid>()("CatalogInvalid", {
  /** What was being loaded: a file name, a catalog id. */
  subject: Schema.String,
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  override get message(): string {
    const lines = this.issues.map((i) => `  ${i.path || "(root)"}: ${i.message}`)
    return `Bộ tiêu chí không hợp lệ / invalid catalog ${this.subject}:\n${lines.join("\n")}`
  }
}

const toInvalid = (subject: string, error: ParseResult.ParseError): CatalogInvalid =>
  new CatalogInvalid({
    subject,
    issues: ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => ({
      path: pathString(i.path),
      message: i.message
    }))
  })

const decodeCatalog = Schema.decodeUnknownEither(Catalog, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes a full catalog document (already parsed from JSON).
 *
 * @since 0.1.0
 */
export const decode = (input: unknown, subject = "catalog"): Either.Either<Catalog, CatalogInvalid> =>
  Either.mapLeft(decodeCatalog(input), (e) => toInvalid(subject, e))

/** @since 0.1.0 */
export const encode = Schema.encodeSync(Catalog)

const encodeAll = Schema.encodeEither(Catalog, { errors: "all" })

/**
 * A change an overlay makes to its base.
 *
 * @since 0.1.0
 */
export const Change = Schema.Union(
  Schema.TaggedStruct("ReplaceIndicator", { indicator: Indicator }),
  Schema.TaggedStruct("AddIndicator", { criterion: Schema.NonEmptyString, indicator: Indicator }),
  Schema.TaggedStruct("RemoveIndicator", { code: Schema.NonEmptyString, reason: Schema.String }),
  Schema.TaggedStruct("ReplaceCondition", { condition: Condition }),
  Schema.TaggedStruct("AddCondition", { condition: Condition }),
  Schema.TaggedStruct("RemoveCondition", { code: Schema.NonEmptyString, reason: Schema.String })
)

/** @since 0.1.0 */
export type Change = typeof Change.Type

/**
 * A version written as changes to a base version: an amendment, or a provincial version that fixes what the
 * national text leaves to the province and may raise thresholds.
 *
 * @since 0.1.0
 */
export class CatalogOverlay extends Schema.Class<CatalogOverlay>("@ntm/core/CatalogOverlay")({
  ...catalogFields,
  derivedFrom: Derivation,
  name: Schema.optional(Bilingual),
  appliesTo: Schema.optional(Schema.NonEmptyArray(UnitKind)),
  standard: Schema.optional(StandardId),
  classification: Schema.optional(Classification),
  changes: Schema.Array(Change)
}) {}

const decodeOverlay = Schema.decodeUnknownEither(CatalogOverlay, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes an overlay document.
 *
 * @since 0.1.0
 */
export const decodeOverlayDocument = (
  input: unknown,
  subject = "overlay"
): Either.Either<CatalogOverlay, CatalogInvalid> => Either.mapLeft(decodeOverlay(input), (e) => toInvalid(subject, e))

/**
 * Applies an overlay to its base, giving a full catalog that is validated like any other. Never throws: every
 * problem (a change naming a missing item, a code used twice, an unknown source or class) is in the failure.
 *
 * @since 0.1.0
 */
export const applyOverlay = (base: Catalog, overlay: CatalogOverlay): Either.Either<Catalog, CatalogInvalid> => {
  const subject = `${overlay.id}@${overlay.version}`
  const problems: Array<{ path: string; message: string }> = []
  if (base.id !== overlay.derivedFrom.id || base.version !== overlay.derivedFrom.version) {
    problems.push({
      path: "derivedFrom",
      message: `bản gốc đưa vào là ${base.id}@${base.version}, không phải ${overlay.derivedFrom.id}@${overlay.derivedFrom.version} / the base given is ${base.id}@${base.version}, not ${overlay.derivedFrom.id}@${overlay.derivedFrom.version}`
    })
  }
  const working = base.criteria.map((c) => ({
    code: c.code,
    name: c.name,
    group: c.group,
    provenance: c.provenance,
    indicators: [...c.indicators]
  }))
  let conditions = [...base.conditions]
  overlay.changes.forEach((change, i) => {
    const at = `changes[${i}]`
    switch (change._tag) {
      case "ReplaceIndicator": {
        const c = working.find((c) => c.indicators.some((x) => x.code === change.indicator.code))
        if (c === undefined)
          problems.push({
            path: at,
            message: `không có chỉ tiêu "${change.indicator.code}" để thay / no indicator "${change.indicator.code}" to replace`
          })
        else c.indicators = c.indicators.map((x) => (x.code === change.indicator.code ? change.indicator : x))
        break
      }
      case "AddIndicator": {
        const c = working.find((c) => c.code === change.criterion)
        if (c === undefined)
          problems.push({
            path: at,
            message: `không có tiêu chí "${change.criterion}" / no criterion "${change.criterion}"`
          })
        else c.indicators.push(change.indicator)
        break
      }
      case "RemoveIndicator": {
        const c = working.find((c) => c.indicators.some((x) => x.code === change.code))
        if (c === undefined)
          problems.push({
            path: at,
            message: `không có chỉ tiêu "${change.code}" để bỏ / no indicator "${change.code}" to remove`
          })
        else c.indicators = c.indicators.filter((x) => x.code !== change.code)
        break
      }
      case "ReplaceCondition": {
        if (!conditions.some((x) => x.code === change.condition.code))
          problems.push({
            path: at,
            message: `không có điều kiện "${change.condition.code}" để thay / no condition "${change.condition.code}" to replace`
          })
        conditions = conditions.map((x) => (x.code === change.condition.code ? change.condition : x))
        break
      }
      case "AddCondition":
        conditions.push(change.condition)
        break
      case "RemoveCondition": {
        if (!conditions.some((x) => x.code === change.code))
          problems.push({
            path: at,
            message: `không có điều kiện "${change.code}" để bỏ / no condition "${change.code}" to remove`
          })
        conditions = conditions.filter((x) => x.code !== change.code)
        break
      }
    }
  })
  const criteria = working.map(
    ({ group, ...c }) => new Criterion(group === undefined ? c : { ...c, group }, { disableValidation: true })
  )
  const sources = [...base.sources, ...overlay.sources.filter((s) => !base.sources.some((b) => b.id === s.id))]
  // Encoding checks the result as a whole (codes reused, unknown sources or classes): its problems are values too.
  const encoded = encodeAll(
    new Catalog(
      {
        id: overlay.id,
        version: overlay.version,
        name: overlay.name ?? base.name,
        appliesTo: overlay.appliesTo ?? base.appliesTo,
        standard: overlay.standard ?? base.standard,
        legalBasis: [...base.legalBasis, ...overlay.legalBasis],
        effective: overlay.effective,
        ...((overlay.province ?? base.province) !== undefined ? { province: overlay.province ?? base.province } : {}),
        ...((overlay.classification ?? base.classification)
          ? { classification: overlay.classification ?? base.classification }
          : {}),
        derivedFrom: overlay.derivedFrom,
        provenance: overlay.provenance,
        sources,
        criteria: criteria as unknown as Catalog["criteria"],
        conditions
      },
      { disableValidation: true }
    )
  )
  if (Either.isLeft(encoded)) problems.push(...toInvalid(subject, encoded.left).issues)
  if (problems.length > 0 || Either.isLeft(encoded))
    return Either.left(new CatalogInvalid({ subject, issues: problems }))
  return decode(encoded.right, subject)
}

/**
 * Decodes either a full catalog or an overlay (told apart by `derivedFrom` together with `changes`), resolving an
 * overlay against the catalogs already loaded.
 *
 * @since 0.1.0
 */
export const load = (
  input: unknown,
  loaded: ReadonlyArray<Catalog>,
  subject = "catalog"
): Either.Either<Catalog, CatalogInvalid> => {
  if (typeof input === "object" && input !== null && "changes" in input) {
    return Either.flatMap(decodeOverlayDocument(input, subject), (overlay) => {
      const base = loaded.find((c) => c.id === overlay.derivedFrom.id && c.version === overlay.derivedFrom.version)
      return base === undefined
        ? Either.left(
            new CatalogInvalid({
              subject,
              issues: [
                {
                  path: "derivedFrom",
                  message: `chưa nạp bản gốc ${overlay.derivedFrom.id}@${overlay.derivedFrom.version} / base ${overlay.derivedFrom.id}@${overlay.derivedFrom.version} is not loaded`
                }
              ]
            })
          )
        : applyOverlay(base, overlay)
    })
  }
  return decode(input, subject)
}

/**
 * One difference between two versions.
 *
 * @since 0.1.0
 */
export interface Difference {
  readonly kind: "added" | "removed" | "changed"
  readonly what: "indicator" | "condition" | "criterion"
  readonly code: string
  /** For a change: the fields that differ, with the old and new values as JSON. */
  readonly fields: ReadonlyArray<{ readonly field: string; readonly before: unknown; readonly after: unknown }>
}

const encodeIndicator = Schema.encodeSync(Indicator)
const encodeCondition = Schema.encodeSync(Condition)

const fieldDiff = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  const out: Array<{ field: string; before: unknown; after: unknown }> = []
  for (const k of keys) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push({ field: k, before: a[k], after: b[k] })
  }
  return out
}

/**
 * What changed from version `a` to version `b`: items added, removed, and changed field by field.
 *
 * @since 0.1.0
 */
export const diff = (a: Catalog, b: Catalog): ReadonlyArray<Difference> => {
  const out: Array<Difference> = []
  const compare = <T extends Item>(
    what: "indicator" | "condition",
    xs: ReadonlyArray<T>,
    ys: ReadonlyArray<T>,
    enc: (t: T) => object
  ) => {
    const ya = new Map(ys.map((y) => [y.code, y]))
    const xa = new Map(xs.map((x) => [x.code, x]))
    for (const x of xs) {
      const y = ya.get(x.code)
      if (y === undefined) out.push({ kind: "removed", what, code: x.code, fields: [] })
      else {
        const fields = fieldDiff(enc(x) as Record<string, unknown>, enc(y) as Record<string, unknown>)
        if (fields.length > 0) out.push({ kind: "changed", what, code: x.code, fields })
      }
    }
    for (const y of ys) if (!xa.has(y.code)) out.push({ kind: "added", what, code: y.code, fields: [] })
  }
  const ca = new Map(a.criteria.map((c) => [c.code, c]))
  const cb = new Map(b.criteria.map((c) => [c.code, c]))
  for (const c of a.criteria)
    if (!cb.has(c.code)) out.push({ kind: "removed", what: "criterion", code: c.code, fields: [] })
  for (const c of b.criteria)
    if (!ca.has(c.code)) out.push({ kind: "added", what: "criterion", code: c.code, fields: [] })
  compare("indicator", a.indicators, b.indicators, (i) => encodeIndicator(i as Indicator))
  compare("condition", a.conditions, b.conditions, (c) => encodeCondition(c as Condition))
  return out
}
