/**
 * The record cannot be poisoned, on SQLite and on PostgreSQL: every write endpoint is sent its valid body with one
 * value broken — `1e999` or `-1e999` (read as ±Infinity, stored as `null`) in each number field, NUL and other
 * control characters or a lone surrogate in each id and text. Every answer is a 4xx problem, nothing is appended,
 * the hash chain still verifies, and the server still answers reads and the valid writes afterwards (before, one
 * such body made every later read and write answer 500 `EventDecodeError`, on PostgreSQL a NUL answered 500, and a
 * live feed filtered by a unit holding a NUL hung).
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Bench from "./helpers.js"

const { units } = Bench

type Path = ReadonlyArray<string | number>

interface Write {
  readonly path: string
  readonly as: Bench.Who
  /** A body the server accepts as it is (once the writes before it are made). */
  readonly body: Record<string, unknown>
  readonly numbers?: ReadonlyArray<Path>
  readonly ids?: ReadonlyArray<Path>
  readonly texts?: ReadonlyArray<Path>
}

const catalogRef = { id: "test/commune", version: "1" }

/** The writes, in an order in which each valid body is accepted. */
const writes: ReadonlyArray<Write> = [
  {
    path: "/catalogs",
    as: "admin",
    body: Bench.catalogDocument({ id: "test/poison", provenance: { status: "verified", note: "ghi chú" } }),
    numbers: [
      ["criteria", 0, "indicators", 1, "requirement", "threshold", "value"],
      ["criteria", 1, "indicators", 0, "requirement", "threshold", "value"]
    ],
    ids: [["id"]],
    // The catalog's free texts have no schema of their own: the core's round trip refuses them.
    texts: [
      ["name", "vi"],
      ["criteria", 0, "name", "en"],
      ["provenance", "note"],
      ["sources", 0, "title"]
    ]
  },
  {
    path: "/hierarchy",
    as: "admin",
    body: {
      _tag: "EstablishUnit",
      unit: "p/d/c1/poison",
      kind: "village",
      name: { vi: "Thôn thử", en: "Test village" },
      parent: units.C1,
      officialCode: "99999",
      effective: "2024-01-01"
    },
    ids: [["unit"], ["parent"]],
    texts: [["name", "vi"], ["name", "en"], ["officialCode"]]
  },
  {
    path: "/evidence",
    as: "province",
    body: {
      _tag: "RecordEvidence",
      entry: "poison-1",
      unit: units.C1,
      catalog: catalogRef.id,
      code: "1.2",
      value: { _tag: "Percent", value: 80, numerator: 8, denominator: 10 },
      effective: "2025-01-01",
      sources: [{ title: "Báo cáo / report", number: "1/BC", issuer: "UBND xã" }],
      note: "ghi chú / note"
    },
    numbers: [
      ["value", "value"],
      ["value", "numerator"],
      ["value", "denominator"]
    ],
    ids: [["entry"], ["unit"], ["code"], ["catalog"]],
    texts: [["note"], ["sources", 0, "title"], ["sources", 0, "number"], ["sources", 0, "issuer"]]
  },
  {
    path: "/evidence",
    as: "province",
    body: {
      _tag: "RecordEvidence",
      entry: "poison-2",
      unit: units.C1,
      catalog: catalogRef.id,
      code: "2.1",
      value: { _tag: "Count", value: 2 },
      effective: "2025-01-01",
      sources: []
    },
    numbers: [["value", "value"]]
  },
  {
    path: "/commitments",
    as: "province",
    body: {
      _tag: "MakeCommitment",
      commitment: "poison-cm",
      maker: { name: "UBND xã C1", unit: units.C1 },
      to: { name: "UBND huyện D", unit: units.D },
      subject: { unit: units.C1, catalog: catalogRef.id, indicators: ["1.2"] },
      description: "Cứng hóa đường thôn / pave village roads",
      due: "2027-01-01",
      responsible: { agency: "Ban quản lý", head: "Trưởng ban" },
      madeFor: "recognition-2026",
      effective: "2026-01-01"
    },
    ids: [["commitment"], ["subject", "unit"], ["subject", "indicators", 0], ["madeFor"]],
    texts: [["description"], ["maker", "name"], ["responsible", "agency"], ["responsible", "head"]]
  },
  {
    path: "/commitments",
    as: "province",
    body: { _tag: "ReportProgress", commitment: "poison-cm", note: "60%", percent: 60, effective: "2026-02-01" },
    numbers: [["percent"]],
    texts: [["note"]]
  },
  {
    path: "/dossiers",
    as: "commune",
    body: {
      _tag: "OpenDossier",
      dossier: "poison-d",
      effective: "2026-01-01",
      unit: units.C1,
      standard: "ntm",
      catalog: catalogRef
    },
    ids: [["dossier"], ["unit"], ["catalog", "version"]]
  },
  {
    path: "/dossiers",
    as: "commune",
    body: {
      _tag: "SubmitSelfAssessment",
      dossier: "poison-d",
      effective: "2026-01-02",
      report: { title: "Báo cáo tự đánh giá / self-assessment", number: "5/BC-UBND" }
    },
    // The server freezes the scorecard (and the time it was computed at): a body carries none.
    texts: [
      ["report", "title"],
      ["report", "number"]
    ]
  },
  {
    path: "/dossiers",
    as: "commune",
    body: {
      _tag: "RecordConsultation",
      dossier: "poison-d",
      effective: "2026-01-03",
      satisfaction: 92,
      // The village the hierarchy write above establishes under C1.
      bySubunit: [{ unit: "p/d/c1/poison", satisfaction: 90 }]
    },
    numbers: [["satisfaction"], ["bySubunit", 0, "satisfaction"]],
    ids: [["bySubunit", 0, "unit"]]
  },
  {
    path: "/recognitions",
    as: "province",
    body: {
      _tag: "GrantRecognition",
      recognition: "poison-r",
      unit: units.C1,
      standard: "ntm",
      catalog: catalogRef,
      decision: { number: "1/QĐ-UBND", date: "2025-06-01", issuer: "UBND tỉnh P", signer: "Chủ tịch" },
      effective: "2025-06-01"
    },
    ids: [["recognition"], ["unit"], ["catalog", "version"], ["decision", "number"]],
    texts: [
      ["decision", "issuer"],
      ["decision", "signer"]
    ]
  },
  {
    path: "/recognitions",
    as: "province",
    body: {
      _tag: "RevokeRecognition",
      unit: units.C1,
      standard: "ntm",
      decision: { number: "2/QĐ-UBND", date: "2025-07-01" },
      reason: "Không duy trì / not maintained",
      effective: "2025-07-01"
    },
    texts: [["reason"]]
  }
]

const MARK = "\u0001MARK\u0001"

/** The body with the value at a path replaced by a marker (then by raw JSON text, which a value cannot give). */
const withRaw = (body: unknown, path: Path, raw: string): string => {
  const copy = structuredClone(body) as Record<string | number, unknown>
  let at: Record<string | number, unknown> = copy
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>
  const last = path.at(-1)!
  if (!(last in at)) throw new Error(`no ${path.join(".")} in the template`)
  at[last] = MARK
  return JSON.stringify(copy).replace(JSON.stringify(MARK), raw)
}

const overflows = ["1e999", "-1e999"]
const controls = ["a\u0000b", "\u0000", "a\u0007b", "\u001b[31m", "a\u0085b", "a\u007fb", "a\uD800b"]

/** The valid value of a path with a control character in it (JSON text). */
const poisoned = (body: unknown, path: Path, c: string) => {
  let v: unknown = body
  for (const k of path) v = (v as Record<string | number, unknown>)[k]
  return JSON.stringify(`${String(v)}${c}`)
}

const problem = async (res: Response, label: string) => {
  const text = await res.text()
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500)
  const body = JSON.parse(text) as { _tag?: unknown }
  expect(typeof body._tag, label).toBe("string")
}

const suite = (name: string, bench: ReturnType<typeof Bench.layer>) =>
  layer(bench, { excludeTestServices: true, timeout: 120_000 })(name, (it) => {
    it.effect(
      "every write endpoint refuses ±1e999 in each number field and control characters in each id and text; nothing is appended; the chain verifies; reads and writes go on",
      () =>
        Effect.gen(function* () {
          const bench = yield* Bench.TestBench
          const post = (w: Write, body: string) =>
            bench.fetch(w.path, { method: "POST", as: w.as, headers: { "content-type": "application/json" }, body })
          const before = yield* Bench.eventCount
          let sent = 0
          for (const w of writes) {
            const cases = [
              ...(w.numbers ?? []).flatMap((p) => overflows.map((raw) => ({ p, raw }))),
              ...[...(w.ids ?? []), ...(w.texts ?? [])].flatMap((p) =>
                controls.map((c) => ({ p, raw: poisoned(w.body, p, c) }))
              )
            ]
            for (const { p, raw } of cases) {
              const label = `${w.path} ${String(w.body._tag ?? "catalog")} ${p.join(".")} = ${raw}`
              yield* Effect.promise(() => post(w, withRaw(w.body, p, raw)).then((res) => problem(res, label)))
              sent++
            }
          }
          expect(sent).toBeGreaterThan(150)
          expect(yield* Bench.eventCount).toBe(before)

          const admin = (path: string) => Effect.promise(() => bench.fetch(path, { as: "admin" }))
          const verify = yield* admin("/verify")
          expect(verify.status).toBe(200)
          expect(yield* Effect.promise(() => verify.json())).toMatchObject({ ok: true })
          // A live feed filtered by a unit holding a NUL answers at once instead of hanging.
          const feed = yield* Effect.promise(() =>
            bench.fetch(`/events?unit=${encodeURIComponent("p/d\u0000")}`, {
              as: "admin",
              signal: AbortSignal.timeout(5_000)
            })
          )
          expect(feed.status).toBe(400)

          // Reads and every valid write are still answered, and the chain still verifies.
          for (const w of writes) {
            const res = yield* Effect.promise(() => post(w, JSON.stringify(w.body)))
            expect(
              res.status,
              `${w.path} ${String(w.body._tag ?? "catalog")}: ${yield* Effect.promise(() => res.clone().text())}`
            ).toBe(200)
          }
          expect(yield* Bench.eventCount).toBeGreaterThan(before + writes.length - 1)
          for (const path of [
            "/units",
            "/catalogs",
            "/commitments",
            "/dossiers",
            `/units/${encodeURIComponent(units.C1)}/evidence`
          ]) {
            expect((yield* admin(path)).status, path).toBe(200)
          }
          const again = yield* admin("/verify")
          expect(yield* Effect.promise(() => again.json())).toMatchObject({ ok: true })
        })
    )
  })

suite("poison (SQLite)", Bench.layer())

suite(
  "poison (PostgreSQL)",
  Layer.unwrapScoped(Effect.map(Bench.freshPgDatabase, (url) => Bench.layer({ _tag: "Pg", url }))).pipe(Layer.orDie)
)
