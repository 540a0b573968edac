// Projects, each belonging to one team (chosen by slug on the forms). Each
// change writes an audit entry in the same transaction.
import 'server-only';
import { db, type Db } from '../db';
import { pageWindow, type Page } from '../pagination';
import { FieldError, namesNoRecord, NotFoundError } from './errors';
import { getPlatformCounts } from './row-counts';

export interface ProjectInput {
  name: string;
  /** Slug of the team the project belongs to. */
  team: string;
}

export type ProjectRow = { id: string; name: string; teamId: string; createdAt: Date; team: { name: string; slug: string } };

const PROJECT_FIELDS = { id: true, name: true, teamId: true, createdAt: true, team: { select: { name: true, slug: true } } } as const;
const NO_SUCH_TEAM = 'No team with this slug';

/**
 * One page of projects, newest first (createdAt is indexed; id breaks ties so
 * pages never overlap), optionally of one team (teamId is indexed).
 */
export async function listProjects(requestedPage: number, { teamId }: { teamId?: string } = {}, client: Db = db): Promise<Page<ProjectRow>> {
  const where = teamId ? { teamId } : {};
  // All projects: the kept counter; one team's: an indexed count of that team only.
  const total = teamId ? await client.project.count({ where }) : await countProjects(client);
  const { page, pageCount, pageSize, skip } = pageWindow(total, requestedPage);
  const rows = await client.project.findMany({
    where,
    select: PROJECT_FIELDS,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip,
    take: pageSize,
  });
  return { rows, total, page, pageSize, pageCount };
}

/** From the trigger-kept RowCount table: one small read, however many projects there are. */
export async function countProjects(client: Db = db): Promise<number> {
  return (await getPlatformCounts(client)).projects;
}

export async function getProject(id: string, client: Db = db): Promise<ProjectRow | null> {
  if (namesNoRecord(id)) return null;
  return client.project.findUnique({ where: { id }, select: PROJECT_FIELDS });
}

export async function createProject(input: ProjectInput, actor: string, client: Db = db): Promise<ProjectRow> {
  if (namesNoRecord(input.team)) throw new FieldError('team', NO_SUCH_TEAM);
  return client.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) throw new FieldError('team', NO_SUCH_TEAM);
    const project = await tx.project.create({ data: { name: input.name, teamId: team.id }, select: PROJECT_FIELDS });
    await tx.auditLog.create({ data: { actor, event: 'project.created', newValue: `${project.name} in ${project.team.slug}` } });
    return project;
  });
}

export async function updateProject(id: string, input: ProjectInput, actor: string, client: Db = db): Promise<ProjectRow> {
  if (namesNoRecord(id)) throw new NotFoundError('Project not found');
  if (namesNoRecord(input.team)) throw new FieldError('team', NO_SUCH_TEAM);
  return client.$transaction(async (tx) => {
    const before = await tx.project.findUnique({ where: { id }, select: PROJECT_FIELDS });
    if (!before) throw new NotFoundError('Project not found');
    const team = await tx.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) throw new FieldError('team', NO_SUCH_TEAM);
    const project = await tx.project.update({ where: { id }, data: { name: input.name, teamId: team.id }, select: PROJECT_FIELDS });
    const describe = (p: ProjectRow) => `${p.name} in ${p.team.slug}`;
    if (describe(before) !== describe(project)) {
      await tx.auditLog.create({ data: { actor, event: 'project.updated', oldValue: describe(before), newValue: describe(project) } });
    }
    return project;
  });
}

export async function deleteProject(id: string, actor: string, client: Db = db): Promise<void> {
  if (namesNoRecord(id)) throw new NotFoundError('Project not found');
  await client.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id }, select: PROJECT_FIELDS });
    if (!project) throw new NotFoundError('Project not found');
    await tx.project.delete({ where: { id } });
    await tx.auditLog.create({ data: { actor, event: 'project.deleted', oldValue: `${project.name} in ${project.team.slug}` } });
  });
}
