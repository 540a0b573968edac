// Sessions and sign-in limits on a real SQLite file and a real PostgreSQL
// database: which changes end a user's sessions, and how the sign-in counters
// refuse one address but only slow an account down.
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { createUser, deleteUser, endAllSessionsOfUser, updateUser } from '../../lib/data/users';
import {
  countLiveSessions,
  createSession,
  endSession,
  findSessionUser,
  pruneExpiredSessions,
  SESSION_LIFETIME_SECONDS,
} from '../../lib/data/sessions';
import { clearAccountSignInLimits, getAccountSignInLimits } from '../../lib/data/sign-in-limits';
import { attemptSignIn, MAX_WAITING_PER_ADDRESS } from '../../lib/sign-in';
import { PLATFORM_JOBS } from '../../lib/jobs';

const PASSWORD = 'Correct-Horse-42';

describe.each(DRIVERS)('sessions and sign-in limits on %s', (driver) => {
  const { db } = useTestDatabase(driver);
  let n = 0;
  const newUser = (role: 'admin' | 'member' = 'member') =>
    createUser({ email: `user${++n}@example.com`, name: `User ${n}`, role, password: PASSWORD }, 'test');

  it('a session lives until it is ended or expires, and ending one leaves the others', async () => {
    const user = await newUser();
    const first = await createSession(user.id);
    const second = await createSession(user.id);
    expect(await findSessionUser(first)).toEqual({ id: user.id, email: user.email, name: user.name, role: 'member' });
    await endSession(first);
    expect(await findSessionUser(first)).toBeNull();
    expect((await findSessionUser(second))?.id).toBe(user.id);
    const later = new Date(Date.now() + SESSION_LIFETIME_SECONDS * 1000 + 1000);
    expect(await findSessionUser(second, later)).toBeNull();
    expect(await pruneExpiredSessions(later)).toBeGreaterThanOrEqual(1);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await findSessionUser('no-such-session')).toBeNull();
    expect(await findSessionUser('nul\u0000id')).toBeNull();
  });

  it('the hourly session-pruning job deletes expired sessions and keeps live ones', async () => {
    const user = await newUser();
    const expired = await createSession(user.id, new Date(Date.now() - SESSION_LIFETIME_SECONDS * 1000 - 1000));
    const live = await createSession(user.id);
    const job = PLATFORM_JOBS.find((candidate) => candidate.name === 'session-pruning')!;
    expect(job.schedule).toBe('43 * * * *');
    await job.run();
    expect((await db().session.findMany({ where: { userId: user.id } })).map((row) => row.id)).toEqual([live]);
    expect(expired).not.toBe(live);
  });

  it('a new password and a lost admin role end every session; other edits do not', async () => {
    const user = await newUser('admin');
    const edit = { email: user.email, name: user.name, role: 'admin' as const };
    await Promise.all([createSession(user.id), createSession(user.id)]);
    await updateUser(user.id, { ...edit, name: 'Renamed' }, 'test');
    expect(await countLiveSessions(user.id)).toBe(2);
    await updateUser(user.id, { ...edit, password: 'Another-Password-77' }, 'test');
    expect(await countLiveSessions(user.id)).toBe(0);

    await createSession(user.id);
    await updateUser(user.id, { ...edit, role: 'member' }, 'test');
    expect(await countLiveSessions(user.id)).toBe(0);
    // A promotion gives more access, not less: sessions stay.
    await createSession(user.id);
    await updateUser(user.id, { ...edit, role: 'admin' }, 'test');
    expect(await countLiveSessions(user.id)).toBe(1);
  });

  it('deleting a user ends their sessions; an admin ending them all is audited', async () => {
    const user = await newUser();
    const gone = await createSession(user.id);
    await deleteUser(user.id, 'test');
    expect(await findSessionUser(gone)).toBeNull();
    expect(await db().session.count({ where: { id: gone } })).toBe(0);

    const other = await newUser();
    await Promise.all([createSession(other.id), createSession(other.id), createSession(other.id)]);
    expect(await endAllSessionsOfUser(other.id, 'root@example.com')).toBe(3);
    expect(await countLiveSessions(other.id)).toBe(0);
    const entry = await db().auditLog.findFirst({ where: { event: 'user.sessions.ended' } });
    expect(entry).toMatchObject({ actor: 'root@example.com', newValue: `${other.email} (3 ended)` });
  });

  it('failures from one address refuse only that address; many addresses slow the account down', async () => {
    const user = await newUser();
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    const attempt = (password: string, ip: string) => attemptSignIn({ email: user.email, password, ip }, { wait });

    for (let i = 0; i < 10; i++) expect((await attempt('Wrong-Password-1', '203.0.113.1')).outcome).toBe('wrong');
    expect(waits).toEqual([]);
    expect((await attempt(PASSWORD, '203.0.113.1')).outcome).toBe('refused');
    // The owner elsewhere gets in, after the account's delay.
    expect(await attempt(PASSWORD, '198.51.100.2')).toMatchObject({ outcome: 'signed-in', user: { id: user.id } });
    expect(waits).toEqual([1000]);
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) await attempt('Wrong-Password-2', ip);
    expect(waits).toEqual([1000, 1000, 2000, 4000]);

    const limits = await getAccountSignInLimits(user.email);
    expect(limits).toMatchObject({ failures: 13, delayMs: 8000 });
    expect(limits.addresses.map((row) => [row.address, row.failures, row.refused])).toEqual([
      ['203.0.113.1', 11, true],
      ['192.0.2.1', 1, false],
      ['192.0.2.2', 1, false],
      ['192.0.2.3', 1, false],
    ]);
    await clearAccountSignInLimits(user.email, 'root@example.com');
    expect(await getAccountSignInLimits(user.email)).toEqual({ failures: 0, delayMs: 0, resetAt: null, addresses: [] });
    expect(await db().auditLog.count({ where: { event: 'user.signin-limits.cleared', newValue: user.email } })).toBe(1);
    expect((await attempt(PASSWORD, '203.0.113.1')).outcome).toBe('signed-in');
    expect(waits).toHaveLength(4);
  });

  it("clearing one account's limits leaves another's whose email starts the same", async () => {
    const ip = '203.0.113.9';
    await attemptSignIn({ email: 'a_b@example.com', password: 'Wrong-1', ip }, { wait: async () => {} });
    await attemptSignIn({ email: 'a_b@example.com.au', password: 'Wrong-1', ip }, { wait: async () => {} });
    await attemptSignIn({ email: 'axb@example.com', password: 'Wrong-1', ip }, { wait: async () => {} });
    await clearAccountSignInLimits('a_b@example.com', 'root@example.com');
    expect((await getAccountSignInLimits('a_b@example.com.au')).failures).toBe(1);
    expect((await getAccountSignInLimits('axb@example.com')).addresses).toHaveLength(1);
  });

  it('unknown emails are counted like known ones, and one address cannot pile up waiting attempts', async () => {
    const email = 'nobody@example.com';
    const ip = '198.51.100.99';
    for (let i = 0; i < 10; i++) {
      expect((await attemptSignIn({ email, password: 'x', ip: `10.0.0.${i}` }, { wait: async () => {} })).outcome).toBe(
        'wrong',
      );
    }
    // The account is now delayed; an address may keep MAX_WAITING_PER_ADDRESS attempts waiting, no more.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = 0;
    const wait = () => {
      entered += 1;
      return gate;
    };
    const waiting = Array.from({ length: MAX_WAITING_PER_ADDRESS }, () =>
      attemptSignIn({ email, password: 'x', ip }, { wait }),
    );
    while (entered < MAX_WAITING_PER_ADDRESS) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await attemptSignIn({ email, password: 'x', ip }, { wait: () => gate })).outcome).toBe('refused');
    // Another address is not affected by this one's queue.
    const elsewhere = attemptSignIn({ email, password: 'x', ip: '198.51.100.100' }, { wait: () => gate });
    release();
    expect((await Promise.all([...waiting, elsewhere])).map((r) => r.outcome)).toEqual(
      Array(MAX_WAITING_PER_ADDRESS + 1).fill('wrong'),
    );
  });
});
