// Every change the platform audits, made through its data functions: each
// writes the entry the audit event union describes, and every event written
// has a label on /admin/audit (lib/audit-format.ts).
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_LABELS, describeAuditEvent } from '../../lib/audit-format';
import { completeSetup } from '../../lib/data/setup';
import { saveTelemetryEnabled } from '../../lib/data/telemetry-setting';
import { createUser, deleteUser, endAllSessionsOfUser, updateUser } from '../../lib/data/users';
import { clearAccountSignInLimits } from '../../lib/data/sign-in-limits';
import { addTeamMember, createTeam, deleteTeam, removeTeamMember, updateTeam } from '../../lib/data/teams';
import { createProject, deleteProject, updateProject } from '../../lib/data/projects';
import { useTestDatabase } from '../helpers/use-database';

describe('audit events', () => {
  const database = useTestDatabase('sqlite');

  it('every audited change writes its event with the values of its shape, and every event has a label', async () => {
    const { db } = database.current;
    await completeSetup({ email: 'ada@example.com', name: 'Ada', password: 'Analytical-Engine-1843', telemetry: true });
    await saveTelemetryEnabled(false, 'ada@example.com');
    const user = await createUser(
      { email: 'bob@example.com', name: 'Bob', role: 'member', password: 'Difference-Engine-1822' },
      'ada@example.com',
    );
    await updateUser(
      user.id,
      { email: 'bob@example.com', name: 'Bob', role: 'admin', password: 'Difference-Engine-1823' },
      'ada@example.com',
    );
    await endAllSessionsOfUser(user.id, 'ada@example.com');
    await clearAccountSignInLimits('bob@example.com', 'ada@example.com');
    const team = await createTeam({ name: 'Engines', slug: 'engines' }, 'ada@example.com');
    await updateTeam(team.id, { name: 'Engine Works', slug: 'engines' }, 'ada@example.com');
    await addTeamMember(team.id, 'bob@example.com', 'member', 'ada@example.com');
    await removeTeamMember(team.id, user.id, 'ada@example.com');
    const project = await createProject({ name: 'Mill', team: 'engines' }, 'ada@example.com');
    await updateProject(project.id, { name: 'Store', team: 'engines' }, 'ada@example.com');
    await deleteProject(project.id, 'ada@example.com');
    await deleteTeam(team.id, 'ada@example.com');
    await endAllSessionsOfUser(user.id, 'ada@example.com');
    await clearAccountSignInLimits('bob@example.com', 'ada@example.com');
    await deleteUser(user.id, 'ada@example.com');

    const rows = await db.auditLog.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    // Entries of one transaction share a timestamp, so compare without order.
    const sorted = (list: unknown[][]) => list.map((entry) => JSON.stringify(entry)).sort();
    const entries = rows.map(({ event, oldValue, newValue }) => [event, oldValue, newValue]);
    expect(sorted(entries)).toEqual(
      sorted([
        ['setup.completed', null, 'ada@example.com'],
        ['settings.telemetry.enabled', null, 'true'],
        ['settings.telemetry.enabled', 'true', 'false'],
        ['user.created', null, 'bob@example.com (member)'],
        ['user.updated', 'bob@example.com (member)', 'bob@example.com (admin)'],
        ['user.password.changed', null, 'bob@example.com'],
        ['user.sessions.ended', null, 'bob@example.com (0 ended)'],
        ['user.signin-limits.cleared', null, 'bob@example.com'],
        ['team.created', null, 'engines'],
        ['team.updated', 'Engines (engines)', 'Engine Works (engines)'],
        ['team.member.added', null, 'bob@example.com in engines (member)'],
        ['team.member.removed', 'bob@example.com in engines (member)', null],
        ['project.created', null, 'Mill in engines'],
        ['project.updated', 'Mill in engines', 'Store in engines'],
        ['project.deleted', 'Store in engines', null],
        ['team.deleted', 'engines', null],
        ['user.sessions.ended', null, 'bob@example.com (0 ended)'],
        ['user.signin-limits.cleared', null, 'bob@example.com'],
        ['user.deleted', 'bob@example.com (admin)', null],
      ]),
    );
    // Every event of the union was written above, and each has a label of its own.
    expect(new Set(rows.map((row) => row.event))).toEqual(new Set(Object.keys(AUDIT_EVENT_LABELS)));
    for (const row of rows) expect(describeAuditEvent(row.event)).not.toBe(row.event);
  });
});
