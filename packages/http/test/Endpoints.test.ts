/**
 * Every endpoint through the typed client derived from the contract, against a server on a free port over an
 * in-memory SQLite store.
 */
import { expect, layer } from "@effect/vitest"
import { Bilingual, Commitment, Dossier, Evidence, EvidenceValue, Recognition, Standard } from "@ntm/core"
import * as Effect from "effect/Effect"
import type * as Problem from "../src/Problem.js"
import type * as Views from "../src/Views.js"
import * as Bench from "./helpers.js"

const { units, date, catalogId } = Bench

/** The problem a failed call answered with. */
const problem = <A, E, R>(call: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(call), (e) => e as unknown as Problem.Problem)

const doc = (title: string) => new Evidence.DocumentRef({ title })

const decision = (number: string, d: string) => new Recognition.Decision({ number, date: date(d) })

const status = (card: Views.ScorecardView, code: string) =>
  card.criteria.flatMap((c) => c.indicators).find((i) => i.code === code)?.status

const paths = [
  "/health",
  "/ready",
  "/catalogs",
  "/catalogs/{id}",
  "/catalogs/{id}/versions/{version}",
  "/catalogs/{id}/diff",
  "/units",
  "/units/{unit}",
  "/hierarchy",
  "/units/{unit}/evidence",
  "/evidence",
  "/commitments",
  "/commitments/{commitment}",
  "/dossiers",
  "/dossiers/{dossier}",
  "/recognitions",
  "/units/{unit}/scorecard",
  "/units/{unit}/rollup",
  "/units/{unit}/progress",
  "/units/{unit}/history",
  "/verify",
  "/events"
]

layer(Bench.layer(), { excludeTestServices: true })("endpoints", (it) => {
  it.effect("health and readiness answer without a token; the position counts the seeded events", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const anonymous = yield* bench.client(undefined)
      expect(yield* anonymous.health.health()).toEqual({ status: "ok" })
      const ready = yield* anonymous.health.ready()
      expect(ready.status).toBe("ready")
      expect(ready.position).toBeGreaterThanOrEqual(8)
    })
  )

  it.effect("401 without a token, with a malformed one and with a well-formed unknown one", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const anonymous = yield* bench.client(undefined)
      const none = yield* problem(anonymous.units.list({ urlParams: {} }))
      expect(none._tag).toBe("Unauthorized")
      const garbage = yield* bench.client({ bearer: "not-a-token" })
      expect((yield* problem(garbage.catalogs.list()))._tag).toBe("Unauthorized")
      const real = bench.tokens.admin.token
      const forged = yield* bench.client({ bearer: `${real.slice(0, -4)}AAAA` })
      const p = yield* problem(forged.catalogs.list())
      expect(p._tag).toBe("Unauthorized")
      expect(p.title.en).toBe("Not authenticated")
      const raw = yield* Effect.promise(() => bench.fetch("/units"))
      expect(raw.status).toBe(401)
      expect(((yield* Effect.promise(() => raw.json())) as { _tag: string })._tag).toBe("Unauthorized")
    })
  )

  it.effect("/openapi.json is valid JSON naming every path; /docs is an HTML page", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const res = yield* Effect.promise(() => bench.fetch("/openapi.json"))
      expect(res.status).toBe(200)
      const spec = (yield* Effect.promise(() => res.json())) as { openapi: string; paths: Record<string, unknown> }
      expect(spec.openapi).toMatch(/^3\./)
      expect(Object.keys(spec.paths).sort()).toEqual([...paths].sort())
      const docs = yield* Effect.promise(() => bench.fetch("/docs"))
      expect(docs.status).toBe(200)
      expect(docs.headers.get("content-type")).toContain("text/html")
      expect(yield* Effect.promise(() => docs.text())).toMatch(/<html/i)
    })
  )

  it.effect("catalogs: list, versions (with an ETag), read, publish a new version, diff, and 404s", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const admin = yield* bench.client("admin")
      const reader = yield* bench.client("auditor")
      const list = yield* reader.catalogs.list()
      expect(list.map((c) => `${c.id}@${c.version}`)).toContain("test/commune@1")
      expect(list.find((c) => c.id === "test/commune")?.indicators).toBe(3)

      const v1 = Bench.catalog({ id: "test/other" })
      const published = yield* admin.catalogs.publish({ payload: v1, headers: {} })
      expect(published.stream).toContain("test/other")
      expect(published.streamVersion).toBe(1)
      expect(published.events.map((e) => e._tag)).toEqual(["CatalogPublished"])
      expect((published.events[0] as { by: { id: string } }).by.id).toBe(bench.tokens.admin.principal.id)

      const [versions, response] = yield* reader.catalogs.versions({
        path: { id: Bench.seg("test/other") },
        withResponse: true
      })
      expect(versions.map((v) => v.version)).toEqual(["1"])
      expect(response.headers.etag).toBe('"1"')

      // a stale If-Match is refused, the right one accepted
      const doc2 = Bench.catalogDocument({ id: "test/other", version: "2", effective: { from: "2026-06-01" } })
      const v2Doc = {
        ...doc2,
        criteria: doc2.criteria.map((c) => ({
          ...c,
          indicators: c.indicators.map((i) =>
            i.code === "1.2"
              ? {
                  ...i,
                  requirement: {
                    _tag: "MinPercent",
                    threshold: { _tag: "Known", value: 80, status: "verified", sources: ["test"] }
                  }
                }
              : i
          )
        }))
      }
      const v2 = Bench.catalog(v2Doc)
      const stale = yield* problem(admin.catalogs.publish({ payload: v2, headers: { "if-match": '"0"' } }))
      expect(stale._tag).toBe("PreconditionFailed")
      const second = yield* admin.catalogs.publish({ payload: v2, headers: { "if-match": '"1"' } })
      expect(second.streamVersion).toBe(2)

      const read = yield* reader.catalogs.read({ path: { id: Bench.seg("test/other"), version: "2" } })
      expect(read.version).toBe("2")
      expect(read.indicators.map((i) => i.code)).toEqual(["1.1", "1.2", "2.1"])

      const diff = yield* reader.catalogs.diff({
        path: { id: Bench.seg("test/other") },
        urlParams: { from: "1", to: "2" }
      })
      expect(diff.some((d) => d.kind === "changed" && d.code === "1.2")).toBe(true)
      expect(diff.some((d) => d.code === "1.1")).toBe(false)

      expect((yield* problem(reader.catalogs.versions({ path: { id: Bench.seg("nope") } })))._tag).toBe("NotFound")
      expect((yield* problem(reader.catalogs.read({ path: { id: Bench.seg("test/other"), version: "9" } })))._tag).toBe(
        "NotFound"
      )
      expect(
        (yield* problem(
          reader.catalogs.diff({ path: { id: Bench.seg("test/other") }, urlParams: { from: "1", to: "9" } })
        ))._tag
      ).toBe("NotFound")
    })
  )

  it.effect("units: the list and a unit as of dates, and a change to the hierarchy", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const admin = yield* bench.client("admin")
      const reader = yield* bench.client("commune")
      expect(yield* reader.units.list({ urlParams: { asOf: date("2019-12-31") } })).toEqual([])
      const [all, response] = yield* reader.units.list({ urlParams: {}, withResponse: true })
      expect(all.map((u) => u.id).sort()).toEqual(Object.values(units).sort())
      const etag = response.headers.etag
      expect(etag).toBe('"7"')
      const communes = yield* reader.units.list({ urlParams: { kind: "commune" } })
      expect(communes.map((u) => u.id).sort()).toEqual([units.C1, units.C2, units.C3].sort())

      const c1 = yield* reader.units.read({ path: { unit: Bench.seg(units.C1) }, urlParams: {} })
      expect(c1.unit.parent).toBe(units.D)
      expect(c1.ancestors.map((u) => u.id)).toEqual([units.D, units.P])
      const d = yield* reader.units.read({
        path: { unit: Bench.seg(units.D) },
        urlParams: { asOf: date("2024-01-01") }
      })
      expect(d.children.map((u) => u.id).sort()).toEqual([units.C1, units.C2])
      expect(
        (yield* problem(
          reader.units.read({ path: { unit: Bench.seg(units.C1) }, urlParams: { asOf: date("2019-01-01") } })
        ))._tag
      ).toBe("NotFound")

      const renamed = yield* admin.units.change({
        payload: {
          _tag: "RenameUnit",
          unit: units.C2,
          name: Bilingual.make("Xã C2 mới", "New C2"),
          effective: date("2026-01-01")
        },
        headers: { "if-match": etag! }
      })
      expect(renamed.streamVersion).toBe(8)
      expect((renamed.events[0] as { by: { id: string } }).by.id).toBe(bench.tokens.admin.principal.id)
      const before = yield* reader.units.read({
        path: { unit: Bench.seg(units.C2) },
        urlParams: { asOf: date("2025-12-31") }
      })
      const after = yield* reader.units.read({
        path: { unit: Bench.seg(units.C2) },
        urlParams: { asOf: date("2026-01-01") }
      })
      expect(before.unit.name.vi).toBe("Xã C2")
      expect(after.unit.name.vi).toBe("Xã C2 mới")
      // the same version again is now stale
      const stale = yield* problem(
        admin.units.change({
          payload: {
            _tag: "RenameUnit",
            unit: units.C2,
            name: Bilingual.make("X", "X"),
            effective: date("2026-02-01")
          },
          headers: { "if-match": etag! }
        })
      )
      expect(stale._tag).toBe("PreconditionFailed")
    })
  )

  it.effect("evidence: record, correct, retract and assess; the read has an ETag; If-Match and Idempotency-Key", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const commune = yield* bench.client("commune")
      const district = yield* bench.client("district")
      const recorded = yield* commune.evidence.record({
        payload: {
          _tag: "RecordEvidence",
          entry: "ev-1",
          unit: units.C1,
          catalog: catalogId,
          code: "1.1",
          value: new EvidenceValue.Attained({ attained: true }),
          effective: date("2025-01-01"),
          sources: [doc("Báo cáo giao thông")]
        },
        headers: {}
      })
      expect(recorded.streamVersion).toBe(1)
      expect(recorded.events.map((e) => e._tag)).toEqual(["EvidenceRecorded"])

      const corrected = yield* commune.evidence.record({
        payload: {
          _tag: "CorrectEvidence",
          entry: "ev-1b",
          unit: units.C1,
          corrects: "ev-1",
          value: new EvidenceValue.Attained({ attained: false }),
          sources: [],
          reason: "đo lại / re-measured"
        },
        headers: { "if-match": '"1"' }
      })
      expect(corrected.events.map((e) => e._tag)).toEqual(["EvidenceCorrected"])
      let card = yield* commune.scorecards.scorecard({
        path: { unit: Bench.seg(units.C1) },
        urlParams: { catalog: catalogId, asOf: date("2025-01-15") }
      })
      expect(status(card, "1.1")).toBe("NotMet")

      const retracted = yield* commune.evidence.record({
        payload: { _tag: "RetractEvidence", unit: units.C1, entry: "ev-1b", reason: "nhầm / mistaken" },
        headers: {}
      })
      expect(retracted.events.map((e) => e._tag)).toEqual(["EvidenceRetracted"])
      card = yield* commune.scorecards.scorecard({
        path: { unit: Bench.seg(units.C1) },
        urlParams: { catalog: catalogId, asOf: date("2025-01-15") }
      })
      expect(status(card, "1.1")).toBe("Met")

      const assessed = yield* district.evidence.record({
        payload: {
          _tag: "AssessIndicator",
          assessment: "as-1",
          unit: units.C1,
          catalog: catalogId,
          code: "2.1",
          verdict: { _tag: "Overridden", status: "NotApplicable" },
          reason: "không có quy hoạch / not planned",
          effective: date("2025-02-01")
        },
        headers: {}
      })
      expect(assessed.events.map((e) => e._tag)).toEqual(["IndicatorAssessed"])
      card = yield* commune.scorecards.scorecard({
        path: { unit: Bench.seg(units.C1) },
        urlParams: { catalog: catalogId, asOf: date("2025-02-01") }
      })
      expect(status(card, "2.1")).toBe("NotApplicable")

      // a commune may not assess itself: the core refuses (403, AssessmentNotPermitted)
      const selfAssess = yield* problem(
        commune.evidence.record({
          payload: {
            _tag: "AssessIndicator",
            assessment: "as-2",
            unit: units.C1,
            catalog: catalogId,
            code: "1.1",
            verdict: { _tag: "Confirmed" },
            reason: "tự đánh giá",
            effective: date("2025-02-01")
          },
          headers: {}
        })
      )
      expect(selfAssess._tag).toBe("Forbidden")

      // the read: every event, the stream version and an ETag equal to it
      const [read, response] = yield* commune.evidence.read({ path: { unit: Bench.seg(units.C1) }, withResponse: true })
      expect(read.events.map((e) => e._tag)).toEqual([
        "EvidenceRecorded",
        "EvidenceCorrected",
        "EvidenceRetracted",
        "IndicatorAssessed"
      ])
      expect(read.streamVersion).toBe(4)
      expect(response.headers.etag).toBe('"4"')

      // If-Match: stale → 412 and nothing appended; malformed → 400; current → accepted
      const record = (entry: string, headers: { "if-match"?: string; "idempotency-key"?: string }) =>
        commune.evidence.record({
          payload: {
            _tag: "RecordEvidence",
            entry,
            unit: units.C1,
            catalog: catalogId,
            code: "1.2",
            value: new EvidenceValue.Percent({ value: 75 }),
            effective: date("2025-03-01"),
            sources: []
          },
          headers
        })
      const before = yield* Bench.position
      const stale = yield* problem(record("ev-2", { "if-match": '"3"' }))
      expect(stale._tag).toBe("PreconditionFailed")
      expect(stale.code).toBe("StreamVersionConflict")
      const malformed = yield* problem(record("ev-2", { "if-match": "version three" }))
      expect(malformed._tag).toBe("BadRequest")
      expect(yield* Bench.position).toBe(before)
      const ok = yield* record("ev-2", { "if-match": 'W/"4"' })
      expect(ok.streamVersion).toBe(5)

      // Idempotency-Key: the retry appends nothing and answers with the same version
      const first = yield* record("ev-3", { "idempotency-key": "key-ev-3" })
      expect(first.streamVersion).toBe(6)
      const at = yield* Bench.position
      const retry = yield* record("ev-3", { "idempotency-key": "key-ev-3" })
      expect(retry.streamVersion).toBe(6)
      expect(yield* Bench.position).toBe(at)
      const again = yield* commune.evidence.read({ path: { unit: Bench.seg(units.C1) } })
      expect(again.streamVersion).toBe(6)
      expect(again.events.filter((e) => e._tag === "EvidenceRecorded" && e.entry === "ev-3")).toHaveLength(1)

      // a rule of the core: a value of the wrong type → 422
      const mismatch = yield* problem(
        commune.evidence.record({
          payload: {
            _tag: "RecordEvidence",
            entry: "ev-4",
            unit: units.C1,
            catalog: catalogId,
            code: "1.1",
            value: new EvidenceValue.Count({ value: 3 }),
            effective: date("2025-03-01"),
            sources: []
          },
          headers: {}
        })
      )
      expect(mismatch._tag).toBe("Unprocessable")
      expect(mismatch.code).toBe("ValueTypeMismatch")
    })
  )

  it.effect("an Idempotency-Key names one caller's command on one stream; another command under it is refused", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const record = (who: Bench.Who, unit: typeof units.C1, entry: string) =>
        Effect.flatMap(bench.client(who), (c) =>
          c.evidence.record({
            payload: {
              _tag: "RecordEvidence",
              entry,
              unit,
              catalog: catalogId,
              code: "2.1",
              value: new EvidenceValue.Count({ value: 1 }),
              effective: date("2024-06-01"),
              sources: []
            },
            headers: { "idempotency-key": "shared-key" }
          })
        )
      const first = yield* record("commune", units.C1, "idem-a")
      expect(first.events).toHaveLength(1)
      // another caller who happens to pick the same key, on another stream: their write is theirs
      const other = yield* record("commune2", units.C2, "idem-b")
      expect(other.events).toHaveLength(1)
      const c2 = yield* Effect.flatMap(bench.client("auditor"), (c) =>
        c.evidence.read({ path: { unit: Bench.seg(units.C2) } })
      )
      expect(c2.events.some((e) => e._tag === "EvidenceRecorded" && e.entry === "idem-b")).toBe(true)
      // the same caller, the same key, another command on the same stream: refused, and nothing appended
      const at = yield* Bench.eventCount
      const reuse = yield* problem(record("commune", units.C1, "idem-c"))
      expect(reuse).toMatchObject({ _tag: "Unprocessable", code: "IdempotencyKeyReused", facts: { key: "shared-key" } })
      expect(yield* Bench.eventCount).toBe(at)
    })
  )

  it.effect("two writers naming the same version at once: one is accepted, the other answered 412", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const district = yield* bench.client("district")
      const read = yield* district.evidence.read({ path: { unit: Bench.seg(units.C2) } })
      const ifMatch = `"${read.streamVersion}"`
      const assess = (assessment: string) =>
        Effect.either(
          district.evidence.record({
            payload: {
              _tag: "AssessIndicator",
              assessment,
              unit: units.C2,
              catalog: catalogId,
              code: "2.1",
              verdict: { _tag: "Confirmed" },
              reason: "đồng thời / concurrently",
              effective: date("2024-07-01")
            },
            headers: { "if-match": ifMatch }
          })
        )
      const outcomes = yield* Effect.all([assess("race-a"), assess("race-b"), assess("race-c")], {
        concurrency: "unbounded"
      })
      const won = outcomes.filter((o) => o._tag === "Right")
      const lost = outcomes.flatMap((o) => (o._tag === "Left" ? [o.left as unknown as Problem.Problem] : []))
      expect(won).toHaveLength(1)
      expect(lost.map((p) => p._tag)).toEqual(["PreconditionFailed", "PreconditionFailed"])
      const after = yield* district.evidence.read({ path: { unit: Bench.seg(units.C2) } })
      expect(after.streamVersion).toBe(read.streamVersion + 1)
    })
  )

  it.effect("scorecard as of a date and as known at a time; roll-up; progress over a period; history", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const commune2 = yield* bench.client("commune2")
      const reader = yield* bench.client("central")
      const before = Date.now() - 1
      yield* Effect.sleep("5 millis")
      yield* commune2.evidence.record({
        payload: {
          _tag: "RecordEvidence",
          entry: "c2-1",
          unit: units.C2,
          catalog: catalogId,
          code: "1.2",
          value: new EvidenceValue.Percent({ value: 80 }),
          effective: date("2025-03-01"),
          sources: []
        },
        headers: {}
      })
      const card = (asOf: string, knownAt?: number) =>
        reader.scorecards.scorecard({
          path: { unit: Bench.seg(units.C2) },
          urlParams: { catalog: catalogId, asOf: date(asOf), ...(knownAt === undefined ? {} : { knownAt }) }
        })
      expect(status(yield* card("2025-02-28"), "1.2")).toBe("NoData")
      const now = yield* card("2025-03-01")
      expect(status(now, "1.2")).toBe("Met")
      expect(now.unit.id).toBe(units.C2)
      expect(now.catalog.id).toBe("test/commune")
      expect(now.indicators.total).toBe(3)
      const then = yield* card("2025-03-01", before)
      expect(status(then, "1.2")).toBe("NoData")
      expect(then.knownAt).toBe(before)
      expect(
        (yield* problem(
          reader.scorecards.scorecard({ path: { unit: Bench.seg(units.C2) }, urlParams: { catalog: "nope/none" } })
        ))._tag
      ).not.toBe("ServerError")

      // raw: knownAt as a date (the end of that day): today knows everything, 2000 knew no unit at all
      const scorecardAt = (knownAt: string) =>
        Effect.promise(() =>
          bench.fetch(
            `/units/${Bench.seg(units.C2)}/scorecard?catalog=test/commune&asOf=2025-03-01&knownAt=${knownAt}`,
            {
              as: "central"
            }
          )
        )
      const today = yield* scorecardAt(new Date().toISOString().slice(0, 10))
      expect(today.status).toBe(200)
      expect(((yield* Effect.promise(() => today.json())) as { knownAt: number }).knownAt).toBeGreaterThan(before)
      const longAgo = yield* scorecardAt("2000-01-01")
      expect(longAgo.status).toBe(404)
      expect(((yield* Effect.promise(() => longAgo.json())) as { code: string }).code).toBe("UnknownUnit")
      const bad = yield* Effect.promise(() =>
        bench.fetch(`/units/${encodeURIComponent(units.C2)}/scorecard?catalog=test/commune&knownAt=yesterday`, {
          as: "central"
        })
      )
      expect(bad.status).toBe(400)

      // a roll-up counts the units under one and goes down through provinces and districts
      const rollup = yield* reader.scorecards.rollup({ path: { unit: Bench.seg(units.P) }, urlParams: {} })
      expect(rollup.unit.id).toBe(units.P)
      expect(rollup.kinds.commune?.total).toBe(2)
      expect(rollup.kinds.district?.total).toBe(1)
      expect(rollup.children.map((c) => c.unit.id)).toEqual([units.D])
      expect(rollup.children[0]?.kinds.commune?.total).toBe(2)
      const shallow = yield* reader.scorecards.rollup({ path: { unit: Bench.seg(units.P) }, urlParams: { depth: 0 } })
      expect(shallow.children).toEqual([])
      expect(
        (yield* problem(reader.scorecards.rollup({ path: { unit: Bench.seg("nowhere" as never) }, urlParams: {} })))
          ._tag
      ).toBe("NotFound")

      const progress = yield* reader.scorecards.progress({
        path: { unit: Bench.seg(units.C2) },
        urlParams: { catalog: catalogId, period: "2025" }
      })
      expect(progress.period).toEqual({ label: "2025", from: "2025-01-01", to: "2025-12-31" })
      expect(status(progress.end, "1.2")).toBe("Met")
      expect(progress.changes.some((c) => JSON.stringify(c).includes("1.2"))).toBe(true)
      const quarter = yield* reader.scorecards.progress({
        path: { unit: Bench.seg(units.C2) },
        urlParams: { catalog: catalogId, period: "2025-Q1" }
      })
      expect(quarter.period.to).toBe("2025-03-31")
      for (const period of ["2025-13", "last year", "2025-Q5"]) {
        const p = yield* problem(
          reader.scorecards.progress({ path: { unit: Bench.seg(units.C2) }, urlParams: { catalog: catalogId, period } })
        )
        expect(p._tag).toBe("BadRequest")
        expect(p.code).toBe("InvalidPeriod")
      }

      const history = yield* reader.scorecards.history({ path: { unit: Bench.seg(units.C2) }, urlParams: {} })
      const line = history.find((l) => l.type === "EvidenceRecorded")
      expect(line?.actor).toContain(bench.tokens.commune2.principal.id)
      expect(history.some((l) => l.type === "UnitEstablished")).toBe(true)
      const indicator = yield* reader.scorecards.history({
        path: { unit: Bench.seg(units.C2) },
        urlParams: { catalog: catalogId, code: "1.2" }
      })
      expect(indicator.map((l) => l.type)).toEqual(["EvidenceRecorded"])
      const incomplete = yield* problem(
        reader.scorecards.history({ path: { unit: Bench.seg(units.C2) }, urlParams: { catalog: catalogId } })
      )
      expect(incomplete._tag).toBe("BadRequest")
    })
  )

  it.effect("commitments: make, report progress, list and read (with an ETag)", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const commune = yield* bench.client("commune")
      const made = yield* commune.commitments.command({
        payload: {
          _tag: "MakeCommitment",
          commitment: "cm-1",
          maker: new Commitment.Party({ name: "UBND xã C1", unit: units.C1 }),
          to: new Commitment.Party({ name: "UBND huyện D", unit: units.D }),
          subject: new Commitment.Subject({ unit: units.C1, catalog: catalogId, indicators: ["1.2"], criteria: [] }),
          description: "Bê tông hóa đường thôn / concrete village roads",
          due: date("2027-06-30"),
          responsible: new Commitment.Responsible({ agency: "Ban quản lý xã" }),
          effective: date("2026-01-10")
        },
        headers: {}
      })
      expect(made.events.map((e) => e._tag)).toEqual(["CommitmentMade"])
      yield* commune.commitments.command({
        payload: {
          _tag: "ReportProgress",
          commitment: "cm-1",
          note: "đã xong nửa / half done",
          percent: 50,
          effective: date("2026-06-01")
        },
        headers: { "if-match": '"1"' }
      })
      const list = yield* commune.commitments.list({ urlParams: { unit: units.D } })
      expect(list.map((c) => c.made.commitment)).toEqual(["cm-1"])
      expect(yield* commune.commitments.list({ urlParams: { unit: units.Q } })).toEqual([])
      const [view, response] = yield* commune.commitments.read({
        path: { commitment: "cm-1" },
        urlParams: {},
        withResponse: true
      })
      expect(view.status).toBe("Open")
      expect(view.lastProgress?.percent).toBe(50)
      expect(view.made.by.id).toBe(bench.tokens.commune.principal.id)
      expect(response.headers.etag).toBe('"2"')
      expect(
        (yield* problem(
          commune.commitments.read({ path: { commitment: "cm-1" }, urlParams: { asOf: date("2026-01-01") } })
        ))._tag
      ).toBe("NotFound")
      expect((yield* problem(commune.commitments.read({ path: { commitment: "nope" }, urlParams: {} })))._tag).toBe(
        "NotFound"
      )
    })
  )

  it.effect("a dossier stepped through to announcement; a step out of order is 422 StepOutOfOrder", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const commune = yield* bench.client("commune")
      const district = yield* bench.client("district")
      const province = yield* bench.client("province")
      // evidence that meets the standard from 2026-02-01
      const values = {
        "1.1": new EvidenceValue.Attained({ attained: true }),
        "1.2": new EvidenceValue.Percent({ value: 90 }),
        "2.1": new EvidenceValue.Count({ value: 2 })
      }
      for (const [code, value] of Object.entries(values))
        yield* commune.evidence.record({
          payload: {
            _tag: "RecordEvidence",
            entry: `dossier-${code}`,
            unit: units.C1,
            catalog: catalogId,
            code,
            value,
            effective: date("2026-02-01"),
            sources: []
          },
          headers: {}
        })
      const header = (effective: string) => ({ dossier: "hs-c1", effective: date(effective) })
      const opened = yield* commune.dossiers.step({
        payload: {
          _tag: "OpenDossier",
          ...header("2026-03-01"),
          unit: units.C1,
          standard: Standard.standardId("ntm"),
          catalog: { id: catalogId, version: "1" }
        },
        headers: {}
      })
      expect(opened.events.map((e) => e._tag)).toEqual(["DossierOpened"])

      const early = yield* problem(
        district.dossiers.step({
          payload: { _tag: "VerifyDossier", ...header("2026-03-02"), report: doc("Biên bản thẩm tra") },
          headers: {}
        })
      )
      expect(early._tag).toBe("Unprocessable")
      expect(early.code).toBe("StepOutOfOrder")
      expect(early.title).toEqual({ vi: "Bị từ chối theo quy tắc nghiệp vụ", en: "Rejected by a rule" })

      const card = yield* commune.scorecards.scorecard({
        path: { unit: Bench.seg(units.C1) },
        urlParams: { catalog: catalogId, asOf: date("2026-03-02") }
      })
      expect(card.standardMet).toBe(true)
      yield* commune.dossiers.step({ payload: { _tag: "SubmitSelfAssessment", ...header("2026-03-02") }, headers: {} })
      const assessed = yield* commune.dossiers.read({ path: { dossier: "hs-c1" }, urlParams: {} })
      // The server froze the scorecard it computed from the record.
      expect(assessed.events[1]).toMatchObject({
        _tag: "SelfAssessmentSubmitted",
        scorecard: Dossier.freeze(card, (assessed.events[1] as Dossier.SelfAssessmentSubmitted).scorecard.knownAt)
      })
      yield* commune.dossiers.step({
        payload: { _tag: "RecordConsultation", ...header("2026-03-03"), satisfaction: 92, bySubunit: [] },
        headers: {}
      })
      // the province may not verify a commune's dossier: its district does (the core refuses, 403)
      const wrongReviewer = yield* problem(
        province.dossiers.step({
          payload: { _tag: "VerifyDossier", ...header("2026-03-04"), report: doc("Biên bản thẩm tra") },
          headers: {}
        })
      )
      expect(wrongReviewer._tag).toBe("Forbidden")
      expect(wrongReviewer.code).toBe("StepNotPermitted")
      yield* district.dossiers.step({
        payload: { _tag: "VerifyDossier", ...header("2026-03-04"), report: doc("Biên bản thẩm tra") },
        headers: {}
      })
      yield* province.dossiers.step({
        payload: {
          _tag: "AppraiseDossier",
          ...header("2026-03-05"),
          council: "Hội đồng thẩm định tỉnh",
          report: doc("Biên bản thẩm định")
        },
        headers: {}
      })
      yield* province.dossiers.step({
        payload: {
          _tag: "RecogniseDossier",
          ...header("2026-03-06"),
          recognition: "rc-c1",
          decision: decision("99/QĐ-UBND", "2026-03-06")
        },
        headers: {}
      })
      const announced = yield* district.dossiers.step({
        payload: { _tag: "AnnounceRecognition", ...header("2026-03-07") },
        headers: { "if-match": '"6"' }
      })
      expect(announced.streamVersion).toBe(7)

      const [view, response] = yield* commune.dossiers.read({
        path: { dossier: "hs-c1" },
        urlParams: {},
        withResponse: true
      })
      expect(view.stage).toBe("Announced")
      expect(view.events).toHaveLength(7)
      expect(response.headers.etag).toBe('"7"')
      const midway = yield* commune.dossiers.read({
        path: { dossier: "hs-c1" },
        urlParams: { asOf: date("2026-03-03") }
      })
      expect(midway.stage).toBe("Consulted")
      const list = yield* commune.dossiers.list({ urlParams: { unit: units.P } })
      expect(list.map((d) => d.dossier)).toEqual(["hs-c1"])
      expect(yield* commune.dossiers.list({ urlParams: { unit: units.Q } })).toEqual([])
      expect((yield* problem(commune.dossiers.read({ path: { dossier: "nope" }, urlParams: {} })))._tag).toBe(
        "NotFound"
      )

      // recognitions granted directly
      const granted = yield* province.dossiers.recognise({
        payload: {
          _tag: "GrantRecognition",
          recognition: "rc-c2",
          unit: units.C2,
          standard: Standard.standardId("ntm"),
          catalog: { id: catalogId, version: "1" },
          decision: decision("100/QĐ-UBND", "2026-04-01"),
          effective: date("2026-04-01")
        },
        headers: {}
      })
      expect(granted.events.map((e) => e._tag)).toEqual(["RecognitionGranted"])

      // a recognition the dossier granted is revoked through the dossier, not directly (409, naming the dossier)
      const direct = yield* problem(
        province.dossiers.recognise({
          payload: {
            _tag: "RevokeRecognition",
            unit: units.C1,
            standard: Standard.standardId("ntm"),
            decision: decision("101/QĐ-UBND", "2026-04-02"),
            reason: "Không duy trì / not maintained",
            effective: date("2026-04-02")
          },
          headers: {}
        })
      )
      expect(direct._tag).toBe("Conflict")
      expect(direct.code).toBe("RecognitionHeldByDossier")
      expect(direct.detail).toContain("/dossiers/hs-c1")
      // and a second dossier for the same unit, standard and catalog version may not open beside an open one
      yield* commune.dossiers.step({
        payload: {
          _tag: "OpenDossier",
          dossier: "hs-c1-adv",
          effective: date("2026-04-03"),
          unit: units.C1,
          standard: Standard.standardId("ntm"),
          catalog: { id: catalogId, version: "1" }
        },
        headers: {}
      })
      const second = yield* problem(
        commune.dossiers.step({
          payload: {
            _tag: "OpenDossier",
            dossier: "hs-c1-again",
            effective: date("2026-04-03"),
            unit: units.C1,
            standard: Standard.standardId("ntm"),
            catalog: { id: catalogId, version: "1" }
          },
          headers: {}
        })
      )
      expect(second._tag).toBe("Conflict")
      expect(second.code).toBe("DossierAlreadyOpen")
      const wrongStandard = yield* problem(
        commune.dossiers.step({
          payload: {
            _tag: "OpenDossier",
            dossier: "hs-c1-model",
            effective: date("2026-04-03"),
            unit: units.C1,
            standard: Standard.standardId("model"),
            catalog: { id: catalogId, version: "1" }
          },
          headers: {}
        })
      )
      expect(wrongStandard._tag).toBe("Unprocessable")
      expect(wrongStandard.code).toBe("StandardNotApplicable")
      const rollup = yield* commune.scorecards.rollup({ path: { unit: Bench.seg(units.D) }, urlParams: {} })
      expect(rollup.dossiers).toEqual({ Announced: 1, Opened: 1 })
      expect(rollup.kinds.commune?.holding.ntm).toBe(2)
    })
  )

  it.effect(
    "a self-assessment body carrying a scorecard of its own freezes the record's, and cannot win a recognition",
    () =>
      Effect.gen(function* () {
        const bench = yield* Bench.TestBench
        const commune2 = yield* bench.client("commune2")
        const district = yield* bench.client("district")
        const province = yield* bench.client("province")
        const header = (effective: string) => ({ dossier: "hs-c2-forged", effective: date(effective) })
        yield* commune2.dossiers.step({
          payload: {
            _tag: "OpenDossier",
            ...header("2022-05-01"),
            unit: units.C2,
            standard: Standard.standardId("ntm"),
            catalog: { id: catalogId, version: "1" }
          },
          headers: {}
        })
        const forged = {
          catalog: { id: catalogId, version: "1" },
          asOf: "2022-06-01",
          knownAt: 0,
          standardMet: true,
          met: 3,
          applicable: 3,
          total: 3,
          criteria: [],
          indicators: [],
          conditions: []
        }
        const res = yield* Effect.promise(() =>
          bench.fetch("/dossiers", {
            as: "commune2",
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ _tag: "SubmitSelfAssessment", ...header("2022-06-01"), scorecard: forged })
          })
        )
        expect(res.status).toBe(200)
        const view = yield* commune2.dossiers.read({ path: { dossier: "hs-c2-forged" }, urlParams: {} })
        const frozen = (view.events[1] as Dossier.SelfAssessmentSubmitted).scorecard
        expect(frozen.standardMet).toBe(false)
        expect(frozen.asOf).toBe("2022-06-01")
        expect(frozen.knownAt).toBeGreaterThan(0)
        yield* commune2.dossiers.step({
          payload: { _tag: "RecordConsultation", ...header("2022-06-02"), satisfaction: 95, bySubunit: [] },
          headers: {}
        })
        yield* district.dossiers.step({
          payload: { _tag: "VerifyDossier", ...header("2022-06-03"), report: doc("Biên bản thẩm tra") },
          headers: {}
        })
        yield* province.dossiers.step({
          payload: { _tag: "AppraiseDossier", ...header("2022-06-04"), council: "Hội đồng", report: doc("Biên bản") },
          headers: {}
        })
        const refused = yield* problem(
          province.dossiers.step({
            payload: {
              _tag: "RecogniseDossier",
              ...header("2022-06-05"),
              recognition: "rc-c2-forged",
              decision: decision("5/QĐ-UBND", "2022-06-05")
            },
            headers: {}
          })
        )
        expect(refused._tag).toBe("Unprocessable")
        expect(refused.code).toBe("StandardNotMet")
      })
  )

  it.effect("the live feed needs a token, and resumes after Last-Event-ID", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const anonymous = yield* Effect.promise(() => bench.fetch("/events"))
      expect(anonymous.status).toBe(401)
      const last = yield* Bench.position
      const abort = new AbortController()
      const feed = yield* Effect.promise(() =>
        bench.fetch("/events", { as: "auditor", headers: { "last-event-id": String(last - 2) }, signal: abort.signal })
      )
      expect(feed.status).toBe(200)
      const frames = yield* Effect.promise(() =>
        Bench.readEvents(feed, (f) => f.includes(`id: ${last}\n`), 5_000)
      ).pipe(Effect.ensuring(Effect.sync(() => abort.abort())))
      const ids = frames.flatMap((f) => /^id: (\d+)$/m.exec(f)?.[1] ?? [])
      expect(ids).toEqual([String(last - 1), String(last)])
    })
  )

  it.effect("verify: the auditor walks an intact chain; a commune may not", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const auditor = yield* bench.client("auditor")
      const result = yield* auditor.log.verify()
      expect(result.ok).toBe(true)
      expect(result.checked).toBe(yield* Bench.position)
      const commune = yield* bench.client("commune")
      const refused = yield* problem(commune.log.verify())
      expect(refused._tag).toBe("Forbidden")
      expect(refused.code).toBe("RoleNotPermitted")
    })
  )

  it.effect("an unknown path is a 404 problem", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const res = yield* Effect.promise(() => bench.fetch("/no/such/thing", { as: "admin" }))
      expect(res.status).toBe(404)
      const body = (yield* Effect.promise(() => res.json())) as { _tag: string; code: string }
      expect(body._tag).toBe("NotFound")
      expect(body.code).toBe("RouteNotFound")
    })
  )
})
