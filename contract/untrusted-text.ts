/**
 * Text that came from a submission (its messages, what it printed, its thrown errors) made safe for
 * every place it is shown: terminals, CI logs, HTML, Markdown, CSV. Done once, in the results model
 * (results/model.ts), so every reporter reads the neutralised text:
 * - ANSI/OSC escape sequences are removed (colours, cursor moves, erased lines, OSC 52 clipboard
 *   writes, hyperlinks), with the bare ESC they start with;
 * - NUL is removed; every other control character (C0 but tab and line feed, DEL, C1, which holds
 *   the 8-bit CSI) and the bidirectional overrides are shown as a visible escape (`\x1b`, `\u202e`);
 *   a carriage return too, unless a line feed follows (CRLF stays), so a line cannot be overwritten;
 * - a line that starts (after any spaces) with `::` is defused to `: :`, so GitHub Actions does not
 *   read it as a workflow command (`::warning`, `::set-output`, `::add-mask`…);
 * - the length is capped.
 */

/** Longest message kept, characters. */
export const MAX_TEXT = 4000;

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other ESC-introduced strings (DCS, SOS, PM, APC), two-character escapes.
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?/g;
const VISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|\r(?!\n)/g;

const escaped = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The text, safe to print anywhere (see above). */
export function neutralise(text: string, maxLength: number = MAX_TEXT): string {
  const cleaned = String(text)
    .replace(ESCAPES, '')
    .replace(/\0/g, '')
    .replace(VISIBLE, escaped)
    .replace(/^(\s*):(?=:)/gm, '$1: ');
  const cut = '… (cut)';
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - cut.length)}${cut}` : cleaned;
}

/** A CSV cell's text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading quote. */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
