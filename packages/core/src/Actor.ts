/**
 * Who records a fact: a person acting in a role for a unit. Every event carries its actor.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"
import { UnitId } from "./Unit.js"

/**
 * The roles of the recognition process.
 *
 * - `commune`: a commune People's Committee officer (UBND xã): records its own evidence.
 * - `district`: a district officer (UBND huyện): verifies (thẩm tra) its communes.
 * - `province`: a provincial officer (UBND tỉnh, Sở): appraises (thẩm định) and recognises communes, verifies districts.
 * - `central`: the Central Appraisal Council (Hội đồng thẩm định Trung ương) and the ministry: appraise districts.
 * - `auditor`: reads everything, writes nothing.
 * - `admin`: manages catalogs and the hierarchy.
 * - `system`: imports and migrations.
 *
 * @since 0.1.0
 */
export const Role = Schema.Literal("commune", "district", "province", "central", "auditor", "admin", "system")

/** @since 0.1.0 */
export type Role = typeof Role.Type

/**
 * @since 0.1.0
 */
export class Actor extends Schema.Class<Actor>("@ntm/core/Actor")({
  id: Limits.Id,
  name: Limits.NonEmptyText,
  role: Role,
  /** The unit the actor works for; their scope is that unit and everything under it. */
  unit: Schema.optional(UnitId),
  /** The agency, e.g. "Sở Giao thông vận tải". */
  agency: Schema.optional(Limits.Text)
}) {}

/**
 * Which roles may assess (confirm or override) an indicator of a unit of each kind. Data, not code: a host system
 * can pass its own.
 *
 * @since 0.1.0
 */
export type AssessmentPolicy = Readonly<Record<string, ReadonlyArray<Role>>>

/**
 * The default: the levels above a unit assess it, following the verification and appraisal steps of
 * 18/2022/QĐ-TTg (a commune is verified by its district and appraised by its province; a district is verified by
 * its province and appraised by the Central Appraisal Council).
 *
 * @since 0.1.0
 */
export const defaultAssessmentPolicy: AssessmentPolicy = {
  village: ["commune", "district", "province"],
  commune: ["district", "province"],
  town: ["district", "province"],
  ward: ["district", "province"],
  district: ["province", "central"],
  province: ["central"]
}
