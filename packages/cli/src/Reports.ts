/**
 * Scorecards and progress reports as a terminal table, JSON (the HTTP API's views), CSV and XLSX.
 *
 * CSV is written by `csv-stringify` with a byte-order mark, so that Excel opens the Vietnamese text as UTF-8;
 * XLSX by `exceljs`, with a summary sheet and a sheet of every indicator and condition.
 *
 * @since 0.1.0
 */
import { Commitment, EvidenceValue, LocalDate, type Progress, Provenance, type Scorecard, Scoring } from "@ntm/core"
import * as Views from "@ntm/http/Views"
import { stringify } from "csv-stringify/sync"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import ExcelJS from "exceljs"
import * as Errors from "./Errors.js"
import * as Table from "./Table.js"

/**
 * The formats of `ntm scorecard`.
 *
 * @since 0.1.0
 */
export const formats = ["table", "json", "csv", "xlsx"] as const

/** @since 0.1.0 */
export type Format = (typeof formats)[number]

/**
 * Reads `--known-at`: a date (the end of that day, UTC), an ISO date-time, or epoch milliseconds.
 *
 * @since 0.1.0
 */
export const parseKnownAt = (s: string): number | undefined => {
  if (/^\d+$/.test(s)) return Number(s)
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const ms = Date.parse(`${s}T23:59:59.999Z`)
    return Number.isNaN(ms) ? undefined : ms
  }
  const ms = Date.parse(s)
  return Number.isNaN(ms) ? undefined : ms
}

const mark: Record<Scoring.Status, string> = {
  Met: "✔",
  NotMet: "✘",
  NoData: "…",
  NotApplicable: "–",
  Undetermined: "?"
}

/**
 * One row per indicator and condition: the shape of the CSV and of the XLSX sheet.
 *
 * @since 0.1.0
 */
export interface Row {
  readonly criterion_code: string
  readonly criterion_name_vi: string
  readonly criterion_name_en: string
  readonly code: string
  readonly name_vi: string
  readonly name_en: string
  readonly requirement: string
  readonly status: Scoring.Status
  readonly status_label: string
  readonly value: string
  readonly effective: string
  readonly source: string
  readonly provenance: Provenance.Status
}

/** The columns of {@link Row}, in order. @since 0.1.0 */
export const columns: ReadonlyArray<keyof Row> = [
  "criterion_code",
  "criterion_name_vi",
  "criterion_name_en",
  "code",
  "name_vi",
  "name_en",
  "requirement",
  "status",
  "status_label",
  "value",
  "effective",
  "source",
  "provenance"
]

const itemRow = (
  criterion: { readonly code: string; readonly vi: string; readonly en: string },
  i: Scorecard.ItemScore
): Row => {
  const src = i.evidence?.entry.sources[0]
  return {
    criterion_code: criterion.code,
    criterion_name_vi: criterion.vi,
    criterion_name_en: criterion.en,
    code: i.code,
    name_vi: i.name.vi,
    name_en: i.name.en,
    requirement: i.requirementText,
    status: i.status,
    status_label: Scoring.statusLabel[i.status],
    value: i.evidence === undefined ? "" : EvidenceValue.show(i.evidence.entry.value),
    effective: i.evidence?.entry.effective ?? "",
    source: src === undefined ? "" : `${src.number === undefined ? "" : `${src.number} `}${src.title}`,
    provenance: i.provenance.status
  }
}

/**
 * The rows of a scorecard: its indicators, criterion by criterion, then its entry conditions (criterion `ĐK`).
 *
 * @since 0.1.0
 */
export const rows = (s: Scorecard.Scorecard): ReadonlyArray<Row> => [
  ...s.criteria.flatMap((c) => c.indicators.map((i) => itemRow({ code: c.code, vi: c.name.vi, en: c.name.en }, i))),
  ...s.conditions.map((i) => itemRow({ code: "ĐK", vi: "Điều kiện", en: "Entry condition" }, i))
]

const summary = (s: Scorecard.Scorecard, knownAt: number | undefined): ReadonlyArray<string> => [
  `${s.unit.name.vi} / ${s.unit.name.en} (${s.unit.id})`,
  `${s.catalog.name.vi}`,
  `  ${s.catalog.name.en} (${s.catalog.id}@${s.catalog.version})`,
  ...(s.catalog.illustrative ? ["  ※ MINH HỌA, không phải văn bản pháp lý / ILLUSTRATIVE, not law"] : []),
  `Tính đến ngày / as of: ${s.asOf}` +
    (knownAt === undefined ? "" : `; theo hồ sơ ghi nhận đến / as known at: ${new Date(knownAt).toISOString()}`),
  `Chỉ tiêu đạt / indicators met: ${s.indicators.met}/${s.indicators.total}` +
    (s.indicators.notApplicable > 0 ? ` (${s.indicators.applicable} áp dụng / applicable)` : ""),
  `Tiêu chí đạt / criteria met: ${s.criteriaMet}/${s.criteria.length}`,
  `Đạt chuẩn / standard met: ${s.standardMet ? "có / yes" : "chưa / not yet"}`
]

/**
 * A scorecard as a text table: the totals, then one line per criterion and per indicator.
 *
 * @since 0.1.0
 */
export const table = (s: Scorecard.Scorecard, knownAt?: number): string => {
  const body: Array<Array<string>> = []
  const item = (i: Scorecard.ItemScore) => [
    `  ${mark[i.status]} ${i.code}`,
    Table.truncate(`${i.name.vi} / ${i.name.en}`, 60),
    Table.truncate(i.requirementText, 32),
    i.evidence === undefined ? "" : Table.truncate(EvidenceValue.show(i.evidence.entry.value), 16),
    `${Scoring.statusLabel[i.status]} ${Provenance.mark(i.provenance.status)}`
  ]
  for (const c of s.criteria) {
    body.push([
      `${mark[c.status]} ${c.code}`,
      Table.truncate(`${c.name.vi} / ${c.name.en}`, 60),
      "",
      "",
      `${c.met}/${c.applicable}`
    ])
    for (const i of c.indicators) body.push(item(i))
  }
  if (s.conditions.length > 0) {
    body.push(["ĐK", "Điều kiện / entry conditions", "", "", ""])
    for (const i of s.conditions) body.push(item(i))
  }
  return [
    ...summary(s, knownAt),
    "",
    Table.render(
      [
        "Mã / code",
        "Tiêu chí, chỉ tiêu / criterion, indicator",
        "Yêu cầu / requires",
        "Giá trị / value",
        "Trạng thái / status"
      ],
      body
    ),
    "",
    "✔ đạt / met  ✘ chưa đạt / not met  … chưa có số liệu / no data  ? chưa xác định / undetermined  – không áp dụng / n/a",
    "✓ đã kiểm chứng / verified  ? chưa kiểm chứng / unverified  ※ minh họa / illustrative"
  ].join("\n")
}

const encodeScorecard = Schema.encodeSync(Views.ScorecardView)
const encodeProgress = Schema.encodeSync(Views.ProgressView)

/**
 * A scorecard as JSON: the HTTP API's `ScorecardView`.
 *
 * @since 0.1.0
 */
export const json = (s: Scorecard.Scorecard, knownAt?: number): string =>
  JSON.stringify(encodeScorecard(Views.scorecardView(s, knownAt)), null, 2)

/**
 * A scorecard as CSV: a header, then {@link rows}.
 *
 * @since 0.1.0
 */
export const csv = (s: Scorecard.Scorecard): string =>
  stringify(
    rows(s).map((r) => ({ ...r })),
    { header: true, columns: columns as Array<string>, bom: true }
  )

/**
 * A scorecard as an XLSX workbook: a summary sheet and a sheet of {@link rows}.
 *
 * @since 0.1.0
 */
export const workbook = (s: Scorecard.Scorecard, knownAt?: number): ExcelJS.Workbook => {
  const wb = new ExcelJS.Workbook()
  wb.creator = "ntm"
  const info = wb.addWorksheet("Tổng hợp - Summary")
  info.columns = [{ width: 110 }]
  for (const line of summary(s, knownAt)) info.addRow([line])
  const sheet = wb.addWorksheet("Chỉ tiêu - Indicators", { views: [{ state: "frozen", ySplit: 1 }] })
  sheet.columns = columns.map((c) => ({
    header: c,
    key: c,
    width: c.startsWith("name") || c.startsWith("criterion_name") ? 40 : c === "requirement" ? 30 : 14
  }))
  sheet.getRow(1).font = { bold: true }
  for (const r of rows(s)) sheet.addRow({ ...r })
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  return wb
}

/**
 * Writes a workbook to a file.
 *
 * @since 0.1.0
 */
export const writeWorkbook = (wb: ExcelJS.Workbook, file: string) =>
  Effect.tryPromise({
    try: () => wb.xlsx.writeFile(file),
    catch: (e) => new Errors.UnreadableFile({ file, reason: `cannot write: ${String(e)}` })
  })

/**
 * A progress report as text: the totals at both ends, what changed and why, and the commitments due.
 *
 * @since 0.1.0
 */
export const progress = (r: Progress.Report): string => {
  const out: Array<string> = []
  const e = r.end
  out.push(`Báo cáo tiến độ / progress report — ${e.unit.name.vi} / ${e.unit.name.en} (${r.unit})`)
  out.push(`${e.catalog.name.vi} (${e.catalog.id}@${e.catalog.version})`)
  if (e.catalog.illustrative) out.push("  ※ MINH HỌA, không phải văn bản pháp lý / ILLUSTRATIVE, not law")
  out.push(`Kỳ / period: ${r.period.label} (${r.period.from} → ${r.period.to})`)
  const start = r.start
  out.push(
    `Đầu kỳ / start (${LocalDate.addDays(r.period.from, -1)}): ` +
      (start === undefined
        ? "chưa áp dụng / not yet in force"
        : `${start.indicators.met}/${start.indicators.total} chỉ tiêu đạt / indicators met`)
  )
  out.push(`Cuối kỳ / end (${r.period.to}): ${e.indicators.met}/${e.indicators.total} chỉ tiêu đạt / indicators met`)
  out.push("")
  out.push(`Thay đổi trong kỳ / changes in the period: ${r.changes.length}`)
  if (r.changes.length > 0) {
    out.push(
      Table.render(
        ["Mã / code", "Chỉ tiêu / indicator", "Trước / before", "Sau / after", "Căn cứ / because of"],
        r.changes.map((c) => [
          c.code,
          Table.truncate(c.name, 50),
          Scoring.statusLabel[c.before],
          Scoring.statusLabel[c.after],
          c.assessment !== undefined
            ? `đánh giá / assessment ${c.assessment.effective}: ${Table.truncate(c.assessment.reason, 40)}`
            : c.evidence !== undefined
              ? `minh chứng / evidence ${c.evidence.effective}: ${EvidenceValue.show(c.evidence.value)}`
              : ""
        ])
      )
    )
  }
  out.push("")
  out.push(`Cam kết đến hạn trong kỳ / commitments due in the period: ${r.commitmentsDue.length}`)
  if (r.commitmentsDue.length > 0) {
    out.push(
      Table.render(
        ["Hạn / due", "Trạng thái / status", "Chỉ tiêu / indicators", "Nội dung / what"],
        r.commitmentsDue.map((v) => [
          v.due,
          Commitment.statusLabel[v.status],
          v.made.subject.indicators.join(", "),
          Table.truncate(v.made.description, 70)
        ])
      )
    )
  }
  return out.join("\n")
}

/**
 * A progress report as JSON: the HTTP API's `ProgressView`.
 *
 * @since 0.1.0
 */
export const progressJson = (r: Progress.Report): string =>
  JSON.stringify(encodeProgress(Views.progressView(r)), null, 2)
