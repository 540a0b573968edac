import 'server-only';
import { listTeamChoices } from '@/lib/data/teams';
import { pickerChoices } from '@/lib/pagination';

/** The project form's team picker: "Name (slug)" by slug, or null (a slug box) for many teams. */
export function teamChoices() {
  return pickerChoices(listTeamChoices, (t) => ({ value: t.slug, label: `${t.name} (${t.slug})` }));
}
