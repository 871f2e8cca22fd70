/**
 * A dossier is late only when a deadline is configured for the stage it waits in and the date is past it; none is
 * configured by default (the legal limits were not in hand).
 */
import { describe, expect, it } from "@effect/vitest"
import { Actor, Dossier, LocalDate, Standard, Unit } from "@ntm/core"
import * as Schema from "effect/Schema"
import * as Views from "../src/Views.js"

const d = LocalDate.unsafeMake
const by = new Actor.Actor({ id: "c", name: "UBND xã C", role: "commune", unit: Unit.unitId("p/d/c") })
const opened = new Dossier.DossierOpened({
  dossier: "x",
  unit: Unit.unitId("p/d/c"),
  standard: Standard.standardId("ntm"),
  catalog: { id: "test/commune" as never, version: "1" },
  effective: d("2024-11-15"),
  by
})
const state = Dossier.evolve(Dossier.initial, opened)
const policy = Schema.decodeUnknownSync(Dossier.DeadlinePolicySchema)({
  Opened: { days: 10, kind: "working", source: "a test policy, not law", verified: false }
})

describe("deadlines", () => {
  it("marks a dossier late past a configured deadline, in working days, and never without one", () => {
    // 10 working days from Friday 15 November 2024: Friday 29 November.
    expect(Views.dossierView("x", state, d("2024-11-29"), policy)?.overdue).toBeUndefined()
    expect(Views.dossierView("x", state, d("2024-11-30"), policy)?.overdue).toEqual({
      due: "2024-11-29",
      days: 10,
      kind: "working",
      source: "a test policy, not law",
      verified: false
    })
    expect(Views.dossierView("x", state, d("2030-01-01"))?.overdue).toBeUndefined()
  })

  it("rejects a policy for a stage that does not exist", () => {
    expect(() =>
      Schema.decodeUnknownSync(Dossier.DeadlinePolicySchema, { onExcessProperty: "error" })({
        Openned: { days: 1, kind: "calendar", source: "x", verified: false }
      })
    ).toThrow(/Openned/)
  })
})
