// GET /api/admin/telemetry/last-payload: the exact JSON body of the latest ping
// that went out, as a file download. Admins only.
import { notFound } from '@/lib/http-response';
import { adminOrErrorResponse } from '@/lib/session';
import { lastSentPayload } from '@/lib/data/telemetry-sends';

export async function GET() {
  const admin = await adminOrErrorResponse();
  if (admin instanceof Response) return admin;
  const row = await lastSentPayload();
  if (!row?.payload) return notFound('No telemetry ping has been sent yet');
  const stamp = row.sentAt.toISOString().replace(/[:.]/g, '-');
  return new Response(row.payload, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="flowforge-telemetry-${stamp}.json"`,
      'cache-control': 'no-store',
    },
  });
}
