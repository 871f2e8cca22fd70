/**
 * `@ntm/core`: the pure domain of nông thôn mới (NTM) criteria tracking. Depends on `effect` alone.
 *
 * @since 0.1.0
 */

/** Who may do what: the access matrix and the scope rule the commands check. */
export * as Access from "./Access.js"
/** Who records a fact, and which roles may assess. */
export * as Actor from "./Actor.js"
/** Replay and diff for audits. */
export * as Audit from "./Audit.js"
/** Vietnamese and English text. */
export * as Bilingual from "./Bilingual.js"
/** Criteria sets (bộ tiêu chí) as versioned data. */
export * as Catalog from "./Catalog.js"
/** Published catalog versions, and which applies to a unit on a date. */
export * as CatalogSet from "./CatalogSet.js"
/** The command-handling shell. */
export * as CommandHandler from "./CommandHandler.js"
/** The core's commands wired to the event store. */
export * as Commands from "./Commands.js"
/** Commitments (cam kết). */
export * as Commitment from "./Commitment.js"
/** Commitments as of a date, by agency and unit. */
export * as Commitments from "./Commitments.js"
/** The decider shape. */
export * as Decider from "./Decider.js"
/** Recognition dossiers (hồ sơ) and their workflow. */
export * as Dossier from "./Dossier.js"
/** The event store port and its in-memory implementation. */
export * as EventStore from "./EventStore.js"
/** Every domain event, and how they are stored and upcast. */
export * as Events from "./Events.js"
/** Evidence (minh chứng) and assessments. */
export * as Evidence from "./Evidence.js"
/** Values carried by evidence. */
export * as EvidenceValue from "./EvidenceValue.js"
/** The administrative hierarchy over time. */
export * as Hierarchy from "./Hierarchy.js"
/** Every event folded into indexes answering "as of" any date. */
export * as Ledger from "./Ledger.js"
/** Snapshots of a ledger. */
export * as LedgerSnapshot from "./LedgerSnapshot.js"
/** What a record may hold: the id grammar, texts, bounds of lists, texts and dates. */
export * as Limits from "./Limits.js"
/** Calendar dates. */
export * as LocalDate from "./LocalDate.js"
/** Progress reports for a period. */
export * as Progress from "./Progress.js"
/** Where catalog facts come from. */
export * as Provenance from "./Provenance.js"
/** Recognitions (công nhận) and revocations (thu hồi). */
export * as Recognition from "./Recognition.js"
/** Requirements and thresholds. */
export * as Requirement from "./Requirement.js"
/** The revocation rules of 18/2022, evaluated as a warning. */
export * as Revocation from "./Revocation.js"
/** Roll-ups up the hierarchy. */
export * as Rollup from "./Rollup.js"
/** Scorecards as of a date. */
export * as Scorecard from "./Scorecard.js"
/** A scorecard read from the streams it needs. */
export * as ScorecardQuery from "./ScorecardQuery.js"
/** Scoring rules. */
export * as Scoring from "./Scoring.js"
/** The criteria sets shipped with the package. */
export * as ShippedCatalogs from "./ShippedCatalogs.js"
/** Standards (chuẩn). */
export * as Standard from "./Standard.js"
/** Catch-up subscriptions. */
export * as Subscription from "./Subscription.js"
/** Administrative units. */
export * as Unit from "./Unit.js"
