/**
 * Requirements (yêu cầu) of indicators and entry conditions, and their thresholds (ngưỡng).
 *
 * A requirement says what the evidence must show: attainment (đạt), a minimum or maximum percentage, a minimum count,
 * a minimum quantity, a minimum class, a share of sub-units holding a recognition, or a recognition the unit itself
 * must hold. A threshold is either known (with its provenance), unknown (the text was not in hand), or left to the
 * province to set. Unknown thresholds are never filled in: scoring reports them as undetermined.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Bilingual } from "./Bilingual.js"
import * as Limits from "./Limits.js"
import * as Provenance from "./Provenance.js"
import { StandardId } from "./Standard.js"
import { UnitKind } from "./Unit.js"

const provenanceFields = {
  status: Provenance.Status,
  sources: Schema.optionalWith(Schema.Array(Schema.NonEmptyString), { default: () => [] }),
  note: Schema.optional(Schema.String)
}

/**
 * A threshold whose value is known, with where it comes from.
 *
 * @since 0.1.0
 */
export const Known = <A, I>(value: Schema.Schema<A, I>) => Schema.TaggedStruct("Known", { value, ...provenanceFields })

/**
 * A threshold whose value is not known: the text was not in hand. Scoring against it is undetermined.
 *
 * @since 0.1.0
 */
export const Unknown = Schema.TaggedStruct("Unknown", { note: Schema.optional(Schema.String) })

/**
 * A threshold the national text leaves to the provincial People's Committee (UBND tỉnh quy định). A provincial
 * catalog version replaces it with a known value.
 *
 * @since 0.1.0
 */
export const SetByProvince = Schema.TaggedStruct("SetByProvince", { note: Schema.optional(Schema.String) })

const Percent = Schema.Number.pipe(Schema.between(0, 100, { message: () => "a percentage lies between 0 and 100" }))

const threshold = <A, I>(value: Schema.Schema<A, I>) => Schema.Union(Known(value), Unknown, SetByProvince)

/** @since 0.1.0 */
export const PercentThreshold = threshold(Percent)
/** @since 0.1.0 */
export type PercentThreshold = typeof PercentThreshold.Type
/** @since 0.1.0 */
export const CountThreshold = threshold(Schema.NonNegativeInt)
/** @since 0.1.0 */
export const QuantityThreshold = threshold(Limits.FiniteNumber)
/** @since 0.1.0 */
export const ClassThreshold = threshold(Schema.NonEmptyString)

/** Any threshold. @since 0.1.0 */
export type Threshold =
  | typeof PercentThreshold.Type
  | typeof CountThreshold.Type
  | typeof QuantityThreshold.Type
  | typeof ClassThreshold.Type

/**
 * How `p %` of `n` sub-units becomes a whole number of sub-units:
 * - `ceil`: at least ⌈p × n / 100⌉ (the default; the official rounding rule was not found);
 * - `floor`: at least ⌊p × n / 100⌋;
 * - `round`: at least p × n / 100 rounded half up;
 * - `ratio`: count / n ≥ p / 100 with no rounding (the same as `ceil` for whole counts).
 *
 * Under every rule a share above 0% of one or more sub-units needs at least one: no rounding turns "some" into none.
 *
 * @since 0.1.0
 */
export const Rounding = Schema.Literal("ceil", "floor", "round", "ratio")

/** @since 0.1.0 */
export type Rounding = typeof Rounding.Type

/**
 * Met or not met (đạt / không đạt), attested by a document.
 *
 * @since 0.1.0
 */
export class Attainment extends Schema.TaggedClass<Attainment>()("Attainment", {}) {}

/**
 * At least a percentage (tỷ lệ ≥).
 *
 * @since 0.1.0
 */
export class MinPercent extends Schema.TaggedClass<MinPercent>()("MinPercent", { threshold: PercentThreshold }) {}

/**
 * At most a percentage (tỷ lệ ≤), e.g. a poverty rate.
 *
 * @since 0.1.0
 */
export class MaxPercent extends Schema.TaggedClass<MaxPercent>()("MaxPercent", { threshold: PercentThreshold }) {}

/**
 * At least a number of things (số lượng ≥), e.g. one smart-village model.
 *
 * @since 0.1.0
 */
export class MinCount extends Schema.TaggedClass<MinCount>()("MinCount", { threshold: CountThreshold }) {}

/**
 * At least a quantity in a unit of measure, e.g. income in million đồng per person per year.
 *
 * @since 0.1.0
 */
export class MinQuantity extends Schema.TaggedClass<MinQuantity>()("MinQuantity", {
  unit: Bilingual,
  threshold: QuantityThreshold
}) {}

/**
 * At least a class or level on an ordered scale, e.g. a bus station of type IV or above. The scale lists the
 * classes from lowest to highest.
 *
 * @since 0.1.0
 */
export class MinClass extends Schema.TaggedClass<MinClass>()("MinClass", {
  scale: Schema.NonEmptyArray(Schema.NonEmptyString),
  threshold: ClassThreshold
}) {}

/**
 * At least a share of the unit's sub-units (as the hierarchy stands on the date asked) holding one of the given
 * recognitions, e.g. at least 10% of a district's communes recognised as advanced. Computed from the hierarchy and
 * the recognitions, never from evidence.
 *
 * @since 0.1.0
 */
export class MinShareOfSubunits extends Schema.TaggedClass<MinShareOfSubunits>()("MinShareOfSubunits", {
  subunitKinds: Schema.NonEmptyArray(UnitKind),
  /** A sub-unit counts when it holds any of these standards. */
  standards: Schema.NonEmptyArray(StandardId),
  threshold: PercentThreshold,
  rounding: Schema.optionalWith(Rounding, { default: () => "ceil" as const })
}) {}

/**
 * The unit itself holds one of the given recognitions, e.g. an advanced district must already be an NTM district.
 *
 * @since 0.1.0
 */
export class HoldsRecognition extends Schema.TaggedClass<HoldsRecognition>()("HoldsRecognition", {
  standards: Schema.NonEmptyArray(StandardId)
}) {}

/**
 * The whole requirement is left to the province (the kind of measure is not fixed nationally).
 *
 * @since 0.1.0
 */
export class DefinedByProvince extends Schema.TaggedClass<DefinedByProvince>()("DefinedByProvince", {
  note: Schema.optional(Schema.String)
}) {}

/**
 * The catalog lists the item but its requirement is not known.
 *
 * @since 0.1.0
 */
export class NotKnown extends Schema.TaggedClass<NotKnown>()("NotKnown", {
  note: Schema.optional(Schema.String)
}) {}

/**
 * Any requirement.
 *
 * @since 0.1.0
 */
export const Requirement = Schema.Union(
  Attainment,
  MinPercent,
  MaxPercent,
  MinCount,
  MinQuantity,
  MinClass,
  MinShareOfSubunits,
  HoldsRecognition,
  DefinedByProvince,
  NotKnown
)

/** @since 0.1.0 */
export type Requirement = typeof Requirement.Type

/**
 * Requirements computed from the hierarchy and recognitions rather than from evidence.
 *
 * @since 0.1.0
 */
export const isComputed = (r: Requirement): r is MinShareOfSubunits | HoldsRecognition =>
  r._tag === "MinShareOfSubunits" || r._tag === "HoldsRecognition"

/**
 * The threshold of a requirement, if it has one.
 *
 * @since 0.1.0
 */
export const thresholdOf = (r: Requirement): Threshold | undefined => ("threshold" in r ? r.threshold : undefined)

/**
 * How many of `total` sub-units must hold the recognition to satisfy `percent` under a rounding rule.
 *
 * @since 0.1.0
 */
export const requiredCount = (percent: number, total: number, rounding: Rounding): number => {
  // Snap to nine decimals to keep 10% of 30 exactly 3 in floating point.
  const exact = (percent * total) / 100
  const near = Math.round(exact * 1e9) / 1e9
  const rounded =
    rounding === "floor" ? Math.floor(near) : rounding === "round" ? Math.floor(near + 0.5) : Math.ceil(near)
  // A share above 0% is never met by none (1% of 10 rounds half up to 0; 1e-10% of 1 snaps to 0).
  return percent > 0 && total > 0 ? Math.max(1, rounded) : rounded
}

const fmt = (t: Threshold, show: (v: never) => string): string =>
  t._tag === "Known"
    ? show(t.value as never)
    : t._tag === "Unknown"
      ? "ngưỡng chưa rõ / threshold unknown"
      : "do UBND tỉnh quy định / set by the province"

/**
 * A one-line statement of a requirement, Vietnamese first.
 *
 * @since 0.1.0
 */
export const describe = (r: Requirement): string => {
  switch (r._tag) {
    case "Attainment":
      return "Đạt / met"
    case "MinPercent":
      return `≥ ${fmt(r.threshold, (v: number) => `${v}%`)}`
    case "MaxPercent":
      return `≤ ${fmt(r.threshold, (v: number) => `${v}%`)}`
    case "MinCount":
      return `≥ ${fmt(r.threshold, (v: number) => `${v}`)}`
    case "MinQuantity":
      return `≥ ${fmt(r.threshold, (v: number) => `${v} ${r.unit.vi}`)}`
    case "MinClass":
      return `≥ ${fmt(r.threshold, (v: string) => `${v}`)} (${r.scale.join(" < ")})`
    case "MinShareOfSubunits":
      return `≥ ${fmt(r.threshold, (v: number) => `${v}%`)} ${r.subunitKinds.join("/")} ${r.standards.join("/")} (${r.rounding})`
    case "HoldsRecognition":
      return `đã được công nhận / recognised: ${r.standards.join(" | ")}`
    case "DefinedByProvince":
      return "do UBND tỉnh quy định / defined by the province"
    case "NotKnown":
      return "yêu cầu chưa rõ / requirement unknown"
  }
}
