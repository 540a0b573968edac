// GET /api/health: the process is up and serving requests. Public, holds no data and
// touches no database, so a load balancer's probe costs nothing and says nothing.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
