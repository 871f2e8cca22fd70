/**
 * Benchmark: the cost of folding one evidence stream (`Evidence.evolve`, as `CommandHandler.load` folds a unit's
 * stream before its next write), per event, at 1,000, 10,000 and 100,000 events a stream. The stream is one unit's
 * monthly evidence on 47 indicators: nine in ten events record a new entry, one in ten corrects the indicator's last
 * chain. A fold linear in the stream's length costs about the same per event at every size.
 *
 *   npm run bench:fold
 *   npm run bench:fold -- --sizes 1000,10000,100000,300000
 */

import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { Actor, type Catalog, Evidence, EvidenceValue, LocalDate, type Unit } from "@ntm/core"

const { values } = parseArgs({ options: { sizes: { type: "string", default: "1000,10000,100000" } } })
const sizes = values.sizes.split(",").map(Number)

const by = new Actor.Actor({ id: "bench", name: "Benchmark", role: "system" }, { disableValidation: true })
const unit = "p/d/c" as Unit.UnitId
const catalog = "bench/commune" as Catalog.CatalogId
const indicators = 47

/** The stream's events: monthly evidence, with one correction in ten. */
const stream = (n: number): ReadonlyArray<Evidence.Event> => {
  const out: Array<Evidence.Event> = []
  const last = new Map<number, { entry: string; chain: string }>()
  for (let k = 0; k < n; k++) {
    const code = k % indicators
    const month = Math.floor(k / indicators)
    const effective = LocalDate.addDays(LocalDate.unsafeMake("2020-01-01"), month)
    const value = new EvidenceValue.Percent({ value: (k * 7) % 100 }, { disableValidation: true })
    const entry = `e${k}`
    const previous = last.get(code)
    if (previous !== undefined && k % 10 === 9) {
      out.push(
        new Evidence.EvidenceCorrected(
          {
            entry,
            corrects: previous.entry,
            chain: previous.chain,
            unit,
            catalog,
            code: `${code}`,
            value,
            effective,
            sources: [],
            reason: "Sửa số liệu / corrected",
            by
          },
          { disableValidation: true }
        )
      )
      last.set(code, { entry, chain: previous.chain })
    } else {
      out.push(
        new Evidence.EvidenceRecorded(
          { entry, unit, catalog, code: `${code}`, value, effective, sources: [], by },
          { disableValidation: true }
        )
      )
      last.set(code, { entry, chain: entry })
    }
  }
  return out
}

console.log(`Evidence stream fold (Evidence.evolve), ${process.platform} ${process.arch}, Node ${process.version}`)
for (const n of sizes) {
  const events = stream(n)
  // Fold once untimed (warm-up), then time the best of three.
  events.reduce(Evidence.evolve, Evidence.initial)
  let best = Number.POSITIVE_INFINITY
  let state = Evidence.initial
  for (let run = 0; run < 3; run++) {
    const t = performance.now()
    state = events.reduce(Evidence.evolve, Evidence.initial)
    best = Math.min(best, performance.now() - t)
  }
  const perEvent = (best * 1e6) / n
  console.log(
    `  ${n.toLocaleString("en-US").padStart(9)} events: ${best.toFixed(1).padStart(9)} ms, ${perEvent.toFixed(0).padStart(6)} ns an event (${state.entryChain.size.toLocaleString("en-US")} entries)`
  )
}
