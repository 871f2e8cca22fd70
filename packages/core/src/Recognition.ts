/**
 * Recognitions (công nhận): a unit recognised as meeting a standard by a decision, and revocations (thu hồi).
 *
 * The full path to a recognition (self-assessment, verification, appraisal) is the dossier workflow; this module
 * holds its outcome, which other requirements count (a district needs 100% of its communes NTM).
 *
 * When units merge, recognitions carry over to the unit they merge into (MARD guidance 267/BNN-VPĐP of 2024-01-09).
 * The guidance was only partly read: whether every merging unit must hold the recognition is not known, so the
 * rule is a {@link MergePolicy}, `"all"` by default, marked unverified.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import { CatalogId } from "./Catalog.js"
import { UnknownCatalogVersion } from "./CatalogSet.js"
import type { Decider } from "./Decider.js"
import * as Hierarchy from "./Hierarchy.js"
import { sameIgnoringActor } from "./internal/sameContent.js"
import * as Limits from "./Limits.js"
import * as LocalDate from "./LocalDate.js"
import { StandardId } from "./Standard.js"
import { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export const streamId = (unit: UnitId): string => `Recognition-${unit}`

/**
 * A decision: its number, date, and who signed it.
 *
 * @since 0.1.0
 */
export class Decision extends Schema.Class<Decision>("@ntm/core/Decision")({
  number: Limits.Id,
  date: LocalDate.LocalDate,
  issuer: Schema.optional(Limits.Text),
  signer: Schema.optional(Limits.Text)
}) {}

/**
 * @since 0.1.0
 */
export class RecognitionGranted extends Schema.TaggedClass<RecognitionGranted>()("RecognitionGranted", {
  recognition: Limits.Id,
  unit: UnitId,
  standard: StandardId,
  /**
   * The criteria set it was assessed against. Recorded recognitions may name a set that was never published (a
   * 2016–2020 set, before the command required a published version); new ones cite a published version.
   */
  catalog: Schema.Struct({ id: Schema.Union(CatalogId, Limits.Id), version: Limits.Text }),
  decision: Decision,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/**
 * A recognition of a standard revoked from a date: the unit's own, or one carried over from a merge.
 *
 * @since 0.1.0
 */
export class RecognitionRevoked extends Schema.TaggedClass<RecognitionRevoked>()("RecognitionRevoked", {
  unit: UnitId,
  standard: StandardId,
  decision: Decision,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Event = Schema.Union(RecognitionGranted, RecognitionRevoked)

/** @since 0.1.0 */
export type Event = typeof Event.Type

/** @since 0.1.0 */
export interface State {
  readonly granted: ReadonlyMap<string, RecognitionGranted>
  /** Grants and revocations in record order. */
  readonly events: ReadonlyArray<Event>
}

/** @since 0.1.0 */
export const initial: State = { granted: new Map(), events: [] }

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State => {
  const events = [...state.events, event]
  if (event._tag === "RecognitionGranted") {
    const granted = new Map(state.granted)
    granted.set(event.recognition, event)
    return { granted, events }
  }
  return { granted: state.granted, events }
}

/**
 * Whether the unit's own record (not counting merges) shows the standard held on a date; `undefined` when the
 * record says nothing about the standard by then.
 *
 * @since 0.1.0
 */
export const ownStatusAt = (
  state: State,
  standard: StandardId,
  date: LocalDate.LocalDate
): { readonly holds: boolean; readonly since: LocalDate.LocalDate } | undefined => {
  let best: { holds: boolean; since: LocalDate.LocalDate } | undefined
  for (const e of state.events) {
    if (e.standard !== standard || e.effective > date) continue
    if (best === undefined || e.effective >= best.since) {
      best = { holds: e._tag === "RecognitionGranted", since: e.effective }
    }
  }
  return best
}

/** @since 0.1.0 */
export class GrantRecognition extends Schema.TaggedClass<GrantRecognition>()("GrantRecognition", {
  recognition: Limits.Id,
  unit: UnitId,
  standard: StandardId,
  /** A published version of a criteria set. */
  catalog: Schema.Struct({ id: CatalogId, version: Limits.Id }),
  decision: Decision,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class RevokeRecognition extends Schema.TaggedClass<RevokeRecognition>()("RevokeRecognition", {
  unit: UnitId,
  standard: StandardId,
  decision: Decision,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Command = Schema.Union(GrantRecognition, RevokeRecognition)

/** @since 0.1.0 */
export type Command = typeof Command.Type

/** @since 0.1.0 */
export class RecognitionConflict extends Schema.TaggedError<RecognitionConflict>()("RecognitionConflict", {
  recognition: Schema.String
}) {
  override get message() {
    return `Quyết định công nhận ${this.recognition} đã được ghi với nội dung khác / recognition ${this.recognition} was already recorded differently`
  }
}

/** @since 0.1.0 */
export class NotRecognised extends Schema.TaggedError<NotRecognised>()("NotRecognised", {
  unit: UnitId,
  standard: StandardId,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `${this.unit} không được công nhận ${this.standard} vào ngày ${this.date}, không thể thu hồi / ${this.unit} does not hold ${this.standard} on ${this.date}: nothing to revoke`
  }
}

/**
 * The recognition to revoke was granted by a dossier: it is revoked through that dossier (`RevokeDossier`), so that
 * the dossier and the unit's recognitions never disagree.
 *
 * @since 0.1.0
 */
export class RecognitionHeldByDossier extends Schema.TaggedError<RecognitionHeldByDossier>()(
  "RecognitionHeldByDossier",
  {
    unit: UnitId,
    standard: StandardId,
    dossier: Schema.String,
    /** The dossier's path in the HTTP API. */
    path: Schema.String
  }
) {
  override get message() {
    return `${this.unit} được công nhận ${this.standard} qua hồ sơ ${this.dossier}: thu hồi bằng bước RevokeDossier của hồ sơ ${this.path} / ${this.unit} holds ${this.standard} by dossier ${this.dossier}: revoke it with the dossier's RevokeDossier step (${this.path})`
  }
}

/** @since 0.1.0 */
export type Rejection =
  | RecognitionConflict
  | NotRecognised
  | RecognitionHeldByDossier
  | UnknownCatalogVersion
  | Hierarchy.UnknownUnit
  | Hierarchy.UnitNotInForce

/**
 * What a recognition decision needs to know beyond its own stream.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly hierarchy: Hierarchy.State
  /** Whether the unit holds the standard on a date, counting merges (see {@link holdsAt}). */
  readonly holds: (unit: UnitId, standard: StandardId, date: LocalDate.LocalDate) => boolean
  /**
   * The dossier, if any, whose recognition of the unit for the standard is in force on a date (recognised or
   * announced, not revoked). A direct revocation of it is refused. Left out when the revocation is the dossier's own.
   */
  readonly grantedByDossier?: (unit: UnitId, standard: StandardId, date: LocalDate.LocalDate) => string | undefined
  /** Whether a catalog version was published: a grant cites one. */
  readonly published: (catalog: { readonly id: string; readonly version: string }) => boolean
}

/** @since 0.1.0 */
export const decide = (
  command: Command,
  state: State,
  context: Context
): Either.Either<ReadonlyArray<Event>, Rejection> => {
  const u = context.hierarchy.units.get(command.unit)
  if (u === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit: command.unit }))
  switch (command._tag) {
    case "GrantRecognition": {
      const { _tag, ...fields } = command
      const event = new RecognitionGranted(fields)
      const existing = state.granted.get(command.recognition)
      if (existing !== undefined) {
        return sameIgnoringActor(existing, event)
          ? Either.right([])
          : Either.left(new RecognitionConflict({ recognition: command.recognition }))
      }
      if (!Hierarchy.inForce(u, command.effective)) {
        return Either.left(new Hierarchy.UnitNotInForce({ unit: command.unit, date: command.effective }))
      }
      if (!context.published(command.catalog)) {
        return Either.left(new UnknownCatalogVersion({ catalog: command.catalog.id, version: command.catalog.version }))
      }
      return Either.right([event])
    }
    case "RevokeRecognition": {
      const already = state.events.some(
        (e) =>
          e._tag === "RecognitionRevoked" &&
          e.standard === command.standard &&
          e.effective === command.effective &&
          e.decision.number === command.decision.number
      )
      if (already) return Either.right([])
      if (!Hierarchy.inForce(u, command.effective)) {
        return Either.left(new Hierarchy.UnitNotInForce({ unit: command.unit, date: command.effective }))
      }
      if (!context.holds(command.unit, command.standard, command.effective)) {
        return Either.left(
          new NotRecognised({ unit: command.unit, standard: command.standard, date: command.effective })
        )
      }
      const dossier = context.grantedByDossier?.(command.unit, command.standard, command.effective)
      if (dossier !== undefined) {
        return Either.left(
          new RecognitionHeldByDossier({
            unit: command.unit,
            standard: command.standard,
            dossier,
            path: `/dossiers/${encodeURIComponent(dossier)}`
          })
        )
      }
      const { _tag, ...fields } = command
      return Either.right([new RecognitionRevoked(fields)])
    }
  }
}

/** @since 0.1.0 */
export const decider: Decider<Command, Event, State, Rejection, Context> = { initial, evolve, decide }

/**
 * How recognitions carry over when units merge: the merged unit holds a standard from the merge date when `all`
 * (or `any`) of the units that formed it held it the day before.
 *
 * @since 0.1.0
 */
export interface MergePolicy {
  readonly rule: "all" | "any"
  readonly verified: boolean
  readonly source: string
}

/** @since 0.1.0 */
export const defaultMergePolicy: MergePolicy = {
  rule: "all",
  verified: false,
  source:
    "267/BNN-VPĐP (09/01/2024) carries recognition over to merged communes; whether all merging units must hold it was not read"
}

/**
 * Whether a unit holds a standard on a date, counting recognitions carried over by merges.
 *
 * The latest fact on or before the date decides: the unit's own grant or revocation, or a merge into it (which
 * yields the merge policy over the units that formed it, as they stood the day before).
 *
 * @since 0.1.0
 */
export const holdsAt = (
  hierarchy: Hierarchy.State,
  recognitions: (unit: UnitId) => State | undefined,
  unit: UnitId,
  standard: StandardId,
  date: LocalDate.LocalDate,
  policy: MergePolicy = defaultMergePolicy
): boolean => {
  const history = hierarchy.units.get(unit)
  if (history === undefined || !Hierarchy.inForce(history, date)) return false
  const state = recognitions(unit)
  const own = state === undefined ? undefined : ownStatusAt(state, standard, date)
  let merge: { date: LocalDate.LocalDate; merged: ReadonlyArray<UnitId> } | undefined
  for (const m of history.mergesIn) if (m.date <= date && (merge === undefined || m.date >= merge.date)) merge = m
  if (merge !== undefined && (own === undefined || merge.date > own.since)) {
    const before = LocalDate.addDays(merge.date, -1)
    const formers = history.established < merge.date ? [unit, ...merge.merged] : [...merge.merged]
    const held = formers.map((u) => holdsAt(hierarchy, recognitions, u, standard, before, policy))
    return policy.rule === "all" ? held.every(Boolean) : held.some(Boolean)
  }
  return own?.holds ?? false
}
