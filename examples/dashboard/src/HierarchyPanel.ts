/**
 * The hierarchy as of the date (tỉnh → huyện → xã), each unit with what the core says about it: for a province or
 * a district, how many units under it hold each standard (the roll-up); for any unit, where its recognition dossier
 * stands. Each name is a link that selects the unit, so the tree works with the keyboard as it is.
 */
import { Dossier, Standard } from "@ntm/core"
import type * as Views from "@ntm/http/Views"
import { h } from "./Dom.js"
import { failure, kindCounts, type Result } from "./Format.js"
import { half, t, text } from "./I18n.js"

/** What the panel shows. */
export interface Input {
  readonly units: ReadonlyArray<Views.UnitView>
  readonly selected: string
  readonly rollups: Result<ReadonlyArray<Views.RollupView>>
  readonly dossiers: Result<ReadonlyArray<Views.DossierView>>
  /** The link to a unit (keeps the other settings). */
  readonly href: (unit: string) => string
  readonly onSelect: (unit: string) => void
}

const flatten = (r: Views.RollupView, into: Map<string, Views.RollupView>): void => {
  into.set(r.unit.id, r)
  for (const c of r.children) flatten(c, into)
}

/** Renders the panel. */
export const render = (input: Input): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "hierarchy-title" }, t("hierarchy"))
  const rollups = new Map<string, Views.RollupView>()
  if ("ok" in input.rollups) for (const r of input.rollups.ok) flatten(r, rollups)
  const dossiers = new Map<string, Views.DossierView>()
  if ("ok" in input.dossiers) for (const d of input.dossiers.ok) dossiers.set(d.opened.unit, d)
  const children = new Map<string, Array<Views.UnitView>>()
  for (const u of input.units) {
    const key = u.parent ?? ""
    children.set(key, [...(children.get(key) ?? []), u])
  }
  const node = (u: Views.UnitView): HTMLElement => {
    const r = rollups.get(u.id)
    const d = dossiers.get(u.id)
    const kids = children.get(u.id) ?? []
    const current = u.id === input.selected
    return h(
      "li",
      {},
      h(
        "a",
        {
          href: input.href(u.id),
          "aria-current": current ? "page" : undefined,
          class: `unit kind-${u.kind}`,
          onclick: (ev: Event) => {
            const e = ev as MouseEvent
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return
            e.preventDefault()
            input.onSelect(u.id)
          }
        },
        text(u.name)
      ),
      (u.standards ?? []).length === 0
        ? null
        : h(
            "span",
            { class: "badge standard" },
            (u.standards ?? []).map((s) => half(Standard.label(Standard.standardId(s)))).join(", ")
          ),
      r === undefined
        ? null
        : h(
            "ul",
            { class: "facts" },
            Object.entries(r.kinds).map(([k, v]) => h("li", {}, kindCounts(k, v)))
          ),
      d === undefined
        ? null
        : h(
            "span",
            { class: "badge dossier" },
            `${half(Standard.label(d.opened.standard))}: ${half((Dossier.stageLabel as Record<string, string>)[d.stage] ?? d.stage)}`
          ),
      kids.length === 0 ? null : h("ul", { class: "tree" }, kids.map(node))
    )
  }
  const roots = input.units.filter((u) => u.parent === undefined || !input.units.some((p) => p.id === u.parent))
  return [
    heading,
    "error" in input.rollups ? failure(input.rollups.error) : null,
    h("ul", { class: "tree root", "data-testid": "tree" }, roots.map(node))
  ].filter((e): e is HTMLElement => e !== null)
}
