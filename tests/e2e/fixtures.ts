// The shared Playwright fixture: every spec imports `test` and `expect` from here.
// It fails a test when the browser reports a Content-Security-Policy violation on
// any page, in the default context or in one a test opens itself, so every page
// the specs visit is proven to work under the platform's policy (proxy.ts).
import { test as base, type BrowserContext, type ConsoleMessage } from '@playwright/test';
import { startPlatform, type Platform, type PlatformOptions } from './platform';

export { expect } from '@playwright/test';

// Chromium reports a blocked script, style or frame as a console error starting
// "Refused to ..." and naming the Content Security Policy; the init script below
// also logs each `securitypolicyviolation` event, in case a message is worded otherwise.
const REPORT_PREFIX = '[csp-violation]';

function isViolation(message: ConsoleMessage): boolean {
  const text = message.text();
  return text.startsWith(REPORT_PREFIX) || /Content Security Policy/i.test(text);
}

async function watch(context: BrowserContext, violations: string[]) {
  await context.addInitScript((prefix: string) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = `${event.sourceFile}:${event.lineNumber}`;
      console.error(`${prefix} ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${where}`);
    });
  }, REPORT_PREFIX);
  context.on('console', (message) => {
    if (isViolation(message)) violations.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      await watch(context, violations);
      // Contexts a test opens with browser.newContext() are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const opened = await newContext(...args);
        await watch(opened, violations);
        return opened;
      };
      await use(violations);
      browser.newContext = newContext;
      if (violations.length > 0) {
        throw new Error(`the browser reported Content-Security-Policy violations:\n${violations.join('\n')}`);
      }
    },
    { auto: true },
  ],
});

/**
 * Starts a platform before the tests of the file (or of the describe block it is called in) and
 * stops it after them; `prepare` runs once it is up (seeding users, settings). Tests read it as
 * `platform()`.
 */
export function usePlatform(
  options?: PlatformOptions,
  prepare?: (platform: Platform) => Promise<unknown>,
): () => Platform {
  let platform: Platform | undefined;
  test.beforeAll(async () => {
    platform = await startPlatform(options);
    await prepare?.(platform);
  });
  test.afterAll(async () => platform?.stop());
  return () => {
    if (!platform) throw new Error('the platform is not started: usePlatform() runs in beforeAll');
    return platform;
  };
}
