/**
 * Recognition dossiers (hồ sơ đề nghị công nhận) and their workflow, after Decision 18/2022/QĐ-TTg.
 *
 * A dossier is opened for a unit, a standard and a catalog version. The unit submits its self-assessment (tự đánh
 * giá), which freezes the scorecard it was based on; records the public consultation (lấy ý kiến, satisfaction
 * rates); the level above verifies it (thẩm tra); the appraisal council appraises it (thẩm định); the competent
 * authority recognises the unit (công nhận) with a decision; the recognition is announced (công bố). A reviewer may
 * return the dossier for revision with reasons; a recognition may later be revoked (thu hồi).
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> Opened: OpenDossier
 *   Opened --> SelfAssessed: SubmitSelfAssessment
 *   SelfAssessed --> Consulted: RecordConsultation
 *   Consulted --> Verified: VerifyDossier (thẩm tra)
 *   Verified --> Appraised: AppraiseDossier (thẩm định)
 *   Appraised --> Recognised: RecogniseDossier (công nhận)
 *   Recognised --> Announced: AnnounceRecognition (công bố)
 *   SelfAssessed --> Opened: ReturnDossier
 *   Consulted --> Opened: ReturnDossier
 *   Verified --> Opened: ReturnDossier
 *   Appraised --> Opened: ReturnDossier
 *   Recognised --> Revoked: RevokeDossier (thu hồi)
 *   Announced --> Revoked: RevokeDossier
 * ```
 *
 * Who may take each step depends on the unit's level ({@link WorkflowPolicy}): for a commune its district verifies,
 * the province appraises and recognises; for a district the province verifies, the Central Appraisal Council
 * appraises and the Prime Minister recognises. Deadlines between steps are data ({@link DeadlinePolicy}); the
 * working-day limits of 18/2022 were not in hand, so none are shipped.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor, type Role } from "./Actor.js"
import { type Catalog, CatalogId, catalogId } from "./Catalog.js"
import type { Decider } from "./Decider.js"
import { DocumentRef, type NoCatalogForUnit } from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import { sameIgnoringActor } from "./internal/sameContent.js"
import * as Limits from "./Limits.js"
import * as LocalDate from "./LocalDate.js"
import { Decision } from "./Recognition.js"
import { Status as ScoringStatus } from "./Scoring.js"
import { StandardId } from "./Standard.js"
import { UnitId, type UnitKind } from "./Unit.js"

/** @since 0.1.0 */
export const streamId = (dossier: string): string => `Dossier-${dossier}`

/**
 * The index of a unit's dossiers: one {@link DossierListed} per dossier opened for the unit, appended in the same
 * transaction as its `DossierOpened`. Opening a dossier reads the index and appends to it at the version it read, so
 * two servers opening dossiers for one unit at once cannot both pass the one-open-dossier check.
 *
 * @since 0.1.0
 */
export const indexStreamId = (unit: UnitId): string => `DossierIndex-${unit}`

/**
 * The scorecard a self-assessment was based on, frozen into the event. The core computes it when the step is taken
 * (see `Commands.dossier`): the unit's scorecard against the dossier's catalog version, as of the step's date and as
 * the record stood at `knownAt`; no caller supplies it.
 *
 * @since 0.1.0
 */
export class FrozenScorecard extends Schema.Class<FrozenScorecard>("@ntm/core/FrozenScorecard")({
  catalog: Schema.Struct({ id: CatalogId, version: Limits.Id }),
  asOf: LocalDate.LocalDate,
  /** The recording time the scorecard was computed from (as known at), epoch milliseconds. */
  knownAt: Limits.FiniteNumber,
  standardMet: Schema.Boolean,
  met: Schema.NonNegativeInt,
  applicable: Schema.NonNegativeInt,
  total: Schema.NonNegativeInt,
  criteria: Limits.boundedArray(Schema.Struct({ code: Limits.Id, status: ScoringStatus })),
  indicators: Limits.boundedArray(Schema.Struct({ code: Limits.Id, status: ScoringStatus })),
  conditions: Limits.boundedArray(Schema.Struct({ code: Limits.Id, status: ScoringStatus }))
}) {}

const header = {
  dossier: Limits.Id,
  effective: LocalDate.LocalDate,
  by: Actor
}

/** The fields of each step, shared by its command and the event it records. */
const fields = {
  open: {
    ...header,
    unit: UnitId,
    standard: StandardId,
    catalog: Schema.Struct({ id: CatalogId, version: Limits.Id })
  },
  selfAssess: { ...header, scorecard: FrozenScorecard, report: Schema.optional(DocumentRef) },
  /** The command carries no scorecard: the core computes the one the event freezes. */
  submitSelfAssessment: { ...header, report: Schema.optional(DocumentRef) },
  consult: {
    ...header,
    satisfaction: Schema.Number.pipe(Schema.between(0, 100)),
    bySubunit: Schema.optionalWith(
      Limits.boundedArray(Schema.Struct({ unit: UnitId, satisfaction: Schema.Number.pipe(Schema.between(0, 100)) })),
      { default: () => [] }
    ),
    report: Schema.optional(DocumentRef)
  },
  verify: { ...header, report: DocumentRef },
  appraise: { ...header, council: Limits.NonEmptyText, report: DocumentRef },
  recognise: {
    ...header,
    recognition: Limits.Id,
    decision: Decision,
    /** Recognise although the frozen scorecard does not meet the standard; the reason is recorded. */
    override: Schema.optional(Schema.Struct({ reason: Limits.NonEmptyText }))
  },
  announce: { ...header },
  revoke: { ...header, decision: Decision, reason: Limits.NonEmptyText }
}

/** @since 0.1.0 */
export class DossierOpened extends Schema.TaggedClass<DossierOpened>()("DossierOpened", fields.open) {}

/** @since 0.1.0 */
export class SelfAssessmentSubmitted extends Schema.TaggedClass<SelfAssessmentSubmitted>()(
  "SelfAssessmentSubmitted",
  fields.selfAssess
) {}

/**
 * The public consultation: the share of residents satisfied, overall and per sub-unit.
 *
 * @since 0.1.0
 */
export class ConsultationRecorded extends Schema.TaggedClass<ConsultationRecorded>()(
  "ConsultationRecorded",
  fields.consult
) {}

/** @since 0.1.0 */
export class DossierVerified extends Schema.TaggedClass<DossierVerified>()("DossierVerified", fields.verify) {}

/** @since 0.1.0 */
export class DossierAppraised extends Schema.TaggedClass<DossierAppraised>()("DossierAppraised", fields.appraise) {}

/**
 * The unit was recognised. When the frozen scorecard did not meet the standard, `override` records why the
 * recognition went ahead.
 *
 * @since 0.1.0
 */
export class DossierRecognised extends Schema.TaggedClass<DossierRecognised>()("DossierRecognised", fields.recognise) {}

/** @since 0.1.0 */
export class RecognitionAnnounced extends Schema.TaggedClass<RecognitionAnnounced>()(
  "RecognitionAnnounced",
  fields.announce
) {}

/** @since 0.1.0 */
export class DossierReturned extends Schema.TaggedClass<DossierReturned>()("DossierReturned", {
  ...header,
  /** The stage the dossier was at. */
  from: Schema.Literal("SelfAssessed", "Consulted", "Verified", "Appraised"),
  reasons: Limits.boundedNonEmptyArray(Limits.NonEmptyText)
}) {}

/** @since 0.1.0 */
export class DossierRevoked extends Schema.TaggedClass<DossierRevoked>()("DossierRevoked", fields.revoke) {}

/**
 * A dossier was opened for the unit: the entry of the unit's dossier index ({@link indexStreamId}), recorded with
 * the dossier's `DossierOpened`.
 *
 * @since 0.1.0
 */
export class DossierListed extends Schema.TaggedClass<DossierListed>()("DossierListed", fields.open) {}

/** @since 0.1.0 */
export const Event = Schema.Union(
  DossierOpened,
  SelfAssessmentSubmitted,
  ConsultationRecorded,
  DossierVerified,
  DossierAppraised,
  DossierRecognised,
  RecognitionAnnounced,
  DossierReturned,
  DossierRevoked
)

/** @since 0.1.0 */
export type Event = typeof Event.Type

/** @since 0.1.0 */
export type Stage =
  | "None"
  | "Opened"
  | "SelfAssessed"
  | "Consulted"
  | "Verified"
  | "Appraised"
  | "Recognised"
  | "Announced"
  | "Revoked"

/** @since 0.1.0 */
export const stageLabel: Record<Stage, string> = {
  None: "Chưa mở / not opened",
  Opened: "Đang lập hồ sơ / being prepared",
  SelfAssessed: "Đã tự đánh giá / self-assessed",
  Consulted: "Đã lấy ý kiến / consulted",
  Verified: "Đã thẩm tra / verified",
  Appraised: "Đã thẩm định / appraised",
  Recognised: "Đã công nhận / recognised",
  Announced: "Đã công bố / announced",
  Revoked: "Đã thu hồi / revoked"
}

/** @since 0.1.0 */
export interface State {
  readonly stage: Stage
  readonly opened: DossierOpened | undefined
  /** The date the current stage was entered. */
  readonly since: LocalDate.LocalDate | undefined
  readonly selfAssessment: SelfAssessmentSubmitted | undefined
  readonly consultation: ConsultationRecorded | undefined
  readonly recognised: DossierRecognised | undefined
  /** Every event, in record order. */
  readonly events: ReadonlyArray<Event>
}

/** @since 0.1.0 */
export const initial: State = {
  stage: "None",
  opened: undefined,
  since: undefined,
  selfAssessment: undefined,
  consultation: undefined,
  recognised: undefined,
  events: []
}

const stageAfter: Record<Event["_tag"], Stage> = {
  DossierOpened: "Opened",
  SelfAssessmentSubmitted: "SelfAssessed",
  ConsultationRecorded: "Consulted",
  DossierVerified: "Verified",
  DossierAppraised: "Appraised",
  DossierRecognised: "Recognised",
  RecognitionAnnounced: "Announced",
  DossierReturned: "Opened",
  DossierRevoked: "Revoked"
}

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State => ({
  stage: stageAfter[event._tag],
  opened: event._tag === "DossierOpened" ? event : state.opened,
  since: event.effective,
  selfAssessment:
    event._tag === "SelfAssessmentSubmitted"
      ? event
      : event._tag === "DossierReturned"
        ? undefined
        : state.selfAssessment,
  consultation:
    event._tag === "ConsultationRecorded" ? event : event._tag === "DossierReturned" ? undefined : state.consultation,
  recognised: event._tag === "DossierRecognised" ? event : state.recognised,
  events: [...state.events, event]
})

// ---------------------------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------------------------

/** The steps of the workflow. @since 0.1.0 */
export type Step = "open" | "selfAssess" | "consult" | "verify" | "appraise" | "recognise" | "announce" | "revoke"

/**
 * Which roles take each step, by the kind of unit the dossier is for. `"parent"` stands for the role of the level
 * directly above the unit on the step's date (a district, or the province for a commune after the 2025 reform).
 * A step's reviewer may also return the dossier from the stage it reviews.
 *
 * @since 0.1.0
 */
export type WorkflowPolicy = Readonly<Partial<Record<UnitKind, Readonly<Record<Step, ReadonlyArray<Role | "parent">>>>>>

const communeSteps: Record<Step, ReadonlyArray<Role | "parent">> = {
  open: ["commune"],
  selfAssess: ["commune"],
  consult: ["commune"],
  verify: ["parent"],
  appraise: ["province"],
  recognise: ["province"],
  announce: ["parent"],
  revoke: ["province"]
}

/**
 * The default, after 18/2022/QĐ-TTg (§6.2 of the domain reference): a commune's district verifies and announces,
 * its province appraises, recognises and revokes; a district's province verifies and announces, the Central
 * Appraisal Council appraises and the Prime Minister (role `central`) recognises and revokes.
 *
 * @since 0.1.0
 */
export const defaultWorkflowPolicy: WorkflowPolicy = {
  commune: communeSteps,
  town: communeSteps,
  ward: communeSteps,
  district: {
    open: ["district"],
    selfAssess: ["district"],
    consult: ["district"],
    verify: ["province"],
    appraise: ["central"],
    recognise: ["central"],
    announce: ["province"],
    revoke: ["central"]
  }
}

/**
 * The time allowed for a step after the previous one, in working or calendar days, with its source.
 *
 * @since 0.1.0
 */
export interface Deadline {
  readonly days: number
  readonly kind: "working" | "calendar"
  readonly source: string
  readonly verified: boolean
}

/**
 * Deadlines by the stage a dossier waits in. None are shipped: the limits of 18/2022 were not in hand.
 *
 * @since 0.1.0
 */
export type DeadlinePolicy = Readonly<Partial<Record<Stage, Deadline>>>

/**
 * A deadline policy as data (a JSON file a province keeps): for each stage a dossier waits in, the days allowed, their
 * kind, and where the limit comes from.
 *
 * @since 0.1.0
 */
export const DeadlinePolicySchema = Schema.partialWith(
  Schema.Record({
    key: Schema.Literal("Opened", "SelfAssessed", "Consulted", "Verified", "Appraised", "Recognised"),
    value: Schema.Struct({
      days: Schema.Int.pipe(Schema.positive()),
      kind: Schema.Literal("working", "calendar"),
      source: Schema.NonEmptyString,
      verified: Schema.Boolean
    })
  }),
  { exact: true }
)

/**
 * The date a deadline falls on: calendar days, or working days skipping Saturdays and Sundays (public holidays are
 * not known to the library).
 *
 * @since 0.1.0
 */
export const deadlineDate = (from: LocalDate.LocalDate, deadline: Deadline): LocalDate.LocalDate => {
  if (deadline.kind === "calendar") return LocalDate.addDays(from, deadline.days)
  let d = from
  let left = deadline.days
  while (left > 0) {
    d = LocalDate.addDays(d, 1)
    const day = new Date(`${d}T00:00:00Z`).getUTCDay()
    if (day !== 0 && day !== 6) left--
  }
  return d
}

// ---------------------------------------------------------------------------------------------------------------
// Commands and rejections
// ---------------------------------------------------------------------------------------------------------------

/** @since 0.1.0 */
export class OpenDossier extends Schema.TaggedClass<OpenDossier>()("OpenDossier", fields.open) {}

/**
 * Submits the unit's self-assessment. The scorecard it freezes is computed from the record, never taken from the
 * caller.
 *
 * @since 0.1.0
 */
export class SubmitSelfAssessment extends Schema.TaggedClass<SubmitSelfAssessment>()(
  "SubmitSelfAssessment",
  fields.submitSelfAssessment
) {}

/** @since 0.1.0 */
export class RecordConsultation extends Schema.TaggedClass<RecordConsultation>()(
  "RecordConsultation",
  fields.consult
) {}

/** @since 0.1.0 */
export class VerifyDossier extends Schema.TaggedClass<VerifyDossier>()("VerifyDossier", fields.verify) {}

/** @since 0.1.0 */
export class AppraiseDossier extends Schema.TaggedClass<AppraiseDossier>()("AppraiseDossier", fields.appraise) {}

/** @since 0.1.0 */
export class RecogniseDossier extends Schema.TaggedClass<RecogniseDossier>()("RecogniseDossier", fields.recognise) {}

/** @since 0.1.0 */
export class AnnounceRecognition extends Schema.TaggedClass<AnnounceRecognition>()(
  "AnnounceRecognition",
  fields.announce
) {}

/** @since 0.1.0 */
export class ReturnDossier extends Schema.TaggedClass<ReturnDossier>()("ReturnDossier", {
  ...header,
  reasons: Limits.boundedNonEmptyArray(Limits.NonEmptyText)
}) {}

/** @since 0.1.0 */
export class RevokeDossier extends Schema.TaggedClass<RevokeDossier>()("RevokeDossier", fields.revoke) {}

/** @since 0.1.0 */
export const Command = Schema.Union(
  OpenDossier,
  SubmitSelfAssessment,
  RecordConsultation,
  VerifyDossier,
  AppraiseDossier,
  RecogniseDossier,
  AnnounceRecognition,
  ReturnDossier,
  RevokeDossier
)

/** @since 0.1.0 */
export type Command = typeof Command.Type

/** @since 0.1.0 */
export class StepOutOfOrder extends Schema.TaggedError<StepOutOfOrder>()("StepOutOfOrder", {
  dossier: Schema.String,
  stage: Schema.String,
  command: Schema.String
}) {
  override get message() {
    return `Hồ sơ ${this.dossier} đang ở bước ${this.stage}, không thể thực hiện ${this.command} / dossier ${this.dossier} is at ${this.stage}: ${this.command} is not allowed now`
  }
}

/** @since 0.1.0 */
export class StepNotPermitted extends Schema.TaggedError<StepNotPermitted>()("StepNotPermitted", {
  dossier: Schema.String,
  step: Schema.String,
  actor: Schema.String,
  role: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.actor} (${this.role}) không có thẩm quyền ${this.step} hồ sơ ${this.dossier} / ${this.actor} (${this.role}) may not ${this.step} dossier ${this.dossier}: ${this.reason}`
  }
}

/** @since 0.1.0 */
export class StandardNotMet extends Schema.TaggedError<StandardNotMet>()("StandardNotMet", {
  dossier: Schema.String,
  met: Schema.Number,
  applicable: Schema.Number
}) {
  override get message() {
    return `Bảng tự đánh giá của hồ sơ ${this.dossier} chưa đạt chuẩn (${this.met}/${this.applicable}); chỉ công nhận khi có lý do ghi rõ / the frozen scorecard of ${this.dossier} does not meet the standard (${this.met}/${this.applicable}): recognition needs a recorded override`
  }
}

/** @since 0.1.0 */
export class DossierConflict extends Schema.TaggedError<DossierConflict>()("DossierConflict", {
  dossier: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Hồ sơ ${this.dossier}: ${this.reason} / dossier ${this.dossier}: ${this.reason}`
  }
}

/**
 * A dossier's standard is not the one its catalog version defines, or the catalog does not apply to the unit's level
 * (a commune dossier against a district set, a "model" dossier against the commune NTM set), or the version is not
 * published.
 *
 * @since 0.1.0
 */
export class StandardNotApplicable extends Schema.TaggedError<StandardNotApplicable>()("StandardNotApplicable", {
  dossier: Schema.String,
  unit: Schema.String,
  standard: Schema.String,
  catalog: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Hồ sơ ${this.dossier}: không thể đề nghị công nhận ${this.unit} đạt chuẩn ${this.standard} theo bộ tiêu chí ${this.catalog} / dossier ${this.dossier}: ${this.unit} cannot be put forward for ${this.standard} against ${this.catalog}: ${this.reason}`
  }
}

/**
 * Another dossier is open for the same unit, standard and catalog version.
 *
 * @since 0.1.0
 */
export class DossierAlreadyOpen extends Schema.TaggedError<DossierAlreadyOpen>()("DossierAlreadyOpen", {
  dossier: Schema.String,
  open: Schema.String,
  unit: Schema.String,
  standard: Schema.String,
  catalog: Schema.String
}) {
  override get message() {
    return `Hồ sơ ${this.open} của ${this.unit} (chuẩn ${this.standard}, bộ tiêu chí ${this.catalog}) đang mở, không mở thêm ${this.dossier} / dossier ${this.open} for ${this.unit}, ${this.standard} against ${this.catalog} is open: ${this.dossier} cannot be opened beside it`
  }
}

/** @since 0.1.0 */
export class UnknownDossier extends Schema.TaggedError<UnknownDossier>()("UnknownDossier", { dossier: Schema.String }) {
  override get message() {
    return `Không có hồ sơ ${this.dossier} / no dossier ${this.dossier}`
  }
}

/** @since 0.1.0 */
export type Rejection =
  | StepOutOfOrder
  | StepNotPermitted
  | StandardNotMet
  | DossierConflict
  | UnknownDossier
  | StandardNotApplicable
  | DossierAlreadyOpen
  | NoCatalogForUnit
  | Hierarchy.UnknownUnit
  | Hierarchy.UnitNotInForce

/**
 * Why the scorecard a self-assessment freezes could not be made.
 *
 * @since 0.1.0
 */
export type ScorecardUnavailable = Hierarchy.UnknownUnit | Hierarchy.UnitNotInForce | NoCatalogForUnit

/**
 * What a dossier decision needs beyond its own stream, loaded from the record by `Commands.dossier`.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly hierarchy: Hierarchy.State
  readonly policy: WorkflowPolicy
  /** A published catalog version (what opening checks: the standard it defines and the kinds of unit it applies to). */
  readonly catalog: (ref: {
    readonly id: string
    readonly version: string
  }) => Pick<Catalog, "standard" | "appliesTo"> | undefined
  /** The other dossiers of the unit a dossier is opened for (from its index). */
  readonly unitDossiers: ReadonlyArray<State>
  /**
   * For a self-assessment: the scorecard computed from the record as of the step's date, as known when the step was
   * taken. Undefined for other steps.
   */
  readonly scorecard: Either.Either<FrozenScorecard, ScorecardUnavailable> | undefined
}

const commandStep: Record<Command["_tag"], Step> = {
  OpenDossier: "open",
  SubmitSelfAssessment: "selfAssess",
  RecordConsultation: "consult",
  VerifyDossier: "verify",
  AppraiseDossier: "appraise",
  RecogniseDossier: "recognise",
  AnnounceRecognition: "announce",
  ReturnDossier: "verify",
  RevokeDossier: "revoke"
}

/** The stage each command moves from. */
const from: Record<Exclude<Command["_tag"], "ReturnDossier" | "RevokeDossier">, ReadonlyArray<Stage>> = {
  OpenDossier: ["None"],
  SubmitSelfAssessment: ["Opened"],
  RecordConsultation: ["SelfAssessed"],
  VerifyDossier: ["Consulted"],
  AppraiseDossier: ["Verified"],
  RecogniseDossier: ["Appraised"],
  AnnounceRecognition: ["Recognised"]
}

/** The step whose reviewer may return a dossier from a stage. */
const reviewerOf: Partial<Record<Stage, Step>> = {
  SelfAssessed: "verify",
  Consulted: "verify",
  Verified: "appraise",
  Appraised: "recognise"
}

const checkActor = (
  context: Context,
  dossier: string,
  unit: UnitId,
  step: Step,
  by: Actor,
  date: LocalDate.LocalDate
): Either.Either<void, Rejection> => {
  const u = context.hierarchy.units.get(unit)
  if (u === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit }))
  const reject = (reason: string) =>
    Either.left(new StepNotPermitted({ dossier, step, actor: by.id, role: by.role, reason }))
  const allowed = context.policy[u.kind]?.[step]
  if (allowed === undefined) return reject(`no ${step} step is defined for a ${u.kind}`)
  const parent = Hierarchy.parentAt(context.hierarchy, unit, date)
  const parentKind = parent === undefined ? undefined : context.hierarchy.units.get(parent)?.kind
  const roles = allowed.map((r) => (r === "parent" ? parentKind : r))
  if (!roles.includes(by.role as never)) return reject(`the step is taken by: ${roles.filter(Boolean).join(", ")}`)
  if (by.unit !== undefined && !Hierarchy.isWithin(context.hierarchy, unit, by.unit, date)) {
    return reject(`${unit} is not under ${by.unit}`)
  }
  return Either.void
}

const toEvent = (command: Exclude<Command, SubmitSelfAssessment>, state: State): Event => {
  const { _tag, ...f } = command
  switch (command._tag) {
    case "OpenDossier":
      return new DossierOpened(f as ConstructorParameters<typeof DossierOpened>[0])
    case "RecordConsultation":
      return new ConsultationRecorded(f as ConstructorParameters<typeof ConsultationRecorded>[0])
    case "VerifyDossier":
      return new DossierVerified(f as ConstructorParameters<typeof DossierVerified>[0])
    case "AppraiseDossier":
      return new DossierAppraised(f as ConstructorParameters<typeof DossierAppraised>[0])
    case "RecogniseDossier":
      return new DossierRecognised(f as ConstructorParameters<typeof DossierRecognised>[0])
    case "AnnounceRecognition":
      return new RecognitionAnnounced(f as ConstructorParameters<typeof RecognitionAnnounced>[0])
    case "ReturnDossier":
      return new DossierReturned({
        dossier: command.dossier,
        effective: command.effective,
        by: command.by,
        from: state.stage as "SelfAssessed",
        reasons: command.reasons
      })
    case "RevokeDossier":
      return new DossierRevoked(f as ConstructorParameters<typeof DossierRevoked>[0])
  }
}

/** @since 0.1.0 */
export const decide = (
  command: Command,
  state: State,
  context: Context
): Either.Either<ReadonlyArray<Event>, Rejection> => {
  const dossier = command.dossier
  // Idempotence: the same command again (the last event it produced) yields nothing.
  const last = state.events.at(-1)
  if (last !== undefined) {
    if (command._tag === "SubmitSelfAssessment") {
      // The frozen scorecard is the core's, computed afresh each time: the repeat is the same date and report.
      if (
        last._tag === "SelfAssessmentSubmitted" &&
        last.effective === command.effective &&
        JSON.stringify(last.report) === JSON.stringify(command.report)
      ) {
        return Either.right([])
      }
    } else if (command._tag === "ReturnDossier") {
      if (
        last._tag === "DossierReturned" &&
        last.effective === command.effective &&
        JSON.stringify(last.reasons) === JSON.stringify(command.reasons)
      ) {
        return Either.right([])
      }
    } else {
      const event = toEvent(command, state)
      if (last._tag === event._tag && sameIgnoringActor(last, event)) return Either.right([])
    }
  }
  if (command._tag === "OpenDossier") {
    if (state.opened !== undefined) {
      return sameIgnoringActor(state.opened, toEvent(command, state))
        ? Either.right([])
        : Either.left(new DossierConflict({ dossier, reason: "already opened for another unit, standard or catalog" }))
    }
    const u = context.hierarchy.units.get(command.unit)
    if (u === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit: command.unit }))
    if (!Hierarchy.inForce(u, command.effective)) {
      return Either.left(new Hierarchy.UnitNotInForce({ unit: command.unit, date: command.effective }))
    }
    return Either.flatMap(
      checkActor(context, dossier, command.unit, "open", command.by, command.effective),
      (): Either.Either<ReadonlyArray<Event>, Rejection> => {
        const ref = `${command.catalog.id}@${command.catalog.version}`
        const notApplicable = (reason: string) =>
          Either.left(
            new StandardNotApplicable({ dossier, unit: command.unit, standard: command.standard, catalog: ref, reason })
          )
        const catalog = context.catalog(command.catalog)
        if (catalog === undefined) return notApplicable("the catalog version is not published")
        if (catalog.standard !== command.standard) return notApplicable(`the catalog defines ${catalog.standard}`)
        const kind = Hierarchy.unitAt(context.hierarchy, command.unit, command.effective)?.kind ?? u.kind
        if (!catalog.appliesTo.includes(kind)) {
          return notApplicable(`the catalog applies to ${catalog.appliesTo.join(", ")}, not to a ${kind}`)
        }
        const other = context.unitDossiers.find(
          (d) =>
            d.opened !== undefined &&
            d.opened.dossier !== dossier &&
            d.opened.unit === command.unit &&
            d.opened.standard === command.standard &&
            d.opened.catalog.id === command.catalog.id &&
            d.opened.catalog.version === command.catalog.version &&
            isOpen(d.stage)
        )
        if (other !== undefined) {
          return Either.left(
            new DossierAlreadyOpen({
              dossier,
              open: other.opened!.dossier,
              unit: command.unit,
              standard: command.standard,
              catalog: ref
            })
          )
        }
        return Either.right([toEvent(command, state)])
      }
    )
  }
  const opened = state.opened
  if (opened === undefined) return Either.left(new UnknownDossier({ dossier }))
  if (command.effective < (state.since ?? opened.effective)) {
    return Either.left(
      new DossierConflict({
        dossier,
        reason: `the step is dated ${command.effective}, before the previous one (${state.since})`
      })
    )
  }
  const outOfOrder = Either.left(new StepOutOfOrder({ dossier, stage: state.stage, command: command._tag }))
  let step = commandStep[command._tag]
  if (command._tag === "ReturnDossier") {
    const reviewer = reviewerOf[state.stage]
    if (reviewer === undefined) return outOfOrder
    step = reviewer
  } else if (command._tag === "RevokeDossier") {
    if (state.stage !== "Recognised" && state.stage !== "Announced") return outOfOrder
  } else if (!from[command._tag].includes(state.stage)) {
    return outOfOrder
  }
  // Who may act is checked before what the dossier holds: an unauthorised actor learns only that.
  return Either.flatMap(
    checkActor(context, dossier, opened.unit, step, command.by, command.effective),
    (): Either.Either<ReadonlyArray<Event>, Rejection> => {
      if (command._tag === "SubmitSelfAssessment") {
        const computed = context.scorecard
        if (computed === undefined) {
          return Either.left(new DossierConflict({ dossier, reason: "no scorecard was computed from the record" }))
        }
        return Either.map(computed, (scorecard): ReadonlyArray<Event> => {
          const { _tag, ...f } = command
          return [new SelfAssessmentSubmitted({ ...f, scorecard })]
        })
      }
      if (command._tag === "RecordConsultation") {
        // Each per-sub-unit figure names a unit under the dossier's on the consultation's date, once.
        const seen = new Set<string>()
        for (const { unit } of command.bySubunit) {
          if (unit === opened.unit || !Hierarchy.isWithin(context.hierarchy, unit, opened.unit, command.effective)) {
            return Either.left(
              new DossierConflict({
                dossier,
                reason: `${unit} is not a sub-unit of ${opened.unit} on ${command.effective}`
              })
            )
          }
          if (seen.has(unit)) {
            return Either.left(new DossierConflict({ dossier, reason: `${unit} is consulted twice` }))
          }
          seen.add(unit)
        }
      }
      if (command._tag === "RecogniseDossier" && command.override === undefined) {
        const s = state.selfAssessment?.scorecard
        if (s === undefined || !s.standardMet) {
          return Either.left(new StandardNotMet({ dossier, met: s?.met ?? 0, applicable: s?.applicable ?? 0 }))
        }
      }
      return Either.right([toEvent(command, state)])
    }
  )
}

/**
 * The unit's dossier index as a decider: its state is the dossiers listed, in record order (see
 * {@link indexStreamId}); given a dossier's opening, it lists the dossier unless it is listed already.
 *
 * @since 0.1.0
 */
export const index: Decider<DossierOpened, DossierListed, ReadonlyArray<DossierListed>, never> = {
  initial: [],
  evolve: (state, event) => [...state, event],
  decide: (opened, state) => {
    if (state.some((e) => e.dossier === opened.dossier)) return Either.right([])
    const { _tag, ...fields } = opened
    return Either.right([new DossierListed(fields)])
  }
}

/**
 * The dossier whose recognition of its unit for a standard is in force on a date: recognised or announced, and not
 * revoked, as of that date (a revocation dated later leaves it in force until then).
 *
 * @since 0.1.0
 */
export const grantedBy = (
  dossiers: ReadonlyArray<State>,
  standard: StandardId,
  date: LocalDate.LocalDate
): string | undefined =>
  dossiers.find((d) => {
    if (d.opened?.standard !== standard) return false
    const { stage } = stageAt(d, date)
    return stage === "Recognised" || stage === "Announced"
  })?.opened?.dossier

/**
 * Whether a dossier in a stage is still open: not recognised, announced or revoked.
 *
 * @since 0.1.0
 */
export const isOpen = (stage: Stage): boolean =>
  stage !== "None" && stage !== "Recognised" && stage !== "Announced" && stage !== "Revoked"

/** @since 0.1.0 */
export const decider: Decider<Command, Event, State, Rejection, Context> = { initial, evolve, decide }

/**
 * The stage of a dossier on a date, counting only events effective by then.
 *
 * @since 0.1.0
 */
export const stageAt = (
  state: State,
  date: LocalDate.LocalDate
): { readonly stage: Stage; readonly since: LocalDate.LocalDate | undefined } => {
  let stage: Stage = "None"
  let since: LocalDate.LocalDate | undefined
  for (const e of state.events) {
    if (e.effective > date) continue
    stage = stageAfter[e._tag]
    since = e.effective
  }
  return { stage, since }
}

/**
 * Whether a dossier waiting in its stage on a date is past the deadline configured for that stage.
 *
 * @since 0.1.0
 */
export const overdueAt = (
  state: State,
  date: LocalDate.LocalDate,
  policy: DeadlinePolicy
): { readonly stage: Stage; readonly due: LocalDate.LocalDate; readonly deadline: Deadline } | undefined => {
  const { stage, since } = stageAt(state, date)
  const deadline = policy[stage]
  if (deadline === undefined || since === undefined) return undefined
  const due = deadlineDate(since, deadline)
  return date > due ? { stage, due, deadline } : undefined
}

/**
 * What freezing reads of a scorecard: a `Scorecard`, or any view of one with these fields (such as the HTTP API's,
 * whose ids are plain strings).
 *
 * @since 0.1.0
 */
export interface Freezable {
  readonly catalog: { readonly id: string; readonly version: string }
  readonly asOf: LocalDate.LocalDate
  readonly standardMet: boolean
  readonly indicators: { readonly met: number; readonly applicable: number; readonly total: number }
  readonly criteria: ReadonlyArray<{
    readonly code: string
    readonly status: ScoringStatus
    readonly indicators: ReadonlyArray<{ readonly code: string; readonly status: ScoringStatus }>
  }>
  readonly conditions: ReadonlyArray<{ readonly code: string; readonly status: ScoringStatus }>
}

/**
 * Freezes a scorecard for a self-assessment.
 *
 * @since 0.1.0
 */
export const freeze = (scorecard: Freezable, knownAt: number): FrozenScorecard =>
  new FrozenScorecard({
    catalog: { id: catalogId(scorecard.catalog.id), version: scorecard.catalog.version },
    asOf: scorecard.asOf,
    knownAt,
    standardMet: scorecard.standardMet,
    met: scorecard.indicators.met,
    applicable: scorecard.indicators.applicable,
    total: scorecard.indicators.total,
    criteria: scorecard.criteria.map((c) => ({ code: c.code, status: c.status })),
    indicators: scorecard.criteria.flatMap((c) => c.indicators.map((i) => ({ code: i.code, status: i.status }))),
    conditions: scorecard.conditions.map((c) => ({ code: c.code, status: c.status }))
  })
