// POST /ping: the classic path of the same endpoint as /api/v1/ping
import { handlePing } from '@/lib/collector/handlers';

export const POST = (request: Request) => handlePing(request);
