import 'server-only';
import { listTeamChoices } from '@/lib/data/teams';

// Above this many teams the picker becomes a slug box, so a form never loads the whole table.
const PICKER_LIMIT = 200;

export async function teamChoices(): Promise<Array<{ value: string; label: string }> | null> {
  const teams = await listTeamChoices(PICKER_LIMIT + 1);
  return teams.length > PICKER_LIMIT ? null : teams.map((t) => ({ value: t.slug, label: `${t.name} (${t.slug})` }));
}
