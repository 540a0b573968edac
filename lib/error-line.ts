// One line naming an error, for a log line or a start-up message: never a
// stack, never several lines, bounded in length.

export function errorLine(error: unknown, maxLength = 300): string {
  const text = error instanceof Error ? error.message : String(error);
  // Prisma puts the call site first and the cause last.
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? 'unknown error').slice(0, maxLength);
}
