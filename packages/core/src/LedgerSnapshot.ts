/**
 * Snapshots of a ledger: its whole state as JSON, so that a projection restarts from the snapshot's position instead
 * of replaying the log from the start. Restoring a snapshot and folding the events after it gives the same ledger as
 * folding everything (a property test checks it).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Bilingual from "./Bilingual.js"
import * as Catalog from "./Catalog.js"
import * as Commitment from "./Commitment.js"
import * as Dossier from "./Dossier.js"
import { DomainEvent } from "./Events.js"
import type * as Evidence from "./Evidence.js"
import type * as Hierarchy from "./Hierarchy.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import * as Recognition from "./Recognition.js"
import type { UnitId } from "./Unit.js"

const encodeDomainEvent = Schema.encodeSync(DomainEvent)
const encodeEvent = (e: DomainEvent): unknown => encodeDomainEvent(e)
const decodeEvent = Schema.decodeUnknownSync(DomainEvent)
const encodeCatalog = Catalog.encode
const decodeCatalog = Schema.decodeUnknownSync(Catalog.Catalog)

/** The JSON form of a snapshot. @since 0.1.0 */
export interface Snapshot {
  readonly format: 1
  readonly retain: Ledger.Retain
  readonly count: number
  readonly lastPosition: number
  readonly lastRecordedAt: number
  readonly stale: ReadonlyArray<string>
  readonly catalogs: ReadonlyArray<unknown>
  readonly units: ReadonlyArray<unknown>
  readonly recognitions: ReadonlyArray<{ readonly unit: string; readonly events: ReadonlyArray<unknown> }>
  readonly commitments: ReadonlyArray<ReadonlyArray<unknown>>
  readonly dossiers: ReadonlyArray<ReadonlyArray<unknown>>
  readonly evidence: ReadonlyArray<{
    readonly unit: string
    readonly items: ReadonlyArray<{
      readonly catalog: string
      readonly code: string
      readonly pruned: boolean
      readonly chains: ReadonlyArray<{
        readonly id: string
        readonly effective: string
        readonly seq: number
        readonly live: ReadonlyArray<unknown>
        readonly liveRecordedAt: ReadonlyArray<number>
      }>
      readonly assessments: ReadonlyArray<{
        readonly event: unknown
        readonly recordedAt: number
        readonly seq: number
        readonly withdrawn: unknown
      }>
    }>
  }>
}

interface UnitJson {
  readonly id: string
  readonly kind: string
  readonly established: string
  readonly officialCode: string | undefined
  readonly names: ReadonlyArray<{ readonly from: string; readonly value: { readonly vi: string; readonly en: string } }>
  readonly parents: ReadonlyArray<{ readonly from: string; readonly value: string | null }>
  readonly classes: Readonly<Record<string, ReadonlyArray<{ readonly from: string; readonly value: string }>>>
  readonly ceased: { readonly date: string; readonly into: string | null } | null
  readonly mergesIn: ReadonlyArray<{ readonly date: string; readonly merged: ReadonlyArray<string> }>
  readonly establishedBy: unknown
}

/**
 * Takes a snapshot of a ledger.
 *
 * @since 0.1.0
 */
export const make = (ledger: Ledger.Ledger): Snapshot => ({
  format: 1,
  retain: ledger.retain,
  count: ledger.count,
  lastPosition: ledger.lastPosition,
  lastRecordedAt: ledger.lastRecordedAt,
  stale: [...ledger.stale],
  catalogs: [...ledger.catalogs.values()].flat().map((c) => encodeCatalog(c)),
  units: [...ledger.hierarchy.units.values()].map(
    (u): UnitJson => ({
      id: u.id,
      kind: u.kind,
      established: u.established,
      officialCode: u.officialCode,
      names: u.names.map((n) => ({ from: n.from, value: { vi: n.value.vi, en: n.value.en } })),
      parents: u.parents.map((p) => ({ from: p.from, value: p.value ?? null })),
      classes: u.classes,
      ceased: u.ceased === undefined ? null : { date: u.ceased.date, into: u.ceased.into ?? null },
      mergesIn: u.mergesIn,
      establishedBy: encodeEvent(u.establishedBy)
    })
  ),
  recognitions: [...ledger.recognitions.entries()].map(([unit, s]) => ({ unit, events: s.events.map(encodeEvent) })),
  commitments: [...ledger.commitments.values()].map((s) => s.events.map(encodeEvent)),
  dossiers: [...ledger.dossiers.values()].map((s) => s.events.map(encodeEvent)),
  evidence: [...ledger.evidence.entries()].map(([unit, u]) => ({
    unit,
    items: [...u.items.entries()].flatMap(([catalog, byCode]) =>
      [...byCode.entries()].map(([code, item]) => ({
        catalog,
        code,
        pruned: item.pruned,
        chains: item.chains.map((c) => ({
          id: c.id,
          effective: c.effective,
          seq: c.seq,
          live: c.live.map(encodeEvent),
          liveRecordedAt: [...c.liveRecordedAt]
        })),
        assessments: item.assessments.map((a) => ({
          event: encodeEvent(a.event),
          recordedAt: a.recordedAt,
          seq: a.seq,
          withdrawn: a.withdrawn === undefined ? null : encodeEvent(a.withdrawn)
        }))
      }))
    )
  }))
})

/**
 * Restores a ledger from a snapshot; fold the events after `lastPosition` into it to bring it up to date.
 *
 * @since 0.1.0
 */
export const restore = (snapshot: Snapshot): Ledger.Ledger => {
  const ledger = Ledger.make({ retain: snapshot.retain })
  ledger.count = snapshot.count
  ledger.lastPosition = snapshot.lastPosition
  ledger.lastRecordedAt = snapshot.lastRecordedAt
  for (const k of snapshot.stale) ledger.stale.add(k)
  for (const raw of snapshot.catalogs) {
    const c = decodeCatalog(raw)
    const versions = ledger.catalogs.get(c.id) ?? []
    versions.push(c)
    ledger.catalogs.set(c.id, versions)
  }
  for (const raw of snapshot.units as ReadonlyArray<UnitJson>) {
    const u: Hierarchy.UnitHistory = {
      id: raw.id as UnitId,
      kind: raw.kind as Hierarchy.UnitHistory["kind"],
      established: raw.established as LocalDate.LocalDate,
      officialCode: raw.officialCode,
      names: raw.names.map((n) => ({
        from: n.from as LocalDate.LocalDate,
        value: Bilingual.make(n.value.vi, n.value.en)
      })),
      parents: raw.parents.map((p) => ({
        from: p.from as LocalDate.LocalDate,
        value: (p.value ?? undefined) as UnitId | undefined
      })),
      classes: raw.classes as Hierarchy.UnitHistory["classes"],
      ceased:
        raw.ceased === null
          ? undefined
          : {
              date: raw.ceased.date as LocalDate.LocalDate,
              into: (raw.ceased.into ?? undefined) as UnitId | undefined
            },
      mergesIn: raw.mergesIn as Hierarchy.UnitHistory["mergesIn"],
      establishedBy: decodeEvent(raw.establishedBy) as Hierarchy.UnitEstablished
    }
    ledger.hierarchy.units.set(u.id, u)
  }
  for (const r of snapshot.recognitions) {
    let s = Recognition.initial
    for (const e of r.events) s = Recognition.evolve(s, decodeEvent(e) as Recognition.Event)
    ledger.recognitions.set(r.unit as UnitId, s)
  }
  for (const events of snapshot.commitments) {
    let s = Commitment.initial
    for (const e of events) s = Commitment.evolve(s, decodeEvent(e) as Commitment.Event)
    if (s.made !== undefined) ledger.commitments.set(s.made.commitment, s)
  }
  for (const events of snapshot.dossiers) {
    let s = Dossier.initial
    for (const e of events) s = Dossier.evolve(s, decodeEvent(e) as Dossier.Event)
    const id = s.events[0]?.dossier
    if (id !== undefined) ledger.dossiers.set(id, s)
  }
  for (const u of snapshot.evidence) {
    const record: Ledger.UnitRecord = { items: new Map(), chains: new Map(), assessments: new Map() }
    for (const it of u.items) {
      const chains = it.chains.map(
        (c): Ledger.ChainRecord => ({
          id: c.id,
          effective: c.effective as LocalDate.LocalDate,
          seq: c.seq,
          live: c.live.map((e) => decodeEvent(e) as Evidence.Entry),
          liveRecordedAt: [...c.liveRecordedAt]
        })
      )
      const assessments = it.assessments.map(
        (a): Ledger.AssessmentRecord => ({
          event: decodeEvent(a.event) as Evidence.IndicatorAssessed,
          recordedAt: a.recordedAt,
          seq: a.seq,
          withdrawn: a.withdrawn === null ? undefined : (decodeEvent(a.withdrawn) as Evidence.AssessmentWithdrawn)
        })
      )
      let byCode = record.items.get(it.catalog)
      if (byCode === undefined) {
        byCode = new Map()
        record.items.set(it.catalog, byCode)
      }
      byCode.set(it.code, { chains, assessments, pruned: it.pruned })
      if (snapshot.retain === "all") for (const c of chains) record.chains.set(c.id, c)
      for (const a of assessments) record.assessments.set(a.event.assessment, a)
    }
    ledger.evidence.set(u.unit as UnitId, record)
  }
  return ledger
}
