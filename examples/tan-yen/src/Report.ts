/**
 * A scorecard as text: Vietnamese first, English beside it, with the illustrative parts marked.
 */
import {
  Commitment,
  Commitments,
  Dossier,
  EvidenceValue,
  Hierarchy,
  type Ledger,
  type LocalDate,
  type Progress,
  Provenance,
  type Rollup,
  type Scorecard,
  Scoring,
  Standard,
  Unit
} from "@ntm/core"

const statusMark: Record<Scoring.Status, string> = {
  Met: "✔",
  NotMet: "✘",
  NoData: "…",
  NotApplicable: "–",
  Undetermined: "?"
}

const item = (i: Scorecard.ItemScore): ReadonlyArray<string> => {
  const lines = [
    `  ${statusMark[i.status]} ${i.code.padEnd(5)} ${i.name.vi} / ${i.name.en}  [${Provenance.mark(i.provenance.status)}]`,
    `        ${Scoring.statusLabel[i.status]}; yêu cầu / requires ${i.requirementText}` +
      (i.evidence
        ? `; giá trị / value ${EvidenceValue.show(i.evidence.entry.value)} (${i.evidence.entry.effective})`
        : "")
  ]
  if (i.responsible) {
    lines.push(
      `        phụ trách / responsible: ${i.responsible.agency?.vi ?? i.responsible.sector.vi}` +
        (i.responsible.agency ? ` / ${i.responsible.agency.en}` : "")
    )
  }
  if (i.evidence) {
    const src = i.evidence.entry.sources[0]
    const corrected = i.evidence.entry._tag === "EvidenceCorrected" ? " (đã đính chính / corrected)" : ""
    if (src) lines.push(`        minh chứng / evidence: ${src.number ? `${src.number} ` : ""}${src.title}${corrected}`)
  }
  if (i.assessment?.applied) {
    const verdict = i.assessment.event.verdict._tag === "Confirmed" ? "xác nhận / confirmed" : "điều chỉnh / overridden"
    lines.push(
      `        đánh giá / assessment: ${verdict} bởi / by ${i.assessment.event.by.name}: ${i.assessment.event.reason}`
    )
  }
  return lines
}

/**
 * Renders a scorecard.
 */
export const render = (s: Scorecard.Scorecard, options: { readonly knownAt?: string } = {}): string => {
  const out: Array<string> = []
  out.push(`${s.unit.name.vi} / ${s.unit.name.en} — ${s.catalog.name.vi}`)
  out.push(`  ${s.catalog.name.en} (${s.catalog.id}@${s.catalog.version})`)
  if (s.catalog.illustrative) {
    out.push("  ※ MINH HỌA — bộ tiêu chí và số liệu được dựng cho ví dụ, không phải văn bản pháp lý")
    out.push("  ※ ILLUSTRATIVE — criteria set and figures invented for the example, not law")
  }
  out.push(
    `Tính đến ngày / as of: ${s.asOf}` +
      (options.knownAt ? `; theo hồ sơ ghi nhận đến / as known at: ${options.knownAt}` : "")
  )
  out.push(
    `Chỉ tiêu đạt / indicators met: ${s.indicators.met}/${s.indicators.total}` +
      (s.indicators.notApplicable > 0 ? ` (${s.indicators.applicable} áp dụng / applicable)` : "")
  )
  out.push(`Tiêu chí đạt / criteria met: ${s.criteriaMet}/${s.criteria.length}`)
  out.push(`Đạt chuẩn / standard met: ${s.standardMet ? "có / yes" : "chưa / not yet"}`)
  out.push("")
  out.push("Theo tiêu chí / by criterion:")
  for (const c of s.criteria) {
    out.push(`  ${statusMark[c.status]} ${c.code}. ${c.name.vi} / ${c.name.en}: ${c.met}/${c.applicable}`)
  }
  out.push("")
  out.push(`Còn lại ${s.remaining.length} chỉ tiêu / ${s.remaining.length} indicators remaining:`)
  for (const i of s.remaining) out.push(...item(i))
  if (s.conditions.length > 0) {
    out.push("")
    out.push("Điều kiện / entry conditions:")
    for (const c of s.conditions) {
      out.push(...item(c))
      const sub = c.computed.subunits
      if (sub) out.push(`        ${sub.count}/${sub.total} đơn vị / sub-units; cần / required: ${sub.required ?? "?"}`)
    }
  }
  out.push("")
  out.push("✓ đã kiểm chứng / verified   ? chưa kiểm chứng / unverified   ※ minh họa / illustrative")
  return out.join("\n")
}

/**
 * Commitments as of a date, by responsible agency.
 */
export const renderCommitments = (views: ReadonlyArray<Commitment.View>, asOf: string): string => {
  const out = [`Cam kết tính đến / commitments as of ${asOf}:`]
  for (const g of Commitments.byAgency(views)) {
    const counts = Object.entries(g.counts)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${Commitment.statusLabel[s as Commitment.Status]}: ${n}`)
      .join(", ")
    out.push(`  ${g.key} (${counts})`)
    for (const v of g.commitments) {
      const what = v.made.subject.indicators.length > 0 ? `[${v.made.subject.indicators.join(", ")}] ` : ""
      out.push(
        `    ${v.due} ${Commitment.statusLabel[v.status].padEnd(32)} ${what}${v.made.description.split(" / ")[0]}`
      )
    }
  }
  return out.join("\n")
}

/**
 * Recognition dossiers and where each stood on a date.
 */
export const renderDossiers = (ledger: Ledger.Ledger, asOf: LocalDate.LocalDate): string => {
  const out = [`Hồ sơ công nhận tính đến / recognition dossiers as of ${asOf}:`]
  for (const d of ledger.dossiers.values()) {
    if (d.opened === undefined || d.opened.effective > asOf) continue
    const { stage, since } = Dossier.stageAt(d, asOf)
    const unit = Hierarchy.unitAt(ledger.hierarchy, d.opened.unit, asOf)
    const override =
      stage === "Recognised" && d.recognised?.override
        ? " (công nhận có lý do ghi rõ / recognised with a recorded override)"
        : ""
    out.push(
      `  ${(unit?.name.vi ?? d.opened.unit).padEnd(16)} ${Standard.label(d.opened.standard).split(" / ")[0]!.padEnd(26)} ${Dossier.stageLabel[stage]} (${since})${override}`
    )
  }
  return out.join("\n")
}

/**
 * A progress report.
 */
export const renderProgress = (r: Progress.Report): string => {
  const out = [
    `Báo cáo tiến độ / progress report ${r.period.label} (${r.period.from} → ${r.period.to}):`,
    `  Chỉ tiêu đạt / indicators met: ${r.start === undefined ? "–" : `${r.start.indicators.met}/${r.start.indicators.total}`} → ${r.end.indicators.met}/${r.end.indicators.total}`
  ]
  for (const c of r.changes) {
    const why = c.evidence
      ? ` — ${EvidenceValue.show(c.evidence.value)} (${c.evidence.effective}, ${c.evidence.entry})`
      : ""
    out.push(`  ${c.code} ${Scoring.statusLabel[c.before]} → ${Scoring.statusLabel[c.after]}${why}`)
  }
  out.push(`  Cam kết đến hạn trong kỳ / commitments due in the period: ${r.commitmentsDue.length}`)
  for (const v of r.commitmentsDue)
    out.push(`    ${v.due} ${Commitment.statusLabel[v.status]}: ${v.made.description.split(" / ")[0]}`)
  return out.join("\n")
}

/**
 * A roll-up.
 */
export const renderRollup = (r: Rollup.Rollup): string => {
  const out = [`Tổng hợp / roll-up: ${r.unit.name.vi}, ${r.asOf}:`]
  for (const [kind, k] of Object.entries(r.kinds)) {
    if (k === undefined) continue
    const holding = Object.entries(k.holding)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ")
    out.push(`  ${Unit.kindLabel[kind as Unit.UnitKind]}: ${k.total} (${holding})`)
  }
  const stages = Object.entries(r.dossiers).map(([s, n]) => `${Dossier.stageLabel[s as Dossier.Stage]}: ${n}`)
  if (stages.length > 0) out.push(`  hồ sơ / dossiers: ${stages.join(", ")}`)
  return out.join("\n")
}
