import { describe, expect, it } from 'vitest';
import { USERNAME_PATTERN } from './ldap-escape';
import { canonicalUsername, checkUsername, visibleUsername } from './username';

describe('canonicalUsername: lookalikes share one form', () => {
  it.each([
    ['alice', 'alice'],
    ['ALICE', 'alice'],
    ['Alice', 'alice'],
    ['ａｌｉｃｅ', 'alice'], // fullwidth
    ['ＡＬＩＣＥ', 'alice'], // fullwidth capitals
    ['  alice  ', 'alice'],
    ['alice\u3000', 'alice'], // ideographic space
    ['\u00a0alice', 'alice'], // no-break space
    ['\u212aelvin', 'kelvin'], // KELVIN SIGN
    ['\u017fam', 'sam'], // LONG S
    ['ｂｏｂ．ｓｍｉｔｈ＠ａｃｍｅ', 'bob.smith@acme'],
    ['𝐚𝐥𝐢𝐜𝐞', 'alice'], // mathematical bold
    ['ⓐⓛⓘⓒⓔ', 'alice'], // circled letters
    ['alice\u2460', 'alice1'], // circled digit one
  ])('%j -> %j', (raw, expected) => {
    expect(canonicalUsername(raw)).toBe(expected);
    expect(checkUsername(raw)).toEqual({ ok: true, value: expected });
  });

  it('is idempotent, also where lower-casing leaves a non-NFKC string', () => {
    for (const raw of ['\u0130stanbul', 'ẞtraße', 'ΣΑΣ', 'ǅ', '\u212b', 'ａｌｉｃｅ']) {
      const once = canonicalUsername(raw);
      expect(canonicalUsername(once)).toBe(once);
    }
  });

  it('leaves names that stay non-ASCII non-ASCII, so the directory pattern still refuses them', () => {
    for (const raw of ['аlice' /* Cyrillic а */, 'alicé', '\u0130stanbul']) {
      const check = checkUsername(raw);
      expect(check.ok).toBe(true);
      if (check.ok) expect(USERNAME_PATTERN.test(check.value)).toBe(false);
    }
  });
});

describe('checkUsername: refused before the directory', () => {
  it.each([
    ['NUL', 'alice\0', 'control'],
    ['TAB', 'ali\tce', 'control'],
    ['LF', 'alice\n', 'control'],
    ['CR', '\ralice', 'control'],
    ['ESC', 'alice\x1b[31m', 'control'],
    ['DEL', 'alice\x7f', 'control'],
    ['C1 NEL', 'alice\u0085', 'control'],
    ['C1 CSI', 'alice\u009b', 'control'],
    ['line separator', 'alice\u2028', 'control'],
    ['paragraph separator', 'alice\u2029', 'control'],
    ['zero-width space', 'al\u200bice', 'format'],
    ['zero-width non-joiner', 'al\u200cice', 'format'],
    ['zero-width joiner', 'al\u200dice', 'format'],
    ['word joiner', 'alice\u2060', 'format'],
    ['soft hyphen', 'al\u00adice', 'format'],
    ['byte order mark at the start', '\ufeffalice', 'format'],
    ['byte order mark at the end', 'alice\ufeff', 'format'],
    ['Mongolian vowel separator', 'alice\u180e', 'format'],
    ['tag character', 'alice\u{e0041}', 'format'],
    ['interlinear annotation', 'alice\ufff9', 'format'],
    ['LRE', '\u202aalice', 'bidi'],
    ['RLE', '\u202balice', 'bidi'],
    ['PDF', 'alice\u202c', 'bidi'],
    ['LRO', '\u202dalice', 'bidi'],
    ['RLO', '\u202ealice', 'bidi'],
    ['LRI', '\u2066alice', 'bidi'],
    ['RLI', '\u2067alice', 'bidi'],
    ['FSI', '\u2068alice', 'bidi'],
    ['PDI', 'alice\u2069', 'bidi'],
    ['LRM', 'alice\u200e', 'bidi'],
    ['RLM', 'alice\u200f', 'bidi'],
    ['Arabic letter mark', 'alice\u061c', 'bidi'],
    ['lone high surrogate', 'alice\ud800', 'surrogate'],
    ['lone low surrogate', '\udc00alice', 'surrogate'],
    ['reversed surrogate pair', 'alice\udc00\ud800', 'surrogate'],
    ['unassigned code point', 'alice\u0378', 'unassigned'],
    ['noncharacter U+FFFF', 'alice\uffff', 'unassigned'],
    ['unassigned plane 3', 'alice\u{3ffff}', 'unassigned'],
    ['private use', 'alice\ue000', 'private-use'],
    ['supplementary private use', 'alice\u{f0000}', 'private-use'],
    ['empty', '', 'empty'],
    ['spaces only', '   ', 'empty'],
    ['ideographic spaces only', '\u3000\u3000', 'empty'],
    ['too long', 'a'.repeat(257), 'too-long'],
  ])('%s', (_name, raw, reason) => {
    expect(checkUsername(raw)).toEqual({ ok: false, error: reason });
  });
});

describe('visibleUsername', () => {
  it('escapes everything outside printable ASCII, so a refused name cannot reorder the audit view', () => {
    expect(visibleUsername('alice')).toBe('alice');
    expect(visibleUsername('\u202eecila')).toBe('\\u{202e}ecila');
    expect(visibleUsername('al\u200bice\n')).toBe('al\\u{200b}ice\\u{a}');
    expect(visibleUsername('a\\b')).toBe('a\\u{5c}b');
    expect(visibleUsername('x'.repeat(100))).toHaveLength(64);
  });
});
