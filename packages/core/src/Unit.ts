/**
 * Administrative units (đơn vị hành chính): provinces (tỉnh), districts (huyện), communes (xã), towns (thị trấn),
 * wards (phường) and villages (thôn).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"

/**
 * The identifier of a unit: any stable identifier of the one grammar (`Limits.Id`); the shipped examples use
 * readable paths such as `"bac-giang/tan-yen/cao-xa"`.
 *
 * @since 0.1.0
 */
export const UnitId = Limits.Id.pipe(Schema.brand("@ntm/core/UnitId"), Schema.annotations({ identifier: "UnitId" }))

/** @since 0.1.0 */
export type UnitId = typeof UnitId.Type

/** @since 0.1.0 */
export const unitId = (s: string): UnitId => s as UnitId

/**
 * The kinds of unit. A town (thị trấn) sits at commune level but is not a commune: district conditions count
 * communes and towns apart.
 *
 * @since 0.1.0
 */
export const UnitKind = Schema.Literal("province", "district", "commune", "town", "ward", "village")

/** @since 0.1.0 */
export type UnitKind = typeof UnitKind.Type

/**
 * Vietnamese and English names of each kind.
 *
 * @since 0.1.0
 */
export const kindLabel: Record<UnitKind, string> = {
  province: "tỉnh / province",
  district: "huyện / district",
  commune: "xã / commune",
  town: "thị trấn / town",
  ward: "phường / ward",
  village: "thôn / village"
}
