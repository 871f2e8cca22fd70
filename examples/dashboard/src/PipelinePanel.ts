/**
 * The recognition pipeline (hồ sơ công nhận) under a unit as of the date: how many dossiers wait at each step, and
 * each dossier with the step the core says it is at and since when.
 */
import { Dossier, LocalDate, Standard } from "@ntm/core"
import type * as Views from "@ntm/http/Views"
import { h } from "./Dom.js"
import { failure, type Result } from "./Format.js"
import { date, half, t, text } from "./I18n.js"

/** The steps in workflow order (Dossier.Stage without "None"). */
const steps: ReadonlyArray<Dossier.Stage> = [
  "Opened",
  "SelfAssessed",
  "Consulted",
  "Verified",
  "Appraised",
  "Recognised",
  "Announced",
  "Revoked"
]

/** Steps after which a dossier no longer waits on anyone. */
const done: ReadonlySet<string> = new Set(["Recognised", "Announced", "Revoked"])

const stageText = (stage: string): string => half((Dossier.stageLabel as Record<string, string>)[stage] ?? stage)

/** Renders the panel. */
export const render = (
  dossiers: Result<ReadonlyArray<Views.DossierView>>,
  names: ReadonlyMap<string, Views.UnitView>,
  asOf: string
): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "pipeline-title" }, t("pipeline"))
  if ("error" in dossiers) return [heading, failure(dossiers.error)]
  const list = dossiers.ok
  const counts = new Map<string, number>()
  for (const d of list) counts.set(d.stage, (counts.get(d.stage) ?? 0) + 1)
  const late = list.filter((d) => d.overdue !== undefined).length
  return [
    heading,
    h(
      "ol",
      { class: "steps", "data-testid": "pipeline-steps" },
      steps.map((s) =>
        h(
          "li",
          { class: (counts.get(s) ?? 0) > 0 ? "step active" : "step" },
          h("span", { class: "step-count" }, String(counts.get(s) ?? 0)),
          h("span", { class: "step-name" }, stageText(s))
        )
      )
    ),
    list.length === 0
      ? h("p", {}, t("noDossiers"))
      : h(
          "div",
          { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "pipeline-title" },
          h(
            "table",
            { class: "compact" },
            h("caption", { class: "visually-hidden" }, t("pipeline")),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                [t("unit"), t("standard"), t("stage"), t("since"), t("daysAtStep"), t("late")].map((c) =>
                  h("th", { scope: "col" }, c)
                )
              )
            ),
            h(
              "tbody",
              {},
              list.map((d) =>
                h(
                  "tr",
                  {},
                  h("th", { scope: "row" }, text(names.get(d.opened.unit)?.name) || d.opened.unit),
                  h("td", {}, half(Standard.label(d.opened.standard))),
                  h("td", {}, stageText(d.stage)),
                  h("td", {}, d.since === undefined ? "—" : date(d.since)),
                  h(
                    "td",
                    { class: "num" },
                    d.since === undefined || done.has(d.stage)
                      ? "—"
                      : String(
                          (LocalDate.toEpochMillis(LocalDate.unsafeMake(asOf)) - LocalDate.toEpochMillis(d.since)) /
                            86_400_000
                        )
                  ),
                  h(
                    "td",
                    { "data-testid": d.overdue === undefined ? undefined : "late" },
                    d.overdue === undefined
                      ? "—"
                      : h(
                          "span",
                          { class: "badge status-NotMet", title: d.overdue.source },
                          `${t("lateSince")} ${date(d.overdue.due)}${d.overdue.verified ? "" : ` (${t("deadlineUnverified")})`}`
                        )
                  )
                )
              )
            )
          )
        ),
    late > 0 || list.some((d) => d.overdue !== undefined)
      ? h("p", { class: "small", "data-testid": "late-count" }, `${t("late")}: ${late}`)
      : h("p", { class: "muted small" }, t("deadlines"))
  ]
}
