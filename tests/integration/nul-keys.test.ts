// An id or slug from a URL or a form holding U+0000 ("/admin/users/%00") names
// no record. PostgreSQL refused it even in a WHERE clause, so the admin pages
// and actions answered 500; now every lookup says "not found" on both drivers.
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { NotFoundError, FieldError } from '../../lib/data/errors';
import { deleteUser, getUser, updateUser } from '../../lib/data/users';
import { addTeamMember, deleteTeam, getTeam, getTeamBySlug, removeTeamMember, updateTeam } from '../../lib/data/teams';
import { createProject, deleteProject, getProject, updateProject } from '../../lib/data/projects';
import { rejectionOf } from '../helpers/rejection';

const NUL = 'a\u0000b';
const ACTOR = 'root@example.com';

describe.each(DRIVERS)('keys holding a NUL character on %s', (driver) => {
  const { db } = useTestDatabase(driver);

  it('page lookups answer null (the page shows 404)', async () => {
    expect(await getUser(NUL, db())).toBeNull();
    expect(await getTeam(NUL, db())).toBeNull();
    expect(await getTeamBySlug(NUL, db())).toBeNull();
    expect(await getProject(NUL, db())).toBeNull();
  });

  it('changes answer "not found" or a field error, and change nothing', async () => {
    const team = await db().team.create({ data: { name: 'Team', slug: 'team' } });
    const user = await db().user.create({
      data: { email: 'u@example.com', name: 'U', role: 'member', passwordHash: 'x' },
    });
    const project = await db().project.create({ data: { name: 'P', teamId: team.id } });
    const notFound = [
      updateUser(NUL, { email: 'x@example.com', name: 'X', role: 'member' }, ACTOR, db()),
      deleteUser(NUL, ACTOR, db()),
      updateTeam(NUL, { name: 'X', slug: 'x' }, ACTOR, db()),
      deleteTeam(NUL, ACTOR, db()),
      addTeamMember(NUL, user.email, 'member', ACTOR, db()),
      removeTeamMember(team.id, NUL, ACTOR, db()),
      updateProject(NUL, { name: 'X', team: 'team' }, ACTOR, db()),
      deleteProject(NUL, ACTOR, db()),
    ];
    for (const attempt of notFound) expect(await rejectionOf(attempt)).toBeInstanceOf(NotFoundError);
    for (const attempt of [
      createProject({ name: 'X', team: NUL }, ACTOR, db()),
      updateProject(project.id, { name: 'X', team: NUL }, ACTOR, db()),
    ]) {
      expect(await rejectionOf(attempt)).toMatchObject(new FieldError('team', 'No team with this slug'));
    }
    expect(await db().project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ name: 'P' });
    expect(await db().auditLog.count()).toBe(0);
  });
});
