// What an admin reads when a ping fails (Send now, the history table): words, not
// only the short kind the log line carries; the kind stays in brackets for searching.
import { describe, expect, it } from 'vitest';
import { explainFailure, type SendErrorKind } from '../../lib/telemetry/send';

describe('explainFailure', () => {
  it('says what went wrong in words, keeping the kind', () => {
    expect(explainFailure({ error: 'dns', status: null })).toBe(
      "the collector's host name could not be resolved (dns)",
    );
    expect(explainFailure({ error: 'timeout', status: null })).toBe('no answer in time (timeout)');
    expect(explainFailure({ error: 'refused', status: null })).toBe('the collector refused the connection (refused)');
  });

  it('gives the HTTP status when the collector answered', () => {
    expect(explainFailure({ error: 'http', status: 503 })).toBe('HTTP 503');
  });

  it('has words for every kind but http, and passes an unknown stored kind through', () => {
    const kinds: SendErrorKind[] = [
      'timeout',
      'refused',
      'reset',
      'dns',
      'tls',
      'network',
      'invalid-payload',
      'internal',
    ];
    for (const kind of kinds)
      expect(explainFailure({ error: kind, status: null })).toMatch(new RegExp(`^[a-z'(). ]+ \\(${kind}\\)$`, 'i'));
    expect(explainFailure({ error: 'something-new', status: null })).toBe('something-new');
    expect(explainFailure({ error: null, status: null })).toBe('unknown error');
  });
});
