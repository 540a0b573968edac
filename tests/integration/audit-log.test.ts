// Audit log pages: newest first, stable across entries that share a
// timestamp, and walking older then newer visits every entry exactly once.
import { describe, expect, it } from 'vitest';
import { formatAuditCursor, listAuditPage, parseAuditCursor } from '../../lib/data/audit';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';

describe.each(DRIVERS)('audit log pages on %s', (driver) => {
  const database = useTestDatabase(driver);

  it('pages newest first through ties, forwards and back', async () => {
    const { db } = database.current;
    const base = Date.UTC(2026, 0, 1);
    // 23 entries; groups of three share a millisecond, as a transaction's entries often do.
    await db.auditLog.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({
        actor: `user${i}@example.com`,
        event: 'test.event',
        newValue: String(i),
        createdAt: new Date(base + Math.floor(i / 3) * 1000),
      })),
    });
    const all = await db.auditLog.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });

    const pages: string[][] = [];
    let page = await listAuditPage({ pageSize: 5 }, db);
    expect(page.newer).toBeNull();
    for (;;) {
      pages.push(page.rows.map((r) => r.id));
      if (!page.older) break;
      page = await listAuditPage({ before: parseAuditCursor(formatAuditCursor(page.older)), pageSize: 5 }, db);
      expect(page.newer).not.toBeNull();
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(all.map((r) => r.id));
    // Newest first by time.
    const times = all.map((r) => r.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // And back up from the last page with the "Newer" cursors.
    const back: string[][] = [];
    let cursor = page.newer;
    while (cursor) {
      const newer = await listAuditPage({ after: cursor, pageSize: 5 }, db);
      back.unshift(newer.rows.map((r) => r.id));
      expect(newer.older).not.toBeNull();
      cursor = newer.newer;
    }
    expect(back).toEqual(pages.slice(0, -1));
  });

  it('rejects malformed cursors', () => {
    expect(parseAuditCursor(undefined)).toBeUndefined();
    expect(parseAuditCursor('yesterday')).toBeUndefined();
    expect(parseAuditCursor('2026-13-45T99:99:99.999Z_0f8fad5b-d9cb-469f-a165-70867728950e')).toBeUndefined();
    const cursor = { createdAt: new Date('2026-01-01T00:00:00.000Z'), id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    expect(parseAuditCursor(formatAuditCursor(cursor))).toEqual(cursor);
  });
});
