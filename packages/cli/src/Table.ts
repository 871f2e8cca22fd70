/**
 * Plain text tables for a terminal: columns padded to the widest cell, a rule under the header. Widths count
 * characters after NFC normalisation, so that Vietnamese letters with diacritics count as one column.
 *
 * @since 0.1.0
 */

const width = (s: string): number => [...s.normalize("NFC")].length

const pad = (s: string, w: number): string => s + " ".repeat(Math.max(0, w - width(s)))

/**
 * Cuts a cell to at most `max` characters, ending with `…` when cut.
 *
 * @since 0.1.0
 */
export const truncate = (s: string, max: number): string => {
  const chars = [...s.normalize("NFC")]
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`
}

/**
 * Renders rows under a header.
 *
 * @since 0.1.0
 */
export const render = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}
