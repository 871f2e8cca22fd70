/**
 * The audit history of one indicator: every fact recorded about it, in record order, with when it took effect,
 * when it was recorded and by whom (the core's `Audit.replay`, through `/units/:unit/history`).
 */
import type * as Views from "@ntm/http/Views"
import { h } from "./Dom.js"
import { failure, type Result, value } from "./Format.js"
import { date, eventType, t, text, time } from "./I18n.js"

/** What the panel shows. */
export interface Input {
  readonly code: string | undefined
  /** The indicators of the scorecard, to pick from. */
  readonly indicators: ReadonlyArray<{
    readonly code: string
    readonly name: { readonly vi: string; readonly en: string }
  }>
  readonly history: Result<ReadonlyArray<Views.HistoryLine>> | undefined
  readonly onPick: (code: string | undefined) => void
}

const detail = (e: Views.HistoryLine["event"]): string => {
  const parts: Array<string> = []
  if ("value" in e && typeof e.value === "object" && e.value !== null && "_tag" in e.value) parts.push(value(e.value))
  if (e._tag === "IndicatorAssessed") parts.push(String(e.verdict))
  if ("reason" in e && typeof e.reason === "string") parts.push(e.reason)
  if ("note" in e && typeof e.note === "string") parts.push(e.note)
  return parts.join(" — ")
}

const sources = (e: Views.HistoryLine["event"]): string =>
  "sources" in e && Array.isArray(e.sources)
    ? e.sources.map((s: { readonly title: string; readonly number?: string }) => s.number ?? s.title).join("; ")
    : ""

/** Renders the panel. */
export const render = (input: Input): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "history-title" }, t("audit"))
  const picker = h(
    "p",
    { class: "field" },
    h("label", { for: "history-code" }, t("chooseIndicator")),
    h(
      "select",
      {
        id: "history-code",
        onchange: (ev: Event) => {
          const v = (ev.target as HTMLSelectElement).value
          input.onPick(v === "" ? undefined : v)
        }
      },
      h("option", { value: "" }, "—"),
      input.indicators.map((i) =>
        h("option", { value: i.code, selected: i.code === input.code }, `${i.code} ${text(i.name)}`)
      )
    )
  )
  if (input.code === undefined || input.history === undefined) return [heading, picker, h("p", {}, t("noSelection"))]
  if ("error" in input.history) return [heading, picker, failure(input.history.error)]
  const lines = input.history.ok
  if (lines.length === 0) return [heading, picker, h("p", {}, t("noHistory"))]
  return [
    heading,
    picker,
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "history-title" },
      h(
        "table",
        { class: "compact", "data-testid": "history" },
        h("caption", { class: "visually-hidden" }, `${t("audit")} ${input.code}`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [t("effective"), t("recorded"), t("event"), t("value"), t("actor"), t("sources")].map((c) =>
              h("th", { scope: "col" }, c)
            )
          )
        ),
        h(
          "tbody",
          {},
          lines.map((l) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, date(l.effective)),
              h("td", {}, time(l.recordedAt)),
              h("td", {}, eventType(l.type)),
              h("td", {}, detail(l.event)),
              h("td", {}, l.actor),
              h("td", {}, sources(l.event))
            )
          )
        )
      )
    )
  ]
}
