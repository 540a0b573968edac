'use client';
// The box a recharts chart draws in. Charts render only in the browser: their
// inline styles are then set through the DOM, which the Content-Security-Policy
// allows, whereas a style="..." attribute in server-rendered HTML is refused (no
// 'unsafe-inline' styles, see proxy.ts). The height, too, is set in the browser.
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/** False while server-rendering and hydrating, true once running in the browser. */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export function ChartFrame({
  height,
  label,
  testId,
  children,
}: {
  height: number;
  label: string;
  testId: string;
  children: React.ReactNode;
}) {
  const inBrowser = useInBrowser();
  return (
    <div style={inBrowser ? { height } : undefined} data-testid={testId} role="img" aria-label={label}>
      {inBrowser && children}
    </div>
  );
}
