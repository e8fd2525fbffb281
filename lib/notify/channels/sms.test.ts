import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/parse-env';
import { countSmsParts, createSmsChannel, fitSms, loadSmsConfig, normalisePhoneNumber, smsCoding } from './sms';
import type { OutgoingMessage } from './types';

const a = (n: number) => 'a'.repeat(n);

describe('smsCoding', () => {
  it('keeps GSM-7 for the default alphabet and its extension, UCS-2 for anything else', () => {
    expect(smsCoding('web-01 DOWN: ping 100% loss')).toBe('gsm7');
    expect(smsCoding('Ü é € {x} [y] ~ ^ | \\')).toBe('gsm7');
    expect(smsCoding('Ü ✓')).toBe('ucs2');
    expect(smsCoding('ok 😀')).toBe('ucs2');
    expect(smsCoding('ç')).toBe('ucs2'); // only the capital Ç is in GSM-7
  });
});

describe('countSmsParts', () => {
  it('fits 160 septets in one message, then parts of 153', () => {
    expect(countSmsParts(a(160))).toEqual({ coding: 'gsm7', units: 160, parts: 1 });
    expect(countSmsParts(a(161)).parts).toBe(2);
    expect(countSmsParts(a(306)).parts).toBe(2);
    expect(countSmsParts(a(307)).parts).toBe(3);
    expect(countSmsParts(a(459)).parts).toBe(3);
    expect(countSmsParts(a(460)).parts).toBe(4);
  });

  it('counts extension characters as two septets and never splits one across parts', () => {
    expect(countSmsParts('€'.repeat(80))).toEqual({ coding: 'gsm7', units: 160, parts: 1 });
    expect(countSmsParts('€'.repeat(81)).parts).toBe(2);
    // 459 septets, but each € would straddle a boundary: 152 | €+151 | €+152 does not fit, so 4.
    const straddling = `${a(152)}€${a(151)}€${a(152)}`;
    expect(countSmsParts(straddling).units).toBe(459);
    expect(countSmsParts(straddling).parts).toBe(4);
  });

  it('fits 70 UCS-2 units in one message, then parts of 67; an emoji is two units', () => {
    expect(countSmsParts('✓'.repeat(70))).toEqual({ coding: 'ucs2', units: 70, parts: 1 });
    expect(countSmsParts('✓'.repeat(71)).parts).toBe(2);
    expect(countSmsParts('✓'.repeat(201)).parts).toBe(3);
    expect(countSmsParts('✓'.repeat(202)).parts).toBe(4);
    expect(countSmsParts('😀'.repeat(35))).toEqual({ coding: 'ucs2', units: 70, parts: 1 });
    expect(countSmsParts('😀'.repeat(36)).parts).toBe(2);
  });
});

describe('fitSms', () => {
  it('leaves a text that fits alone', () => {
    expect(fitSms(a(300))).toMatchObject({ text: a(300), parts: 2, shortened: false });
  });

  it('shortens a long GSM text to three full parts ending in three dots (… is not GSM-7)', () => {
    const fitted = fitSms(a(600));
    expect(fitted).toMatchObject({ coding: 'gsm7', parts: 3, units: 459, shortened: true });
    expect(fitted.text).toBe(`${a(456)}...`);
  });

  it('shortens a long UCS-2 text to 3 × 67 units ending in …, without splitting a surrogate pair', () => {
    const fitted = fitSms('✓'.repeat(300));
    expect(fitted).toMatchObject({ coding: 'ucs2', parts: 3, units: 201, shortened: true });
    expect(fitted.text).toBe(`${'✓'.repeat(200)}…`);
    const emoji = fitSms('😀'.repeat(150));
    expect(emoji.parts).toBe(3);
    // 33 pairs per part of 67 units (a pair is never cut); the last part's odd unit holds the ellipsis.
    expect(emoji.text).toBe(`${'😀'.repeat(99)}…`);
  });

  it('does not leave a space before the ellipsis', () => {
    const fitted = fitSms(`${a(455)} ${a(200)}`);
    expect(fitted.text).toBe(`${a(455)}...`);
  });
});

describe('normalisePhoneNumber', () => {
  it('accepts E.164 written with spaces, dashes and parentheses', () => {
    expect(normalisePhoneNumber('+49 (151) 123-456 78')).toEqual({ ok: true, value: '+4915112345678' });
    expect(normalisePhoneNumber(' +1 415 555 2671 ')).toEqual({ ok: true, value: '+14155552671' });
    expect(normalisePhoneNumber('+12345678')).toEqual({ ok: true, value: '+12345678' });
    expect(normalisePhoneNumber('+123456789012345')).toEqual({ ok: true, value: '+123456789012345' });
  });

  it('refuses national numbers, wrong lengths and letters', () => {
    for (const input of ['0151 12345678', '4915112345678', '+1234567', '+1234567890123456', '+0151123456', '+49 151 CALLME', '', '+']) {
      const result = normalisePhoneNumber(input);
      expect(result.ok, input).toBe(false);
    }
    const national = normalisePhoneNumber('0151 12345678');
    expect(!national.ok && national.error).toContain('+');
  });
});

describe('createSmsChannel', () => {
  const message: OutgoingMessage = { idempotencyKey: 'k', subject: 's', text: 't', short: 'hi', data: {}, urgent: false };

  it('refuses an invalid number without contacting the gateway, not to be retried', async () => {
    const channel = createSmsChannel({ url: 'http://127.0.0.1:9/cgi-bin/sendsms?username=u&password=p' });
    const result = await channel.send({ kind: 'sms', number: '0151 12345678' }, message);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.retryable).toBe(false);
  });
});

describe('loadSmsConfig', () => {
  const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

  it("defaults to the local stack's Kannel and follows KANNEL_SENDSMS_PORT", () => {
    expect(loadSmsConfig(env({})).url).toBe('http://127.0.0.1:24013/cgi-bin/sendsms?username=porthole&password=porthole-sms');
    expect(loadSmsConfig(env({ KANNEL_SENDSMS_PORT: '25013' })).url).toContain('127.0.0.1:25013/');
  });

  it('takes SMS_GATEWAY_URL and refuses one that is not an http URL', () => {
    expect(loadSmsConfig(env({ SMS_GATEWAY_URL: 'https://sms.example.com/send?u=1' })).url).toBe('https://sms.example.com/send?u=1');
    expect(() => loadSmsConfig(env({ SMS_GATEWAY_URL: 'ftp://x/y' }))).toThrow(ConfigError);
    expect(() => loadSmsConfig(env({ SMS_GATEWAY_URL: 'not a url' }))).toThrow(/SMS_GATEWAY_URL/);
  });
});
