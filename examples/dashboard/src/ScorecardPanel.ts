/**
 * A unit's scorecard (bảng điểm) against a criteria set as of the date: how many indicators are met, the ones that
 * are not with the agency that answers for each and the commitments made on them, then every criterion.
 */
import { Commitment } from "@ntm/core"
import type * as Views from "@ntm/http/Views"
import { h } from "./Dom.js"
import { failure, kindCounts, type Result, statusBadge, value } from "./Format.js"
import { date, half, t, text } from "./I18n.js"

/** What the panel shows. */
export interface Input {
  readonly scorecard: Result<Views.ScorecardView> | undefined
  readonly commitments: Result<ReadonlyArray<Views.CommitmentView>>
  readonly rollup: Result<Views.RollupView>
  /** Opens an indicator's history. */
  readonly onHistory: (code: string) => void
}

/** The commitments made on one indicator of the scorecard's catalog. */
const commitmentsOn = (
  all: ReadonlyArray<Views.CommitmentView>,
  card: Views.ScorecardView,
  code: string
): ReadonlyArray<Views.CommitmentView> =>
  all.filter(
    (c) =>
      c.made.subject.unit === card.unit.id &&
      c.made.subject.catalog === card.catalog.id &&
      c.made.subject.indicators.includes(code)
  )

const historyButton = (code: string, onHistory: (code: string) => void): HTMLElement =>
  h(
    "button",
    { type: "button", class: "link", "aria-label": `${t("historyOf")} ${code}`, onclick: () => onHistory(code) },
    t("history")
  )

const commitmentCell = (list: ReadonlyArray<Views.CommitmentView>): HTMLElement =>
  h(
    "td",
    {},
    list.length === 0
      ? "—"
      : h(
          "ul",
          { class: "plain" },
          list.map((c) =>
            h(
              "li",
              {},
              h("span", { class: `badge commitment-${c.status}` }, half(Commitment.statusLabel[c.status])),
              " ",
              `${t("due")} ${date(c.due)}`
            )
          )
        )
  )

const notMetTable = (card: Views.ScorecardView, commitments: ReadonlyArray<Views.CommitmentView>, input: Input) => {
  const items = card.criteria.flatMap((c) => c.indicators).filter((i) => card.remaining.includes(i.code))
  if (items.length === 0) return h("p", {}, t("allMet"))
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "not-met-title" },
    h(
      "table",
      { "data-testid": "not-met" },
      h("caption", { class: "visually-hidden" }, t("notMet")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          [t("code"), t("indicator"), t("requirement"), t("value"), t("status"), t("agency"), t("commitment"), ""].map(
            (c) => h("th", { scope: "col" }, c)
          )
        )
      ),
      h(
        "tbody",
        {},
        items.map((i) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, i.code),
            h("td", {}, text(i.name)),
            h("td", {}, half(i.requirementText)),
            h("td", {}, i.evidence === undefined ? "—" : value(i.evidence.entry.value)),
            h("td", {}, statusBadge(i.status)),
            h("td", {}, text(i.responsible?.agency) || text(i.responsible?.sector) || "—"),
            commitmentCell(commitmentsOn(commitments, card, i.code)),
            h("td", {}, historyButton(i.code, input.onHistory))
          )
        )
      )
    )
  )
}

const criterionBlock = (c: Views.ScorecardView["criteria"][number], input: Input): HTMLElement =>
  h(
    "details",
    { class: "criterion", open: c.status !== "Met" },
    h(
      "summary",
      {},
      h("span", { class: "criterion-name" }, `${c.code}. ${text(c.name)}`),
      " ",
      h("span", { class: "count" }, `${c.met}/${c.applicable}`),
      " ",
      statusBadge(c.status)
    ),
    h(
      "ul",
      { class: "indicators" },
      c.indicators.map((i) =>
        h(
          "li",
          {},
          h("span", { class: "code" }, i.code),
          " ",
          h("span", { class: "name" }, text(i.name)),
          " ",
          statusBadge(i.status),
          i.evidence === undefined ? null : h("span", { class: "muted" }, ` ${value(i.evidence.entry.value)}`),
          " ",
          historyButton(i.code, input.onHistory)
        )
      )
    )
  )

const rollupLine = (r: Views.RollupView): HTMLElement | null => {
  const kinds = Object.entries(r.kinds)
  if (kinds.length === 0) return null
  return h(
    "div",
    { class: "rollup" },
    h("h3", {}, t("rollup")),
    h(
      "ul",
      { class: "plain" },
      kinds.map(([kind, k]) => h("li", {}, kindCounts(kind, k)))
    )
  )
}

/** Renders the panel. */
export const render = (input: Input): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "scorecard-title" }, t("scorecard"))
  const rollup = "ok" in input.rollup ? rollupLine(input.rollup.ok) : null
  if (input.scorecard === undefined) return [heading, h("p", {}, t("noCatalog")), ...(rollup ? [rollup] : [])]
  if ("error" in input.scorecard) return [heading, failure(input.scorecard.error)]
  const card = input.scorecard.ok
  const commitments = "ok" in input.commitments ? input.commitments.ok : []
  const n = card.indicators
  return [
    heading,
    h(
      "p",
      { class: "catalog-name" },
      text(card.catalog.name),
      " · ",
      card.catalog.version,
      card.catalog.illustrative ? h("span", { class: "note" }, ` ${t("illustrative")}`) : null
    ),
    h(
      "div",
      { class: "summary" },
      h(
        "p",
        { class: "big" },
        h("strong", { "data-testid": "indicators-met" }, `${n.met}/${n.applicable}`),
        " ",
        t("indicatorsMet")
      ),
      h("p", { class: "big" }, h("strong", {}, `${card.criteriaMet}/${card.criteria.length}`), " ", t("criteriaMet")),
      h(
        "p",
        { class: `badge ${card.standardMet ? "status-Met" : "status-NotMet"}` },
        card.standardMet ? t("standardMet") : t("standardNotMet")
      ),
      h("p", { class: "muted" }, `${t("asOf")} ${date(card.asOf)}`)
    ),
    h("h3", { id: "not-met-title" }, `${t("notMet")} (${card.remaining.length})`),
    notMetTable(card, commitments, input),
    card.conditions.length === 0
      ? null
      : h(
          "div",
          {},
          h("h3", {}, t("conditions")),
          h(
            "ul",
            { class: "indicators" },
            card.conditions.map((c) =>
              h("li", {}, h("span", { class: "code" }, c.code), " ", text(c.name), " ", statusBadge(c.status))
            )
          )
        ),
    h("h3", {}, t("byCriterion")),
    h(
      "div",
      { class: "criteria" },
      card.criteria.map((c) => criterionBlock(c, input))
    ),
    ...(rollup ? [rollup] : [])
  ].filter((e): e is HTMLElement => e !== null)
}
