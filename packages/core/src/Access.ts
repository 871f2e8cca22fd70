/**
 * Who may do what (ai được làm gì): a matrix of actions and the roles that may take them, and the rule that an
 * action on a unit is taken only by an actor whose unit holds it — on the date the action is recorded and on the
 * date it is effective. The commands check it on the state they decide on (`Commands`), so it holds on every path
 * (any number of servers, the command line, an embedding host); the edges only translate a refusal.
 *
 * The matrix is data: a province can pass its own. The finer rules (which role assesses a unit of each kind, which
 * role takes each step of a dossier) are the aggregates' own (`Actor.AssessmentPolicy`, `Dossier.WorkflowPolicy`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Actor } from "./Actor.js"
import { Role } from "./Actor.js"
import * as Hierarchy from "./Hierarchy.js"
import * as LocalDate from "./LocalDate.js"
import { UnitId } from "./Unit.js"

/**
 * The actions: every write of the core, and the walk of the hash chain (a read, but not an open one).
 *
 * @since 0.1.0
 */
export const Action = Schema.Literal(
  "catalog.publish",
  "hierarchy.change",
  "evidence.record",
  "evidence.assess",
  "commitment.write",
  "dossier.step",
  "recognition.write",
  "log.verify"
)

/** @since 0.1.0 */
export type Action = typeof Action.Type

/**
 * The actions that concern a unit, and so are checked against the actor's unit.
 *
 * @since 0.1.0
 */
export const scopedActions: ReadonlySet<Action> = new Set<Action>([
  "evidence.record",
  "evidence.assess",
  "commitment.write",
  "dossier.step",
  "recognition.write"
])

/**
 * The roles that act for a unit, and so must name one (a commune, district or province officer without a unit would
 * act for the whole country).
 *
 * @since 0.1.0
 */
export const unitRoles: ReadonlySet<Role> = new Set<Role>(["commune", "district", "province"])

/**
 * The roles that may take each action.
 *
 * @since 0.1.0
 */
export type Matrix = Readonly<Record<Action, ReadonlyArray<Role>>>

/**
 * The default matrix:
 * - an admin manages catalogs and the hierarchy (and tokens, from the command line);
 * - a commune, district or province officer records evidence and commitments for units within their own;
 * - districts, provinces and the central council assess indicators and take dossier steps within their scope,
 *   communes open and self-assess their own dossiers (the workflow policy says which step is whose);
 * - a province or the central council grants and revokes recognitions directly;
 * - an auditor reads everything and writes nothing, and with an admin may walk the hash chain;
 * - `system` is the operator's own tools, never an API caller (no token is issued for it): the server publishes the
 *   shipped national catalogs at start, and `ntm evidence import` records a spreadsheet's evidence.
 *
 * @since 0.1.0
 */
export const defaultMatrix: Matrix = {
  "catalog.publish": ["admin", "system"],
  "hierarchy.change": ["admin"],
  "evidence.record": ["commune", "district", "province", "system"],
  "evidence.assess": ["district", "province", "central"],
  "commitment.write": ["commune", "district", "province", "central"],
  "dossier.step": ["commune", "district", "province", "central"],
  "recognition.write": ["province", "central"],
  "log.verify": ["auditor", "admin"]
}

/**
 * The roles that never hold an API token: the operator's own tools.
 *
 * @since 0.1.0
 */
export const toolRoles: ReadonlySet<Role> = new Set<Role>(["system"])

// ---------------------------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------------------------

/**
 * The actor's role may not take the action.
 *
 * @since 0.1.0
 */
export class RoleNotPermitted extends Schema.TaggedError<RoleNotPermitted>()("RoleNotPermitted", {
  action: Action,
  actor: Schema.String,
  role: Role
}) {
  override get message() {
    return `Vai trò ${this.role} không được phép ${this.action} / role ${this.role} may not ${this.action} (${this.actor})`
  }
}

/**
 * The unit the action concerns is not within the actor's unit on a date (the date the action is recorded, or the
 * date it is effective), or the actor's unit did not exist then.
 *
 * @since 0.1.0
 */
export class OutOfScope extends Schema.TaggedError<OutOfScope>()("OutOfScope", {
  action: Action,
  actor: Schema.String,
  unit: UnitId,
  scope: UnitId,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `Đơn vị ${this.unit} nằm ngoài phạm vi ${this.scope} vào ngày ${this.date} / unit ${this.unit} is outside the scope of ${this.scope} on ${this.date} (${this.actor}, ${this.action})`
  }
}

/**
 * A role that acts for a unit names none.
 *
 * @since 0.1.0
 */
export class UnitRequired extends Schema.TaggedError<UnitRequired>()("UnitRequired", {
  actor: Schema.String,
  role: Role
}) {
  override get message() {
    return `Vai trò ${this.role} phải gắn với một đơn vị / the ${this.role} role acts for a unit, and ${this.actor} names none`
  }
}

/**
 * Why an action was refused.
 *
 * @since 0.1.0
 */
export type Refusal = RoleNotPermitted | OutOfScope | UnitRequired

// ---------------------------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------------------------

/**
 * The unit that stands for a unit on a date: itself while it exists, the unit it merged into (transitively) after
 * it merged; none before it was established, after it was dissolved, or when the hierarchy does not know it.
 *
 * @since 0.1.0
 */
export const standingFor = (
  hierarchy: Hierarchy.State,
  unit: UnitId,
  date: LocalDate.LocalDate
): UnitId | undefined => {
  const seen = new Set<UnitId>()
  let id = unit
  while (!seen.has(id)) {
    seen.add(id)
    const u = hierarchy.units.get(id)
    if (u === undefined || u.established > date) return undefined
    if (u.ceased === undefined || date < u.ceased.date) return id
    if (u.ceased.into === undefined) return undefined
    id = u.ceased.into
  }
  return undefined
}

/**
 * Whether a unit lies within a scope on a date: the scope existed then, and the unit (or the unit it had merged
 * into) was the scope or under it.
 *
 * @since 0.1.0
 */
export const isInScope = (
  hierarchy: Hierarchy.State,
  unit: UnitId,
  scope: UnitId,
  date: LocalDate.LocalDate
): boolean => {
  const s = hierarchy.units.get(scope)
  if (s === undefined || !Hierarchy.inForce(s, date)) return false
  const standing = standingFor(hierarchy, unit, date)
  return standing !== undefined && Hierarchy.isWithin(hierarchy, standing, scope, date)
}

/**
 * What a scoped action concerns: a unit, on the dates to judge it (the date recorded, and the date effective when
 * known), in the hierarchy the command decides on.
 *
 * @since 0.1.0
 */
export interface Target {
  readonly hierarchy: Hierarchy.State
  readonly unit: UnitId
  readonly dates: ReadonlyArray<LocalDate.LocalDate>
}

/**
 * Whether an actor may take an action (on a target, for a scoped action). An actor without a unit acts for the whole
 * country, which only the roles outside {@link unitRoles} may.
 *
 * @since 0.1.0
 */
export const check = (matrix: Matrix, actor: Actor, action: Action, target?: Target): Either.Either<void, Refusal> => {
  if (!matrix[action].includes(actor.role))
    return Either.left(new RoleNotPermitted({ action, actor: actor.id, role: actor.role }))
  if (!scopedActions.has(action)) return Either.void
  if (actor.unit === undefined)
    return unitRoles.has(actor.role)
      ? Either.left(new UnitRequired({ actor: actor.id, role: actor.role }))
      : Either.void
  if (target === undefined) return Either.void
  for (const date of target.dates)
    if (!isInScope(target.hierarchy, target.unit, actor.unit, date))
      return Either.left(new OutOfScope({ action, actor: actor.id, unit: target.unit, scope: actor.unit, date }))
  return Either.void
}

/**
 * Whether a reader scoped to a unit may see what concerns some units: one of them lies within the scope on one of
 * the dates (a reader without a scope sees everything).
 *
 * @since 0.1.0
 */
export const sees = (
  hierarchy: Hierarchy.State,
  scope: UnitId | undefined,
  units: ReadonlyArray<UnitId>,
  dates: ReadonlyArray<LocalDate.LocalDate>
): boolean =>
  scope === undefined || units.some((u) => dates.some((d) => u === scope || isInScope(hierarchy, u, scope, d)))
