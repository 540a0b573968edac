// Projects, each belonging to one team (chosen by slug on the forms). Each
// change writes an audit entry in the same transaction.
import 'server-only';
import { db, type Db } from '../db';
import type { ProjectGetPayload } from '../generated/sqlite/models';
import { pageOf, type Page } from '../pagination';
import { recordAudit } from './audit';
import { FieldError, namesNoRecord, NotFoundError } from './errors';
import { getPlatformCounts } from './row-counts';
import { auditChange, deleteAudited } from './records';

export interface ProjectInput {
  name: string;
  /** Slug of the team the project belongs to. */
  team: string;
}

const PROJECT_FIELDS = {
  id: true,
  name: true,
  teamId: true,
  createdAt: true,
  team: { select: { name: true, slug: true } },
} as const;
/** A project as the admin pages show it: the fields PROJECT_FIELDS selects. */
export type ProjectRow = ProjectGetPayload<{ select: typeof PROJECT_FIELDS }>;
const NO_SUCH_TEAM = 'No team with this slug';

/**
 * One page of projects, newest first (createdAt is indexed; id breaks ties so
 * pages never overlap), optionally of one team (teamId is indexed).
 */
export async function listProjects(
  requestedPage: number,
  { teamId }: { teamId?: string } = {},
  client: Db = db,
): Promise<Page<ProjectRow>> {
  const where = teamId ? { teamId } : {};
  // All projects: the kept counter; one team's: an indexed count of that team only.
  const total = teamId ? await client.project.count({ where }) : (await getPlatformCounts(client)).projects;
  return pageOf(total, requestedPage, (window) =>
    client.project.findMany({
      where,
      select: PROJECT_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      ...window,
    }),
  );
}

export async function getProject(id: string, client: Db = db): Promise<ProjectRow | null> {
  if (namesNoRecord(id)) return null;
  return client.project.findUnique({ where: { id }, select: PROJECT_FIELDS });
}

/** A project as the audit log names one: "name in team-slug". */
const describeProject = (project: ProjectRow) => `${project.name} in ${project.team.slug}`;

export async function createProject(input: ProjectInput, actor: string, client: Db = db): Promise<ProjectRow> {
  if (namesNoRecord(input.team)) throw new FieldError('team', NO_SUCH_TEAM);
  return client.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) throw new FieldError('team', NO_SUCH_TEAM);
    const project = await tx.project.create({ data: { name: input.name, teamId: team.id }, select: PROJECT_FIELDS });
    await recordAudit(actor, { event: 'project.created', newValue: describeProject(project) }, tx);
    return project;
  });
}

export async function updateProject(
  id: string,
  input: ProjectInput,
  actor: string,
  client: Db = db,
): Promise<ProjectRow> {
  if (namesNoRecord(id)) throw new NotFoundError('Project not found');
  if (namesNoRecord(input.team)) throw new FieldError('team', NO_SUCH_TEAM);
  return client.$transaction(async (tx) => {
    const before = await tx.project.findUnique({ where: { id }, select: PROJECT_FIELDS });
    if (!before) throw new NotFoundError('Project not found');
    const team = await tx.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) throw new FieldError('team', NO_SUCH_TEAM);
    const project = await tx.project.update({
      where: { id },
      data: { name: input.name, teamId: team.id },
      select: PROJECT_FIELDS,
    });
    await auditChange(actor, 'project.updated', describeProject, [before, project], tx);
    return project;
  });
}

export async function deleteProject(id: string, actor: string, client: Db = db): Promise<void> {
  await deleteAudited(id, 'Project not found', actor, client, async (tx) => {
    const project = await tx.project.delete({ where: { id }, select: PROJECT_FIELDS });
    return { event: 'project.deleted', oldValue: describeProject(project) };
  });
}
