import { describe, expect, it } from 'vitest';
import { LiveCursor } from './live';

describe('LiveCursor', () => {
  it('starts reading after the id the page was rendered with', () => {
    expect(new LiveCursor(41).scanFrom).toBe(41);
  });

  it('keeps re-reading recent ids until they are old enough, and sends each event once', () => {
    const c = new LiveCursor(100, 10_000);
    c.observe(110, 0);
    expect(c.scanFrom).toBe(100); // 101..110 may still be joined by late commits
    expect(c.claim(105)).toBe(true);
    expect(c.claim(105)).toBe(false);
    c.observe(120, 5_000);
    expect(c.scanFrom).toBe(100);
    // An id below the newest max that committed late is still found and sent.
    expect(c.claim(103)).toBe(true);
    c.observe(125, 10_000);
    expect(c.scanFrom).toBe(110);
    c.observe(125, 15_000);
    expect(c.scanFrom).toBe(120);
    expect(c.claim(115)).toBe(false);
    expect(c.claim(121)).toBe(true);
  });

  it('never moves backwards', () => {
    const c = new LiveCursor(500, 1_000);
    c.observe(400, 0);
    c.observe(450, 2_000);
    expect(c.scanFrom).toBe(500);
  });
});
