'use client';
// Replaces the root layout when it fails itself. Our own markup (with the app's
// stylesheet) instead of Next's default, whose inline <style> the
// Content-Security-Policy refuses (proxy.ts).
import './globals.css';

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
          <h1 className="text-xl font-semibold">Something went wrong</h1>
          <button
            type="button"
            onClick={reset}
            className="mt-4 rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-blue-800"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
