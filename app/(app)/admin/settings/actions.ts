'use server';
// Admin Settings actions. Each checks the admin role itself (a server action is
// a public endpoint, whatever the page around it showed), and the data layer
// refuses a change that flowforge.yml or the environment would override.
import { revalidatePath } from 'next/cache';
import { requireAdmin } from '@/lib/session';
import { trackedChange } from '@/lib/events/admin-actions';
import { saveTelemetryEnabled, TelemetrySettingLockedError } from '@/lib/data/telemetry-setting';
import type { TelemetryFormState } from '@/lib/form-state';

/** A checkbox sends "on" when ticked and nothing when not; anything else is a forged or broken form. */
function readEnabled(form: FormData): boolean | null {
  const value = form.get('telemetry');
  if (value === null) return false;
  return value === 'on' ? true : null;
}

export async function saveTelemetrySetting(_prev: TelemetryFormState, form: FormData): Promise<TelemetryFormState> {
  const admin = await requireAdmin();
  const enabled = readEnabled(form);
  if (enabled === null) return { ok: false, errors: { telemetry: 'telemetry must be "on" or absent (a checkbox)' } };
  try {
    const { changed, after } = await trackedChange('setting', 'updated', () =>
      saveTelemetryEnabled(enabled, admin.email),
    );
    revalidatePath('/admin/settings');
    const now = after.enabled ? 'on' : 'off';
    return {
      ok: true,
      errors: {},
      values: { enabled },
      message: changed ? `Saved: telemetry is now ${now}.` : `No change: telemetry was already ${now}.`,
    };
  } catch (error) {
    if (error instanceof TelemetrySettingLockedError)
      return { ok: false, errors: { form: error.message }, values: { enabled: error.setting.enabled } };
    console.error('saving the telemetry setting failed', error);
    return {
      ok: false,
      errors: { form: 'The setting could not be saved. Check the server log; nothing was changed.' },
      values: { enabled },
    };
  }
}
