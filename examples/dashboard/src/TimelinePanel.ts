/**
 * Indicators met at the end of each month, up to the date: one scorecard read per month end, so every point is the
 * core's own answer "as of" that day. Drawn as SVG bars, with the same numbers in a table for screen readers.
 */
import { LocalDate } from "@ntm/core"
import { h, s } from "./Dom.js"
import { failure, type Result } from "./Format.js"
import { date, month, t } from "./I18n.js"

/** One point: the indicators met and applicable as of a date; none when the scorecard could not be read then. */
export interface Point {
  readonly date: string
  readonly met?: number
  readonly applicable?: number
}

/** The ends of the `n` months before the month of `asOf`, then `asOf` itself. */
export const dates = (asOf: string, n: number): ReadonlyArray<string> => {
  const y = Number(asOf.slice(0, 4))
  const m = Number(asOf.slice(5, 7))
  const out: Array<string> = []
  for (let i = n; i >= 1; i--) {
    const k = y * 12 + (m - 1) - i
    const first = `${String(Math.floor(k / 12)).padStart(4, "0")}-${String((k % 12) + 1).padStart(2, "0")}-01`
    out.push(LocalDate.endOfMonth(LocalDate.unsafeMake(first)))
  }
  out.push(asOf)
  return out
}

const W = 720
const H = 220
const PAD = { left: 36, right: 8, top: 12, bottom: 36 }

const chart = (points: ReadonlyArray<Point>): SVGElement => {
  const top = Math.max(1, ...points.map((p) => p.applicable ?? 0))
  const bw = (W - PAD.left - PAD.right) / points.length
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / top)
  const last = points[points.length - 1]
  const summary = `${t("timelineChart")}: ${points
    .filter((p) => p.met !== undefined)
    .map((p) => `${month(p.date)} ${p.met}/${p.applicable}`)
    .join("; ")}`
  return s(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "timeline-svg-title", class: "chart" },
    s("title", { id: "timeline-svg-title" }, summary),
    // Grid lines at 0, half and the number of applicable indicators.
    [0, Math.round(top / 2), top].map((v) => [
      s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "grid" }),
      s("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, String(v))
    ]),
    points.map((p, i) => {
      const x = PAD.left + i * bw
      const bar =
        p.met === undefined
          ? null
          : s("rect", {
              x: x + bw * 0.15,
              y: y(p.met),
              width: bw * 0.7,
              height: Math.max(0, y(0) - y(p.met)),
              class: p === last ? "bar current" : "bar"
            })
      const label =
        i % 3 === (points.length - 1) % 3
          ? s("text", { x: x + bw / 2, y: H - PAD.bottom + 16, "text-anchor": "middle", class: "axis" }, month(p.date))
          : null
      const value =
        p.met === undefined
          ? null
          : s("text", { x: x + bw / 2, y: y(p.met) - 3, "text-anchor": "middle", class: "value" }, String(p.met))
      return [bar, value, label]
    })
  )
}

/** Renders the panel. */
export const render = (points: Result<ReadonlyArray<Point>> | undefined): ReadonlyArray<HTMLElement> => {
  const heading = h("h2", { id: "timeline-title" }, t("timeline"))
  if (points === undefined) return [heading, h("p", { class: "muted" }, t("noCatalog"))]
  if ("error" in points) return [heading, failure(points.error)]
  return [
    heading,
    h("figure", {}, chart(points.ok), h("figcaption", { class: "muted" }, t("timelineChart"))),
    h(
      "details",
      {},
      h("summary", {}, t("showTable")),
      h(
        "table",
        { class: "compact" },
        h("caption", { class: "visually-hidden" }, t("timelineChart")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("monthCol")), h("th", { scope: "col" }, t("metCol")))),
        h(
          "tbody",
          {},
          points.ok.map((p) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, date(p.date)),
              h("td", {}, p.met === undefined ? "—" : `${p.met}/${p.applicable}`)
            )
          )
        )
      )
    )
  ]
}
