/**
 * Commitments (cam kết): who committed to what, to whom, by when, and which agency answers for it.
 *
 * A commitment is made by a unit or an agency (a provincial department, a district, a commune People's Committee)
 * to someone (the ministry, the province, the district), about indicators, criteria or a whole standard of a unit,
 * with a due date, a responsible agency and the head who answers for it. It may come from a document (a notice's
 * number and date). It is updated with progress, fulfilled (with the evidence that shows it), extended (the old
 * date is kept in the event), or withdrawn.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import { CatalogId } from "./Catalog.js"
import { type Reference, UnknownCatalogVersion } from "./CatalogSet.js"
import type { Decider } from "./Decider.js"
import { DocumentRef, UnknownEntry } from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import { sameIgnoringActor } from "./internal/sameContent.js"
import * as Limits from "./Limits.js"
import * as LocalDate from "./LocalDate.js"
import { StandardId } from "./Standard.js"
import { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export const streamId = (commitment: string): string => `Commitment-${commitment}`

/**
 * What a commitment is about: indicators or criteria of a unit under a criteria set, or a whole standard.
 *
 * @since 0.1.0
 */
export class Subject extends Schema.Class<Subject>("@ntm/core/CommitmentSubject")({
  unit: UnitId,
  catalog: Schema.optional(CatalogId),
  indicators: Schema.optionalWith(Limits.boundedArray(Limits.Id), { default: () => [] }),
  criteria: Schema.optionalWith(Limits.boundedArray(Limits.Id), { default: () => [] }),
  standard: Schema.optional(StandardId)
}) {}

/**
 * A party to a commitment: a unit, an agency, or both (an agency of a unit).
 *
 * @since 0.1.0
 */
export class Party extends Schema.Class<Party>("@ntm/core/Party")({
  name: Limits.NonEmptyText,
  unit: Schema.optional(UnitId)
}) {}

/**
 * The agency that answers for a commitment, and its head (người đứng đầu).
 *
 * @since 0.1.0
 */
export class Responsible extends Schema.Class<Responsible>("@ntm/core/Responsible")({
  agency: Limits.NonEmptyText,
  head: Schema.optional(Limits.NonEmptyText)
}) {}

/** @since 0.1.0 */
export class CommitmentMade extends Schema.TaggedClass<CommitmentMade>()("CommitmentMade", {
  commitment: Limits.Id,
  by: Actor,
  /** Who commits. */
  maker: Party,
  /** To whom. */
  to: Party,
  subject: Subject,
  description: Limits.NonEmptyText,
  due: LocalDate.LocalDate,
  responsible: Responsible,
  /** The document the commitment comes from, e.g. a provincial notice. */
  source: Schema.optional(DocumentRef),
  /** The recognition it was made for, e.g. the district's commitments to the ministry at its 2020 recognition. */
  madeFor: Schema.optional(Limits.Id),
  effective: LocalDate.LocalDate
}) {}

/** @since 0.1.0 */
export class CommitmentProgressReported extends Schema.TaggedClass<CommitmentProgressReported>()(
  "CommitmentProgressReported",
  {
    commitment: Limits.Id,
    note: Limits.NonEmptyText,
    percent: Schema.optional(Schema.Number.pipe(Schema.between(0, 100))),
    effective: LocalDate.LocalDate,
    by: Actor
  }
) {}

/** @since 0.1.0 */
export class CommitmentFulfilled extends Schema.TaggedClass<CommitmentFulfilled>()("CommitmentFulfilled", {
  commitment: Limits.Id,
  /** The evidence entries that show it. */
  evidence: Limits.boundedArray(Limits.Id),
  note: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class CommitmentExtended extends Schema.TaggedClass<CommitmentExtended>()("CommitmentExtended", {
  commitment: Limits.Id,
  previousDue: LocalDate.LocalDate,
  due: LocalDate.LocalDate,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class CommitmentWithdrawn extends Schema.TaggedClass<CommitmentWithdrawn>()("CommitmentWithdrawn", {
  commitment: Limits.Id,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Event = Schema.Union(
  CommitmentMade,
  CommitmentProgressReported,
  CommitmentFulfilled,
  CommitmentExtended,
  CommitmentWithdrawn
)

/** @since 0.1.0 */
export type Event = typeof Event.Type

/**
 * One commitment's record: what was made, and what happened to it since, in record order.
 *
 * @since 0.1.0
 */
export interface State {
  readonly made: CommitmentMade | undefined
  readonly events: ReadonlyArray<Event>
}

/** @since 0.1.0 */
export const initial: State = { made: undefined, events: [] }

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State =>
  event._tag === "CommitmentMade"
    ? state.made === undefined
      ? { made: event, events: [event] }
      : state
    : { made: state.made, events: [...state.events, event] }

/** Where a commitment stands on a date. @since 0.1.0 */
export type Status = "Open" | "DueSoon" | "Overdue" | "Fulfilled" | "FulfilledLate" | "Withdrawn"

/** @since 0.1.0 */
export const statusLabel: Record<Status, string> = {
  Open: "Đang thực hiện / open",
  DueSoon: "Sắp đến hạn / due soon",
  Overdue: "Quá hạn / overdue",
  Fulfilled: "Đã hoàn thành / fulfilled",
  FulfilledLate: "Hoàn thành muộn / fulfilled late",
  Withdrawn: "Đã rút / withdrawn"
}

/**
 * A commitment as it stood on a date.
 *
 * @since 0.1.0
 */
export interface View {
  readonly made: CommitmentMade
  readonly status: Status
  /** The due date in force on the date (after extensions effective by then). */
  readonly due: LocalDate.LocalDate
  readonly extensions: ReadonlyArray<CommitmentExtended>
  readonly lastProgress: CommitmentProgressReported | undefined
  readonly closedBy: CommitmentFulfilled | CommitmentWithdrawn | undefined
}

/**
 * The commitment as it stood on a date, counting only events effective by then; undefined before it was made.
 * "Due soon" means due within `horizonDays` (default 30) of the date.
 *
 * @since 0.1.0
 */
export const viewAt = (state: State, date: LocalDate.LocalDate, horizonDays = 30): View | undefined => {
  const made = state.made
  if (made === undefined || made.effective > date) return undefined
  const effective = state.events
    .filter((e) => e._tag !== "CommitmentMade" && e.effective <= date)
    .sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0))
  let due = made.due
  const extensions: Array<CommitmentExtended> = []
  let lastProgress: CommitmentProgressReported | undefined
  let closedBy: CommitmentFulfilled | CommitmentWithdrawn | undefined
  for (const e of effective) {
    if (closedBy !== undefined) break
    switch (e._tag) {
      case "CommitmentExtended":
        // Every extension recorded goes past all the dates recorded before it, so the date in force is the latest:
        // an extension recorded later but dated earlier than another must not bring the earlier date back.
        if (e.due > due) due = e.due
        extensions.push(e)
        break
      case "CommitmentProgressReported":
        lastProgress = e
        break
      case "CommitmentFulfilled":
      case "CommitmentWithdrawn":
        closedBy = e
        break
    }
  }
  const status: Status =
    closedBy?._tag === "CommitmentWithdrawn"
      ? "Withdrawn"
      : closedBy?._tag === "CommitmentFulfilled"
        ? closedBy.effective <= due
          ? "Fulfilled"
          : "FulfilledLate"
        : date > due
          ? "Overdue"
          : LocalDate.addDays(date, horizonDays) >= due
            ? "DueSoon"
            : "Open"
  return { made, status, due, extensions, lastProgress, closedBy }
}

// ---------------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------------

/** @since 0.1.0 */
export class MakeCommitment extends Schema.TaggedClass<MakeCommitment>()("MakeCommitment", {
  commitment: Limits.Id,
  maker: Party,
  to: Party,
  subject: Subject,
  description: Limits.NonEmptyText,
  due: LocalDate.LocalDate,
  responsible: Responsible,
  source: Schema.optional(DocumentRef),
  madeFor: Schema.optional(Limits.Id),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class ReportProgress extends Schema.TaggedClass<ReportProgress>()("ReportProgress", {
  commitment: Limits.Id,
  note: Limits.NonEmptyText,
  percent: Schema.optional(Schema.Number.pipe(Schema.between(0, 100))),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class FulfilCommitment extends Schema.TaggedClass<FulfilCommitment>()("FulfilCommitment", {
  commitment: Limits.Id,
  evidence: Limits.boundedArray(Limits.Id),
  note: Schema.optional(Limits.Text),
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class ExtendCommitment extends Schema.TaggedClass<ExtendCommitment>()("ExtendCommitment", {
  commitment: Limits.Id,
  due: LocalDate.LocalDate,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export class WithdrawCommitment extends Schema.TaggedClass<WithdrawCommitment>()("WithdrawCommitment", {
  commitment: Limits.Id,
  reason: Limits.NonEmptyText,
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Command = Schema.Union(
  MakeCommitment,
  ReportProgress,
  FulfilCommitment,
  ExtendCommitment,
  WithdrawCommitment
)

/** @since 0.1.0 */
export type Command = typeof Command.Type

/** @since 0.1.0 */
export class CommitmentConflict extends Schema.TaggedError<CommitmentConflict>()("CommitmentConflict", {
  commitment: Schema.String
}) {
  override get message() {
    return `Cam kết ${this.commitment} đã được ghi với nội dung khác / commitment ${this.commitment} was already made differently`
  }
}

/** @since 0.1.0 */
export class UnknownCommitment extends Schema.TaggedError<UnknownCommitment>()("UnknownCommitment", {
  commitment: Schema.String
}) {
  override get message() {
    return `Không có cam kết ${this.commitment} / no commitment ${this.commitment}`
  }
}

/** @since 0.1.0 */
export class CommitmentClosed extends Schema.TaggedError<CommitmentClosed>()("CommitmentClosed", {
  commitment: Schema.String,
  status: Schema.String
}) {
  override get message() {
    return `Cam kết ${this.commitment} đã kết thúc (${this.status}) / commitment ${this.commitment} is closed (${this.status})`
  }
}

/** @since 0.1.0 */
export class InvalidDueDate extends Schema.TaggedError<InvalidDueDate>()("InvalidDueDate", {
  commitment: Schema.String,
  due: LocalDate.LocalDate,
  reason: Schema.String
}) {
  override get message() {
    return `Hạn ${this.due} không hợp lệ cho cam kết ${this.commitment} / due date ${this.due} is not valid for ${this.commitment}: ${this.reason}`
  }
}

/** @since 0.1.0 */
export class BeforeCommitment extends Schema.TaggedError<BeforeCommitment>()("BeforeCommitment", {
  commitment: Schema.String,
  date: LocalDate.LocalDate
}) {
  override get message() {
    return `Ngày ${this.date} trước ngày cam kết / ${this.date} is before commitment ${this.commitment} was made`
  }
}

/** @since 0.1.0 */
export type Rejection =
  | CommitmentConflict
  | UnknownCommitment
  | CommitmentClosed
  | InvalidDueDate
  | BeforeCommitment
  | UnknownCatalogVersion
  | UnknownEntry
  | Hierarchy.UnknownUnit
  | Hierarchy.UnitNotInForce

/** @since 0.1.0 */
export interface Context {
  readonly hierarchy: Hierarchy.State
  /** Whether a catalog was published: a commitment about indicators names one. */
  readonly published: (catalog: Reference) => boolean
  /** Whether an evidence entry was recorded for the commitment's unit or a unit under it: a fulfilment cites them. */
  readonly entryExists: (entry: string) => boolean
}

const closed = (state: State): CommitmentFulfilled | CommitmentWithdrawn | undefined =>
  state.events.find(
    (e): e is CommitmentFulfilled | CommitmentWithdrawn =>
      e._tag === "CommitmentFulfilled" || e._tag === "CommitmentWithdrawn"
  )

/** The due date after every extension recorded so far. */
const currentDue = (state: State): LocalDate.LocalDate => {
  let due = state.made!.due
  for (const e of state.events) if (e._tag === "CommitmentExtended") due = e.due
  return due
}

/** @since 0.1.0 */
export const decide = (
  command: Command,
  state: State,
  context: Context
): Either.Either<ReadonlyArray<Event>, Rejection> => {
  if (command._tag === "MakeCommitment") {
    const { _tag, ...fields } = command
    const event = new CommitmentMade(fields)
    if (state.made !== undefined) {
      return sameIgnoringActor(state.made, event)
        ? Either.right([])
        : Either.left(new CommitmentConflict({ commitment: command.commitment }))
    }
    for (const u of [command.subject.unit, command.maker.unit, command.to.unit]) {
      if (u !== undefined && !context.hierarchy.units.has(u)) return Either.left(new Hierarchy.UnknownUnit({ unit: u }))
    }
    // A commitment is for a unit that exists on the day it is made (not one merged away or dissolved).
    if (!Hierarchy.inForce(context.hierarchy.units.get(command.subject.unit)!, command.effective)) {
      return Either.left(new Hierarchy.UnitNotInForce({ unit: command.subject.unit, date: command.effective }))
    }
    const catalog = command.subject.catalog
    if (catalog !== undefined && !context.published({ id: catalog })) {
      return Either.left(new UnknownCatalogVersion({ catalog }))
    }
    if (command.due < command.effective) {
      return Either.left(
        new InvalidDueDate({ commitment: command.commitment, due: command.due, reason: "before it was made" })
      )
    }
    return Either.right([event])
  }
  const made = state.made
  if (made === undefined) return Either.left(new UnknownCommitment({ commitment: command.commitment }))
  if (command.effective < made.effective) {
    return Either.left(new BeforeCommitment({ commitment: command.commitment, date: command.effective }))
  }
  const end = closed(state)
  switch (command._tag) {
    case "FulfilCommitment":
    case "WithdrawCommitment": {
      const event =
        command._tag === "FulfilCommitment"
          ? new CommitmentFulfilled({
              commitment: command.commitment,
              evidence: command.evidence,
              ...(command.note !== undefined ? { note: command.note } : {}),
              effective: command.effective,
              by: command.by
            })
          : new CommitmentWithdrawn({
              commitment: command.commitment,
              reason: command.reason,
              effective: command.effective,
              by: command.by
            })
      if (end !== undefined) {
        return end._tag === event._tag && sameIgnoringActor(end, event)
          ? Either.right([])
          : Either.left(new CommitmentClosed({ commitment: command.commitment, status: end._tag }))
      }
      const missing =
        command._tag === "FulfilCommitment" ? command.evidence.find((e) => !context.entryExists(e)) : undefined
      if (missing !== undefined) return Either.left(new UnknownEntry({ unit: made.subject.unit, entry: missing }))
      return Either.right([event])
    }
    case "ReportProgress": {
      const { _tag, ...fields } = command
      const event = new CommitmentProgressReported(fields)
      // A report already recorded is satisfied, even once the commitment has closed (a retry).
      if (state.events.some((e) => e._tag === "CommitmentProgressReported" && sameIgnoringActor(e, event))) {
        return Either.right([])
      }
      if (end !== undefined)
        return Either.left(new CommitmentClosed({ commitment: command.commitment, status: end._tag }))
      return Either.right([event])
    }
    case "ExtendCommitment": {
      // An extension already recorded is satisfied, even after a later extension or the close (a retry).
      const recorded = state.events.some(
        (e) =>
          e._tag === "CommitmentExtended" &&
          e.due === command.due &&
          e.reason === command.reason &&
          e.effective === command.effective
      )
      if (recorded) return Either.right([])
      if (end !== undefined)
        return Either.left(new CommitmentClosed({ commitment: command.commitment, status: end._tag }))
      const previousDue = currentDue(state)
      if (command.due === previousDue) return Either.right([])
      if (command.due < previousDue) {
        return Either.left(
          new InvalidDueDate({
            commitment: command.commitment,
            due: command.due,
            reason: `not after the current due date ${previousDue}`
          })
        )
      }
      return Either.right([
        new CommitmentExtended({
          commitment: command.commitment,
          previousDue,
          due: command.due,
          reason: command.reason,
          effective: command.effective,
          by: command.by
        })
      ])
    }
  }
}

/** @since 0.1.0 */
export const decider: Decider<Command, Event, State, Rejection, Context> = { initial, evolve, decide }
