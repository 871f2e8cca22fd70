/**
 * The access gate, role × write × scope: each case's expectation comes from the table below, written out by hand
 * (not from `Access.defaultMatrix`, so that a change to the matrix fails here). A refusal is a 403 whose code names
 * the gate (`RoleNotPermitted`, `OutOfScope`); an allowed call may still be refused by the core's own rules (a 4xx
 * with another code), never by the gate. Every write that succeeds records the caller as the event's actor.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Bench from "./helpers.js"

const { units } = Bench

type Action =
  | "catalog.publish"
  | "hierarchy.change"
  | "evidence.record"
  | "evidence.assess"
  | "commitment.write"
  | "dossier.step"
  | "recognition.write"
  | "log.verify"

const columns: ReadonlyArray<Bench.Who> = [
  "admin",
  "auditor",
  "central",
  "system",
  "province",
  "district",
  "commune",
  "commune2"
]

// biome-ignore format: the table reads as a table
const table: Record<Action, readonly [number, number, number, number, number, number, number, number]> = {
  //                    admin auditor central system province district commune commune2
  "catalog.publish":   [1,    0,      0,      0,     0,       0,       0,      0],
  "hierarchy.change":  [1,    0,      0,      0,     0,       0,       0,      0],
  "evidence.record":   [0,    0,      0,      1,     1,       1,       1,      1],
  "evidence.assess":   [0,    0,      1,      0,     1,       1,       0,      0],
  "commitment.write":  [0,    0,      1,      1,     1,       1,       1,      1],
  "dossier.step":      [0,    0,      1,      0,     1,       1,       1,      1],
  "recognition.write": [0,    0,      1,      0,     1,       0,       0,      0],
  "log.verify":        [1,    1,      0,      0,     0,       0,       0,      0]
}

/** The actions that concern a unit, and so are checked against the caller's scope. */
const scoped = new Set<Action>([
  "evidence.record",
  "evidence.assess",
  "commitment.write",
  "dossier.step",
  "recognition.write"
])

/** The unit each caller's scope holds (a commune under it), and one outside every scoped caller's. */
const inScope: Record<Bench.Who, string> = {
  admin: units.C1,
  auditor: units.C1,
  central: units.C1,
  system: units.C1,
  province: units.C1,
  district: units.C1,
  commune: units.C1,
  commune2: units.C2
}
const outOfScope = units.C3

const expected = (who: Bench.Who, action: Action, scope: "in" | "out"): boolean => {
  if (table[action][columns.indexOf(who)] !== 1) return false
  const hasUnit = who === "province" || who === "district" || who === "commune" || who === "commune2"
  return !(scoped.has(action) && hasUnit && scope === "out")
}

let n = 0

/** The request each action makes on a unit, with fresh ids. */
const request = (action: Action, unit: string): { method: string; path: string; body?: unknown } => {
  const id = `acl-${++n}`
  const catalog = { id: "test/commune", version: "1" }
  switch (action) {
    case "catalog.publish":
      return { method: "POST", path: "/catalogs", body: Bench.catalogDocument({ id: `test/${id}` }) }
    case "hierarchy.change":
      return {
        method: "POST",
        path: "/hierarchy",
        body: {
          _tag: "EstablishUnit",
          unit: `p/d/${id}`,
          kind: "village",
          name: { vi: `Thôn ${id}`, en: `Village ${id}` },
          parent: units.C1,
          effective: "2024-01-01"
        }
      }
    case "evidence.record":
      return {
        method: "POST",
        path: "/evidence",
        body: {
          _tag: "RecordEvidence",
          entry: id,
          unit,
          catalog: catalog.id,
          code: "1.1",
          value: { _tag: "Attained", attained: n % 2 === 0 },
          effective: "2025-01-01",
          sources: []
        }
      }
    case "evidence.assess":
      return {
        method: "POST",
        path: "/evidence",
        body: {
          _tag: "AssessIndicator",
          assessment: id,
          unit,
          catalog: catalog.id,
          code: "1.2",
          verdict: { _tag: "Confirmed" },
          reason: "kiểm tra / checked",
          effective: "2025-02-01"
        }
      }
    case "commitment.write":
      return {
        method: "POST",
        path: "/commitments",
        body: {
          _tag: "MakeCommitment",
          commitment: id,
          maker: { name: "UBND", unit },
          to: { name: "HĐND" },
          subject: { unit },
          description: "Cam kết thử / test commitment",
          due: "2027-01-01",
          responsible: { agency: "Ban quản lý" },
          effective: "2026-01-01"
        }
      }
    case "dossier.step":
      return {
        method: "POST",
        path: "/dossiers",
        body: { _tag: "OpenDossier", dossier: id, effective: "2026-01-01", unit, standard: "ntm", catalog }
      }
    case "recognition.write":
      return {
        method: "POST",
        path: "/recognitions",
        body: {
          _tag: "GrantRecognition",
          recognition: id,
          unit,
          standard: "ntm",
          catalog,
          decision: { number: `${id}/QĐ`, date: "2025-06-01" },
          effective: "2025-06-01"
        }
      }
    case "log.verify":
      return { method: "GET", path: "/verify" }
  }
}

interface Outcome {
  readonly status: number
  readonly body: {
    readonly _tag?: string
    readonly code?: string
    readonly events?: ReadonlyArray<{ _tag: string; by?: { id: string } }>
  }
}

const call = (who: Bench.Who, r: ReturnType<typeof request>) =>
  Effect.gen(function* () {
    const bench = yield* Bench.TestBench
    const res = yield* Effect.promise(() =>
      bench.fetch(r.path, {
        method: r.method,
        as: who,
        ...(r.body === undefined
          ? {}
          : { body: JSON.stringify(r.body), headers: { "content-type": "application/json" } })
      })
    )
    return { status: res.status, body: (yield* Effect.promise(() => res.json())) as Outcome["body"] } as Outcome
  })

const gateCodes = ["RoleNotPermitted", "OutOfScope"]

layer(Bench.layer(), { excludeTestServices: true })("access", (it) => {
  for (const action of Object.keys(table) as Array<Action>) {
    it.effect(`${action}: every role, in and out of scope`, () =>
      Effect.gen(function* () {
        const bench = yield* Bench.TestBench
        const scopes: ReadonlyArray<"in" | "out"> = scoped.has(action) ? ["in", "out"] : ["in"]
        const mismatches: Array<string> = []
        let succeeded = 0
        for (const who of columns)
          for (const scope of scopes) {
            const unit = scope === "in" ? inScope[who] : outOfScope
            const r = request(action, unit)
            const before = yield* Bench.position
            const outcome = yield* call(who, r)
            const allowed = expected(who, action, scope)
            const refusedByGate = outcome.status === 403 && gateCodes.includes(outcome.body.code ?? "")
            const label = `${who} ${action} ${scope} → ${outcome.status} ${outcome.body.code ?? ""}`
            if (allowed === refusedByGate) mismatches.push(label)
            // a 403 is always the gate's or the core's, and answers a problem
            if (outcome.status === 403) expect(outcome.body._tag, label).toBe("Forbidden")
            if (allowed) expect(outcome.status, label).toBeLessThan(500)
            if (!allowed) {
              expect(outcome.status, label).toBe(403)
              expect(yield* Bench.position, label).toBe(before)
            }
            if (outcome.status >= 200 && outcome.status < 300 && r.method === "POST") {
              succeeded++
              const events = outcome.body.events ?? []
              expect(events.length, label).toBeGreaterThan(0)
              for (const e of events) expect(e.by?.id, label).toBe(bench.tokens[who].principal.id)
              // the record says so too: the unit's history names the caller for what was appended
              if (scoped.has(action)) {
                const history = yield* Effect.promise(() =>
                  bench.fetch(`/units/${Bench.seg(unit)}/history`, { as: "auditor" }).then((res) => res.json())
                )
                const mine = (history as ReadonlyArray<{ actor: string; position: number }>).filter(
                  (l) => l.position > before
                )
                expect(mine.length, label).toBe(events.length)
                for (const l of mine) expect(l.actor, label).toBe(bench.tokens[who].principal.id)
              }
            }
          }
        expect(mismatches).toEqual([])
        // every action has at least one caller who gets through to a write (verify is a read)
        if (action !== "log.verify") expect(succeeded).toBeGreaterThan(0)
      })
    )
  }

  it.effect("evidence recorded by a commune officer names them in the evidence read", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const r = request("evidence.record", units.C2)
      const outcome = yield* call("commune2", r)
      expect(outcome.status).toBe(200)
      const entry = (r.body as { entry: string }).entry
      const read = (yield* Effect.promise(() =>
        bench.fetch(`/units/${Bench.seg(units.C2)}/evidence`, { as: "auditor" }).then((res) => res.json())
      )) as { events: ReadonlyArray<{ _tag: string; entry?: string; by: { id: string; role: string } }> }
      const event = read.events.find((e) => e.entry === entry)
      expect(event?.by.id).toBe(bench.tokens.commune2.principal.id)
      expect(event?.by.role).toBe("commune")
    })
  )

  it.effect("the auditor writes nothing: every write is a 403 and the log does not move", () =>
    Effect.gen(function* () {
      const before = yield* Bench.position
      for (const action of Object.keys(table) as Array<Action>) {
        if (action === "log.verify") continue
        for (const unit of [units.C1, units.C3]) {
          const outcome = yield* call("auditor", request(action, unit))
          expect(outcome.status, action).toBe(403)
          expect(outcome.body.code, action).toBe("RoleNotPermitted")
        }
      }
      expect(yield* Bench.position).toBe(before)
    })
  )
})
