/**
 * Commitments (cam kết) under a unit as of the date, grouped by the agency that answers for them: overdue first,
 * then due soon, then open. The status of each is the core's (`Commitment.viewAt`), sent by the server.
 */
import { Commitment } from "@ntm/core"
import type * as Views from "@ntm/http/Views"
import { h } from "./Dom.js"
import { failure, type Result } from "./Format.js"
import { date, half, t } from "./I18n.js"

const order: Record<Views.CommitmentView["status"], number> = {
  Overdue: 0,
  DueSoon: 1,
  Open: 2,
  FulfilledLate: 3,
  Fulfilled: 4,
  Withdrawn: 5
}

const labels = { Overdue: "overdue", DueSoon: "dueSoon", Open: "open" } as const

const isClosed = (c: Views.CommitmentView) => order[c.status] >= 3

/** Renders the panel. */
export const render = (commitments: Result<ReadonlyArray<Views.CommitmentView>>): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "commitments-title" }, t("commitments"))
  if ("error" in commitments) return [heading, failure(commitments.error)]
  const list = commitments.ok
  if (list.length === 0) return [heading, h("p", {}, t("noCommitments"))]
  const byAgency = new Map<string, Array<Views.CommitmentView>>()
  for (const c of list) {
    const a = c.made.responsible.agency
    byAgency.set(a, [...(byAgency.get(a) ?? []), c])
  }
  const count = (cs: ReadonlyArray<Views.CommitmentView>, s: Views.CommitmentView["status"]) =>
    cs.filter((c) => c.status === s).length
  const agencies = [...byAgency.entries()].sort(
    ([a, x], [b, y]) =>
      count(y, "Overdue") - count(x, "Overdue") || count(y, "DueSoon") - count(x, "DueSoon") || a.localeCompare(b)
  )
  const overdue = count(list, "Overdue")
  return [
    heading,
    h(
      "p",
      { class: overdue > 0 ? "big alert" : "big" },
      h("strong", { "data-testid": "overdue-count" }, String(overdue)),
      " ",
      overdue > 0 ? t("overdue").toLowerCase() : t("nothingOverdue")
    ),
    h(
      "ul",
      { class: "agencies" },
      agencies.map(([agency, cs]) => {
        const live = cs
          .filter((c) => !isClosed(c))
          .sort((a, b) => order[a.status] - order[b.status] || (a.due < b.due ? -1 : 1))
        return h(
          "li",
          {},
          h(
            "details",
            { open: count(cs, "Overdue") > 0 },
            h(
              "summary",
              {},
              h("span", { class: "agency" }, agency),
              " ",
              (["Overdue", "DueSoon", "Open"] as const).map((st) =>
                count(cs, st) === 0
                  ? null
                  : [h("span", { class: `badge commitment-${st}` }, `${t(labels[st])} ${count(cs, st)}`), " "]
              ),
              h("span", { class: "muted" }, `${t("closed")} ${cs.length - live.length}`)
            ),
            h(
              "ul",
              { class: "plain items" },
              live.map((c) =>
                h(
                  "li",
                  {},
                  h("span", { class: `badge commitment-${c.status}` }, half(Commitment.statusLabel[c.status])),
                  " ",
                  h("strong", {}, `${t("due")} ${date(c.due)}`),
                  c.made.subject.indicators.length === 0
                    ? null
                    : h("span", { class: "code" }, ` ${c.made.subject.indicators.join(", ")}`),
                  " ",
                  half(c.made.description)
                )
              )
            )
          )
        )
      })
    )
  ]
}
