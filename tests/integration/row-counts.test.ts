// The trigger-maintained RowCount table must always equal count(*): after
// single and bulk inserts, upserts that update, deletes, cascaded deletes,
// raw SQL and rolled-back transactions, on both databases.
import { describe, expect, it } from 'vitest';
import { getPlatformCounts } from '../../lib/data/row-counts';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';

describe.each(DRIVERS)('row counts on %s', (driver) => {
  const database = useTestDatabase(driver);

  async function expectExact() {
    const db = database.current.db;
    const exact = { users: await db.user.count(), teams: await db.team.count(), projects: await db.project.count() };
    expect(await getPlatformCounts(db)).toEqual(exact);
    return exact;
  }

  it('follow every kind of write', async () => {
    const db = database.current.db;
    expect(await expectExact()).toEqual({ users: 0, teams: 0, projects: 0 });

    const team = await db.team.create({ data: { name: 'A', slug: 'a' } });
    const other = await db.team.create({ data: { name: 'B', slug: 'b' } });
    await db.user.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ email: `u${i}@example.com`, name: `U${i}`, passwordHash: 'x' })),
    });
    await db.project.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, teamId: i < 7 ? team.id : other.id })),
    });
    expect(await expectExact()).toEqual({ users: 25, teams: 2, projects: 10 });

    // An upsert that updates must not count as an insert.
    await db.user.upsert({
      where: { email: 'u1@example.com' },
      create: { email: 'u1@example.com', name: 'x', passwordHash: 'x' },
      update: { name: 'renamed' },
    });
    await db.user.upsert({
      where: { email: 'new@example.com' },
      create: { email: 'new@example.com', name: 'x', passwordHash: 'x' },
      update: {},
    });
    expect(await expectExact()).toEqual({ users: 26, teams: 2, projects: 10 });

    // Deleting a team cascades to its projects.
    await db.team.delete({ where: { id: team.id } });
    await db.user.deleteMany({ where: { email: { startsWith: 'u1' } } });
    expect(await expectExact()).toEqual({ users: 15, teams: 1, projects: 3 });

    // A rolled-back transaction leaves the counts alone.
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.create({ data: { email: 'gone@example.com', name: 'x', passwordHash: 'x' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await expectExact()).toEqual({ users: 15, teams: 1, projects: 3 });

    // Raw SQL (scripts, the CLI, bulk loads) is counted too.
    await db.$executeRawUnsafe(
      `INSERT INTO "Team" ("id", "name", "slug") VALUES ('t-raw-1', 'R1', 'r1'), ('t-raw-2', 'R2', 'r2')`,
    );
    await db.$executeRawUnsafe(`DELETE FROM "Project"`);
    expect(await expectExact()).toEqual({ users: 15, teams: 3, projects: 0 });

    if (driver === 'postgres') {
      await db.$executeRawUnsafe(`TRUNCATE "Team" CASCADE`);
      expect(await expectExact()).toEqual({ users: 15, teams: 0, projects: 0 });
    }
  });
});
