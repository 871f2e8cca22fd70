/**
 * Evidence (minh chứng) for the indicators of one unit, and the assessments (đánh giá) made on it.
 *
 * A piece of evidence is a value for one indicator (or entry condition) of one unit under one criteria set, with
 * the date it is effective from (and, for a measurement of a period, the date it ends), the documents it rests on,
 * and who recorded it. Nothing is overwritten:
 * - a correction (đính chính) is a new entry that names the entry it corrects, for the same effective date;
 * - a retraction (hủy bỏ) withdraws the entry now in force in a chain, and the entry it corrected (if any) is in
 *   force again. A correction followed by its retraction restores the earlier state.
 * To change the effective date of a piece of evidence, retract it and record it anew.
 *
 * An assessment by an authorised role confirms or overrides an indicator's computed status with a reason, from a
 * date; evidence effective later than the assessment takes precedence again.
 *
 * @since 0.1.0
 */

import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor, type AssessmentPolicy } from "./Actor.js"
import * as Catalog from "./Catalog.js"
import type { Decider } from "./Decider.js"
import { acceptedBy, EvidenceValue } from "./EvidenceValue.js"
import * as Hierarchy from "./Hierarchy.js"
import * as PersistentMap from "./internal/PersistentMap.js"
import { sameIgnoringActor } from "./internal/sameContent.js"
import * as Limits from "./Limits.js"
import * as LocalDate from "./LocalDate.js"
import { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export const streamId = (unit: UnitId): string => `Evidence-${unit}`

/**
 * A document that evidence rests on: a report, a decision, a survey.
 *
 * @since 0.1.0
 */
export class DocumentRef extends Schema.Class<DocumentRef>("@ntm/core/DocumentRef")({
  title: Limits.NonEmptyText,
  number: Schema.optional(Limits.NonEmptyText),
  date: Schema.optional(LocalDate.LocalDate),
  issuer: Schema.optional(Limits.NonEmptyText),
  url: Schema.optional(Limits.NonEmptyText),
  /** A hash of the document's content, e.g. `sha256:…`, so that a later copy can be checked. */
  contentHash: Schema.optional(Limits.NonEmptyText)
}) {}

/** The status an assessment can set. @since 0.1.0 */
export const AssessedStatus = Schema.Literal("Met", "NotMet", "NotApplicable")

/** @since 0.1.0 */
export type AssessedStatus = typeof AssessedStatus.Type

/**
 * An assessment's verdict: the computed status confirmed, or replaced by another.
 *
 * @since 0.1.0
 */
export const Verdict = Schema.Union(
  Schema.TaggedStruct("Confirmed", {}),
  Schema.TaggedStruct("Overridden", { status: AssessedStatus })
).annotations({ identifier: "Verdict" })

/** @since 0.1.0 */
export type Verdict = typeof Verdict.Type

const target = {
  unit: UnitId,
  catalog: Catalog.CatalogId,
  /** The indicator or condition code. */
  code: Limits.Id
}

// ---------------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------------

/** @since 0.1.0 */
export class EvidenceRecorded extends Schema.TaggedClass<EvidenceRecorded>()("EvidenceRecorded", {
  entry: Limits.Id,
  ...target,
  value: EvidenceValue,
  /** The date the value holds from. */
  effective: LocalDate.LocalDate,
  /** For the measurement of a period: the last day it speaks for. */
  validUntil: Schema.optional(LocalDate.LocalDate),
  sources: Limits.boundedArray(DocumentRef, Limits.maxSources),
  note: Schema.optional(Limits.Text),
  by: Actor
}) {}

/**
 * A new entry that corrects the entry in force in a chain; same unit, indicator and effective date.
 *
 * @since 0.1.0
 */
export class EvidenceCorrected extends Schema.TaggedClass<EvidenceCorrected>()("EvidenceCorrected", {
  entry: Limits.Id,
  corrects: Limits.Id,
  /** The first entry of the chain. */
  chain: Limits.Id,
  ...target,
  value: EvidenceValue,
  effective: LocalDate.LocalDate,
  validUntil: Schema.optional(LocalDate.LocalDate),
  sources: Limits.boundedArray(DocumentRef, Limits.maxSources),
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/**
 * The entry in force in a chain is withdrawn; the entry it corrected, if any, is in force again.
 *
 * @since 0.1.0
 */
export class EvidenceRetracted extends Schema.TaggedClass<EvidenceRetracted>()("EvidenceRetracted", {
  entry: Limits.Id,
  chain: Limits.Id,
  ...target,
  /** The effective date of the chain (unchanged by the retraction). */
  effective: LocalDate.LocalDate,
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/** @since 0.1.0 */
export class IndicatorAssessed extends Schema.TaggedClass<IndicatorAssessed>()("IndicatorAssessed", {
  assessment: Limits.Id,
  ...target,
  verdict: Verdict,
  reason: Limits.NonEmptyText,
  /** The evidence entry in force when the assessment was made, if any. */
  basis: Schema.optional(Limits.Id),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class AssessmentWithdrawn extends Schema.TaggedClass<AssessmentWithdrawn>()("AssessmentWithdrawn", {
  assessment: Limits.Id,
  ...target,
  /** The effective date of the assessment withdrawn. */
  effective: LocalDate.LocalDate,
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Event = Schema.Union(
  EvidenceRecorded,
  EvidenceCorrected,
  EvidenceRetracted,
  IndicatorAssessed,
  AssessmentWithdrawn
)

/** @since 0.1.0 */
export type Event = typeof Event.Type

// ---------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------

/** An entry of a chain. @since 0.1.0 */
export type Entry = EvidenceRecorded | EvidenceCorrected

/**
 * A chain: an entry and its corrections. `live` is the stack of entries not retracted, the last one in force.
 *
 * @since 0.1.0
 */
export interface Chain {
  readonly id: string
  readonly unit: UnitId
  readonly catalog: Catalog.CatalogId
  readonly code: string
  readonly effective: LocalDate.LocalDate
  readonly entries: ReadonlyArray<Entry>
  readonly live: ReadonlyArray<Entry>
  readonly retracted: ReadonlySet<string>
}

/** @since 0.1.0 */
export interface Assessment {
  readonly event: IndicatorAssessed
  readonly withdrawn: AssessmentWithdrawn | undefined
}

/** @since 0.1.0 */
export interface State {
  /** Chains by the id of their first entry. */
  readonly chains: ReadonlyMap<string, Chain>
  /** The chain of every entry. */
  readonly entryChain: ReadonlyMap<string, string>
  readonly assessments: ReadonlyMap<string, Assessment>
}

/** @since 0.1.0 */
export const initial: State = {
  chains: PersistentMap.PersistentMap.empty(),
  entryChain: PersistentMap.PersistentMap.empty(),
  assessments: PersistentMap.PersistentMap.empty()
}

/**
 * The maps of a state as persistent maps, so that each event changes one key in O(log n) instead of copying the map
 * (folding a stream costs O(n log n), not O(n²)). A state built by hand with plain `Map`s is taken over on its first
 * change.
 */
const persistent = <K, V>(map: ReadonlyMap<K, V>): PersistentMap.PersistentMap<K, V> => {
  if (map instanceof PersistentMap.PersistentMap) return map
  let out = PersistentMap.PersistentMap.empty<K, V>()
  for (const [k, v] of map) out = out.set(k, v)
  return out
}

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "EvidenceRecorded": {
      if (state.entryChain.has(event.entry)) return state
      const chains = persistent(state.chains).set(event.entry, {
        id: event.entry,
        unit: event.unit,
        catalog: event.catalog,
        code: event.code,
        effective: event.effective,
        entries: [event],
        live: [event],
        retracted: new Set()
      })
      const entryChain = persistent(state.entryChain).set(event.entry, event.entry)
      return { ...state, chains, entryChain }
    }
    case "EvidenceCorrected": {
      const c = state.chains.get(event.chain)
      if (c === undefined || state.entryChain.has(event.entry)) return state
      const chains = persistent(state.chains).set(c.id, {
        ...c,
        entries: [...c.entries, event],
        live: [...c.live, event]
      })
      const entryChain = persistent(state.entryChain).set(event.entry, c.id)
      return { ...state, chains, entryChain }
    }
    case "EvidenceRetracted": {
      const c = state.chains.get(event.chain)
      if (c === undefined || c.retracted.has(event.entry)) return state
      const chains = persistent(state.chains).set(c.id, {
        ...c,
        live: c.live.filter((e) => e.entry !== event.entry),
        retracted: new Set([...c.retracted, event.entry])
      })
      return { ...state, chains }
    }
    case "IndicatorAssessed": {
      if (state.assessments.has(event.assessment)) return state
      const assessments = persistent(state.assessments).set(event.assessment, { event, withdrawn: undefined })
      return { ...state, assessments }
    }
    case "AssessmentWithdrawn": {
      const a = state.assessments.get(event.assessment)
      if (a === undefined || a.withdrawn !== undefined) return state
      const assessments = persistent(state.assessments).set(event.assessment, { ...a, withdrawn: event })
      return { ...state, assessments }
    }
  }
}

/**
 * The entry in force in a chain, if the chain has not been retracted to nothing.
 *
 * @since 0.1.0
 */
export const head = (chain: Chain): Entry | undefined => chain.live[chain.live.length - 1]

// ---------------------------------------------------------------------------------------------------------------
// Commands and rejections
// ---------------------------------------------------------------------------------------------------------------

/** @since 0.1.0 */
export class RecordEvidence extends Schema.TaggedClass<RecordEvidence>()("RecordEvidence", {
  entry: Limits.Id,
  ...target,
  value: EvidenceValue,
  effective: LocalDate.LocalDate,
  validUntil: Schema.optional(LocalDate.LocalDate),
  sources: Limits.boundedArray(DocumentRef, Limits.maxSources),
  note: Schema.optional(Limits.Text),
  by: Actor
}) {}

/** @since 0.1.0 */
export class CorrectEvidence extends Schema.TaggedClass<CorrectEvidence>()("CorrectEvidence", {
  entry: Limits.Id,
  unit: UnitId,
  corrects: Limits.Id,
  value: EvidenceValue,
  validUntil: Schema.optional(LocalDate.LocalDate),
  sources: Limits.boundedArray(DocumentRef, Limits.maxSources),
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/** @since 0.1.0 */
export class RetractEvidence extends Schema.TaggedClass<RetractEvidence>()("RetractEvidence", {
  unit: UnitId,
  entry: Limits.Id,
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/** @since 0.1.0 */
export class AssessIndicator extends Schema.TaggedClass<AssessIndicator>()("AssessIndicator", {
  assessment: Limits.Id,
  ...target,
  verdict: Verdict,
  reason: Limits.NonEmptyText,
  basis: Schema.optional(Limits.Id),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class WithdrawAssessment extends Schema.TaggedClass<WithdrawAssessment>()("WithdrawAssessment", {
  unit: UnitId,
  assessment: Limits.Id,
  reason: Limits.NonEmptyText,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Command = Schema.Union(
  RecordEvidence,
  CorrectEvidence,
  RetractEvidence,
  AssessIndicator,
  WithdrawAssessment
)

/** @since 0.1.0 */
export type Command = typeof Command.Type

/** @since 0.1.0 */
export class NoCatalogForUnit extends Schema.TaggedError<NoCatalogForUnit>()("NoCatalogForUnit", {
  unit: UnitId,
  catalog: Schema.String,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `Bộ tiêu chí ${this.catalog} không áp dụng cho ${this.unit} vào ngày ${this.date} / catalog ${this.catalog} does not apply to ${this.unit} on ${this.date}`
  }
}

/** @since 0.1.0 */
export class IndicatorNotInCatalog extends Schema.TaggedError<IndicatorNotInCatalog>()("IndicatorNotInCatalog", {
  catalog: Schema.String,
  version: Schema.String,
  code: Schema.String
}) {
  override get message() {
    return `Bộ tiêu chí ${this.catalog}@${this.version} không có chỉ tiêu ${this.code} / catalog ${this.catalog}@${this.version} has no indicator ${this.code}`
  }
}

/** @since 0.1.0 */
export class ValueTypeMismatch extends Schema.TaggedError<ValueTypeMismatch>()("ValueTypeMismatch", {
  code: Schema.String,
  given: Schema.String,
  accepted: Schema.Array(Schema.String),
  detail: Schema.optional(Schema.String)
}) {
  override get message() {
    const accepted = this.accepted.length === 0 ? "none (computed from the hierarchy)" : this.accepted.join(", ")
    return `Giá trị ${this.given} không phù hợp với chỉ tiêu ${this.code} / a ${this.given} value does not fit indicator ${this.code}; accepted: ${accepted}${this.detail ? ` (${this.detail})` : ""}`
  }
}

/** @since 0.1.0 */
export class EntryConflict extends Schema.TaggedError<EntryConflict>()("EntryConflict", { entry: Schema.String }) {
  override get message() {
    return `Mã ${this.entry} đã được dùng cho nội dung khác / id ${this.entry} is already used for something else`
  }
}

/** @since 0.1.0 */
export class UnknownEntry extends Schema.TaggedError<UnknownEntry>()("UnknownEntry", {
  unit: UnitId,
  entry: Schema.String
}) {
  override get message() {
    return `Không có minh chứng ${this.entry} của ${this.unit} / no evidence entry ${this.entry} for ${this.unit}`
  }
}

/** @since 0.1.0 */
export class EntryNotInForce extends Schema.TaggedError<EntryNotInForce>()("EntryNotInForce", {
  entry: Schema.String,
  inForce: Schema.optional(Schema.String)
}) {
  override get message() {
    const now = this.inForce === undefined ? "none is (the chain was retracted)" : `${this.inForce} is`
    return `Minh chứng ${this.entry} không còn hiệu lực / entry ${this.entry} is not the one in force (${now}); correct or retract that one`
  }
}

/** @since 0.1.0 */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  effective: LocalDate.LocalDate,
  validUntil: LocalDate.LocalDate
}) {
  override get message() {
    return `Thời hạn kết thúc trước ngày hiệu lực / the period ends (${this.validUntil}) before it starts (${this.effective})`
  }
}

/** @since 0.1.0 */
export class AssessmentNotPermitted extends Schema.TaggedError<AssessmentNotPermitted>()("AssessmentNotPermitted", {
  actor: Schema.String,
  role: Schema.String,
  unit: UnitId,
  reason: Schema.String
}) {
  override get message() {
    return `${this.actor} (${this.role}) không có thẩm quyền đánh giá ${this.unit} / ${this.actor} (${this.role}) may not assess ${this.unit}: ${this.reason}`
  }
}

/** @since 0.1.0 */
export class UnknownAssessment extends Schema.TaggedError<UnknownAssessment>()("UnknownAssessment", {
  unit: UnitId,
  assessment: Schema.String
}) {
  override get message() {
    return `Không có đánh giá ${this.assessment} của ${this.unit} / no assessment ${this.assessment} for ${this.unit}`
  }
}

/** @since 0.1.0 */
export type Rejection =
  | Hierarchy.UnknownUnit
  | Hierarchy.UnitNotInForce
  | NoCatalogForUnit
  | IndicatorNotInCatalog
  | ValueTypeMismatch
  | EntryConflict
  | UnknownEntry
  | EntryNotInForce
  | InvalidPeriod
  | AssessmentNotPermitted
  | UnknownAssessment

/**
 * What evidence decisions need beyond the unit's stream.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly hierarchy: Hierarchy.State
  /** The version of a criteria set in force for a unit on a date (see `CatalogSet.versionFor`). */
  readonly catalogFor: (
    catalog: Catalog.CatalogId,
    unit: UnitId,
    date: LocalDate.LocalDate
  ) => Catalog.Catalog | undefined
  readonly assessmentPolicy: AssessmentPolicy
}

/** Checks the unit, the catalog, the code and the value, and returns the item. */
const checkTarget = (
  context: Context,
  t: { unit: UnitId; catalog: Catalog.CatalogId; code: string },
  date: LocalDate.LocalDate,
  value: EvidenceValue | undefined
): Either.Either<Catalog.Item, Rejection> => {
  const u = context.hierarchy.units.get(t.unit)
  if (u === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit: t.unit }))
  if (!Hierarchy.inForce(u, date)) return Either.left(new Hierarchy.UnitNotInForce({ unit: t.unit, date }))
  const catalog = context.catalogFor(t.catalog, t.unit, date)
  if (catalog === undefined || !catalog.appliesTo.includes(u.kind)) {
    return Either.left(new NoCatalogForUnit({ unit: t.unit, catalog: t.catalog, date }))
  }
  const item = Catalog.findItem(catalog, t.code)
  if (item === undefined) {
    return Either.left(new IndicatorNotInCatalog({ catalog: catalog.id, version: catalog.version, code: t.code }))
  }
  if (value === undefined) return Either.right(item)
  if (value._tag === "NotApplicable") {
    return item.appliesOnlyIf !== undefined
      ? Either.right(item)
      : Either.left(
          new ValueTypeMismatch({
            code: t.code,
            given: value._tag,
            accepted: [],
            detail: "this indicator always applies"
          })
        )
  }
  const scheme = catalog.classification?.scheme
  const cls = scheme === undefined ? undefined : Hierarchy.classAt(context.hierarchy, t.unit, scheme, date)
  const requirement = Catalog.requirementFor(item, cls)
  const accepted = acceptedBy(requirement)
  if (!accepted.includes(value._tag)) {
    return Either.left(new ValueTypeMismatch({ code: t.code, given: value._tag, accepted }))
  }
  if (value._tag === "Level" && requirement._tag === "MinClass" && !requirement.scale.includes(value.value)) {
    return Either.left(
      new ValueTypeMismatch({
        code: t.code,
        given: value._tag,
        accepted,
        detail: `"${value.value}" is not on the scale ${requirement.scale.join(", ")}`
      })
    )
  }
  return Either.right(item)
}

const checkAssessor = (
  context: Context,
  unit: UnitId,
  by: Actor,
  date: LocalDate.LocalDate
): Either.Either<void, Rejection> => {
  const u = context.hierarchy.units.get(unit)
  if (u === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit }))
  const roles = context.assessmentPolicy[u.kind] ?? []
  const reject = (reason: string) =>
    Either.left(new AssessmentNotPermitted({ actor: by.id, role: by.role, unit, reason }))
  if (!roles.includes(by.role)) return reject(`the role ${by.role} does not assess a ${u.kind}`)
  if (by.unit !== undefined && !Hierarchy.isWithin(context.hierarchy, unit, by.unit, date)) {
    return reject(`${unit} is not under ${by.unit}`)
  }
  return Either.void
}

/** @since 0.1.0 */
export const decide = (
  command: Command,
  state: State,
  context: Context
): Either.Either<ReadonlyArray<Event>, Rejection> => {
  switch (command._tag) {
    case "RecordEvidence": {
      const { _tag, ...fields } = command
      const event = new EvidenceRecorded(fields)
      if (state.entryChain.has(command.entry)) {
        const c = state.chains.get(state.entryChain.get(command.entry)!)
        const existing = c?.entries.find((e) => e.entry === command.entry)
        return existing !== undefined && existing._tag === "EvidenceRecorded" && sameIgnoringActor(existing, event)
          ? Either.right([])
          : Either.left(new EntryConflict({ entry: command.entry }))
      }
      if (command.validUntil !== undefined && command.validUntil < command.effective) {
        return Either.left(new InvalidPeriod({ effective: command.effective, validUntil: command.validUntil }))
      }
      return Either.map(checkTarget(context, command, command.effective, command.value), () => [event])
    }
    case "CorrectEvidence": {
      const chainId = state.entryChain.get(command.corrects)
      const chain = chainId === undefined ? undefined : state.chains.get(chainId)
      if (chain === undefined) return Either.left(new UnknownEntry({ unit: command.unit, entry: command.corrects }))
      const event = new EvidenceCorrected({
        entry: command.entry,
        corrects: command.corrects,
        chain: chain.id,
        unit: chain.unit,
        catalog: chain.catalog,
        code: chain.code,
        value: command.value,
        effective: chain.effective,
        ...(command.validUntil !== undefined ? { validUntil: command.validUntil } : {}),
        sources: command.sources,
        reason: command.reason,
        by: command.by
      })
      if (state.entryChain.has(command.entry)) {
        const existing = chain.entries.find((e) => e.entry === command.entry)
        return existing !== undefined && existing._tag === "EvidenceCorrected" && sameIgnoringActor(existing, event)
          ? Either.right([])
          : Either.left(new EntryConflict({ entry: command.entry }))
      }
      const h = head(chain)
      if (h === undefined || h.entry !== command.corrects) {
        return Either.left(new EntryNotInForce({ entry: command.corrects, ...(h ? { inForce: h.entry } : {}) }))
      }
      if (command.validUntil !== undefined && command.validUntil < chain.effective) {
        return Either.left(new InvalidPeriod({ effective: chain.effective, validUntil: command.validUntil }))
      }
      return Either.map(checkTarget(context, chain, chain.effective, command.value), () => [event])
    }
    case "RetractEvidence": {
      const chainId = state.entryChain.get(command.entry)
      const chain = chainId === undefined ? undefined : state.chains.get(chainId)
      if (chain === undefined) return Either.left(new UnknownEntry({ unit: command.unit, entry: command.entry }))
      if (chain.retracted.has(command.entry)) return Either.right([])
      const h = head(chain)
      if (h === undefined || h.entry !== command.entry) {
        return Either.left(new EntryNotInForce({ entry: command.entry, ...(h ? { inForce: h.entry } : {}) }))
      }
      return Either.right([
        new EvidenceRetracted({
          entry: command.entry,
          chain: chain.id,
          unit: chain.unit,
          catalog: chain.catalog,
          code: chain.code,
          effective: chain.effective,
          reason: command.reason,
          by: command.by
        })
      ])
    }
    case "AssessIndicator": {
      const { _tag, ...fields } = command
      const event = new IndicatorAssessed(fields)
      const existing = state.assessments.get(command.assessment)
      if (existing !== undefined) {
        return sameIgnoringActor(existing.event, event)
          ? Either.right([])
          : Either.left(new EntryConflict({ entry: command.assessment }))
      }
      if (command.basis !== undefined && !state.entryChain.has(command.basis)) {
        return Either.left(new UnknownEntry({ unit: command.unit, entry: command.basis }))
      }
      return Either.flatMap(checkAssessor(context, command.unit, command.by, command.effective), () =>
        Either.map(checkTarget(context, command, command.effective, undefined), () => [event])
      )
    }
    case "WithdrawAssessment": {
      const a = state.assessments.get(command.assessment)
      if (a === undefined)
        return Either.left(new UnknownAssessment({ unit: command.unit, assessment: command.assessment }))
      if (a.withdrawn !== undefined) return Either.right([])
      return Either.flatMap(checkAssessor(context, a.event.unit, command.by, a.event.effective), () =>
        Either.right([
          new AssessmentWithdrawn({
            assessment: command.assessment,
            unit: a.event.unit,
            catalog: a.event.catalog,
            code: a.event.code,
            effective: a.event.effective,
            reason: command.reason,
            by: command.by
          })
        ])
      )
    }
  }
}

/** @since 0.1.0 */
export const decider: Decider<Command, Event, State, Rejection, Context> = { initial, evolve, decide }
