import { describe, expect, it } from 'vitest';
import { isolatedText, shortened, visibleParts, visibleText } from './visible-text';

describe('visibleText', () => {
  it('leaves ordinary text alone, other scripts and emoji included', () => {
    for (const text of ['Disk /', 'HTTP OK: 200 in 0.01 s', 'שרת דואר', 'Zürich – ✓', '👩‍💻 load', 'नमस्ते']) expect(visibleText(text)).toBe(text);
  });

  it.each([
    ['right-to-left override', 'disk\u202Egpj.exe', 'disk\\u202Egpj.exe'],
    ['left-to-right override and pop', 'a\u202Db\u202Cc', 'a\\u202Db\\u202Cc'],
    ['embeddings', '\u202A\u202B', '\\u202A\\u202B'],
    ['isolates', '\u2066x\u2067y\u2068z\u2069', '\\u2066x\\u2067y\\u2068z\\u2069'],
    ['marks', '\u200E\u200F\u061C', '\\u200E\\u200F\\u061C'],
    ['NUL, BEL, ESC', 'a\u0000b\u0007c\u001B[31m', 'a\\u0000b\\u0007c\\u001B[31m'],
    ['line breaks in a one-line field', 'OK\nCRITICAL\r', 'OK\\u000ACRITICAL\\u000D'],
    ['DEL and C1 controls', '\u007F\u0085\u009B', '\\u007F\\u0085\\u009B'],
    ['zero-width space, word joiner, BOM', 'a\u200Bb\u2060c\uFEFF', 'a\\u200Bb\\u2060c\\uFEFF'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
  ])('makes %s visible', (_what, input, expected) => expect(visibleText(input)).toBe(expected));

  it('keeps TAB and LF in multi-line output, but not CR or bidi', () => {
    expect(visibleText('line 1\n\tline 2\r\n\u202E', { multiline: true })).toBe('line 1\n\tline 2\\u000D\n\\u202E');
  });
});

describe('visibleParts', () => {
  it('marks the escapes apart from the text', () => {
    expect(visibleParts('a\u202Eb')).toEqual([
      { text: 'a', escaped: false },
      { text: '\\u202E', escaped: true },
      { text: 'b', escaped: false },
    ]);
    expect(visibleParts('')).toEqual([]);
    expect(visibleParts('\u0000\u0000')).toEqual([
      { text: '\\u0000', escaped: true },
      { text: '\\u0000', escaped: true },
    ]);
  });
});

describe('isolatedText', () => {
  it('escapes and isolates text meant for a plain string', () => {
    expect(isolatedText('x\u202Ey')).toBe('\u2068x\\u202Ey\u2069');
  });
});

describe('lone surrogates', () => {
  // The server's HTML can only carry them as U+FFFD: shown raw, React's hydration finds other text.
  it.each([
    ['a high surrogate at the end', 'rocket \uD83D', 'rocket \\uD83D'],
    ['a low surrogate at the start', '\uDE80 rocket', '\\uDE80 rocket'],
    ['two highs in a row', '\uD83D\uD83D\uDE80', '\\uD83D\uD83D\uDE80'],
    ['a low after a pair', '\uD83D\uDE80\uDE80', '\uD83D\uDE80\\uDE80'],
  ])('escapes %s and keeps whole pairs', (_what, input, expected) => {
    expect(visibleText(input)).toBe(expected);
    expect(visibleText(input, { multiline: true })).toBe(expected);
  });
});

describe('shortened', () => {
  it('cuts at the limit with an ellipsis, never inside a surrogate pair', () => {
    expect(shortened('abc', 3)).toBe('abc');
    expect(shortened('abcd', 3)).toBe('abc…');
    expect(shortened('ab\uD83D\uDE80', 3)).toBe('ab…');
    expect(shortened('a\uD83D\uDE80b', 3)).toBe('a\uD83D\uDE80…');
    expect(visibleText(shortened('🚀'.repeat(200), 299))).not.toMatch(/\\u/);
  });
});
