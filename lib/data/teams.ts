// Teams and their members. Deleting a team deletes its projects and
// memberships (ON DELETE CASCADE in both migrations). Each change writes an
// audit entry in the same transaction.
import 'server-only';
import { db, type Db } from '../db';
import type { TeamMemberGetPayload } from '../generated/sqlite/models';
import { pageOf, type Page } from '../pagination';
import type { TeamRole } from '../validation';
import { recordAudit } from './audit';
import { FieldError, namesNoRecord, NotFoundError } from './errors';
import { getPlatformCounts } from './row-counts';
import { auditChange, deleteAudited, writeError } from './records';

export const SLUG_IN_USE = 'Slug already in use';

export interface TeamInput {
  name: string;
  slug: string;
}

const USER_NAME = { email: true, name: true } as const;

export type TeamRow = { id: string; name: string; slug: string; createdAt: Date };
export type TeamListRow = TeamRow & { _count: { members: number; projects: number } };
const MEMBER_FIELDS = { teamId: true, userId: true, role: true, createdAt: true, user: { select: USER_NAME } } as const;
/** A membership as the team page lists it: the fields MEMBER_FIELDS selects. */
export type MemberRow = TeamMemberGetPayload<{ select: typeof MEMBER_FIELDS }>;

const TEAM_FIELDS = { id: true, name: true, slug: true, createdAt: true } as const;

/** One page of teams by slug (unique index), with member and project counts for the 20 rows shown. */
export async function listTeams(requestedPage: number, client: Db = db): Promise<Page<TeamListRow>> {
  return pageOf((await getPlatformCounts(client)).teams, requestedPage, (window) =>
    client.team.findMany({
      select: { ...TEAM_FIELDS, _count: { select: { members: true, projects: true } } },
      orderBy: { slug: 'asc' },
      ...window,
    }),
  );
}

export async function getTeam(id: string, client: Db = db): Promise<TeamRow | null> {
  if (namesNoRecord(id)) return null;
  return client.team.findUnique({ where: { id }, select: TEAM_FIELDS });
}

export async function getTeamBySlug(slug: string, client: Db = db): Promise<TeamRow | null> {
  if (namesNoRecord(slug)) return null;
  return client.team.findUnique({ where: { slug }, select: TEAM_FIELDS });
}

/** What deleting a team would take with it (two indexed counts). */
export async function countTeamContents(
  teamId: string,
  client: Db = db,
): Promise<{ members: number; projects: number }> {
  const [members, projects] = await Promise.all([
    client.teamMember.count({ where: { teamId } }),
    client.project.count({ where: { teamId } }),
  ]);
  return { members, projects };
}

/** Up to `limit` teams for a picker, by slug; the caller falls back to a text box when there are more. */
export function listTeamChoices(limit: number, client: Db = db): Promise<Array<{ slug: string; name: string }>> {
  return client.team.findMany({ select: { slug: true, name: true }, orderBy: { slug: 'asc' }, take: limit });
}

export async function createTeam(input: TeamInput, actor: string, client: Db = db): Promise<TeamRow> {
  try {
    return await client.$transaction(async (tx) => {
      const team = await tx.team.create({ data: input, select: TEAM_FIELDS });
      await recordAudit(actor, { event: 'team.created', newValue: team.slug }, tx);
      return team;
    });
  } catch (error) {
    throw writeError(error, 'slug', SLUG_IN_USE);
  }
}

export async function updateTeam(id: string, input: TeamInput, actor: string, client: Db = db): Promise<TeamRow> {
  if (namesNoRecord(id)) throw new NotFoundError('Team not found');
  try {
    return await client.$transaction(async (tx) => {
      const before = await tx.team.findUnique({ where: { id }, select: TEAM_FIELDS });
      if (!before) throw new NotFoundError('Team not found');
      const team = await tx.team.update({ where: { id }, data: input, select: TEAM_FIELDS });
      await auditChange(actor, 'team.updated', (t: TeamRow) => `${t.name} (${t.slug})`, [before, team], tx);
      return team;
    });
  } catch (error) {
    throw writeError(error, 'slug', SLUG_IN_USE, 'Team not found');
  }
}

/** Deletes the team with its projects and memberships. */
export async function deleteTeam(id: string, actor: string, client: Db = db): Promise<void> {
  await deleteAudited(id, 'Team not found', actor, client, async (tx) => {
    const team = await tx.team.delete({ where: { id }, select: TEAM_FIELDS });
    return { event: 'team.deleted', oldValue: team.slug };
  });
}

/** One page of a team's members, oldest first. */
export async function listTeamMembers(
  teamId: string,
  requestedPage: number,
  client: Db = db,
): Promise<Page<MemberRow>> {
  return pageOf(await client.teamMember.count({ where: { teamId } }), requestedPage, (window) =>
    client.teamMember.findMany({
      where: { teamId },
      select: MEMBER_FIELDS,
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      ...window,
    }),
  );
}

export async function addTeamMember(
  teamId: string,
  email: string,
  role: TeamRole,
  actor: string,
  client: Db = db,
): Promise<void> {
  if (namesNoRecord(teamId)) throw new NotFoundError('Team not found');
  const [team, user] = await Promise.all([
    client.team.findUnique({ where: { id: teamId }, select: TEAM_FIELDS }),
    client.user.findUnique({ where: { email }, select: { id: true } }),
  ]);
  if (!team) throw new NotFoundError('Team not found');
  if (!user) throw new FieldError('email', 'No user with this email');
  try {
    await client.$transaction(async (tx) => {
      await tx.teamMember.create({ data: { teamId, userId: user.id, role } });
      await recordAudit(actor, { event: 'team.member.added', newValue: `${email} in ${team.slug} (${role})` }, tx);
    });
  } catch (error) {
    throw writeError(error, 'email', 'Already a member of this team');
  }
}

export async function removeTeamMember(teamId: string, userId: string, actor: string, client: Db = db): Promise<void> {
  if (namesNoRecord(teamId, userId)) throw new NotFoundError('Not a member of this team');
  await client.$transaction(async (tx) => {
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId, userId } },
      select: { role: true, user: { select: { email: true } }, team: { select: { slug: true } } },
    });
    if (!member) throw new NotFoundError('Not a member of this team');
    await tx.teamMember.delete({ where: { teamId_userId: { teamId, userId } } });
    const removed = `${member.user.email} in ${member.team.slug} (${member.role})`;
    await recordAudit(actor, { event: 'team.member.removed', oldValue: removed }, tx);
  });
}

/** The teams a user belongs to, for their home page. */
export function listUserTeams(
  userId: string,
  client: Db = db,
): Promise<Array<{ teamId: string; role: string; team: { name: string; slug: string } }>> {
  return client.teamMember.findMany({
    where: { userId },
    select: { teamId: true, role: true, team: { select: { name: true, slug: true } } },
    orderBy: { createdAt: 'asc' },
    take: 100,
  });
}
