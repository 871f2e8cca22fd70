/**
 * Who may do what: a matrix of actions and the roles that may take them, and the rule that a scoped action concerns
 * a unit within the principal's unit. Data, not code: a province can pass its own matrix to the server.
 *
 * The core checks the finer rules on top (which role may assess a unit of each kind, which role takes each step of
 * a dossier); this is the gate in front of them.
 *
 * This module imports no Node code.
 *
 * @since 0.1.0
 */
import { type Actor, Hierarchy, type LocalDate, type Unit } from "@ntm/core"
import type { Principal } from "./Principal.js"

/**
 * The writes of the API.
 *
 * @since 0.1.0
 */
export type Action =
  | "catalog.publish"
  | "hierarchy.change"
  | "evidence.record"
  | "evidence.assess"
  | "commitment.write"
  | "dossier.step"
  | "recognition.write"
  | "log.verify"

/**
 * The roles that may take each action.
 *
 * @since 0.1.0
 */
export type Matrix = Readonly<Record<Action, ReadonlyArray<Actor.Role>>>

/**
 * The default matrix:
 * - an admin manages catalogs and the hierarchy (and tokens, from the command line);
 * - a commune, district or province officer records evidence and commitments for units within their own;
 * - districts, provinces and the central council assess indicators and take dossier steps within their scope,
 *   communes open and self-assess their own dossiers (the core's workflow policy says which step is whose);
 * - a province or the central council grants and revokes recognitions directly;
 * - an auditor reads everything and writes nothing, and with an admin may walk the hash chain.
 *
 * @since 0.1.0
 */
export const defaultMatrix: Matrix = {
  "catalog.publish": ["admin"],
  "hierarchy.change": ["admin"],
  "evidence.record": ["commune", "district", "province", "system"],
  "evidence.assess": ["district", "province", "central"],
  "commitment.write": ["commune", "district", "province", "central", "system"],
  "dossier.step": ["commune", "district", "province", "central"],
  "recognition.write": ["province", "central"],
  "log.verify": ["auditor", "admin"]
}

/**
 * Why an action was refused.
 *
 * @since 0.1.0
 */
export type Refusal =
  | { readonly _tag: "RoleNotPermitted"; readonly action: Action; readonly role: Actor.Role }
  | { readonly _tag: "OutOfScope"; readonly action: Action; readonly unit: Unit.UnitId; readonly scope: Unit.UnitId }

/**
 * Whether a principal may take an action, on a unit as of a date when the action is scoped. A principal without a
 * unit acts for the whole country.
 *
 * @since 0.1.0
 */
export const check = (
  matrix: Matrix,
  principal: Principal,
  action: Action,
  target?: { readonly hierarchy: Hierarchy.State; readonly unit: Unit.UnitId; readonly date: LocalDate.LocalDate }
): Refusal | undefined => {
  if (!matrix[action].includes(principal.role)) return { _tag: "RoleNotPermitted", action, role: principal.role }
  if (target === undefined || principal.unit === undefined) return undefined
  return Hierarchy.isWithin(target.hierarchy, target.unit, principal.unit, target.date)
    ? undefined
    : { _tag: "OutOfScope", action, unit: target.unit, scope: principal.unit }
}

/**
 * A refusal as a sentence, Vietnamese first.
 *
 * @since 0.1.0
 */
export const describe = (r: Refusal): string =>
  r._tag === "RoleNotPermitted"
    ? `Vai trò ${r.role} không được phép ${r.action} / role ${r.role} may not ${r.action}`
    : `Đơn vị ${r.unit} nằm ngoài phạm vi ${r.scope} / unit ${r.unit} is outside the scope of ${r.scope}`
