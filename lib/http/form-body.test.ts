import { describe, expect, it } from 'vitest';
import { formBodyProblem, isPageFormPost } from './form-body.mjs';

const multipart = { 'content-type': 'multipart/form-data; boundary=xyz' };

describe('isPageFormPost', () => {
  it('is a multipart POST to a page', () => {
    expect(isPageFormPost('POST', '/login', multipart)).toBe(true);
    expect(isPageFormPost('POST', '/admin/settings', { 'content-type': 'Multipart/Form-Data' })).toBe(true);
  });

  it('leaves other methods, the API, static files and other bodies to their handlers', () => {
    expect(isPageFormPost('GET', '/login', multipart)).toBe(false);
    expect(isPageFormPost('PUT', '/login', multipart)).toBe(false);
    expect(isPageFormPost('POST', '/api/auth/callback/credentials', multipart)).toBe(false);
    expect(isPageFormPost('POST', '/_next/image', multipart)).toBe(false);
    expect(isPageFormPost('POST', '/login', { 'content-type': 'text/plain;charset=UTF-8' })).toBe(false);
    expect(isPageFormPost('POST', '/login', { 'content-type': 'application/x-www-form-urlencoded' })).toBe(false);
    expect(isPageFormPost('POST', '/login', {})).toBe(false);
  });
});

describe('formBodyProblem', () => {
  const part = '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n';

  it('accepts a form that parses, files included', async () => {
    expect(await formBodyProblem(Buffer.from(part), multipart['content-type'])).toBeNull();
    const file = '--xyz\r\nContent-Disposition: form-data; name="csv"; filename="ubuntu.csv"\r\nContent-Type: text/csv\r\n\r\nversion,codename\r\n--xyz--\r\n';
    expect(await formBodyProblem(Buffer.from(file), multipart['content-type'])).toBeNull();
  });

  it.each([
    ['truncated', '--xyz\r\nbroken', multipart['content-type']],
    ['no boundary', part, 'multipart/form-data'],
    ['another boundary', part, 'multipart/form-data; boundary=abc'],
    ['empty', '', multipart['content-type']],
  ])('refuses a %s body with 400', async (_what, body, type) => {
    expect(await formBodyProblem(Buffer.from(body), type)).toEqual({ status: 400, message: 'Bad request: the form data could not be read.' });
  });
});
