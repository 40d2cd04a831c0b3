// Markdown tables that also read well in a terminal (columns padded to equal width).

/**
 * Numbers with sensible precision: 14 → "14", 1234.5 → "1235", 12.345 → "12.3", 0.01234 → "0.0123".
 * @param {number} value
 * @returns {string}
 */
export function formatNumber(value) {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {('left'|'right')[]} [align] per column; numbers read best right-aligned
 * @returns {string}
 */
export function markdownTable(headers, rows, align = headers.map((_, i) => (i === 0 ? 'left' : 'right'))) {
  const widths = headers.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (text, i) => (align[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map((c, i) => pad(c ?? '', i)).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
