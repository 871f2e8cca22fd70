/**
 * Roll-ups up the hierarchy (tổng hợp): for a unit (a province, a district) as of a date, how many units of each
 * kind under it hold each standard, and how many recognition dossiers are at each stage; the same for each child.
 *
 * @since 0.1.0
 */
import * as Dossier from "./Dossier.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import { type StandardId, standardId } from "./Standard.js"
import type { UnitId, UnitKind } from "./Unit.js"

/** @since 0.1.0 */
export interface Rollup {
  readonly unit: Hierarchy.UnitView
  readonly asOf: LocalDate.LocalDate
  /** Units strictly under this one, by kind: how many, and how many hold each standard. */
  readonly kinds: Readonly<
    Partial<Record<UnitKind, { readonly total: number; readonly holding: Readonly<Record<string, number>> }>>
  >
  /** Dossiers of units strictly under this one, by stage on the date. */
  readonly dossiers: Readonly<Partial<Record<Dossier.Stage, number>>>
  /** The same for each child (down to `depth` levels). */
  readonly children: ReadonlyArray<Rollup>
}

/**
 * The roll-up of a unit as of a date, over the standards asked (default: ntm, advanced, model).
 *
 * @since 0.1.0
 */
export const make = (
  ledger: Ledger.Ledger,
  unit: UnitId,
  asOf: LocalDate.LocalDate,
  options?: { readonly standards?: ReadonlyArray<StandardId>; readonly depth?: number }
): Rollup | undefined => {
  const hierarchy = Ledger.hierarchy(ledger)
  const standards = options?.standards ?? ["ntm", "advanced", "model"].map(standardId)
  const dossierUnit = new Map<UnitId, Array<Dossier.State>>()
  for (const d of ledger.dossiers.values()) {
    if (d.opened === undefined) continue
    const list = dossierUnit.get(d.opened.unit) ?? []
    list.push(d)
    dossierUnit.set(d.opened.unit, list)
  }
  const build = (id: UnitId, depth: number): Rollup | undefined => {
    const view = Hierarchy.unitAt(hierarchy, id, asOf)
    if (view === undefined) return undefined
    const kinds: Partial<Record<UnitKind, { total: number; holding: Record<string, number> }>> = {}
    const dossiers: Partial<Record<Dossier.Stage, number>> = {}
    for (const u of Hierarchy.descendantsAt(hierarchy, id, asOf)) {
      let k = kinds[u.kind]
      if (k === undefined) {
        k = { total: 0, holding: Object.fromEntries(standards.map((s) => [s, 0])) }
        kinds[u.kind] = k
      }
      k.total++
      for (const s of standards) if (Ledger.holds(ledger, u.id, s, asOf)) k.holding[s] = (k.holding[s] ?? 0) + 1
      for (const d of dossierUnit.get(u.id) ?? []) {
        const { stage } = Dossier.stageAt(d, asOf)
        if (stage !== "None") dossiers[stage] = (dossiers[stage] ?? 0) + 1
      }
    }
    const children =
      depth <= 0
        ? []
        : Hierarchy.childrenAt(hierarchy, id, asOf)
            .filter((c) => c.kind === "province" || c.kind === "district")
            .flatMap((c) => {
              const r = build(c.id, depth - 1)
              return r === undefined ? [] : [r]
            })
    return { unit: view, asOf, kinds, dossiers, children }
  }
  return build(unit, options?.depth ?? 1)
}
