/**
 * The live feed filtered by a unit: events about the unit and the units under it, including those of dossiers and
 * commitments opened or made before the feed started (their later events carry no unit of their own); nothing about
 * units elsewhere.
 */
import { expect, layer } from "@effect/vitest"
import { Commitment, EvidenceValue } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Bench from "./helpers.js"

const { units, date, catalogId } = Bench

layer(Bench.layer(), { excludeTestServices: true })("GET /events?unit", (it) => {
  it.effect("follows the unit's subtree and the streams that belong to it", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const commune = yield* bench.client("commune")
      const admin = yield* bench.client("admin")
      yield* commune.commitments.command({
        payload: {
          _tag: "MakeCommitment",
          commitment: "feed-cm",
          maker: new Commitment.Party({ name: "UBND xã C1", unit: units.C1 }),
          to: new Commitment.Party({ name: "UBND huyện D", unit: units.D }),
          subject: new Commitment.Subject({ unit: units.C1, catalog: catalogId, indicators: ["1.2"], criteria: [] }),
          description: "Đường thôn / village roads",
          due: date("2027-06-30"),
          responsible: new Commitment.Responsible({ agency: "Ban quản lý xã" }),
          effective: date("2026-01-10")
        },
        headers: {}
      })
      const start = yield* Bench.position
      const abort = new AbortController()
      const feed = yield* Effect.promise(() =>
        bench.fetch(`/events?after=${start}&unit=${encodeURIComponent(units.D)}`, {
          as: "auditor",
          signal: abort.signal
        })
      )
      expect(feed.status).toBe(200)
      // Outside D: a renamed unit of the other branch.
      yield* admin.units.change({
        payload: {
          _tag: "RenameUnit",
          unit: units.C3,
          name: { vi: "Xã C3 mới", en: "New C3" } as never,
          effective: date("2026-02-01")
        } as never,
        headers: {}
      })
      // Inside D, on a stream whose events carry no unit: progress on the commitment made before the feed began.
      yield* commune.commitments.command({
        payload: {
          _tag: "ReportProgress",
          commitment: "feed-cm",
          note: "một nửa / half",
          effective: date("2026-03-01")
        },
        headers: {}
      })
      // Inside D: evidence for C1.
      yield* commune.evidence.record({
        payload: {
          _tag: "RecordEvidence",
          entry: "feed-ev",
          unit: units.C1,
          catalog: catalogId,
          code: "1.1",
          value: new EvidenceValue.Attained({ attained: true }),
          effective: date("2026-03-01"),
          sources: []
        },
        headers: {}
      })
      const frames = yield* Effect.promise(() =>
        Bench.readEvents(feed, (f) => f.includes("event: EvidenceRecorded"), 5_000)
      ).pipe(Effect.ensuring(Effect.sync(() => abort.abort())))
      const types = frames.flatMap((f) => /^event: (\w+)$/m.exec(f)?.[1] ?? [])
      expect(types).toEqual(["CommitmentProgressReported", "EvidenceRecorded"])
    })
  )
})
