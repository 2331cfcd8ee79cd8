/**
 * The one XML escaper, for every XML the project writes: the plots' SVG (course/plots/svg.ts) and
 * the JUnit report (results/reporters/junit.ts). Characters XML 1.0 forbids (most control
 * characters, lone surrogates) are dropped, so what it returns is always well-formed. HTML is
 * Handlebars' to escape (reports/), Markdown and CSV their reporters' (results/reporters/).
 */

/** Outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element text: markup characters escaped, and CR as a reference so end-of-line handling keeps it. */
export function xmlText(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Also escapes quotes, and the whitespace that attribute-value normalization would turn into spaces. */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}
