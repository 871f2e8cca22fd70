/**
 * A scorecard as text: Vietnamese first, English beside it, with the illustrative parts marked.
 */
import { EvidenceValue, Provenance, type Scorecard, Scoring } from "@ntm/core"

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
