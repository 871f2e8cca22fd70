/**
 * The ledger (sổ cái): every recorded event folded into indexes that answer "as of" any effective date.
 *
 * Folding is one pass over events in record order; a ledger folded in one pass or in chunks ends the same. To ask
 * what the record said at a recording time, fold only the events recorded by then ({@link fold} with `knownAt`).
 * Scorecards, hierarchies and recognitions as of a date are read from a ledger (see `Scorecard`).
 *
 * @since 0.1.0
 */
import type * as Catalog from "./Catalog.js"
import * as Commitment from "./Commitment.js"
import * as Dossier from "./Dossier.js"
import type { DomainEvent, Recorded } from "./Events.js"
import type * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as LocalDate from "./LocalDate.js"
import * as Recognition from "./Recognition.js"
import type { StandardId } from "./Standard.js"
import type { UnitId } from "./Unit.js"

/**
 * A chain of evidence entries (an entry and its corrections) as the ledger keeps it.
 *
 * @since 0.1.0
 */
export interface ChainRecord {
  readonly id: string
  readonly effective: LocalDate.LocalDate
  /** Entries not retracted, in record order; the last is in force. */
  readonly live: Array<Evidence.Entry>
  /** The recorded time of each entry of `live`. */
  readonly liveRecordedAt: Array<number>
  /** The order in which the chain was first recorded, for ties on the same effective date. */
  readonly seq: number
}

/** @since 0.1.0 */
export interface AssessmentRecord {
  readonly event: Evidence.IndicatorAssessed
  readonly recordedAt: number
  readonly seq: number
  withdrawn: Evidence.AssessmentWithdrawn | undefined
}

/**
 * Everything recorded for one indicator (or condition) of one unit under one criteria set.
 *
 * @since 0.1.0
 */
export interface ItemRecord {
  readonly chains: Array<ChainRecord>
  readonly assessments: Array<AssessmentRecord>
  /** In a ledger that retains only the latest, whether older chains or assessments were let go. */
  pruned: boolean
}

/** @since 0.1.0 */
export interface UnitRecord {
  /** By catalog id, then by code. */
  readonly items: Map<string, Map<string, ItemRecord>>
  /** Chains by id (only when the ledger retains everything). */
  readonly chains: Map<string, ChainRecord>
  readonly assessments: Map<string, AssessmentRecord>
}

/**
 * @since 0.1.0
 */
/**
 * What a ledger keeps of evidence:
 * - `all`: every chain and assessment, so it answers as of any date (memory grows with the history);
 * - `latest`: for each item, only the chain with the latest effective date and the latest assessment, so memory
 *   grows with units × indicators, not with events. It answers as of dates on or after the latest effective date
 *   recorded (the current scorecard). When the chain or assessment it kept is retracted or withdrawn and older ones
 *   had been let go, the item is marked {@link Ledger.stale}: re-fold that unit's evidence stream to restore it.
 *
 * @since 0.1.0
 */
export type Retain = "all" | "latest"

/**
 * @since 0.1.0
 */
export interface Ledger {
  readonly retain: Retain
  /** Items (`unit`, catalog, code joined by a tab) whose kept evidence was withdrawn in a `latest` ledger. */
  readonly stale: Set<string>
  /** Published catalog versions, by catalog id. */
  readonly catalogs: Map<string, Array<Catalog.Catalog>>
  readonly hierarchy: { readonly units: Map<UnitId, Hierarchy.UnitHistory> }
  readonly recognitions: Map<UnitId, Recognition.State>
  readonly evidence: Map<UnitId, UnitRecord>
  readonly commitments: Map<string, Commitment.State>
  readonly dossiers: Map<string, Dossier.State>
  /** Events folded so far, and the last position and recorded time seen. */
  count: number
  lastPosition: number
  lastRecordedAt: number
}

/**
 * An empty ledger.
 *
 * @since 0.1.0
 */
export const make = (options?: { readonly retain?: Retain }): Ledger => ({
  retain: options?.retain ?? "all",
  stale: new Set(),
  catalogs: new Map(),
  hierarchy: { units: new Map() },
  recognitions: new Map(),
  evidence: new Map(),
  commitments: new Map(),
  dossiers: new Map(),
  count: 0,
  lastPosition: 0,
  lastRecordedAt: 0
})

const LocalDateMax = LocalDate.max

/** The last day a chain's entry in force speaks for. */
const until = (c: ChainRecord): LocalDate.LocalDate => c.live[c.live.length - 1]?.validUntil ?? LocalDateMax

/** Whether chain `y` wins over chain `x` on every date from the later of their effective dates on. */
const beats = (y: ChainRecord, x: ChainRecord): boolean =>
  until(y) >= until(x) && (y.effective > x.effective || (y.effective === x.effective && y.seq > x.seq))

const unitRecord = (ledger: Ledger, unit: UnitId): UnitRecord => {
  let r = ledger.evidence.get(unit)
  if (r === undefined) {
    r = { items: new Map(), chains: new Map(), assessments: new Map() }
    ledger.evidence.set(unit, r)
  }
  return r
}

const itemRecord = (u: UnitRecord, catalog: string, code: string): ItemRecord => {
  let byCode = u.items.get(catalog)
  if (byCode === undefined) {
    byCode = new Map()
    u.items.set(catalog, byCode)
  }
  let item = byCode.get(code)
  if (item === undefined) {
    item = { chains: [], assessments: [], pruned: false }
    byCode.set(code, item)
  }
  return item
}

/**
 * Applies one event to the ledger, in place.
 *
 * @since 0.1.0
 */
export const apply = (ledger: Ledger, recorded: Recorded<DomainEvent>): void => {
  const e = recorded.event
  ledger.count++
  ledger.lastPosition = recorded.position
  ledger.lastRecordedAt = recorded.recordedAt
  switch (e._tag) {
    case "CatalogPublished": {
      const versions = ledger.catalogs.get(e.catalog.id) ?? []
      if (!versions.some((c) => c.version === e.catalog.version)) versions.push(e.catalog)
      ledger.catalogs.set(e.catalog.id, versions)
      return
    }
    case "UnitEstablished":
    case "UnitRenamed":
    case "UnitMoved":
    case "UnitClassified":
    case "UnitsMerged":
    case "UnitDissolved":
      Hierarchy.applyTo(ledger.hierarchy.units, e)
      return
    case "RecognitionGranted":
    case "RecognitionRevoked":
      ledger.recognitions.set(e.unit, Recognition.evolve(ledger.recognitions.get(e.unit) ?? Recognition.initial, e))
      return
    case "CommitmentMade":
    case "CommitmentProgressReported":
    case "CommitmentFulfilled":
    case "CommitmentExtended":
    case "CommitmentWithdrawn":
      ledger.commitments.set(
        e.commitment,
        Commitment.evolve(ledger.commitments.get(e.commitment) ?? Commitment.initial, e)
      )
      return
    case "DossierOpened":
    case "SelfAssessmentSubmitted":
    case "ConsultationRecorded":
    case "DossierVerified":
    case "DossierAppraised":
    case "DossierRecognised":
    case "RecognitionAnnounced":
    case "DossierReturned":
    case "DossierRevoked":
      ledger.dossiers.set(e.dossier, Dossier.evolve(ledger.dossiers.get(e.dossier) ?? Dossier.initial, e))
      return
    case "EvidenceRecorded": {
      const u = unitRecord(ledger, e.unit)
      const item = itemRecord(u, e.catalog, e.code)
      const chain: ChainRecord = {
        id: e.entry,
        effective: e.effective,
        live: [e],
        liveRecordedAt: [recorded.recordedAt],
        seq: recorded.position
      }
      if (ledger.retain === "all") {
        if (u.chains.has(e.entry)) return
        item.chains.push(chain)
        u.chains.set(e.entry, chain)
        return
      }
      // Keep the chains no other kept chain dominates: one valid at least as long that wins on every date.
      const chains = item.chains
      for (let i = 0; i < chains.length; i++) {
        const k = chains[i]!
        if (k.id === e.entry) return
        if (k.live.length > 0 && beats(k, chain)) {
          item.pruned = true
          return
        }
      }
      for (let i = chains.length - 1; i >= 0; i--) {
        const k = chains[i]!
        if (k.live.length === 0 || beats(chain, k)) {
          if (k.live.length > 0) item.pruned = true
          chains.splice(i, 1)
        }
      }
      chains.push(chain)
      return
    }
    case "EvidenceCorrected": {
      const chain = chainOf(ledger, e)
      if (chain === undefined) {
        // A chain let go may be changed so that it no longer loses: only a re-fold can tell.
        if (ledger.retain === "latest" && itemOf(ledger, e)?.pruned) ledger.stale.add(staleKey(e))
        return
      }
      if (chain.live.some((x) => x.entry === e.entry)) return
      const before = until(chain)
      chain.live.push(e)
      chain.liveRecordedAt.push(recorded.recordedAt)
      // A shorter period may uncover a chain that was let go.
      if ((e.validUntil ?? LocalDateMax) < before && itemOf(ledger, e)?.pruned) ledger.stale.add(staleKey(e))
      return
    }
    case "EvidenceRetracted": {
      const chain = chainOf(ledger, e)
      if (chain === undefined) {
        if (ledger.retain === "latest" && itemOf(ledger, e)?.pruned) ledger.stale.add(staleKey(e))
        return
      }
      const i = chain.live.findIndex((x) => x.entry === e.entry)
      if (i >= 0) {
        chain.live.splice(i, 1)
        chain.liveRecordedAt.splice(i, 1)
      }
      if (chain.live.length === 0 && itemOf(ledger, e)?.pruned) ledger.stale.add(staleKey(e))
      return
    }
    case "IndicatorAssessed": {
      const u = unitRecord(ledger, e.unit)
      if (u.assessments.has(e.assessment)) return
      const a: AssessmentRecord = {
        event: e,
        recordedAt: recorded.recordedAt,
        seq: recorded.position,
        withdrawn: undefined
      }
      const item = itemRecord(u, e.catalog, e.code)
      if (ledger.retain === "latest" && item.assessments.length > 0) {
        const kept = item.assessments[0]!
        if (kept.withdrawn === undefined) {
          item.pruned = true
          if (e.effective < kept.event.effective) return
        }
        u.assessments.delete(kept.event.assessment)
        item.assessments[0] = a
      } else {
        item.assessments.push(a)
      }
      u.assessments.set(e.assessment, a)
      return
    }
    case "AssessmentWithdrawn": {
      const u = ledger.evidence.get(e.unit)
      const a = u?.assessments.get(e.assessment)
      if (a !== undefined && a.withdrawn === undefined) {
        a.withdrawn = e
        if (u!.items.get(e.catalog)?.get(e.code)?.pruned) ledger.stale.add(staleKey(e))
      }
      return
    }
  }
}

type ItemKey = { readonly unit: UnitId; readonly catalog: string; readonly code: string }

const itemOf = (ledger: Ledger, e: ItemKey): ItemRecord | undefined =>
  ledger.evidence.get(e.unit)?.items.get(e.catalog)?.get(e.code)

/** A chain by id: from the unit's index when everything is kept, else among the few chains kept for the item. */
const chainOf = (ledger: Ledger, e: ItemKey & { readonly chain: string }): ChainRecord | undefined =>
  ledger.retain === "all"
    ? ledger.evidence.get(e.unit)?.chains.get(e.chain)
    : itemOf(ledger, e)?.chains.find((c) => c.id === e.chain)

const staleKey = (e: { readonly unit: UnitId; readonly catalog: string; readonly code: string }) =>
  `${e.unit}\t${e.catalog}\t${e.code}`

/**
 * Folds events into a ledger (a new one unless given), skipping those recorded after `knownAt`.
 *
 * @since 0.1.0
 */
export const fold = (
  events: Iterable<Recorded<DomainEvent>>,
  options?: { readonly knownAt?: number; readonly into?: Ledger; readonly retain?: Retain }
): Ledger => {
  const ledger = options?.into ?? make(options?.retain === undefined ? undefined : { retain: options.retain })
  const knownAt = options?.knownAt
  for (const r of events) {
    if (knownAt !== undefined && r.recordedAt > knownAt) continue
    apply(ledger, r)
  }
  return ledger
}

/**
 * The hierarchy as a state the `Hierarchy` queries accept.
 *
 * @since 0.1.0
 */
export const hierarchy = (ledger: Ledger): Hierarchy.State => ledger.hierarchy

/**
 * Whether a unit holds a standard on a date, counting recognitions carried over by merges.
 *
 * @since 0.1.0
 */
export const holds = (
  ledger: Ledger,
  unit: UnitId,
  standard: StandardId,
  date: LocalDate.LocalDate,
  policy?: Recognition.MergePolicy
): boolean => Recognition.holdsAt(ledger.hierarchy, (u) => ledger.recognitions.get(u), unit, standard, date, policy)

/**
 * The evidence entry in force for an item on a date: of the chains effective by then whose period has not ended,
 * the one with the latest effective date (the later recorded on a tie). `expired` tells whether some evidence
 * existed but its period had ended.
 *
 * @since 0.1.0
 */
export const evidenceAt = (
  item: ItemRecord | undefined,
  date: LocalDate.LocalDate
): {
  readonly entry: Evidence.Entry | undefined
  readonly chain: ChainRecord | undefined
  readonly expired: boolean
} => {
  let best: ChainRecord | undefined
  let expired = false
  if (item !== undefined) {
    for (const c of item.chains) {
      if (c.effective > date || c.live.length === 0) continue
      const head = c.live[c.live.length - 1]!
      if (head.validUntil !== undefined && head.validUntil < date) {
        expired = true
        continue
      }
      if (best === undefined || c.effective > best.effective || (c.effective === best.effective && c.seq > best.seq)) {
        best = c
      }
    }
  }
  return { entry: best?.live[best.live.length - 1], chain: best, expired: best === undefined && expired }
}

/**
 * The assessment in force for an item on a date: the latest by effective date (the later recorded on a tie) that
 * was not withdrawn.
 *
 * @since 0.1.0
 */
export const assessmentAt = (item: ItemRecord | undefined, date: LocalDate.LocalDate): AssessmentRecord | undefined => {
  let best: AssessmentRecord | undefined
  for (const a of item?.assessments ?? []) {
    if (a.withdrawn !== undefined || a.event.effective > date) continue
    if (
      best === undefined ||
      a.event.effective > best.event.effective ||
      (a.event.effective === best.event.effective && a.seq > best.seq)
    ) {
      best = a
    }
  }
  return best
}
