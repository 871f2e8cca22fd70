/**
 * Prints Tân Yên's scorecard as of a date (default: the notice, 2024-04-05), and as of an earlier date to compare.
 *
 *   npm start -- --as-of 2024-04-05 --compare 2023-06-30 [--known-at 2024-01-01]
 */

import { parseArgs } from "node:util"
import { EventStore, LocalDate } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Report from "./Report.js"
import * as TanYen from "./TanYen.js"

const { values } = parseArgs({
  options: {
    "as-of": { type: "string", default: "2024-04-05" },
    compare: { type: "string", default: "2023-06-30" },
    "known-at": { type: "string" }
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
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory))).catch((e) => {
  console.error(String(e?.message ?? e))
  process.exitCode = 1
})
