/**
 * Small pieces of presentation shared by the panels: status badges, evidence values, a loading or error line.
 * They show what the server computed; none decides a status.
 */
import { EvidenceValue, Scoring, Standard, Unit } from "@ntm/core"
import { h } from "./Dom.js"
import { half, t } from "./I18n.js"

/** What a panel received: data, or the error to show in its place. */
export type Result<A> = { readonly ok: A } | { readonly error: string }

const symbols: Record<Scoring.Status, string> = {
  Met: "✓",
  NotMet: "✗",
  NoData: "?",
  NotApplicable: "–",
  Undetermined: "…"
}

/** A scoring status as a badge: a symbol and the core's label, so that colour is never the only cue. */
export const statusBadge = (status: Scoring.Status): HTMLElement =>
  h(
    "span",
    { class: `badge status-${status}` },
    h("span", { "aria-hidden": "true" }, symbols[status]),
    " ",
    half(Scoring.statusLabel[status])
  )

/** An evidence value as recorded, e.g. `81%`. */
export const value = (v: EvidenceValue.EvidenceValue): string =>
  v._tag === "Attained" ? half(v.attained ? "Đạt / attained" : "Không đạt / not attained") : half(EvidenceValue.show(v))

/** The line shown while a panel loads. */
export const loading = (): HTMLElement => h("p", { class: "muted" }, t("loading"))

/** The line shown when a panel's read failed. */
export const failure = (message: string): HTMLElement =>
  h("p", { class: "error", role: "alert" }, `${t("error")}: ${message}`)

/** Runs a read and keeps its failure as a value, so that one panel's error does not blank the page. */
export const settle = async <A>(p: Promise<A>, describe: (e: unknown) => string): Promise<Result<A>> => {
  try {
    return { ok: await p }
  } catch (e) {
    return { error: describe(e) }
  }
}

const kindLabels: Record<string, string> = Unit.kindLabel
const standardLabels: Record<string, string> = Standard.knownLabels

/** "xã: 20 — nông thôn mới 20, nâng cao 3": a roll-up's counts of one kind of unit. */
export const kindCounts = (
  kind: string,
  k: { readonly total: number; readonly holding: Readonly<Record<string, number>> }
) =>
  `${half(kindLabels[kind] ?? kind)}: ${k.total} — ${Object.entries(k.holding)
    .map(([s, n]) => `${half(standardLabels[s] ?? s)} ${n}`)
    .join(", ")}`
