// Which driver a client speaks decides which SQL a few hot statements use: the
// test that decided it was once false for every client (Prisma 7's constructor
// returns an object whose prototype is not the client class), and then false in
// the built server's route handlers (each chunk had its own copy of the module).
import { describe, expect, it, vi } from 'vitest';
import { createDb, isPostgresClient } from '../../lib/db-client';

describe('isPostgresClient', () => {
  it('is true for a PostgreSQL client and false for a SQLite one (neither connects until used)', async () => {
    const postgres = createDb({ type: 'postgres', url: 'postgresql://nobody@127.0.0.1:1/none' });
    const sqlite = createDb({ type: 'sqlite', url: 'file::memory:' });
    expect(isPostgresClient(postgres)).toBe(true);
    expect(isPostgresClient(sqlite)).toBe(false);
    await Promise.all([postgres.$disconnect(), sqlite.$disconnect()]);
  });

  it('knows a client that another copy of the module built (the built server bundles it per chunk)', async () => {
    vi.resetModules();
    const copy = await import('../../lib/db-client');
    expect(copy.isPostgresClient).not.toBe(isPostgresClient); // really a second module instance
    const postgres = copy.createDb({ type: 'postgres', url: 'postgresql://nobody@127.0.0.1:1/none' });
    const sqlite = copy.createDb({ type: 'sqlite', url: 'file::memory:' });
    expect(isPostgresClient(postgres)).toBe(true);
    expect(isPostgresClient(sqlite)).toBe(false);
    await Promise.all([postgres.$disconnect(), sqlite.$disconnect()]);
  });
});
