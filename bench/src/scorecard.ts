/**
 * Benchmark: folding the scorecard projection from in-memory events over a synthetic nation, and peak memory.
 *
 *   npm run bench                        # the whole nation (about 9.3 million events)
 *   npm run bench -- --fraction 0.1      # a tenth of the communes
 *   npm run bench -- --retain all        # keep the whole history (answers as of any date; memory grows with it)
 *
 * Only the fold is timed (events are generated a month at a time, outside the timer). Memory is sampled after each
 * month; with --expose-gc (set by the npm script) the heap is measured after a collection.
 */

import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { Ledger, LocalDate, Scorecard } from "@ntm/core"
import * as Either from "effect/Either"
import * as Nation from "./Nation.js"

const { values } = parseArgs({
  options: {
    fraction: { type: "string", default: "1" },
    months: { type: "string", default: String(Nation.nation.months) },
    retain: { type: "string", default: "latest" }
  }
})

const fraction = Number(values.fraction)
const shape: Nation.Shape = {
  ...Nation.nation,
  communes: Math.round(Nation.nation.communes * fraction),
  months: Number(values.months)
}
const gc = (globalThis as { gc?: () => void }).gc
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`

const cat = Nation.catalog(shape.indicators)
const retain = values.retain === "all" ? "all" : "latest"
const ledger = Ledger.make({ retain })
const setup = Nation.setup(shape, cat)
let foldMs = 0
let events = 0
let peakHeap = 0
let peakRss = 0
const sample = () => {
  gc?.()
  const m = process.memoryUsage()
  peakHeap = Math.max(peakHeap, m.heapUsed)
  peakRss = Math.max(peakRss, m.rss)
  return m.heapUsed
}
const baseline = sample()
let t = performance.now()
Ledger.fold(setup, { into: ledger })
foldMs += performance.now() - t
events += setup.length
let position = setup.length
const heapByYear: Array<string> = []
for (let m = 0; m < shape.months; m++) {
  const batch = Nation.month(shape, cat, m, position)
  position += batch.length
  t = performance.now()
  Ledger.fold(batch, { into: ledger })
  foldMs += performance.now() - t
  events += batch.length
  const heap = sample()
  if ((m + 1) % 12 === 0) heapByYear.push(`${(m + 1) / 12}y: ${mb(heap - baseline)}`)
}
const asOf = LocalDate.unsafeMake("2025-12-31")
t = performance.now()
let met = 0
for (let c = 0; c < shape.communes; c++) {
  const s = Either.getOrThrow(Scorecard.make(ledger, { unit: Nation.communeId(c, shape), catalog: cat.id, asOf }))
  met += s.indicators.met
}
const scoreMs = performance.now() - t

console.log("Scorecard projection benchmark / đo hiệu năng phép chiếu bảng đánh giá")
console.log(`  machine: ${process.platform} ${process.arch}, Node ${process.version}`)
console.log(
  `  nation: ${shape.provinces} provinces, ${shape.communes} communes, ${shape.indicators} indicators, ${shape.months} months`
)
console.log(`  ledger retains: ${retain}${ledger.stale.size > 0 ? ` (${ledger.stale.size} stale items)` : ""}`)
console.log(`  events folded: ${events.toLocaleString("en")}`)
console.log(`  fold: ${foldMs.toFixed(0)} ms, ${Math.round(events / (foldMs / 1000)).toLocaleString("en")} events/s`)
console.log(`  projection heap after each year (above baseline): ${heapByYear.join(", ")}`)
console.log(`  peak heap: ${mb(peakHeap)}, peak RSS: ${mb(peakRss)}`)
console.log(
  `  ${shape.communes} scorecards as of ${asOf}: ${scoreMs.toFixed(0)} ms (${(scoreMs / shape.communes).toFixed(3)} ms each); indicators met in all: ${met}`
)
