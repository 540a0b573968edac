// One JSON error shape for every API answer, and no error object ever echoed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  errorResponse,
  forbidden,
  notFound,
  serverError,
  tooManyRequests,
  unauthorized,
} from '../../lib/http-response';

afterEach(() => vi.restoreAllMocks());

describe('http responses', () => {
  it('answers {error, message, issues?} with the status', async () => {
    const response = errorResponse(400, 'invalid_payload', 'The report does not match', {
      issues: [{ path: 'os.arch', message: 'must be a string' }],
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: 'invalid_payload',
      message: 'The report does not match',
      issues: [{ path: 'os.arch', message: 'must be a string' }],
    });
    expect(await notFound('No such thing').json()).toEqual({ error: 'not_found', message: 'No such thing' });
    expect([unauthorized().status, forbidden().status]).toEqual([401, 403]);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(tooManyRequests('Slow down', 0.2).headers.get('retry-after')).toBe('1');
    expect(tooManyRequests('Slow down', 41.5).headers.get('retry-after')).toBe('42');
    expect(tooManyRequests('Slow down', 3).status).toBe(429);
  });

  it('logs the cause of a 500 and never sends it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cause = new Error('connect ECONNREFUSED postgres://flowforge:s3cret@db/flowforge');
    const response = serverError('collector could not store a report', cause, 'Try again later');
    const body = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(body)).toEqual({ error: 'internal_error', message: 'Try again later' });
    expect(body).not.toContain('s3cret');
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('collector could not store a report: connect ECONNREFUSED'),
    );
  });
});
