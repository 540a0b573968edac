'use server';
// "Send now" on Admin Settings: one manual ping, recorded in the history like
// any other. Admins only; refused while telemetry is effectively off.
import { revalidatePath } from 'next/cache';
import { requireAdmin } from '@/lib/session';
import { sendManualPing, TelemetryOffError } from '@/lib/telemetry/ping';
import { explainFailure } from '@/lib/telemetry/send';
import type { SendNowState } from '@/lib/form-state';

export async function sendTelemetryNow(_prev: SendNowState, _form: FormData): Promise<SendNowState> {
  await requireAdmin();
  try {
    const { outcome } = await sendManualPing();
    revalidatePath('/admin/settings');
    return outcome.ok
      ? { ok: true, message: `Sent: the collector answered HTTP ${outcome.status} in ${outcome.durationMs} ms` }
      : { ok: false, message: `Not delivered: ${explainFailure(outcome)}. The attempt is in the history below.` };
  } catch (error) {
    if (error instanceof TelemetryOffError) return { ok: false, message: error.message };
    console.error(`[flowforge] send now failed: ${(error as Error).message}`);
    return { ok: false, message: 'Could not send: an internal error occurred (see the server log)' };
  }
}
