import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Ledger from "../src/Ledger.js"
import * as LedgerSnapshot from "../src/LedgerSnapshot.js"
import * as Scorecard from "../src/Scorecard.js"
import * as A from "./arbitraries.js"

/** Every scorecard of the world on its dates, as plain data. */
const summary = (ledger: Ledger.Ledger, world: A.World) => {
  const out: Record<string, unknown> = {}
  for (const asOf of world.dates) {
    for (const u of world.units) {
      for (const catalog of A.catalogIds) {
        const card = Scorecard.make(ledger, { unit: u.id, catalog, asOf })
        out[`${u.id} ${catalog} ${asOf}`] = Either.isLeft(card)
          ? card.left._tag
          : {
              indicators: card.right.indicators,
              items: [...card.right.criteria.flatMap((c) => c.indicators), ...card.right.conditions].map((i) => [
                i.code,
                i.status,
                i.evidence?.entry.entry,
                i.evidence?.recordedAt,
                i.assessment?.event.assessment
              ])
            }
      }
    }
  }
  return out
}

describe("LedgerSnapshot", () => {
  for (const retain of ["all", "latest"] as const) {
    it(`restoring a snapshot (through JSON) and folding the rest equals folding everything (${retain})`, () => {
      fc.assert(
        fc.property(A.world(), fc.array(A.dossierPlan, { maxLength: 3 }), fc.nat(), (plain, plans, cut) => {
          const world = A.withDossiers(plain, plans)
          const at = cut % (world.history.length + 1)
          const head = Ledger.fold(world.history.slice(0, at), { retain })
          const json = JSON.parse(JSON.stringify(LedgerSnapshot.make(head))) as LedgerSnapshot.Snapshot
          const restored = Ledger.fold(world.history.slice(at), { into: LedgerSnapshot.restore(json) })
          const whole = Ledger.fold(world.history, { retain })
          expect([restored.count, restored.lastPosition, restored.lastRecordedAt, [...restored.stale].sort()]).toEqual([
            whole.count,
            whole.lastPosition,
            whole.lastRecordedAt,
            [...whole.stale].sort()
          ])
          expect(summary(restored, world)).toEqual(summary(whole, world))
          const dossiers = (l: Ledger.Ledger) =>
            [...l.dossiers.entries()].map(([id, d]) => [id, d.stage, d.events.length])
          expect(dossiers(restored).sort()).toEqual(dossiers(whole).sort())
        }),
        { numRuns: 60 }
      )
    })
  }
})
