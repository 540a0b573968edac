// POST /i/v0/e/ (trailing slash optional): PostHog-compatible capture (lib/collector/handlers.ts)
import { handlePosthog } from '@/lib/collector/handlers';

export const POST = (request: Request) => handlePosthog(request);
