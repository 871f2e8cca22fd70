/**
 * Properties of the scoring rules over generated catalogs, hierarchies and event histories (see `arbitraries.ts`),
 * and examples of the requirement rules they rest on.
 *
 * Scorecards are compared through {@link summarise}: a JSON-able projection of every scorecard (every unit, both
 * criteria sets, several dates) with statuses, reasons, sub-unit counts, the evidence entries and assessments in
 * force and the totals, so that no comparison depends on object identity.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as fc from "fast-check"
import * as Bilingual from "../src/Bilingual.js"
import * as EventStore from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import type * as LocalDate from "../src/LocalDate.js"
import * as Requirement from "../src/Requirement.js"
import * as Scorecard from "../src/Scorecard.js"
import * as Scoring from "../src/Scoring.js"
import { standardId } from "../src/Standard.js"
import * as A from "./arbitraries.js"

type History = ReadonlyArray<Events.Recorded<Events.DomainEvent>>

// ---------------------------------------------------------------------------------------------------------------
// Normalised scorecards
// ---------------------------------------------------------------------------------------------------------------

interface SummaryOptions {
  /** Whether to keep recorded times (dropped where a property reorders or re-times the history). */
  readonly times: boolean
  /**
   * Whether to read "unknown unit" and "unit not in force" as one: a unit established after the date asked is
   * unknown to the events effective by then, and not in force to the whole history; neither has a scorecard.
   */
  readonly noUnit?: boolean
}

const itemSummary = (i: Scorecard.ItemScore, o: SummaryOptions) => ({
  code: i.code,
  requirement: i.requirementText,
  status: i.status,
  computed: {
    status: i.computed.status,
    reason: i.computed.reason,
    subunits:
      i.computed.subunits === undefined
        ? null
        : { ...i.computed.subunits, required: i.computed.subunits.required ?? null }
  },
  evidence:
    i.evidence === undefined
      ? null
      : {
          entry: i.evidence.entry.entry,
          chain: i.evidence.chain,
          value: EvidenceValue.show(i.evidence.entry.value),
          validUntil: i.evidence.entry.validUntil ?? null,
          ...(o.times ? { recordedAt: i.evidence.recordedAt } : {})
        },
  assessment:
    i.assessment === undefined
      ? null
      : {
          id: i.assessment.event.assessment,
          applied: i.assessment.applied,
          ...(o.times ? { recordedAt: i.assessment.recordedAt } : {})
        }
})

const cardSummary = (card: Either.Either<Scorecard.Scorecard, Scorecard.ScorecardError>, o: SummaryOptions) =>
  Either.match(card, {
    onLeft: (e) => ({
      error: o.noUnit && (e._tag === "UnknownUnit" || e._tag === "UnitNotInForce") ? "NoUnitOnDate" : e._tag
    }),
    onRight: (c) => ({
      unit: { kind: c.unit.kind, parent: c.unit.parent ?? null },
      catalog: `${c.catalog.id}@${c.catalog.version}`,
      unitClass: c.unitClass ?? null,
      criteria: c.criteria.map((cr) => ({
        code: cr.code,
        status: cr.status,
        met: cr.met,
        applicable: cr.applicable,
        indicators: cr.indicators.map((i) => itemSummary(i, o))
      })),
      conditions: c.conditions.map((i) => itemSummary(i, o)),
      totals: { ...c.indicators },
      criteriaMet: c.criteriaMet,
      standardMet: c.standardMet,
      remaining: c.remaining.map((i) => i.code)
    })
  })

/** Every unit's scorecard against both criteria sets on each date, keyed by unit, set and date. */
const summarise = (
  ledger: Ledger.Ledger,
  world: A.World,
  dates: ReadonlyArray<LocalDate.LocalDate>,
  o: SummaryOptions = { times: true }
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const asOf of dates) {
    for (const u of world.units) {
      for (const catalog of A.catalogIds) {
        out[`${u.id} ${catalog} ${asOf}`] = cardSummary(Scorecard.make(ledger, { unit: u.id, catalog, asOf }), o)
      }
    }
  }
  return out
}

/** The scorecards that could be made (unit in force, a criteria set applying), with the date asked. */
const scorecards = (ledger: Ledger.Ledger, world: A.World, dates: ReadonlyArray<LocalDate.LocalDate>) =>
  dates.flatMap((asOf) =>
    world.units.flatMap((u) =>
      A.catalogIds.flatMap((catalog) => {
        const card = Scorecard.make(ledger, { unit: u.id, catalog, asOf })
        return Either.isRight(card) ? [card.right] : []
      })
    )
  )

/** A world, and a few dates to ask about: some of the world's interesting dates and one arbitrary date. */
const worldAndDates = (maxOps?: number) =>
  fc
    .record({
      world: A.world(maxOps === undefined ? undefined : { maxOps }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      extra: A.date
    })
    .map(({ world, picks, extra }) => ({
      world,
      dates: [...new Set([...picks.map((i) => world.dates[i % world.dates.length]!), extra])].sort()
    }))

/** The status an assessment in force sets on an item, if it overrides the computed one. */
const overridden = (i: Scorecard.ItemScore): Scoring.Status | undefined => {
  const a = i.assessment
  return a?.applied === true && a.event.verdict._tag === "Overridden" ? a.event.verdict.status : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

describe("Scoring properties", () => {
  it("a criterion is met iff it has an applicable indicator and every applicable one is met; a standard iff every criterion and condition is met or not applicable", () => {
    fc.assert(
      fc.property(worldAndDates(), ({ world, dates }) => {
        const ledger = Ledger.fold(world.history)
        for (const card of scorecards(ledger, world, dates)) {
          for (const c of card.criteria) {
            const statuses = c.indicators.map((i) => i.status)
            const applicable = statuses.filter((s) => s !== "NotApplicable")
            const met = applicable.length > 0 && applicable.every((s) => s === "Met")
            expect(c.status === "Met").toBe(met)
            if (statuses.length === 0) expect(c.status).toBe("NoData")
            else if (applicable.length === 0) expect(c.status).toBe("NotApplicable")
            else if (applicable.some((s) => s === "NotMet")) expect(c.status).toBe("NotMet")
            expect(c.met).toBe(statuses.filter((s) => s === "Met").length)
            expect(c.applicable).toBe(applicable.length)
          }
          // An item's status is the computed one unless an assessment in force overrides it.
          for (const i of [...card.criteria.flatMap((c) => c.indicators), ...card.conditions]) {
            expect(i.status).toBe(overridden(i) ?? i.computed.status)
          }
          const all = [...card.criteria, ...card.conditions].map((x) => x.status)
          expect(card.standardMet).toBe(all.length > 0 && all.every((s) => s === "Met" || s === "NotApplicable"))
          expect(card.criteriaMet).toBe(card.criteria.filter((c) => c.status === "Met").length)
        }
      }),
      { numRuns: 60 }
    )
  })

  it("the met count never exceeds the applicable total, and the totals add up", () => {
    fc.assert(
      fc.property(worldAndDates(), ({ world, dates }) => {
        const ledger = Ledger.fold(world.history)
        for (const card of scorecards(ledger, world, dates)) {
          const t = card.indicators
          expect(t.met).toBeLessThanOrEqual(t.applicable)
          expect(t.applicable).toBeLessThanOrEqual(t.total)
          expect(t.met + t.notMet + t.noData + t.undetermined + t.notApplicable).toBe(t.total)
          expect(t.applicable).toBe(t.total - t.notApplicable)
          expect(t.total).toBe(card.criteria.reduce((n, c) => n + c.indicators.length, 0))
          expect(card.remaining.length).toBe(t.notMet + t.noData + t.undetermined)
          expect(card.criteriaMet).toBeLessThanOrEqual(card.criteria.length)
          for (const c of card.criteria) {
            expect(c.met).toBeLessThanOrEqual(c.applicable)
            expect(c.applicable).toBeLessThanOrEqual(c.indicators.length)
          }
        }
      }),
      { numRuns: 60 }
    )
  })

  it("the state as of a date equals the state computed from only the events effective by then", () => {
    fc.assert(
      fc.property(worldAndDates(), ({ world, dates }) => {
        const all = Ledger.fold(world.history)
        for (const d of dates) {
          const effective = world.history.filter((r) => Events.effectiveDate(r.event) <= d)
          const o = { times: true, noUnit: true }
          expect(summarise(Ledger.fold(effective), world, [d], o)).toEqual(summarise(all, world, [d], o))
        }
      }),
      { numRuns: 60 }
    )
  })

  it("the state as known at a time equals the state computed from only the events recorded by then", () => {
    fc.assert(
      fc.property(worldAndDates(), fc.nat(), fc.constantFrom(-1, 0, 1), ({ world, dates }, i, shift) => {
        const knownAt = (world.history[i % world.history.length]?.recordedAt ?? A.T0) + shift
        const recorded = world.history.filter((r) => r.recordedAt <= knownAt)
        expect(summarise(Ledger.fold(world.history, { knownAt }), world, dates)).toEqual(
          summarise(Ledger.fold(recorded), world, dates)
        )
      }),
      { numRuns: 60 }
    )
  })

  it("as known at a time, through the in-memory store (readAll with knownAt), equals the ledger folded with knownAt", async () => {
    const readBack = (history: History, knownAt: number) =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (const r of history) {
          yield* TestClock.setTime(r.recordedAt)
          yield* store.append(r.stream, "any", [Events.encode(r.event)])
        }
        const read = yield* Stream.runCollect(store.readAll({ knownAt }))
        return Chunk.toReadonlyArray(read).map((r) => Either.getOrThrow(Events.decode(r)))
      }).pipe(Effect.provide(EventStore.layerMemory), Effect.provide(TestContext.TestContext))
    await fc.assert(
      fc.asyncProperty(worldAndDates(25), fc.nat(), async ({ world, dates }, i) => {
        const knownAt = world.history[i % world.history.length]?.recordedAt ?? A.T0
        const read = await Effect.runPromise(readBack(world.history, knownAt))
        expect(read.map((r) => [r.position, r.stream, r.streamVersion, r.recordedAt])).toEqual(
          world.history
            .filter((r) => r.recordedAt <= knownAt)
            .map((r) => [r.position, r.stream, r.streamVersion, r.recordedAt])
        )
        expect(summarise(Ledger.fold(read), world, dates)).toEqual(
          summarise(Ledger.fold(world.history, { knownAt }), world, dates)
        )
      }),
      { numRuns: 15 }
    )
  })

  it("the interleaving of independent units' evidence streams does not change any scorecard", () => {
    fc.assert(
      fc.property(worldAndDates(), fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), ({ world, dates }, picks) => {
        // Shared events (catalogs, hierarchy, recognitions) first, then the units' evidence streams interleaved as
        // the picks say, each stream keeping its own order. Positions and recorded times are assigned anew.
        const isEvidence = (r: Events.Recorded) => r.stream.startsWith("Evidence-")
        const queues = new Map<string, Array<Events.Recorded>>()
        for (const r of world.history.filter(isEvidence)) queues.set(r.stream, [...(queues.get(r.stream) ?? []), r])
        const reordered = world.history.filter((r) => !isEvidence(r))
        for (let k = 0; ; k++) {
          const open = [...queues.values()].filter((q) => q.length > 0)
          if (open.length === 0) break
          reordered.push(open[picks[k % picks.length]! % open.length]!.shift()!)
        }
        const renumbered = reordered.map((r, n) => ({ ...r, position: n + 1, recordedAt: A.T0 + n }))
        expect(summarise(Ledger.fold(renumbered), world, dates, { times: false })).toEqual(
          summarise(Ledger.fold(world.history), world, dates, { times: false })
        )
      }),
      { numRuns: 60 }
    )
  })

  it("a correction followed by its retraction restores the earlier state", () => {
    fc.assert(
      fc.property(worldAndDates(), ({ world, dates }) => {
        for (const i of world.pairs) {
          const [corrected, retracted] = [world.history[i]!.event, world.history[i + 1]!.event]
          expect(corrected._tag).toBe("EvidenceCorrected")
          expect(retracted._tag === "EvidenceRetracted" && retracted.entry).toBe(
            corrected._tag === "EvidenceCorrected" && corrected.entry
          )
          const before = Ledger.fold(world.history.slice(0, i))
          const after = Ledger.fold(world.history.slice(0, i + 2))
          expect(summarise(after, world, dates)).toEqual(summarise(before, world, dates))
        }
        // And the whole history reads the same without the pairs.
        const paired = new Set(world.pairs.flatMap((i) => [i, i + 1]))
        const without = world.history.filter((_, i) => !paired.has(i))
        expect(summarise(Ledger.fold(without), world, dates)).toEqual(
          summarise(Ledger.fold(world.history), world, dates)
        )
      }),
      { numRuns: 80 }
    )
  })

  it("folding in one pass or in any split into chunks gives the same state", () => {
    fc.assert(
      fc.property(worldAndDates(), fc.array(fc.nat(), { maxLength: 8 }), ({ world, dates }, cuts) => {
        const n = world.history.length
        const bounds = [...new Set([0, ...cuts.map((c) => c % (n + 1)), n])].sort((a, b) => a - b)
        const chunked = Ledger.make()
        for (let k = 1; k < bounds.length; k++) {
          Ledger.fold(world.history.slice(bounds[k - 1], bounds[k]), { into: chunked })
        }
        const whole = Ledger.fold(world.history)
        expect([chunked.count, chunked.lastPosition, chunked.lastRecordedAt]).toEqual([
          whole.count,
          whole.lastPosition,
          whole.lastRecordedAt
        ])
        expect(summarise(chunked, world, dates)).toEqual(summarise(whole, world, dates))
      }),
      { numRuns: 60 }
    )
  })

  it("a ledger keeping only the latest evidence gives the full ledger's current scorecards, but for items it marks stale", () => {
    let compared = 0
    fc.assert(
      fc.property(A.world(), (world) => {
        const full = Ledger.fold(world.history)
        const latest = Ledger.fold(world.history, { retain: "latest" })
        for (const u of world.units) {
          for (const catalog of A.catalogIds) {
            const a = Scorecard.make(full, { unit: u.id, catalog, asOf: A.LAST })
            const b = Scorecard.make(latest, { unit: u.id, catalog, asOf: A.LAST })
            expect(Either.isRight(b)).toBe(Either.isRight(a))
            if (Either.isLeft(a) || Either.isLeft(b)) continue
            const items = (s: Scorecard.Scorecard) => [...s.criteria.flatMap((c) => c.indicators), ...s.conditions]
            const bs = new Map(items(b.right).map((i) => [i.code, i]))
            for (const x of items(a.right)) {
              if (latest.stale.has(`${u.id}\t${catalog}\t${x.code}`)) continue
              const y = bs.get(x.code)!
              expect([x.code, y.status, y.evidence?.entry.entry, y.assessment?.event.assessment]).toEqual([
                x.code,
                x.status,
                x.evidence?.entry.entry,
                x.assessment?.event.assessment
              ])
              compared++
            }
          }
        }
      }),
      { numRuns: 80 }
    )
    expect(compared).toBeGreaterThan(0)
  })

  it("a share-of-sub-units requirement agrees with a direct count over the hierarchy as of the date, across merges and moves", () => {
    let checked = 0
    fc.assert(
      fc.property(A.world(), (world) => {
        const ledger = Ledger.fold(world.history)
        for (const asOf of world.dates) {
          for (const u of world.units) {
            if (u.kind !== "district" && u.kind !== "province") continue
            // The hierarchy the plan describes, computed without `Hierarchy`, agrees with the ledger's.
            const children = world.reference.childrenAt(u.id, asOf)
            expect(
              Hierarchy.childrenAt(ledger.hierarchy, u.id, asOf)
                .map((c) => c.id)
                .sort()
            ).toEqual(children.map((c) => c.id).sort())
            const card = Scorecard.make(ledger, { unit: u.id, catalog: A.districtSet, asOf })
            if (Either.isLeft(card)) continue
            for (const item of [...card.right.criteria.flatMap((c) => c.indicators), ...card.right.conditions]) {
              const r = item.requirement
              if (r._tag !== "MinShareOfSubunits") continue
              const counted = children.filter((c) => r.subunitKinds.includes(c.kind))
              const count = counted.filter((c) => r.standards.some((s) => Ledger.holds(ledger, c.id, s, asOf))).length
              const total = counted.length
              const required =
                total === 0
                  ? 0
                  : r.threshold._tag === "Known"
                    ? Requirement.requiredCount(r.threshold.value, total, r.rounding)
                    : undefined
              const status: Scoring.Status =
                total === 0
                  ? "NotApplicable"
                  : required === undefined
                    ? "Undetermined"
                    : count >= required
                      ? "Met"
                      : "NotMet"
              expect(item.computed.subunits).toEqual({ count, total, required })
              expect(item.computed.status).toBe(status)
              expect(item.status).toBe(overridden(item) ?? status)
              checked++
            }
          }
        }
      }),
      { numRuns: 80 }
    )
    expect(checked).toBeGreaterThan(0)
  })

  it("the evidence in force is the live head of the latest chain effective by the date whose period has not ended", () => {
    fc.assert(
      fc.property(worldAndDates(), ({ world, dates }) => {
        const ledger = Ledger.fold(world.history)
        const firstRecorded = new Map(
          world.history.flatMap((r) =>
            r.event._tag === "EvidenceRecorded" ? [[r.event.entry, r.position] as const] : []
          )
        )
        for (const card of scorecards(ledger, world, dates)) {
          const chains = [...(world.evidence.get(card.unit.id)?.chains.values() ?? [])]
          for (const item of [...card.criteria.flatMap((c) => c.indicators), ...card.conditions]) {
            if (Requirement.isComputed(item.requirement)) continue
            const candidates = chains.filter(
              (c) =>
                c.catalog === card.catalog.id &&
                c.code === item.code &&
                c.effective <= card.asOf &&
                Evidence.head(c) !== undefined
            )
            const open = candidates.filter((c) => (Evidence.head(c)!.validUntil ?? card.asOf) >= card.asOf)
            const best = open.reduce<Evidence.Chain | undefined>(
              (b, c) =>
                b === undefined ||
                c.effective > b.effective ||
                (c.effective === b.effective && firstRecorded.get(c.id)! > firstRecorded.get(b.id)!)
                  ? c
                  : b,
              undefined
            )
            expect(item.evidence?.entry.entry).toBe(best === undefined ? undefined : Evidence.head(best)!.entry)
            expect(item.evidence?.chain).toBe(best?.id)
            if (best === undefined && candidates.length > 0) expect(item.computed.reason).toBe("Expired")
            if (best === undefined && candidates.length === 0) expect(item.computed.reason).toBe("NoEvidence")
          }
        }
      }),
      { numRuns: 60 }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------------------------

describe("Requirement.requiredCount", () => {
  it("10% of 17 is 2 rounding up, 1 rounding down, 2 rounding half up, 2 as a ratio", () => {
    expect(Requirement.requiredCount(10, 17, "ceil")).toBe(2)
    expect(Requirement.requiredCount(10, 17, "floor")).toBe(1)
    expect(Requirement.requiredCount(10, 17, "round")).toBe(2)
    expect(Requirement.requiredCount(10, 17, "ratio")).toBe(2)
  })

  it("10% of 30 is exactly 3 under every rule", () => {
    for (const rule of Requirement.Rounding.literals) expect(Requirement.requiredCount(10, 30, rule)).toBe(3)
  })

  it("0% needs none, under every rule", () => {
    for (const rule of Requirement.Rounding.literals) {
      for (const total of [1, 7, 30]) expect(Requirement.requiredCount(0, total, rule)).toBe(0)
    }
  })

  it("rounding down still needs one sub-unit when the share is above 0%, and half rounds up", () => {
    expect(Requirement.requiredCount(5, 10, "floor")).toBe(1)
    expect(Requirement.requiredCount(25, 10, "round")).toBe(3)
    expect(Requirement.requiredCount(24, 10, "round")).toBe(2)
    expect(Requirement.requiredCount(100, 17, "floor")).toBe(17)
    expect(Requirement.requiredCount(100, 17, "ceil")).toBe(17)
  })

  it("a share above 0% of one or more sub-units needs at least one under every rule, whatever the share", () => {
    // 1% of 10 rounded half up was 0, and 1e-10% of 1 rounded up was 0 (snapped to nine decimals first).
    for (const rule of Requirement.Rounding.literals) {
      expect(Requirement.requiredCount(1, 10, rule)).toBe(1)
      expect(Requirement.requiredCount(1e-10, 1, rule)).toBe(1)
    }
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(...Requirement.Rounding.literals),
        (percent, total, rule) => {
          const required = Requirement.requiredCount(percent, total, rule)
          expect(required).toBeGreaterThanOrEqual(1)
          expect(required).toBeLessThanOrEqual(total)
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it("agrees with exact integer arithmetic for shares given to the hundredth of a percent", () => {
    // With p = n / 100 %, p % of t is n·t / 10 000: exact in integers, where floating point is not (12.3 × 1000 / 100).
    const D = 10_000
    fc.assert(
      fc.property(fc.integer({ min: 0, max: D }), fc.integer({ min: 1, max: 500 }), (n, total) => {
        const x = n * total
        const down = (x - (x % D)) / D
        const up = x % D === 0 ? down : down + 1
        const half = (2 * x + D - ((2 * x + D) % (2 * D))) / (2 * D)
        const p = n / 100
        expect(Requirement.requiredCount(p, total, "ceil")).toBe(up)
        expect(Requirement.requiredCount(p, total, "ratio")).toBe(up)
        expect(Requirement.requiredCount(p, total, "floor")).toBe(n > 0 ? Math.max(1, down) : 0)
        expect(Requirement.requiredCount(p, total, "round")).toBe(n > 0 ? Math.max(1, half) : 0)
      }),
      { numRuns: 1000 }
    )
  })

  it("is monotone in the share and never exceeds the total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom(...Requirement.Rounding.literals),
        (p, q, total, rule) => {
          const [lo, hi] = p <= q ? [p, q] : [q, p]
          expect(Requirement.requiredCount(lo, total, rule)).toBeLessThanOrEqual(
            Requirement.requiredCount(hi, total, rule)
          )
          expect(Requirement.requiredCount(hi, total, rule)).toBeLessThanOrEqual(total)
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe("Scoring.evaluate", () => {
  const known = <A>(value: A) => ({ _tag: "Known" as const, value, status: "verified" as const, sources: [] })
  const unknown = { _tag: "Unknown" as const }
  const byProvince = { _tag: "SetByProvince" as const }
  const nothing: Scoring.Computed = { share: () => ({ count: 0, total: 0 }), holds: () => false }
  const evaluate = (
    r: Requirement.Requirement,
    v?: EvidenceValue.EvidenceValue,
    computed: Scoring.Computed = nothing
  ) => Scoring.evaluate(r, v, computed)
  const status = (r: Requirement.Requirement, v?: EvidenceValue.EvidenceValue) => evaluate(r, v).status
  const attained = (attained: boolean) => new EvidenceValue.Attained({ attained })
  const pct = (value: number) => new EvidenceValue.Percent({ value })
  const count = (value: number) => new EvidenceValue.Count({ value })
  const qty = (value: number) => new EvidenceValue.Quantity({ value })
  const level = (value: string) => new EvidenceValue.Level({ value })
  const notApplicable = new EvidenceValue.NotApplicable({ reason: "không có quy hoạch / not planned" })

  it("Attainment: met, not met, no data, not applicable", () => {
    const r = new Requirement.Attainment()
    expect(evaluate(r, attained(true))).toEqual({ status: "Met", reason: "Evidence" })
    expect(evaluate(r, attained(false))).toEqual({ status: "NotMet", reason: "Evidence" })
    expect(evaluate(r)).toEqual({ status: "NoData", reason: "NoEvidence" })
    expect(evaluate(r, notApplicable)).toEqual({ status: "NotApplicable", reason: "DeclaredNotApplicable" })
    expect(status(r, pct(100))).toBe("Undetermined")
  })

  it("MinPercent and MaxPercent: inclusive bounds when known; undetermined when unknown or set by the province", () => {
    const min = (t: Requirement.PercentThreshold) => new Requirement.MinPercent({ threshold: t })
    const max = (t: Requirement.PercentThreshold) => new Requirement.MaxPercent({ threshold: t })
    expect(status(min(known(70)), pct(70))).toBe("Met")
    expect(status(min(known(70)), pct(69.9))).toBe("NotMet")
    expect(status(max(known(5)), pct(5))).toBe("Met")
    expect(status(max(known(5)), pct(5.1))).toBe("NotMet")
    expect(evaluate(min(unknown), pct(100))).toEqual({ status: "Undetermined", reason: "ThresholdUnknown" })
    expect(evaluate(max(byProvince), pct(0))).toEqual({ status: "Undetermined", reason: "ThresholdSetByProvince" })
    // Without evidence there is no data, whether or not the threshold is known; a declaration of not applicable holds.
    expect(evaluate(min(unknown))).toEqual({ status: "NoData", reason: "NoEvidence" })
    expect(status(min(unknown), notApplicable)).toBe("NotApplicable")
    expect(status(min(known(70)), count(80))).toBe("Undetermined")
  })

  it("MinCount and MinQuantity: at least the threshold", () => {
    const c = (t: typeof Requirement.CountThreshold.Type) => new Requirement.MinCount({ threshold: t })
    const q = (t: typeof Requirement.QuantityThreshold.Type) =>
      new Requirement.MinQuantity({ unit: Bilingual.make("triệu đồng", "million VND"), threshold: t })
    expect(status(c(known(1)), count(1))).toBe("Met")
    expect(status(c(known(1)), count(0))).toBe("NotMet")
    expect(status(c(known(0)), count(0))).toBe("Met")
    expect(status(c(unknown), count(3))).toBe("Undetermined")
    expect(status(c(byProvince), count(3))).toBe("Undetermined")
    expect(status(q(known(45.5)), qty(45.5))).toBe("Met")
    expect(status(q(known(45.5)), qty(45))).toBe("NotMet")
    expect(evaluate(q(unknown), qty(99))).toEqual({ status: "Undetermined", reason: "ThresholdUnknown" })
    expect(evaluate(q(byProvince), qty(99))).toEqual({ status: "Undetermined", reason: "ThresholdSetByProvince" })
  })

  it("MinClass: compared on the scale, lowest first; a class off the scale is undetermined", () => {
    const r = (t: typeof Requirement.ClassThreshold.Type) =>
      new Requirement.MinClass({ scale: ["IV", "III", "II", "I"], threshold: t })
    expect(status(r(known("III")), level("III"))).toBe("Met")
    expect(status(r(known("III")), level("I"))).toBe("Met")
    expect(status(r(known("III")), level("IV"))).toBe("NotMet")
    expect(status(r(known("III")), level("V"))).toBe("Undetermined")
    expect(status(r(known("V")), level("I"))).toBe("Undetermined")
    expect(status(r(unknown), level("I"))).toBe("Undetermined")
    expect(evaluate(r(byProvince), level("I"))).toEqual({ status: "Undetermined", reason: "ThresholdSetByProvince" })
  })

  it("DefinedByProvince and NotKnown: only an attestation is scored", () => {
    for (const r of [new Requirement.DefinedByProvince({}), new Requirement.NotKnown({})]) {
      expect(evaluate(r, attained(true))).toEqual({ status: "Met", reason: "Attestation" })
      expect(evaluate(r, attained(false))).toEqual({ status: "NotMet", reason: "Attestation" })
      expect(evaluate(r, pct(90))).toEqual({ status: "Undetermined", reason: "ThresholdUnknown" })
      expect(evaluate(r, count(3))).toEqual({ status: "Undetermined", reason: "ThresholdUnknown" })
      expect(evaluate(r)).toEqual({ status: "NoData", reason: "NoEvidence" })
      expect(status(r, notApplicable)).toBe("NotApplicable")
    }
  })

  it("MinShareOfSubunits: counted over the sub-units, not applicable without any, undetermined without a known threshold", () => {
    const share = (t: Requirement.PercentThreshold, rounding?: Requirement.Rounding) =>
      new Requirement.MinShareOfSubunits({
        subunitKinds: ["commune"],
        standards: [standardId("ntm")],
        threshold: t,
        ...(rounding === undefined ? {} : { rounding })
      })
    const of = (count: number, total: number): Scoring.Computed => ({
      share: () => ({ count, total }),
      holds: () => false
    })
    expect(Scoring.evaluate(share(known(50)), undefined, of(1, 2))).toEqual({
      status: "Met",
      reason: "Subunits",
      subunits: { count: 1, total: 2, required: 1 }
    })
    expect(Scoring.evaluate(share(known(10)), undefined, of(1, 17)).status).toBe("NotMet")
    expect(Scoring.evaluate(share(known(10), "floor"), undefined, of(1, 17)).status).toBe("Met")
    expect(Scoring.evaluate(share(known(10)), undefined, of(1, 17), { rounding: "floor" }).status).toBe("Met")
    expect(Scoring.evaluate(share(known(100)), undefined, of(0, 0))).toEqual({
      status: "NotApplicable",
      reason: "NoSubunits",
      subunits: { count: 0, total: 0, required: 0 }
    })
    expect(Scoring.evaluate(share(unknown), undefined, of(3, 3))).toEqual({
      status: "Undetermined",
      reason: "ThresholdUnknown",
      subunits: { count: 3, total: 3, required: undefined }
    })
    expect(Scoring.evaluate(share(byProvince), undefined, of(3, 3)).reason).toBe("ThresholdSetByProvince")
    // Evidence is ignored: the share is computed from the hierarchy.
    expect(Scoring.evaluate(share(known(50)), attained(false), of(2, 2)).status).toBe("Met")
  })

  it("HoldsRecognition: whether the unit holds one of the standards", () => {
    const r = new Requirement.HoldsRecognition({ standards: [standardId("ntm")] })
    expect(Scoring.evaluate(r, undefined, { ...nothing, holds: () => true })).toEqual({
      status: "Met",
      reason: "Recognition"
    })
    expect(Scoring.evaluate(r, undefined, nothing)).toEqual({ status: "NotMet", reason: "Recognition" })
  })

  it("criterionStatus and standardMet follow the documented rules", () => {
    expect(Scoring.criterionStatus([])).toBe("NoData")
    expect(Scoring.criterionStatus(["NotApplicable", "NotApplicable"])).toBe("NotApplicable")
    expect(Scoring.criterionStatus(["Met", "NotApplicable"])).toBe("Met")
    expect(Scoring.criterionStatus(["Met", "NoData", "NotMet"])).toBe("NotMet")
    expect(Scoring.criterionStatus(["Met", "NoData", "Undetermined"])).toBe("Undetermined")
    expect(Scoring.criterionStatus(["Met", "NoData"])).toBe("NoData")
    expect(Scoring.standardMet(["Met", "NotApplicable"], ["Met"])).toBe(true)
    expect(Scoring.standardMet(["Met"], ["NotMet"])).toBe(false)
    expect(Scoring.standardMet([], [])).toBe(false)
  })
})
