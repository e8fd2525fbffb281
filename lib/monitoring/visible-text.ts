// Text from Nagios (service names, host names, plugin output) is whatever a plugin printed. Shown as is,
// a U+202E (right-to-left override) reverses everything after it and a control character hides
// itself; so every such character becomes a visible escape like \u202E, and the UI isolates each
// piece in <bdi> (app/_components/nagios-text.tsx) so even legitimate RTL text cannot reorder its
// neighbours.

// C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks; invisible separators
// and zero-width characters that exist only to hide or spoof. ZWJ/ZWNJ (U+200C/D) stay: scripts and
// emoji need them. Lone surrogates (half of an emoji cut by a length limit) too: the server's HTML
// can only carry them as U+FFFD, so React's hydration would find different text than it rendered.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HIDDEN_KEEPING_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeCodePoint(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The text with every control, bidi and invisible character replaced by its \uXXXX escape.
 * `multiline` keeps TAB and LF (long plugin output shown in <pre>).
 */
export function visibleText(text: string, { multiline = false }: { multiline?: boolean } = {}): string {
  return text.replace(multiline ? HIDDEN_KEEPING_LINES : HIDDEN, escapeCodePoint);
}

/** At most `max` UTF-16 units of `text`, with `…` when cut, never splitting a surrogate pair. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

export type TextPart = { text: string; escaped: boolean };

/** The same, split so the escapes can be marked up (shown as escapes, not as the text's own). */
export function visibleParts(text: string, options: { multiline?: boolean } = {}): TextPart[] {
  const pattern = new RegExp((options.multiline ? HIDDEN_KEEPING_LINES : HIDDEN).source, 'g');
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), escaped: false });
    parts.push({ text: escapeCodePoint(match[0]), escaped: true });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), escaped: false });
  return parts;
}

/**
 * For places that take a plain string (a title attribute, an SVG <title>, a screen-reader announcement):
 * escapes, then wraps in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE so the text cannot reorder
 * what it is concatenated with.
 */
export function isolatedText(text: string): string {
  return `\u2068${visibleText(text)}\u2069`;
}
