/**
 * The read models of the HTTP API as schemas, and the pure functions that make them from the core's projections.
 * A browser that runs the core itself can call the same functions and get the same shapes the server sends.
 *
 * This module imports no Node code.
 *
 * @since 0.1.0
 */
import {
  type Audit,
  Bilingual,
  Catalog,
  Commitment,
  Dossier,
  Events,
  Evidence,
  type Hierarchy,
  Ledger,
  LocalDate,
  type Progress,
  Provenance,
  Requirement,
  type Rollup,
  type Scorecard,
  Scoring,
  type Standard,
  Unit
} from "@ntm/core"
import * as Schema from "effect/Schema"

/** A unit as it stood on a date. @since 0.1.0 */
export const UnitView = Schema.Struct({
  id: Unit.UnitId,
  kind: Unit.UnitKind,
  name: Bilingual.Bilingual,
  parent: Schema.optional(Unit.UnitId),
  officialCode: Schema.optional(Schema.String),
  /** The standards the unit holds on the date (recognitions in force), where the answer lists them. */
  standards: Schema.optional(Schema.Array(Schema.String))
})

/** @since 0.1.0 */
export type UnitView = typeof UnitView.Type

/** @since 0.1.0 */
export const unitView = (u: Hierarchy.UnitView, standards?: ReadonlyArray<string>): UnitView => ({
  id: u.id,
  kind: u.kind,
  name: u.name,
  ...(u.parent === undefined ? {} : { parent: u.parent }),
  ...(u.officialCode === undefined ? {} : { officialCode: u.officialCode }),
  ...(standards === undefined ? {} : { standards })
})

/**
 * The standards a unit holds on a date, among those of the published catalogs (recognitions carried over by merges
 * count).
 *
 * @since 0.1.0
 */
export const standardsHeld = (
  ledger: Ledger.Ledger,
  unit: Unit.UnitId,
  date: LocalDate.LocalDate,
  standards: ReadonlyArray<Standard.StandardId> = publishedStandards(ledger)
): ReadonlyArray<string> => standards.filter((s) => Ledger.holds(ledger, unit, s, date))

/**
 * The standards of the published catalogs.
 *
 * @since 0.1.0
 */
export const publishedStandards = (ledger: Ledger.Ledger): ReadonlyArray<Standard.StandardId> => {
  const standards = new Set<Standard.StandardId>()
  for (const versions of ledger.catalogs.values()) for (const c of versions) standards.add(c.standard)
  return [...standards]
}

/** A unit with its place in the hierarchy on a date. @since 0.1.0 */
export const UnitDetail = Schema.Struct({
  unit: UnitView,
  asOf: LocalDate.LocalDate,
  ancestors: Schema.Array(UnitView),
  children: Schema.Array(UnitView)
})

/** @since 0.1.0 */
export type UnitDetail = typeof UnitDetail.Type

/** One indicator or condition on a scorecard. @since 0.1.0 */
export const ItemScore = Schema.Struct({
  code: Schema.String,
  name: Bilingual.Bilingual,
  responsible: Schema.optional(Catalog.Responsibility),
  provenance: Provenance.Provenance,
  requirement: Requirement.Requirement,
  requirementText: Schema.String,
  status: Scoring.Status,
  /** Why the status was computed (before any assessment), e.g. `Evidence`, `ThresholdUnknown`. */
  reason: Schema.String,
  subunits: Schema.optional(
    Schema.Struct({ count: Schema.Number, total: Schema.Number, required: Schema.optional(Schema.Number) })
  ),
  evidence: Schema.optional(
    Schema.Struct({
      entry: Schema.Union(Evidence.EvidenceRecorded, Evidence.EvidenceCorrected),
      chain: Schema.String,
      recordedAt: Schema.Number
    })
  ),
  assessment: Schema.optional(
    Schema.Struct({ event: Evidence.IndicatorAssessed, recordedAt: Schema.Number, applied: Schema.Boolean })
  )
})

/** @since 0.1.0 */
export type ItemScore = typeof ItemScore.Type

const Totals = Schema.Struct({
  total: Schema.Number,
  applicable: Schema.Number,
  met: Schema.Number,
  notMet: Schema.Number,
  noData: Schema.Number,
  undetermined: Schema.Number,
  notApplicable: Schema.Number
})

/** A unit's scorecard against a criteria set as of a date. @since 0.1.0 */
export const ScorecardView = Schema.Struct({
  unit: UnitView,
  catalog: Schema.Struct({
    id: Schema.String,
    version: Schema.String,
    name: Bilingual.Bilingual,
    standard: Schema.String,
    provenance: Provenance.Provenance,
    illustrative: Schema.Boolean
  }),
  asOf: LocalDate.LocalDate,
  /** The recording time the scorecard was read at, when asked "as known at". */
  knownAt: Schema.optional(Schema.Number),
  unitClass: Schema.optional(Schema.String),
  criteria: Schema.Array(
    Schema.Struct({
      code: Schema.String,
      name: Bilingual.Bilingual,
      provenance: Provenance.Provenance,
      status: Scoring.Status,
      met: Schema.Number,
      applicable: Schema.Number,
      indicators: Schema.Array(ItemScore)
    })
  ),
  conditions: Schema.Array(ItemScore),
  indicators: Totals,
  criteriaMet: Schema.Number,
  standardMet: Schema.Boolean,
  /** Codes of the applicable indicators not met, in catalog order. */
  remaining: Schema.Array(Schema.String)
})

/** @since 0.1.0 */
export type ScorecardView = typeof ScorecardView.Type

const itemScore = (i: Scorecard.ItemScore): ItemScore => ({
  code: i.code,
  name: i.name,
  ...(i.responsible === undefined ? {} : { responsible: i.responsible }),
  provenance: i.provenance,
  requirement: i.requirement,
  requirementText: i.requirementText,
  status: i.status,
  reason: i.computed.reason,
  ...(i.computed.subunits === undefined
    ? {}
    : {
        subunits: {
          count: i.computed.subunits.count,
          total: i.computed.subunits.total,
          ...(i.computed.subunits.required === undefined ? {} : { required: i.computed.subunits.required })
        }
      }),
  ...(i.evidence === undefined
    ? {}
    : { evidence: { entry: i.evidence.entry, chain: i.evidence.chain, recordedAt: i.evidence.recordedAt } }),
  ...(i.assessment === undefined
    ? {}
    : {
        assessment: {
          event: i.assessment.event,
          recordedAt: i.assessment.recordedAt,
          applied: i.assessment.applied
        }
      })
})

/** @since 0.1.0 */
export const scorecardView = (s: Scorecard.Scorecard, knownAt?: number): ScorecardView => ({
  unit: unitView(s.unit),
  catalog: s.catalog,
  asOf: s.asOf,
  ...(knownAt === undefined ? {} : { knownAt }),
  ...(s.unitClass === undefined ? {} : { unitClass: s.unitClass }),
  criteria: s.criteria.map((c) => ({
    code: c.code,
    name: c.name,
    provenance: c.provenance,
    status: c.status,
    met: c.met,
    applicable: c.applicable,
    indicators: c.indicators.map(itemScore)
  })),
  conditions: s.conditions.map(itemScore),
  indicators: s.indicators,
  criteriaMet: s.criteriaMet,
  standardMet: s.standardMet,
  remaining: s.remaining.map((i) => i.code)
})

const StageCounts = Schema.Record({ key: Schema.String, value: Schema.Number })

/** The roll-up of a unit: how many units under it hold each standard, and its dossiers by stage. @since 0.1.0 */
export interface RollupView {
  readonly unit: UnitView
  readonly asOf: LocalDate.LocalDate
  readonly kinds: Readonly<
    Record<string, { readonly total: number; readonly holding: Readonly<Record<string, number>> }>
  >
  readonly dossiers: Readonly<Record<string, number>>
  readonly children: ReadonlyArray<RollupView>
}

/** @since 0.1.0 */
export interface RollupViewEncoded extends Omit<RollupView, "unit" | "asOf" | "children"> {
  readonly unit: typeof UnitView.Encoded
  readonly asOf: string
  readonly children: ReadonlyArray<RollupViewEncoded>
}

/** @since 0.1.0 */
export const RollupView: Schema.Schema<RollupView, RollupViewEncoded> = Schema.Struct({
  unit: UnitView,
  asOf: LocalDate.LocalDate,
  kinds: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ total: Schema.Number, holding: StageCounts })
  }),
  dossiers: StageCounts,
  children: Schema.Array(Schema.suspend((): Schema.Schema<RollupView, RollupViewEncoded> => RollupView))
}).annotations({ identifier: "RollupView" })

/** @since 0.1.0 */
export const rollupView = (r: Rollup.Rollup): RollupView => ({
  unit: unitView(r.unit),
  asOf: r.asOf,
  kinds: Object.fromEntries(
    Object.entries(r.kinds).flatMap(([k, v]) => (v === undefined ? [] : [[k, { total: v.total, holding: v.holding }]]))
  ),
  dossiers: Object.fromEntries(Object.entries(r.dossiers).filter(([, v]) => v !== undefined)) as Record<string, number>,
  children: r.children.map(rollupView)
})

/** A commitment as it stood on a date. @since 0.1.0 */
export const CommitmentView = Schema.Struct({
  made: Commitment.CommitmentMade,
  status: Schema.Literal("Open", "DueSoon", "Overdue", "Fulfilled", "FulfilledLate", "Withdrawn"),
  due: LocalDate.LocalDate,
  extensions: Schema.Array(Commitment.CommitmentExtended),
  lastProgress: Schema.optional(Commitment.CommitmentProgressReported),
  closedBy: Schema.optional(Schema.Union(Commitment.CommitmentFulfilled, Commitment.CommitmentWithdrawn))
})

/** @since 0.1.0 */
export type CommitmentView = typeof CommitmentView.Type

/** @since 0.1.0 */
export const commitmentView = (v: Commitment.View): CommitmentView => ({
  made: v.made,
  status: v.status,
  due: v.due,
  extensions: v.extensions,
  ...(v.lastProgress === undefined ? {} : { lastProgress: v.lastProgress }),
  ...(v.closedBy === undefined ? {} : { closedBy: v.closedBy })
})

/** A progress report for a period. @since 0.1.0 */
export const ProgressView = Schema.Struct({
  unit: Schema.String,
  period: Schema.Struct({ label: Schema.String, from: LocalDate.LocalDate, to: LocalDate.LocalDate }),
  start: Schema.optional(ScorecardView),
  end: ScorecardView,
  changes: Schema.Array(
    Schema.Struct({
      code: Schema.String,
      name: Schema.String,
      before: Scoring.Status,
      after: Scoring.Status,
      evidence: Schema.optional(Schema.Union(Evidence.EvidenceRecorded, Evidence.EvidenceCorrected)),
      assessment: Schema.optional(Evidence.IndicatorAssessed)
    })
  ),
  commitmentsDue: Schema.Array(CommitmentView)
})

/** @since 0.1.0 */
export type ProgressView = typeof ProgressView.Type

/** @since 0.1.0 */
export const progressView = (r: Progress.Report): ProgressView => ({
  unit: r.unit,
  period: { label: r.period.label, from: r.period.from, to: r.period.to },
  ...(r.start === undefined ? {} : { start: scorecardView(r.start) }),
  end: scorecardView(r.end),
  changes: r.changes.map((c) => ({
    code: c.code,
    name: c.name,
    before: c.before,
    after: c.after,
    ...(c.evidence === undefined ? {} : { evidence: c.evidence }),
    ...(c.assessment === undefined ? {} : { assessment: c.assessment })
  })),
  commitmentsDue: r.commitmentsDue.map(commitmentView)
})

/** A dossier and where it stands on a date. @since 0.1.0 */
export const DossierView = Schema.Struct({
  dossier: Schema.String,
  opened: Dossier.DossierOpened,
  stage: Schema.String,
  stageLabel: Schema.String,
  since: Schema.optional(LocalDate.LocalDate),
  /** Set when a deadline is configured for the stage and the dossier has waited past it on the date. */
  overdue: Schema.optional(
    Schema.Struct({
      due: LocalDate.LocalDate,
      days: Schema.Number,
      kind: Schema.Literal("working", "calendar"),
      source: Schema.String,
      verified: Schema.Boolean
    })
  ),
  events: Schema.Array(Dossier.Event)
})

/** @since 0.1.0 */
export type DossierView = typeof DossierView.Type

/** @since 0.1.0 */
export const dossierView = (
  id: string,
  state: Dossier.State,
  date: LocalDate.LocalDate,
  deadlines: Dossier.DeadlinePolicy = {}
): DossierView | undefined => {
  if (state.opened === undefined || state.opened.effective > date) return undefined
  const { stage, since } = Dossier.stageAt(state, date)
  const late = Dossier.overdueAt(state, date, deadlines)
  return {
    dossier: id,
    opened: state.opened,
    stage,
    stageLabel: Dossier.stageLabel[stage],
    ...(since === undefined ? {} : { since }),
    ...(late === undefined ? {} : { overdue: { due: late.due, ...late.deadline } }),
    events: state.events.filter((e) => e.effective <= date)
  }
}

/** One line of a unit's, an indicator's or a dossier's history. @since 0.1.0 */
export const HistoryLine = Schema.Struct({
  position: Schema.Number,
  stream: Schema.String,
  recordedAt: Schema.Number,
  effective: LocalDate.LocalDate,
  type: Schema.String,
  actor: Schema.String,
  event: Events.DomainEvent
})

/** @since 0.1.0 */
export type HistoryLine = typeof HistoryLine.Type

/** @since 0.1.0 */
export const historyLine = (l: Audit.Line): HistoryLine => ({
  position: l.position,
  stream: l.stream,
  recordedAt: l.recordedAt,
  effective: l.effective,
  type: l.type,
  actor: l.actor,
  event: l.event
})

/** A published catalog version, in brief. @since 0.1.0 */
export const CatalogVersionSummary = Schema.Struct({
  id: Schema.String,
  version: Schema.String,
  name: Bilingual.Bilingual,
  standard: Schema.String,
  appliesTo: Schema.Array(Schema.String),
  effective: Schema.Struct({ from: LocalDate.LocalDate, until: Schema.optional(LocalDate.LocalDate) }),
  province: Schema.optional(Schema.String),
  provenance: Provenance.Status,
  indicators: Schema.Number
})

/** @since 0.1.0 */
export type CatalogVersionSummary = typeof CatalogVersionSummary.Type

/** A field-by-field difference between two catalog versions. @since 0.1.0 */
export const CatalogDifference = Schema.Struct({
  kind: Schema.Literal("added", "removed", "changed"),
  what: Schema.Literal("indicator", "condition", "criterion"),
  code: Schema.String,
  fields: Schema.Array(Schema.Struct({ field: Schema.String, before: Schema.Unknown, after: Schema.Unknown }))
})

/** The result of walking the hash chain. @since 0.1.0 */
export const Verification = Schema.Struct({
  checked: Schema.Number,
  ok: Schema.Boolean,
  /**
   * The first fault of each kind, where the log has any: a broken hash, a jump in positions (events deleted), a
   * recording time going back (back-dated). Signed anchors are checked by `ntm verify --anchors`.
   */
  faults: Schema.optional(
    Schema.Array(
      Schema.Struct({
        _tag: Schema.Literal("HashMismatch", "PositionJump", "TimeReversed"),
        position: Schema.Number
      })
    )
  ),
  broken: Schema.optional(
    Schema.Struct({
      position: Schema.Number,
      stream: Schema.String,
      streamVersion: Schema.Number,
      chain: Schema.Literal("global", "stream"),
      expected: Schema.String,
      found: Schema.NullOr(Schema.String)
    })
  )
})

/** What a write did: the events it appended and the stream version after it (also sent as the `ETag`). @since 0.1.0 */
export const WriteResult = Schema.Struct({
  stream: Schema.String,
  streamVersion: Schema.Number,
  events: Schema.Array(Events.DomainEvent)
})

/** @since 0.1.0 */
export type WriteResult = typeof WriteResult.Type

/** @since 0.1.0 */
export const catalogVersionSummary = (c: Catalog.Catalog): CatalogVersionSummary => ({
  id: c.id,
  version: c.version,
  name: c.name,
  standard: c.standard,
  appliesTo: c.appliesTo,
  effective: c.effective,
  ...(c.province === undefined ? {} : { province: c.province }),
  provenance: c.provenance.status,
  indicators: c.indicators.length
})
