// Every model read and written through the data functions, on a real SQLite
// file and a real PostgreSQL database: users, teams, memberships, projects,
// settings, audit entries, leases and rate limits, with the cascades.
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import {
  createUser,
  deleteUser,
  EMAIL_IN_USE,
  getUser,
  listUserChoices,
  listUsers,
  updateUser,
} from '../../lib/data/users';
import {
  addTeamMember,
  countTeamContents,
  createTeam,
  deleteTeam,
  getTeamBySlug,
  listTeamMembers,
  listTeams,
  listUserTeams,
  removeTeamMember,
  SLUG_IN_USE,
  updateTeam,
} from '../../lib/data/teams';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../../lib/data/projects';
import { ensureSetting, getInstanceId, getSetting, isSetupComplete, SETTING } from '../../lib/data/settings';
import { setSetting } from '../helpers/settings';
import { recordAudit } from '../../lib/data/audit';
import { acquireLease, releaseLease } from '../../lib/data/lease';
import { clearRateLimit, hitRateLimit, pruneRateLimits, undoRateLimitHit } from '../../lib/data/rate-limit';
import { FieldError, NotFoundError } from '../../lib/data/errors';
import { verifyPassword } from '../../lib/password';
import { rejectionOf } from '../helpers/rejection';

const PASSWORD = 'Compiler-Pioneer-1952';
const ACTOR = 'root@example.com';

describe.each(DRIVERS)('data functions on %s', (driver) => {
  const t = useTestDatabase(driver);
  const events = async () =>
    (await t.current.db.auditLog.findMany({ orderBy: { createdAt: 'asc' } })).map((e) => [
      e.event,
      e.oldValue,
      e.newValue,
    ]);

  it('users: create, refuse a duplicate email on the email field, edit, change the password, delete', async () => {
    const grace = await createUser(
      { email: 'grace@example.com', name: 'Grace', role: 'member', password: PASSWORD },
      ACTOR,
    );
    expect(grace).toMatchObject({ email: 'grace@example.com', name: 'Grace', role: 'member' });
    expect(grace).not.toHaveProperty('passwordHash');
    expect(grace.createdAt).toBeInstanceOf(Date);

    const duplicate = await rejectionOf(
      createUser({ email: 'grace@example.com', name: 'Other', role: 'admin', password: PASSWORD }, ACTOR),
    );
    expect(duplicate).toBeInstanceOf(FieldError);
    expect(duplicate).toMatchObject({ field: 'email', message: EMAIL_IN_USE });

    const ada = await createUser({ email: 'ada@example.com', name: 'Ada', role: 'admin', password: PASSWORD }, ACTOR);
    expect(
      await rejectionOf(updateUser(ada.id, { email: 'grace@example.com', name: 'Ada', role: 'admin' }, ACTOR)),
    ).toMatchObject({ field: 'email', message: EMAIL_IN_USE });

    const renamed = await updateUser(
      grace.id,
      { email: 'grace.hopper@example.com', name: 'Grace Hopper', role: 'admin' },
      ACTOR,
    );
    expect(renamed).toMatchObject({ email: 'grace.hopper@example.com', name: 'Grace Hopper', role: 'admin' });
    const hashBefore = (await t.current.db.user.findUniqueOrThrow({ where: { id: grace.id } })).passwordHash;
    await updateUser(
      grace.id,
      { email: 'grace.hopper@example.com', name: 'Grace Hopper', role: 'admin', password: 'New-Password-Value-9' },
      ACTOR,
    );
    const hashAfter = (await t.current.db.user.findUniqueOrThrow({ where: { id: grace.id } })).passwordHash;
    expect(hashAfter).not.toBe(hashBefore);
    expect(await verifyPassword(hashAfter, 'New-Password-Value-9')).toBe(true);
    // An edit without a password keeps the current one.
    await updateUser(grace.id, { email: 'grace.hopper@example.com', name: 'G. Hopper', role: 'admin' }, ACTOR);
    expect((await t.current.db.user.findUniqueOrThrow({ where: { id: grace.id } })).passwordHash).toBe(hashAfter);

    expect(
      await rejectionOf(updateUser('no-such-id', { email: 'x@example.com', name: 'X', role: 'member' }, ACTOR)),
    ).toBeInstanceOf(NotFoundError);
    await deleteUser(ada.id, ACTOR);
    expect(await getUser(ada.id)).toBeNull();
    expect(await rejectionOf(deleteUser(ada.id, ACTOR))).toBeInstanceOf(NotFoundError);

    // Entries written within one millisecond have no defined order: compare as a set.
    const written = await events();
    expect(written).toHaveLength(5);
    expect(written).toEqual(
      expect.arrayContaining([
        ['user.created', null, 'grace@example.com (member)'],
        ['user.created', null, 'ada@example.com (admin)'],
        ['user.updated', 'grace@example.com (member)', 'grace.hopper@example.com (admin)'],
        ['user.password.changed', null, 'grace.hopper@example.com'],
        ['user.deleted', 'ada@example.com (admin)', null],
      ]),
    );
  });

  it('users: pages of 20 by email with the total, and a bounded picker list', async () => {
    await t.current.db.user.deleteMany();
    await t.current.db.user.createMany({
      data: Array.from({ length: 41 }, (_, i) => ({
        email: `u${String(i).padStart(2, '0')}@example.com`,
        name: `U${i}`,
        passwordHash: 'x',
      })),
    });
    const first = await listUsers(1);
    expect(first).toMatchObject({ total: 41, page: 1, pageCount: 3, pageSize: 20 });
    expect(first.rows.map((u) => u.email).slice(0, 2)).toEqual(['u00@example.com', 'u01@example.com']);
    const last = await listUsers(7);
    expect(last.page).toBe(3);
    expect(last.rows.map((u) => u.email)).toEqual(['u40@example.com']);
    expect(last.rows[0]).not.toHaveProperty('passwordHash');
    expect(await listUserChoices(5)).toHaveLength(5);
  });

  it('teams and members: slug conflicts on the slug field, members added by email, removed, counted', async () => {
    const team = await createTeam({ name: 'Compilers', slug: 'compilers' }, ACTOR);
    expect(await rejectionOf(createTeam({ name: 'Again', slug: 'compilers' }, ACTOR))).toMatchObject({
      field: 'slug',
      message: SLUG_IN_USE,
    });
    const other = await createTeam({ name: 'Other', slug: 'other' }, ACTOR);
    expect(await rejectionOf(updateTeam(other.id, { name: 'Other', slug: 'compilers' }, ACTOR))).toMatchObject({
      field: 'slug',
      message: SLUG_IN_USE,
    });
    expect(await updateTeam(other.id, { name: 'Others', slug: 'others' }, ACTOR)).toMatchObject({
      name: 'Others',
      slug: 'others',
    });
    expect(await getTeamBySlug('others')).toMatchObject({ id: other.id });

    const user = await createUser(
      { email: 'member@example.com', name: 'Member', role: 'member', password: PASSWORD },
      ACTOR,
    );
    await addTeamMember(team.id, 'member@example.com', 'owner', ACTOR);
    expect(await rejectionOf(addTeamMember(team.id, 'member@example.com', 'member', ACTOR))).toMatchObject({
      field: 'email',
      message: 'Already a member of this team',
    });
    expect(await rejectionOf(addTeamMember(team.id, 'nobody@example.com', 'member', ACTOR))).toMatchObject({
      field: 'email',
      message: 'No user with this email',
    });
    expect(await rejectionOf(addTeamMember('no-such-team', 'member@example.com', 'member', ACTOR))).toBeInstanceOf(
      NotFoundError,
    );

    const members = await listTeamMembers(team.id, 1);
    expect(members.total).toBe(1);
    expect(members.rows[0]).toMatchObject({
      userId: user.id,
      role: 'owner',
      user: { email: 'member@example.com', name: 'Member' },
    });
    expect(await listUserTeams(user.id)).toEqual([
      { teamId: team.id, role: 'owner', team: { name: 'Compilers', slug: 'compilers' } },
    ]);

    const listed = await listTeams(1);
    expect(listed.total).toBe(2);
    expect(listed.rows.find((r) => r.id === team.id)?._count).toEqual({ members: 1, projects: 0 });

    await removeTeamMember(team.id, user.id, ACTOR);
    expect((await listTeamMembers(team.id, 1)).total).toBe(0);
    expect(await rejectionOf(removeTeamMember(team.id, user.id, ACTOR))).toBeInstanceOf(NotFoundError);
    const memberEvents = await t.current.db.auditLog.findMany({ where: { event: { startsWith: 'team.member' } } });
    expect(memberEvents.map((e) => [e.event, e.oldValue, e.newValue]).sort()).toEqual([
      ['team.member.added', null, 'member@example.com in compilers (owner)'],
      ['team.member.removed', 'member@example.com in compilers (owner)', null],
    ]);
  });

  it('projects: belong to a team chosen by slug, move between teams, filter by team, delete', async () => {
    const a = await createTeam({ name: 'Alpha', slug: 'alpha' }, ACTOR);
    const b = await createTeam({ name: 'Beta', slug: 'beta' }, ACTOR);
    expect(await rejectionOf(createProject({ name: 'Lost', team: 'missing' }, ACTOR))).toMatchObject({
      field: 'team',
      message: 'No team with this slug',
    });
    const p1 = await createProject({ name: 'One', team: 'alpha' }, ACTOR);
    const p2 = await createProject({ name: 'Two', team: 'alpha' }, ACTOR);
    expect(p1).toMatchObject({ name: 'One', teamId: a.id, team: { slug: 'alpha', name: 'Alpha' } });

    const moved = await updateProject(p2.id, { name: 'Two!', team: 'beta' }, ACTOR);
    expect(moved).toMatchObject({ name: 'Two!', teamId: b.id });
    expect(await rejectionOf(updateProject(p2.id, { name: 'Two!', team: 'missing' }, ACTOR))).toMatchObject({
      field: 'team',
    });
    expect((await listProjects(1, { teamId: a.id })).rows.map((p) => p.name)).toEqual(['One']);
    const all = await listProjects(1);
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.rows.map((p) => p.id)).toEqual(expect.arrayContaining([p1.id, p2.id]));

    await deleteProject(p1.id, ACTOR);
    expect(await getProject(p1.id)).toBeNull();
    expect(await rejectionOf(deleteProject(p1.id, ACTOR))).toBeInstanceOf(NotFoundError);
  });

  it('deleting a team deletes its projects and memberships; deleting a user deletes their memberships', async () => {
    const team = await createTeam({ name: 'Doomed', slug: 'doomed' }, ACTOR);
    const keep = await createTeam({ name: 'Kept', slug: 'kept' }, ACTOR);
    const u1 = await createUser({ email: 'd1@example.com', name: 'D1', role: 'member', password: PASSWORD }, ACTOR);
    const u2 = await createUser({ email: 'd2@example.com', name: 'D2', role: 'member', password: PASSWORD }, ACTOR);
    for (const email of ['d1@example.com', 'd2@example.com']) {
      await addTeamMember(team.id, email, 'member', ACTOR);
      await addTeamMember(keep.id, email, 'member', ACTOR);
    }
    await createProject({ name: 'P', team: 'doomed' }, ACTOR);
    await createProject({ name: 'Q', team: 'kept' }, ACTOR);
    expect(await countTeamContents(team.id)).toEqual({ members: 2, projects: 1 });

    await deleteTeam(team.id, ACTOR);
    expect(await t.current.db.project.count({ where: { teamId: team.id } })).toBe(0);
    expect(await t.current.db.teamMember.count({ where: { teamId: team.id } })).toBe(0);
    expect(await countTeamContents(keep.id)).toEqual({ members: 2, projects: 1 });
    expect(await getUser(u1.id)).not.toBeNull(); // users stay

    await deleteUser(u1.id, ACTOR);
    expect(await t.current.db.teamMember.count({ where: { userId: u1.id } })).toBe(0);
    expect(await t.current.db.teamMember.count({ where: { userId: u2.id } })).toBe(1);
    expect(await rejectionOf(deleteTeam(team.id, ACTOR))).toBeInstanceOf(NotFoundError);
  });

  it('settings: set, read, create once; the instance id is a stable UUID', async () => {
    expect(await getSetting(SETTING.telemetryEnabled)).toBeNull();
    await setSetting(SETTING.telemetryEnabled, 'true');
    await setSetting(SETTING.telemetryEnabled, 'false');
    expect(await getSetting(SETTING.telemetryEnabled)).toBe('false');
    const id = await getInstanceId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getInstanceId()).toBe(id);
    // Concurrent first calls agree on one value.
    const secrets = await Promise.all([1, 2, 3].map((n) => ensureSetting(SETTING.authSecret, () => `secret-${n}`)));
    expect(new Set(secrets).size).toBe(1);
    expect(await isSetupComplete()).toBe(false);
  });

  it('audit entries keep actor, event, old and new value and time', async () => {
    await recordAudit('cli:ada', { event: 'team.updated', oldValue: 'Audit (audit)', newValue: 'Audited (audit)' });
    const row = await t.current.db.auditLog.findFirstOrThrow({ where: { actor: 'cli:ada' } });
    expect(row).toMatchObject({ event: 'team.updated', oldValue: 'Audit (audit)', newValue: 'Audited (audit)' });
    expect(Date.now() - row.createdAt.getTime()).toBeLessThan(60_000);
  });

  it('leases: one holder at a time until it expires or is released', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(await acquireLease('job', 'a', 60_000, now)).toBe(true);
    expect(await acquireLease('job', 'b', 60_000, new Date(now.getTime() + 1000))).toBe(false);
    expect(await acquireLease('job', 'a', 60_000, new Date(now.getTime() + 1000))).toBe(true); // renew
    expect(await acquireLease('job', 'b', 60_000, new Date(now.getTime() + 61_001))).toBe(true); // a's lease ran out
    await releaseLease('job', 'b');
    expect(await acquireLease('job', 'c', 60_000, new Date(now.getTime() + 62_000))).toBe(true);
  });

  it('rate limits count across calls, refuse over the limit, and restart after the window', async () => {
    const limit = { limit: 3, windowMs: 60_000 };
    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hitRateLimit('signin:account:x', limit, at(i * 1000)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results[4].resetAt).toEqual(at(60_000));
    // Another key is counted apart.
    expect((await hitRateLimit('signin:account:y', limit, at(5000))).allowed).toBe(true);
    // The window ends: counting starts again.
    const fresh = await hitRateLimit('signin:account:x', limit, at(60_000));
    expect(fresh).toMatchObject({ allowed: true, remaining: 2, resetAt: at(120_000) });
    // Concurrent hits are all counted (no lost updates).
    await Promise.all(Array.from({ length: 5 }, () => hitRateLimit('burst', { limit: 100, windowMs: 60_000 }, at(0))));
    expect((await t.current.db.rateLimit.findUniqueOrThrow({ where: { key: 'burst' } })).count).toBe(5);
    // A hit taken back (a successful sign-in) frees its place.
    await undoRateLimitHit('burst');
    expect((await t.current.db.rateLimit.findUniqueOrThrow({ where: { key: 'burst' } })).count).toBe(4);
    await clearRateLimit('signin:account:x');
    expect((await hitRateLimit('signin:account:x', limit, at(61_000))).remaining).toBe(2);
    expect(await pruneRateLimits(at(200_000))).toBe(3);
    expect(await t.current.db.rateLimit.count()).toBe(0);
  });
});
