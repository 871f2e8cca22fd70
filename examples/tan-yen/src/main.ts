/**
 * Prints Tân Yên's scorecard as of a date (default: the notice, 2024-04-05), and as of an earlier date to compare.
 *
 *   npm start -- --as-of 2024-04-05 --compare 2023-06-30 [--known-at 2024-01-01] --period 2024-Q1 --later 2024-12-31
 *
 * Then the commitments and dossiers as of that date, the progress report of a period, and the commitments, dossiers
 * and entry conditions as of a later date (the six commune dossiers recognised in October 2024).
 */

import { parseArgs } from "node:util"
import { Commitments, EventStore, LocalDate, Progress, Rollup } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Report from "./Report.js"
import * as TanYen from "./TanYen.js"

const { values } = parseArgs({
  options: {
    "as-of": { type: "string", default: "2024-04-05" },
    compare: { type: "string", default: "2023-06-30" },
    "known-at": { type: "string" },
    period: { type: "string", default: "2024-Q1" },
    later: { type: "string", default: "2024-12-31" }
  }
})

const program = Effect.gen(function* () {
  const asOf = LocalDate.unsafeMake(values["as-of"])
  const knownAtDate = values["known-at"] === undefined ? undefined : LocalDate.unsafeMake(values["known-at"])
  const knownAt = knownAtDate === undefined ? undefined : TanYen.endOfDay(knownAtDate)
  const count = yield* TanYen.record
  console.log(`Đã ghi ${count} sự kiện lịch sử / recorded ${count} historical facts\n`)
  const options = knownAtDate === undefined ? {} : { knownAt: knownAtDate }
  console.log(Report.render(yield* TanYen.scorecard(asOf, knownAt), options))
  const earlier = LocalDate.unsafeMake(values.compare)
  const before = yield* TanYen.scorecard(earlier, knownAt)
  console.log(
    `\nSo sánh / compare: tính đến / as of ${earlier}: ${before.indicators.met}/${before.indicators.total} chỉ tiêu đạt / indicators met`
  )
  const ledger = yield* TanYen.ledger(knownAt)
  console.log(`\n${Report.renderCommitments(Commitments.asOf(ledger, asOf, { within: TanYen.ids.district }), asOf)}`)
  console.log(`\n${Report.renderDossiers(ledger, asOf)}`)
  const period = yield* Progress.parsePeriod(values.period)
  console.log(
    `\n${Report.renderProgress(yield* Progress.report(ledger, { unit: TanYen.ids.district, catalog: TanYen.ids.catalog, period }))}`
  )
  const later = LocalDate.unsafeMake(values.later)
  console.log(`\n— Về sau / later: ${later} —`)
  console.log(Report.renderCommitments(Commitments.asOf(ledger, later, { within: TanYen.ids.district }), later))
  console.log(`\n${Report.renderDossiers(ledger, later)}`)
  const after = yield* TanYen.scorecard(later, knownAt)
  for (const c of after.conditions) {
    const sub = c.computed.subunits
    console.log(
      `  ${c.code} ${c.status}${sub ? ` (${sub.count}/${sub.total}, cần / required ${sub.required ?? "?"})` : ""}`
    )
  }
  const rollup = Rollup.make(ledger, TanYen.ids.district, later)
  if (rollup) console.log(`\n${Report.renderRollup(rollup)}`)
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory))).catch((e) => {
  console.error(String(e?.message ?? e))
  process.exitCode = 1
})
