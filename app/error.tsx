'use client';
// Shown when a page or a server action fails in the browser (e.g. the network
// dropped). Our own markup instead of Next's default, whose inline <style> the
// Content-Security-Policy refuses (proxy.ts).
import { Button } from '@/components/ui/button';

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">The page could not be loaded or the change was not sent.</p>
      <Button type="button" className="mt-4" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
