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
import type * as Evidence from "./Evidence.js"
import type { Recorded, DomainEvent } from "./Events.js"
import * as Hierarchy from "./Hierarchy.js"
import type * as LocalDate from "./LocalDate.js"
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
  /** Recorded times of entries, by entry id. */
  readonly recordedAt: Map<string, number>
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
}

/** @since 0.1.0 */
export interface UnitRecord {
  /** By catalog id, then by code. */
  readonly items: Map<string, Map<string, ItemRecord>>
  readonly chains: Map<string, ChainRecord>
  readonly assessments: Map<string, AssessmentRecord>
}

/**
 * @since 0.1.0
 */
export interface Ledger {
  /** Published catalog versions, by catalog id. */
  readonly catalogs: Map<string, Array<Catalog.Catalog>>
  readonly hierarchy: { readonly units: Map<UnitId, Hierarchy.UnitHistory> }
  readonly recognitions: Map<UnitId, Recognition.State>
  readonly evidence: Map<UnitId, UnitRecord>
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
export const make = (): Ledger => ({
  catalogs: new Map(),
  hierarchy: { units: new Map() },
  recognitions: new Map(),
  evidence: new Map(),
  count: 0,
  lastPosition: 0,
  lastRecordedAt: 0
})

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
    item = { chains: [], assessments: [] }
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
      return Hierarchy.applyTo(ledger.hierarchy.units, e)
    case "RecognitionGranted":
    case "RecognitionRevoked":
      ledger.recognitions.set(e.unit, Recognition.evolve(ledger.recognitions.get(e.unit) ?? Recognition.initial, e))
      return
    case "EvidenceRecorded": {
      const u = unitRecord(ledger, e.unit)
      if (u.chains.has(e.entry)) return
      const chain: ChainRecord = {
        id: e.entry,
        effective: e.effective,
        live: [e],
        recordedAt: new Map([[e.entry, recorded.recordedAt]]),
        seq: recorded.position
      }
      u.chains.set(e.entry, chain)
      itemRecord(u, e.catalog, e.code).chains.push(chain)
      return
    }
    case "EvidenceCorrected": {
      const chain = ledger.evidence.get(e.unit)?.chains.get(e.chain)
      if (chain === undefined || chain.recordedAt.has(e.entry)) return
      chain.live.push(e)
      chain.recordedAt.set(e.entry, recorded.recordedAt)
      return
    }
    case "EvidenceRetracted": {
      const chain = ledger.evidence.get(e.unit)?.chains.get(e.chain)
      if (chain === undefined) return
      const i = chain.live.findIndex((x) => x.entry === e.entry)
      if (i >= 0) chain.live.splice(i, 1)
      return
    }
    case "IndicatorAssessed": {
      const u = unitRecord(ledger, e.unit)
      if (u.assessments.has(e.assessment)) return
      const a: AssessmentRecord = { event: e, recordedAt: recorded.recordedAt, seq: recorded.position, withdrawn: undefined }
      u.assessments.set(e.assessment, a)
      itemRecord(u, e.catalog, e.code).assessments.push(a)
      return
    }
    case "AssessmentWithdrawn": {
      const a = ledger.evidence.get(e.unit)?.assessments.get(e.assessment)
      if (a !== undefined && a.withdrawn === undefined) a.withdrawn = e
      return
    }
  }
}

/**
 * Folds events into a ledger (a new one unless given), skipping those recorded after `knownAt`.
 *
 * @since 0.1.0
 */
export const fold = (
  events: Iterable<Recorded<DomainEvent>>,
  options?: { readonly knownAt?: number; readonly into?: Ledger }
): Ledger => {
  const ledger = options?.into ?? make()
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
): { readonly entry: Evidence.Entry | undefined; readonly chain: ChainRecord | undefined; readonly expired: boolean } => {
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
    if (best === undefined || a.event.effective > best.event.effective || (a.event.effective === best.event.effective && a.seq > best.seq)) {
      best = a
    }
  }
  return best
}
