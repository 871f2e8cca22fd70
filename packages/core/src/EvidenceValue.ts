/**
 * The value a piece of evidence (minh chứng) carries, typed by the requirement it is measured against.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"
import type { Requirement } from "./Requirement.js"

/**
 * Met or not met (đạt / không đạt), as a document attests.
 *
 * @since 0.1.0
 */
export class Attained extends Schema.TaggedClass<Attained>()("Attained", { attained: Schema.Boolean }) {}

/**
 * A percentage, optionally with the counts it was computed from.
 *
 * @since 0.1.0
 */
export class Percent extends Schema.TaggedClass<Percent>()("Percent", {
  value: Schema.Number.pipe(Schema.between(0, 100, { message: () => "a percentage lies between 0 and 100" })),
  numerator: Schema.optional(Schema.NonNegative.pipe(Schema.finite())),
  denominator: Schema.optional(Schema.Positive.pipe(Schema.finite()))
}) {}

/**
 * A whole number of things.
 *
 * @since 0.1.0
 */
export class Count extends Schema.TaggedClass<Count>()("Count", { value: Schema.NonNegativeInt }) {}

/**
 * A quantity in the unit of measure of its requirement.
 *
 * @since 0.1.0
 */
export class Quantity extends Schema.TaggedClass<Quantity>()("Quantity", {
  value: Limits.FiniteNumber
}) {}

/**
 * A class or level on the requirement's scale.
 *
 * @since 0.1.0
 */
export class Level extends Schema.TaggedClass<Level>()("Level", { value: Limits.NonEmptyText }) {}

/**
 * The indicator does not apply to this unit (only for indicators whose catalog entry says when they apply, such as
 * a bus station "if planned").
 *
 * @since 0.1.0
 */
export class NotApplicable extends Schema.TaggedClass<NotApplicable>()("NotApplicable", {
  reason: Limits.NonEmptyText
}) {}

/**
 * @since 0.1.0
 */
export const EvidenceValue = Schema.Union(Attained, Percent, Count, Quantity, Level, NotApplicable).annotations({
  identifier: "EvidenceValue"
})

/** @since 0.1.0 */
export type EvidenceValue = typeof EvidenceValue.Type

/**
 * The value kinds a requirement accepts. Computed requirements accept none: their value comes from the hierarchy.
 * A requirement whose threshold or kind is not known accepts an attestation (đạt / không đạt) and the measured
 * kinds, so that evidence can be kept until the catalog is completed.
 *
 * @since 0.1.0
 */
export const acceptedBy = (r: Requirement): ReadonlyArray<EvidenceValue["_tag"]> => {
  switch (r._tag) {
    case "Attainment":
      return ["Attained"]
    case "MinPercent":
    case "MaxPercent":
      return ["Percent"]
    case "MinCount":
      return ["Count"]
    case "MinQuantity":
      return ["Quantity"]
    case "MinClass":
      return ["Level"]
    case "MinShareOfSubunits":
    case "HoldsRecognition":
      return []
    case "DefinedByProvince":
    case "NotKnown":
      return ["Attained", "Percent", "Count", "Quantity", "Level"]
  }
}

/**
 * A short display of a value.
 *
 * @since 0.1.0
 */
export const show = (v: EvidenceValue): string => {
  switch (v._tag) {
    case "Attained":
      return v.attained ? "Đạt" : "Không đạt"
    case "Percent":
      return `${v.value}%`
    case "Count":
      return `${v.value}`
    case "Quantity":
      return `${v.value}`
    case "Level":
      return v.value
    case "NotApplicable":
      return `Không áp dụng / not applicable (${v.reason})`
  }
}
