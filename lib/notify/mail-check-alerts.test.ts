import { describe, expect, it } from 'vitest';
import { mailCheckWords } from './mail-check-alerts';

describe('mail-check alert words', () => {
  it('a problem says what is wrong and what to do, with the page to check again', () => {
    const words = mailCheckWords(
      { domain: 'acme.example', change: 'failing', problems: [{ message: 'Our backup server is not in your MX records.', fix: 'Add "acme.example. IN MX 20 mx1.porthole.example."' }] },
      'https://portal.example/mail',
    );
    expect(words.subject).toBe('acme.example: the mail set-up has a problem');
    expect(words.text).toContain('found a problem, so our backup mail servers may not take its mail');
    expect(words.text).toContain('- Our backup server is not in your MX records. What to do: Add "acme.example. IN MX 20 mx1.porthole.example."');
    expect(words.text).toMatch(/https:\/\/portal\.example\/mail$/);
  });

  it('several problems, and the fix', () => {
    const failing = mailCheckWords({ domain: 'b.example', change: 'failing', problems: [{ message: 'one', fix: null }, { message: 'two', fix: 'do it' }] }, 'u');
    expect(failing.text).toContain('found problems');
    expect(failing.text).toContain('- one\n- two What to do: do it');
    const fixed = mailCheckWords({ domain: 'b.example', change: 'recovered', problems: [] }, 'u');
    expect(fixed.subject).toBe('b.example: the mail set-up is fine again');
    expect(fixed.text).not.toMatch(/problem:/);
  });
});
