/**
 * The administrative hierarchy (hệ thống đơn vị hành chính) and how it changes over time.
 *
 * Units are established, renamed, moved under another parent, classed (region, commune group), merged (sáp nhập)
 * and dissolved, each change on an effective date. The hierarchy can be read as of any date. In 2025 the districts
 * were abolished: their communes moved under the province and the districts were dissolved, which is two kinds of
 * change recorded with one command ({@link DissolveUnit} with `moveChildrenTo`).
 *
 * The whole hierarchy is one stream: a cycle check needs the whole tree, and changes are rare.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import { Bilingual } from "./Bilingual.js"
import type { Decider } from "./Decider.js"
import { sameIgnoringActor } from "./internal/sameContent.js"
import * as Timeline from "./internal/timeline.js"
import * as Limits from "./Limits.js"
import * as LocalDate from "./LocalDate.js"
import { UnitId, UnitKind } from "./Unit.js"

/** The stream of the hierarchy. @since 0.1.0 */
export const streamId = "Hierarchy-vn"

// ---------------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------------

/**
 * A unit came into being on a date, under a parent (none for a province).
 *
 * Version 2: `name` is bilingual. Version 1 (the first draft) had a Vietnamese `name` string; it is upcast on read.
 *
 * @since 0.1.0
 */
export class UnitEstablished extends Schema.TaggedClass<UnitEstablished>()("UnitEstablished", {
  unit: UnitId,
  kind: UnitKind,
  name: Bilingual,
  parent: Schema.optional(UnitId),
  /** Classes by scheme, e.g. `{ region: "TDMNPB" }`; a unit without one inherits its parent's. */
  classes: Schema.optionalWith(Schema.Record({ key: Limits.Id, value: Limits.Id }), { default: () => ({}) }),
  /** The official code of the General Statistics Office, when known. */
  officialCode: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class UnitRenamed extends Schema.TaggedClass<UnitRenamed>()("UnitRenamed", {
  unit: UnitId,
  name: Bilingual,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * A unit moved under another parent (a province after the 2025 reform).
 *
 * @since 0.1.0
 */
export class UnitMoved extends Schema.TaggedClass<UnitMoved>()("UnitMoved", {
  unit: UnitId,
  parent: UnitId,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * A unit's class in a scheme changed (e.g. its commune group, or the region whose thresholds it uses).
 *
 * @since 0.1.0
 */
export class UnitClassified extends Schema.TaggedClass<UnitClassified>()("UnitClassified", {
  unit: UnitId,
  scheme: Limits.Id,
  code: Limits.Id,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * Units merged into one (sáp nhập). The merged units cease on the effective date; the unit they merged into
 * continues (or was established the same day). Recognitions carry over (see `Recognition`).
 *
 * @since 0.1.0
 */
export class UnitsMerged extends Schema.TaggedClass<UnitsMerged>()("UnitsMerged", {
  into: UnitId,
  merged: Limits.boundedNonEmptyArray(UnitId),
  basis: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * A unit ceased without a successor (the districts in 2025).
 *
 * @since 0.1.0
 */
export class UnitDissolved extends Schema.TaggedClass<UnitDissolved>()("UnitDissolved", {
  unit: UnitId,
  basis: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Event = Schema.Union(UnitEstablished, UnitRenamed, UnitMoved, UnitClassified, UnitsMerged, UnitDissolved)

/** @since 0.1.0 */
export type Event = typeof Event.Type

// ---------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------

/**
 * Everything known of one unit, as timelines.
 *
 * @since 0.1.0
 */
export interface UnitHistory {
  readonly id: UnitId
  readonly kind: UnitKind
  readonly established: LocalDate.LocalDate
  readonly officialCode: string | undefined
  readonly names: Timeline.Timeline<Bilingual>
  readonly parents: Timeline.Timeline<UnitId | undefined>
  readonly classes: Readonly<Record<string, Timeline.Timeline<string>>>
  /** When it ceased, and the unit it merged into if any. */
  readonly ceased: { readonly date: LocalDate.LocalDate; readonly into: UnitId | undefined } | undefined
  /** Merges into this unit: the date and the units merged. */
  readonly mergesIn: ReadonlyArray<{ readonly date: LocalDate.LocalDate; readonly merged: ReadonlyArray<UnitId> }>
  /** The event that established it, for idempotency. */
  readonly establishedBy: UnitEstablished
}

/** @since 0.1.0 */
export interface State {
  readonly units: ReadonlyMap<UnitId, UnitHistory>
}

/** @since 0.1.0 */
export const initial: State = { units: new Map() }

const update = (units: Map<UnitId, UnitHistory>, id: UnitId, f: (u: UnitHistory) => UnitHistory): void => {
  const u = units.get(id)
  if (u !== undefined) units.set(id, f(u))
}

/**
 * Applies an event to a mutable map of units. {@link evolve} applies it to a copy; projections that fold many
 * events apply it in place.
 *
 * @since 0.1.0
 */
export const applyTo = (units: Map<UnitId, UnitHistory>, event: Event): void => {
  switch (event._tag) {
    case "UnitEstablished": {
      if (units.has(event.unit)) return
      const classes: Record<string, Timeline.Timeline<string>> = {}
      for (const [k, v] of Object.entries(event.classes)) classes[k] = [{ from: event.effective, value: v }]
      units.set(event.unit, {
        id: event.unit,
        kind: event.kind,
        established: event.effective,
        officialCode: event.officialCode,
        names: [{ from: event.effective, value: event.name }],
        parents: [{ from: event.effective, value: event.parent }],
        classes,
        ceased: undefined,
        mergesIn: [],
        establishedBy: event
      })
      return
    }
    case "UnitRenamed":
      update(units, event.unit, (u) => ({ ...u, names: Timeline.insert(u.names, event.effective, event.name) }))
      return
    case "UnitMoved":
      update(units, event.unit, (u) => ({
        ...u,
        parents: Timeline.insert(u.parents, event.effective, event.parent)
      }))
      return
    case "UnitClassified":
      update(units, event.unit, (u) => ({
        ...u,
        classes: {
          ...u.classes,
          [event.scheme]: Timeline.insert(u.classes[event.scheme] ?? [], event.effective, event.code)
        }
      }))
      return
    case "UnitsMerged":
      update(units, event.into, (u) => ({
        ...u,
        mergesIn: [...u.mergesIn, { date: event.effective, merged: event.merged }]
      }))
      for (const m of event.merged)
        update(units, m, (u) => ({ ...u, ceased: { date: event.effective, into: event.into } }))
      return
    case "UnitDissolved":
      update(units, event.unit, (u) => ({ ...u, ceased: { date: event.effective, into: undefined } }))
      return
  }
}

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State => {
  const units = new Map(state.units)
  applyTo(units, event)
  return { units }
}

// ---------------------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------------------

/**
 * Whether a unit exists on a date (established, not yet ceased).
 *
 * @since 0.1.0
 */
export const inForce = (u: UnitHistory, date: LocalDate.LocalDate): boolean =>
  u.established <= date && (u.ceased === undefined || date < u.ceased.date)

/**
 * A unit as it stood on a date.
 *
 * @since 0.1.0
 */
export interface UnitView {
  readonly id: UnitId
  readonly kind: UnitKind
  readonly name: Bilingual
  readonly parent: UnitId | undefined
  readonly officialCode: string | undefined
}

/**
 * The unit as it stood on a date, or undefined when it did not exist then.
 *
 * @since 0.1.0
 */
export const unitAt = (state: State, id: UnitId, date: LocalDate.LocalDate): UnitView | undefined => {
  const u = state.units.get(id)
  if (u === undefined || !inForce(u, date)) return undefined
  return {
    id,
    kind: u.kind,
    name: Timeline.at(u.names, date)!,
    parent: Timeline.at(u.parents, date),
    officialCode: u.officialCode
  }
}

/**
 * The parent of a unit on a date.
 *
 * @since 0.1.0
 */
export const parentAt = (state: State, id: UnitId, date: LocalDate.LocalDate): UnitId | undefined => {
  const u = state.units.get(id)
  return u === undefined ? undefined : Timeline.at(u.parents, date)
}

/**
 * The chain of ancestors of a unit on a date, nearest first.
 *
 * @since 0.1.0
 */
export const ancestorsAt = (state: State, id: UnitId, date: LocalDate.LocalDate): ReadonlyArray<UnitId> => {
  const out: Array<UnitId> = []
  const seen = new Set<UnitId>([id])
  let p = parentAt(state, id, date)
  while (p !== undefined && !seen.has(p)) {
    out.push(p)
    seen.add(p)
    p = parentAt(state, p, date)
  }
  return out
}

/**
 * The unit's class in a scheme on a date: its own, else the nearest ancestor's.
 *
 * @since 0.1.0
 */
export const classAt = (state: State, id: UnitId, scheme: string, date: LocalDate.LocalDate): string | undefined => {
  for (const uid of [id, ...ancestorsAt(state, id, date)]) {
    const t = state.units.get(uid)?.classes[scheme]
    const v = t === undefined ? undefined : Timeline.at(t, date)
    if (v !== undefined) return v
  }
  return undefined
}

/**
 * The units directly under a unit on a date, in the order they were established.
 *
 * @since 0.1.0
 */
export const childrenAt = (state: State, id: UnitId, date: LocalDate.LocalDate): ReadonlyArray<UnitView> => {
  const out: Array<UnitView> = []
  for (const u of state.units.values()) {
    if (inForce(u, date) && Timeline.at(u.parents, date) === id) out.push(unitAt(state, u.id, date)!)
  }
  return out
}

/**
 * Every unit under a unit on a date, depth first.
 *
 * @since 0.1.0
 */
export const descendantsAt = (state: State, id: UnitId, date: LocalDate.LocalDate): ReadonlyArray<UnitView> => {
  const out: Array<UnitView> = []
  const walk = (p: UnitId) => {
    for (const c of childrenAt(state, p, date)) {
      out.push(c)
      walk(c.id)
    }
  }
  walk(id)
  return out
}

/**
 * Whether `ancestor` is `id` itself or above it on a date.
 *
 * @since 0.1.0
 */
export const isWithin = (state: State, id: UnitId, ancestor: UnitId, date: LocalDate.LocalDate): boolean =>
  id === ancestor || ancestorsAt(state, id, date).includes(ancestor)

// ---------------------------------------------------------------------------------------------------------------
// Commands and rejections
// ---------------------------------------------------------------------------------------------------------------

/** @since 0.1.0 */
export class EstablishUnit extends Schema.TaggedClass<EstablishUnit>()("EstablishUnit", {
  unit: UnitId,
  kind: UnitKind,
  name: Bilingual,
  parent: Schema.optional(UnitId),
  classes: Schema.optionalWith(Schema.Record({ key: Limits.Id, value: Limits.Id }), { default: () => ({}) }),
  officialCode: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class RenameUnit extends Schema.TaggedClass<RenameUnit>()("RenameUnit", {
  unit: UnitId,
  name: Bilingual,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class MoveUnit extends Schema.TaggedClass<MoveUnit>()("MoveUnit", {
  unit: UnitId,
  parent: UnitId,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class ClassifyUnit extends Schema.TaggedClass<ClassifyUnit>()("ClassifyUnit", {
  unit: UnitId,
  scheme: Limits.Id,
  code: Limits.Id,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * Merge units into one. The children of the merged units move to the unit they merge into.
 *
 * @since 0.1.0
 */
export class MergeUnits extends Schema.TaggedClass<MergeUnits>()("MergeUnits", {
  into: UnitId,
  merged: Limits.boundedNonEmptyArray(UnitId),
  basis: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * Dissolve a unit; its children move to `moveChildrenTo` (the province when districts were abolished).
 *
 * @since 0.1.0
 */
export class DissolveUnit extends Schema.TaggedClass<DissolveUnit>()("DissolveUnit", {
  unit: UnitId,
  moveChildrenTo: Schema.optional(UnitId),
  basis: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Command = Schema.Union(EstablishUnit, RenameUnit, MoveUnit, ClassifyUnit, MergeUnits, DissolveUnit)

/** @since 0.1.0 */
export type Command = typeof Command.Type

/** @since 0.1.0 */
export class UnknownUnit extends Schema.TaggedError<UnknownUnit>()("UnknownUnit", { unit: UnitId }) {
  override get message() {
    return `Không có đơn vị ${this.unit} / unknown unit ${this.unit}`
  }
}

/** @since 0.1.0 */
export class UnitNotInForce extends Schema.TaggedError<UnitNotInForce>()("UnitNotInForce", {
  unit: UnitId,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `Đơn vị ${this.unit} không tồn tại vào ngày ${this.date} / unit ${this.unit} does not exist on ${this.date}`
  }
}

/** @since 0.1.0 */
export class UnitAlreadyEstablished extends Schema.TaggedError<UnitAlreadyEstablished>()("UnitAlreadyEstablished", {
  unit: UnitId
}) {
  override get message() {
    return `Đơn vị ${this.unit} đã được lập với nội dung khác / unit ${this.unit} was already established differently`
  }
}

/** @since 0.1.0 */
export class ParentNotAllowed extends Schema.TaggedError<ParentNotAllowed>()("ParentNotAllowed", {
  unit: UnitId,
  kind: UnitKind,
  parentKind: Schema.optional(UnitKind)
}) {
  override get message() {
    const p = this.parentKind ?? "none"
    return `Đơn vị ${this.unit} (${this.kind}) không thể trực thuộc cấp ${p} / a ${this.kind} cannot sit under: ${p}`
  }
}

/** @since 0.1.0 */
export class WouldCreateCycle extends Schema.TaggedError<WouldCreateCycle>()("WouldCreateCycle", {
  unit: UnitId,
  parent: UnitId
}) {
  override get message() {
    return `${this.parent} nằm dưới ${this.unit} / ${this.parent} lies under ${this.unit}: the move would create a cycle`
  }
}

/** @since 0.1.0 */
export class InvalidMerge extends Schema.TaggedError<InvalidMerge>()("InvalidMerge", {
  into: UnitId,
  reason: Schema.String
}) {
  override get message() {
    return `Sáp nhập không hợp lệ / invalid merge into ${this.into}: ${this.reason}`
  }
}

/**
 * The parent ceases (merged or dissolved) while the unit would still be under it.
 *
 * @since 0.1.0
 */
export class ParentCeases extends Schema.TaggedError<ParentCeases>()("ParentCeases", {
  unit: UnitId,
  parent: UnitId,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `${this.parent} chấm dứt từ ngày ${this.date} trong khi ${this.unit} vẫn trực thuộc; hãy ghi nhận đơn vị trực thuộc mới / ${this.parent} ceases on ${this.date} while ${this.unit} would still be under it: record where it goes first`
  }
}

/** @since 0.1.0 */
export type Rejection =
  | ParentCeases
  | UnknownUnit
  | UnitNotInForce
  | UnitAlreadyEstablished
  | ParentNotAllowed
  | WouldCreateCycle
  | InvalidMerge

/** The kinds of parent each kind of unit may have. @since 0.1.0 */
export const allowedParents: Readonly<Record<UnitKind, ReadonlyArray<UnitKind | "none">>> = {
  province: ["none"],
  district: ["province"],
  commune: ["district", "province"],
  town: ["district", "province"],
  ward: ["district", "province"],
  village: ["commune", "town", "ward"]
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

const requireInForce = (state: State, id: UnitId, date: LocalDate.LocalDate): Either.Either<UnitHistory, Rejection> => {
  const u = state.units.get(id)
  if (u === undefined) return Either.left(new UnknownUnit({ unit: id }))
  if (!inForce(u, date)) return Either.left(new UnitNotInForce({ unit: id, date }))
  return Either.right(u)
}

const checkParent = (
  state: State,
  unit: UnitId,
  kind: UnitKind,
  parent: UnitId | undefined,
  date: LocalDate.LocalDate
): Either.Either<void, Rejection> => {
  if (parent === undefined) {
    return allowedParents[kind].includes("none")
      ? Either.void
      : Either.left<Rejection>(new ParentNotAllowed({ unit, kind }))
  }
  return Either.flatMap(requireInForce(state, parent, date), (p): Either.Either<void, Rejection> => {
    if (!allowedParents[kind].includes(p.kind))
      return Either.left(new ParentNotAllowed({ unit, kind, parentKind: p.kind }))
    // The new parent must not lie under the unit, on the date or at any later change of any parent.
    const dates = new Set<LocalDate.LocalDate>([date])
    for (const u of state.units.values()) for (const d of Timeline.changesFrom(u.parents, date)) dates.add(d)
    for (const d of dates) {
      if (parent === unit || ancestorsAt(state, parent, d).includes(unit)) {
        return Either.left(new WouldCreateCycle({ unit, parent }))
      }
    }
    // A parent that ceases later: the unit must already be recorded as moving away by then.
    if (p.ceased !== undefined) {
      const moves = state.units.get(unit)?.parents ?? []
      const leaves = moves.some((m) => m.from > date && m.from <= p.ceased!.date)
      if (!leaves) return Either.left(new ParentCeases({ unit, parent, date: p.ceased.date }))
    }
    return Either.void
  })
}

/**
 * Units placed under `id` on a date after `date` (recorded before the change that ends `id` on `date`).
 */
const placedUnderAfter = (state: State, id: UnitId, date: LocalDate.LocalDate): ReadonlyArray<UnitId> => {
  const out: Array<UnitId> = []
  for (const u of state.units.values()) {
    if (u.parents.some((e) => e.from > date && e.value === id)) out.push(u.id)
  }
  return out
}

/** @since 0.1.0 */
export const decide = (command: Command, state: State): Either.Either<ReadonlyArray<Event>, Rejection> => {
  switch (command._tag) {
    case "EstablishUnit": {
      const { _tag, ...fields } = command
      const event = new UnitEstablished(fields)
      const existing = state.units.get(command.unit)
      if (existing !== undefined) {
        return sameIgnoringActor(existing.establishedBy, event)
          ? Either.right([])
          : Either.left(new UnitAlreadyEstablished({ unit: command.unit }))
      }
      return Either.map(checkParent(state, command.unit, command.kind, command.parent, command.effective), () => [
        event
      ])
    }
    case "RenameUnit":
      return Either.map(requireInForce(state, command.unit, command.effective), (u) =>
        sameJson(Timeline.at(u.names, command.effective), command.name)
          ? []
          : [new UnitRenamed({ unit: command.unit, name: command.name, effective: command.effective, by: command.by })]
      )
    case "MoveUnit":
      return Either.flatMap(requireInForce(state, command.unit, command.effective), (u) =>
        Timeline.at(u.parents, command.effective) === command.parent
          ? Either.right([])
          : Either.map(checkParent(state, command.unit, u.kind, command.parent, command.effective), () => [
              new UnitMoved({
                unit: command.unit,
                parent: command.parent,
                effective: command.effective,
                by: command.by
              })
            ])
      )
    case "ClassifyUnit":
      return Either.map(requireInForce(state, command.unit, command.effective), (u) => {
        const t = u.classes[command.scheme]
        return t !== undefined && Timeline.at(t, command.effective) === command.code
          ? []
          : [
              new UnitClassified({
                unit: command.unit,
                scheme: command.scheme,
                code: command.code,
                effective: command.effective,
                by: command.by
              })
            ]
      })
    case "MergeUnits": {
      const { into, merged, effective, by } = command
      const target = state.units.get(into)
      if (target === undefined) return Either.left(new UnknownUnit({ unit: into }))
      // Already done: every merged unit ceased into the target on that date.
      if (
        merged.every((m) => state.units.get(m)?.ceased?.into === into && state.units.get(m)?.ceased?.date === effective)
      ) {
        return Either.right([])
      }
      if (!inForce(target, effective)) return Either.left(new UnitNotInForce({ unit: into, date: effective }))
      if (merged.includes(into))
        return Either.left(new InvalidMerge({ into, reason: "a unit cannot merge into itself" }))
      if (new Set(merged).size < merged.length) {
        return Either.left(new InvalidMerge({ into, reason: "a unit is listed twice" }))
      }
      const events: Array<Event> = []
      for (const m of merged) {
        const u = state.units.get(m)
        if (u === undefined) return Either.left(new UnknownUnit({ unit: m }))
        if (!inForce(u, LocalDate.addDays(effective, -1)) || !inForce(u, effective)) {
          return Either.left(new UnitNotInForce({ unit: m, date: effective }))
        }
        if (u.kind !== target.kind) {
          return Either.left(new InvalidMerge({ into, reason: `${m} is a ${u.kind}, ${into} a ${target.kind}` }))
        }
        const later = placedUnderAfter(state, m, effective)
        if (later.length > 0) {
          return Either.left(
            new InvalidMerge({
              into,
              reason: `${later.join(", ")} ${later.length > 1 ? "are" : "is"} placed under ${m} after ${effective}`
            })
          )
        }
        for (const c of childrenAt(state, m, effective)) {
          events.push(new UnitMoved({ unit: c.id, parent: into, effective, by }))
        }
      }
      events.push(
        new UnitsMerged({
          into,
          merged,
          effective,
          by,
          ...(command.basis !== undefined ? { basis: command.basis } : {})
        })
      )
      return Either.right(events)
    }
    case "DissolveUnit": {
      const { unit, effective, by, moveChildrenTo } = command
      const u = state.units.get(unit)
      if (u === undefined) return Either.left(new UnknownUnit({ unit }))
      if (u.ceased !== undefined && u.ceased.date === effective && u.ceased.into === undefined) return Either.right([])
      if (!inForce(u, effective)) return Either.left(new UnitNotInForce({ unit, date: effective }))
      const later = placedUnderAfter(state, unit, effective)
      if (later.length > 0) {
        return Either.left(
          new InvalidMerge({
            into: unit,
            reason: `${later.join(", ")} ${later.length > 1 ? "are" : "is"} placed under it after ${effective}`
          })
        )
      }
      const children = childrenAt(state, unit, effective)
      const events: Array<Event> = []
      if (children.length > 0) {
        if (moveChildrenTo === undefined) {
          return Either.left(
            new InvalidMerge({
              into: unit,
              reason: `it still has ${children.length} units under it; name where they go`
            })
          )
        }
        if (moveChildrenTo === unit) {
          return Either.left(new InvalidMerge({ into: unit, reason: "its units cannot move under the unit dissolved" }))
        }
        const target = requireInForce(state, moveChildrenTo, effective)
        if (Either.isLeft(target)) return Either.left(target.left)
        for (const c of children) {
          const allowed = allowedParents[c.kind].includes(target.right.kind)
          if (!allowed)
            return Either.left(new ParentNotAllowed({ unit: c.id, kind: c.kind, parentKind: target.right.kind }))
          events.push(new UnitMoved({ unit: c.id, parent: moveChildrenTo, effective, by }))
        }
      }
      events.push(
        new UnitDissolved({ unit, effective, by, ...(command.basis !== undefined ? { basis: command.basis } : {}) })
      )
      return Either.right(events)
    }
  }
}

/**
 * The hierarchy decider.
 *
 * @since 0.1.0
 */
export const decider: Decider<Command, Event, State, Rejection> = { initial, evolve, decide }
