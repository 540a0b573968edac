// The first problem zod found, as a place and a sentence. An unknown key is
// named by its own path (zod reports it on the parent object), and reads in
// the caller's words ("is not a known key", "is not a documented field").
import type { z } from 'zod';

export interface FirstIssue {
  /** Path to the problem, the unknown key included. */
  path: PropertyKey[];
  /** The path joined with dots, or `fallback` at the top level. */
  where: string;
  message: string;
}

export function firstIssue(error: z.ZodError, unknownKey: string, fallback = '(top level)'): FirstIssue {
  const issue = error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  return {
    path,
    where: path.map(String).join('.') || fallback,
    message: issue.code === 'unrecognized_keys' ? unknownKey : issue.message,
  };
}
