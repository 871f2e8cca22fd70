/**
 * Who may do what, through the API: every role × every write × the unit's place relative to the caller's (own, child,
 * sibling, parent, another province, a unit that does not exist), and the live feed for every scoped reader. Each
 * expectation comes from the table below, written out by hand (not from `Access.defaultMatrix`, so that a change to
 * the matrix fails here). A refusal is a 403 whose code names the gate (`RoleNotPermitted`, `OutOfScope`) and leaves
 * the log as it was; an allowed call may still be refused by the core's own rules (a 4xx with another code), never by
 * the gate. Every write that succeeds records the caller as the event's actor.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Bench from "./helpers.js"

const { units } = Bench

type Action =
  | "catalog.publish"
  | "hierarchy.change"
  | "evidence.record"
  | "evidence.assess"
  | "commitment.make"
  | "commitment.withdraw"
  | "dossier.open"
  | "recognition.write"
  | "log.verify"

const columns: ReadonlyArray<Bench.Who> = ["admin", "auditor", "central", "province", "district", "commune", "commune2"]

// biome-ignore format: the table reads as a table
const table: Record<Action, readonly [number, number, number, number, number, number, number]> = {
  //                      admin auditor central province district commune commune2
  "catalog.publish":     [1,    0,      0,      0,       0,       0,      0],
  "hierarchy.change":    [1,    0,      0,      0,       0,       0,      0],
  "evidence.record":     [0,    0,      0,      1,       1,       1,      1],
  "evidence.assess":     [0,    0,      1,      1,       1,       0,      0],
  "commitment.make":     [0,    0,      1,      1,       1,       1,      1],
  "commitment.withdraw": [0,    0,      1,      1,       1,       1,      1],
  "dossier.open":        [0,    0,      1,      1,       1,       1,      1],
  "recognition.write":   [0,    0,      1,      1,       0,       0,      0],
  "log.verify":          [1,    1,      0,      0,       0,       0,      0]
}

/** The actions that concern a unit, and so are checked against the caller's scope. */
const scoped = new Set<Action>([
  "evidence.record",
  "evidence.assess",
  "commitment.make",
  "commitment.withdraw",
  "dossier.open",
  "recognition.write"
])

type Relation = "own" | "child" | "sibling" | "parent" | "other province" | "unknown unit"
const relations: ReadonlyArray<Relation> = ["own", "child", "sibling", "parent", "other province", "unknown unit"]

/** Units the test adds to the bench: a village under each commune, and a second district of P. */
const extra = { V1: "p/d/c1/v1", V2: "p/d/c2/v2", D2: "p/d2" } as const
const unknown = "p/d/nowhere"

/** The unit standing in each relation to a caller (undefined: no such unit, e.g. a province's parent). */
const unitFor = (who: Bench.Who, relation: Relation): string | undefined => {
  const byWho: Record<Bench.Who, Record<Relation, string | undefined>> = {
    commune: {
      own: units.C1,
      child: extra.V1,
      sibling: units.C2,
      parent: units.D,
      "other province": units.C3,
      "unknown unit": unknown
    },
    commune2: {
      own: units.C2,
      child: extra.V2,
      sibling: units.C1,
      parent: units.D,
      "other province": units.C3,
      "unknown unit": unknown
    },
    district: {
      own: units.D,
      child: units.C1,
      sibling: extra.D2,
      parent: units.P,
      "other province": units.C3,
      "unknown unit": unknown
    },
    province: {
      own: units.P,
      child: units.C1,
      sibling: units.Q,
      parent: undefined,
      "other province": units.C3,
      "unknown unit": unknown
    },
    // the unscoped: the same units as a commune officer's, which are all alike to them
    admin: {
      own: units.C1,
      child: extra.V1,
      sibling: units.C2,
      parent: units.D,
      "other province": units.C3,
      "unknown unit": unknown
    },
    auditor: {
      own: units.C1,
      child: extra.V1,
      sibling: units.C2,
      parent: units.D,
      "other province": units.C3,
      "unknown unit": unknown
    },
    central: {
      own: units.C1,
      child: extra.V1,
      sibling: units.C2,
      parent: units.D,
      "other province": units.C3,
      "unknown unit": unknown
    }
  }
  return byWho[who][relation]
}

const hasUnit = (who: Bench.Who) => who === "province" || who === "district" || who === "commune" || who === "commune2"

const expected = (who: Bench.Who, action: Action, relation: Relation): boolean => {
  if (table[action][columns.indexOf(who)] !== 1) return false
  return !(scoped.has(action) && hasUnit(who) && relation !== "own" && relation !== "child")
}

let n = 0
const fresh = () => `acl-${++n}-${Math.random().toString(36).slice(2, 8)}`
const catalog = { id: "test/commune", version: "1" }

const makeCommitment = (id: string, unit: string) => ({
  _tag: "MakeCommitment",
  commitment: id,
  maker: { name: "UBND", unit },
  to: { name: "HĐND" },
  subject: { unit },
  description: "Cam kết thử / test commitment",
  due: "2027-01-01",
  responsible: { agency: "Ban quản lý" },
  effective: "2026-01-01"
})

/** The request each action makes on a unit, with fresh ids (a commitment to withdraw is made first, by central). */
const request = (action: Action, unit: string): { method: string; path: string; body?: unknown } => {
  const id = fresh()
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
    case "commitment.make":
      return { method: "POST", path: "/commitments", body: makeCommitment(id, unit) }
    case "commitment.withdraw":
      return {
        method: "POST",
        path: "/commitments",
        body: { _tag: "WithdrawCommitment", commitment: `w-${unit}`, reason: "thử / test", effective: "2026-02-01" }
      }
    case "dossier.open":
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

const call = (who: Bench.Who, r: { method: string; path: string; body?: unknown }) =>
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

const gateCodes = ["RoleNotPermitted", "OutOfScope", "UnitRequired"]

/** Adds the test's units (villages under C1 and C2, a second district of P), once. */
const extraUnits = Effect.gen(function* () {
  const establish = (unit: string, kind: string, parent: string) =>
    call("admin", {
      method: "POST",
      path: "/hierarchy",
      body: { _tag: "EstablishUnit", unit, kind, name: { vi: unit, en: unit }, parent, effective: "2020-01-01" }
    })
  for (const [unit, kind, parent] of [
    [extra.V1, "village", units.C1],
    [extra.V2, "village", units.C2],
    [extra.D2, "district", units.P]
  ] as const) {
    const o = yield* establish(unit, kind, parent)
    expect(o.status, unit).toBe(200)
  }
  // a commitment about each known unit, for the withdrawals (made by the central level)
  for (const unit of [...Object.values(units), ...Object.values(extra)]) {
    const o = yield* call("central", { method: "POST", path: "/commitments", body: makeCommitment(`w-${unit}`, unit) })
    expect(o.status, unit).toBe(200)
  }
})

layer(Bench.layer(), { excludeTestServices: true })("access", (it) => {
  it.effect("every role × every write × own, child, sibling, parent, other province, unknown unit", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      yield* extraUnits
      const mismatches: Array<string> = []
      for (const action of Object.keys(table) as Array<Action>) {
        let succeeded = 0
        for (const who of columns)
          for (const relation of scoped.has(action) ? relations : (["own"] as const)) {
            const unit = unitFor(who, relation)
            if (unit === undefined) continue
            // a commitment about an unknown unit was never made: there is nothing to withdraw
            if (action === "commitment.withdraw" && relation === "unknown unit") continue
            const r = request(action, unit)
            const before = yield* Bench.position
            const outcome = yield* call(who, r)
            const allowed = expected(who, action, relation)
            const refusedByGate = outcome.status === 403 && gateCodes.includes(outcome.body.code ?? "")
            const label = `${who} ${action} ${relation} (${unit}) → ${outcome.status} ${outcome.body.code ?? ""}`
            if (allowed === refusedByGate) mismatches.push(label)
            if (outcome.status === 403) expect(outcome.body._tag, label).toBe("Forbidden")
            if (allowed) expect(outcome.status, label).toBeLessThan(500)
            if (!allowed) {
              expect(outcome.status, label).toBe(403)
              expect(yield* Bench.position, label).toBe(before)
            }
            if (outcome.status >= 200 && outcome.status < 300 && r.method === "POST") {
              succeeded++
              const events = outcome.body.events ?? []
              // a withdrawal already made by another caller appends nothing
              if (action !== "commitment.withdraw") expect(events.length, label).toBeGreaterThan(0)
              for (const e of events) expect(e.by?.id, label).toBe(bench.tokens[who].principal.id)
            }
          }
        // every write has at least one caller who gets through (verify is a read)
        if (action !== "log.verify") expect(succeeded, action).toBeGreaterThan(0)
      }
      expect(mismatches).toEqual([])
    })
  )

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

  it.effect("the live feed: a scoped reader sees its own unit and those under it, an unscoped one everything", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const start = yield* Bench.position
      // one commitment about each unit, by the central level; ids name the unit
      const targets = [units.C1, extra.V1, units.C2, units.D, extra.D2, units.P, units.C3, units.Q]
      const ids = new Map<string, string>()
      for (const unit of targets) {
        const id = `feed-${fresh()}`
        ids.set(id, unit)
        const o = yield* call("central", { method: "POST", path: "/commitments", body: makeCommitment(id, unit) })
        expect(o.status, unit).toBe(200)
      }
      const seen = (who: Bench.Who) =>
        Effect.promise(async () => {
          const abort = new AbortController()
          const res = await bench.fetch(`/events?after=${start}`, { as: who, signal: abort.signal })
          expect(res.status, who).toBe(200)
          const frames = await Bench.readEvents(res, () => false, 1_500)
          abort.abort()
          const streams = frames.flatMap((f) => {
            const data = f.split("\n").find((l) => l.startsWith("data: "))
            return data === undefined ? [] : [(JSON.parse(data.slice(6)) as { stream: string }).stream]
          })
          return streams.map((s) => ids.get(s.replace(/^Commitment-/, "")) ?? s).sort()
        })
      const sorted = (xs: ReadonlyArray<string>) => [...xs].sort()
      const [commune, commune2, district, province, central, auditor] = yield* Effect.all(
        [seen("commune"), seen("commune2"), seen("district"), seen("province"), seen("central"), seen("auditor")],
        { concurrency: "unbounded" }
      )
      expect(commune).toEqual(sorted([units.C1, extra.V1]))
      expect(commune2).toEqual(sorted([units.C2]))
      expect(district).toEqual(sorted([units.C1, extra.V1, units.C2, units.D]))
      expect(province).toEqual(sorted([units.C1, extra.V1, units.C2, units.D, extra.D2, units.P]))
      expect(central).toEqual(sorted(targets))
      expect(auditor).toEqual(sorted(targets))
    })
  )

  it.effect("the live feed: an officer's token without a unit (made by an earlier build) reads none", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const sql = yield* SqlClient.SqlClient
      const id = bench.tokens.commune2.principal.id.replace(/^token:/, "")
      yield* sql`UPDATE ntm_tokens SET unit = NULL WHERE id = ${id}`.pipe(Effect.orDie)
      // the server remembers a live token for a second
      yield* Effect.sleep("1100 millis")
      const abort = new AbortController()
      const res = yield* Effect.promise(() => bench.fetch("/events", { as: "commune2", signal: abort.signal }))
      expect(res.status).toBe(403)
      expect(((yield* Effect.promise(() => res.json())) as { code: string }).code).toBe("UnitRequired")
      abort.abort()
      // nor writes
      const write = yield* call("commune2", request("evidence.record", units.C2))
      expect([write.status, write.body.code]).toEqual([403, "UnitRequired"])
      yield* sql`UPDATE ntm_tokens SET unit = ${units.C2} WHERE id = ${id}`.pipe(Effect.orDie)
      yield* Effect.sleep("1100 millis")
    })
  )

  it.effect("the live feed: ?unit= outside the reader's scope is refused; inside it narrows the feed", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      for (const [who, unit, status] of [
        ["commune", units.C2, 403],
        ["commune", units.D, 403],
        ["commune", units.C3, 403],
        ["district", units.C3, 403],
        ["district", units.C1, 200],
        ["commune", units.C1, 200],
        ["auditor", units.C3, 200]
      ] as const) {
        const abort = new AbortController()
        const res = yield* Effect.promise(() =>
          bench.fetch(`/events?unit=${encodeURIComponent(unit)}`, { as: who, signal: abort.signal })
        )
        expect(res.status, `${who} ${unit}`).toBe(status)
        if (status === 403)
          expect(((yield* Effect.promise(() => res.json())) as { code: string }).code, `${who} ${unit}`).toBe(
            "OutOfScope"
          )
        abort.abort()
      }
    })
  )
})
