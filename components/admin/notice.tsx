/** A one-line confirmation after a redirect (?notice=...). Only known codes are shown, never URL text. */
export function Notice({ code, messages }: { code: string | string[] | undefined; messages: Record<string, string> }) {
  const message = typeof code === 'string' ? messages[code] : undefined;
  if (!message) return null;
  return (
    <p
      role="status"
      data-notice
      className="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800"
    >
      {message}
    </p>
  );
}
