// POST /api/v1/ping: store one instance report (lib/collector/handlers.ts)
import { handlePing } from '@/lib/collector/handlers';

export const POST = (request: Request) => handlePing(request);
