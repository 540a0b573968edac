// Form and API input schemas, shared by server actions, API routes and the CLI.
// Messages are written to sit beside the field they belong to.
import { z } from 'zod';
import { passwordWeakness } from './password';

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const TEAM_ROLES = ['owner', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { error: 'Email is required' })
  .max(254, { error: 'Email is too long' })
  .pipe(z.email({ error: 'Enter a valid email address' }));
/**
 * A one-line display name. Control characters are refused: a NUL cannot be
 * stored by PostgreSQL (it failed as "could not be saved" instead of a field
 * error), and line breaks or escapes have no place in a name shown in lists.
 */
const name = z
  .string()
  .trim()
  .min(1, { error: 'Name is required' })
  .max(100, { error: 'Name must be at most 100 characters' })
  .regex(/^\P{Cc}*$/u, { error: 'Name must not contain control characters (line breaks, tabs, NUL)' });

function strongPassword<T extends { email: string; name: string; password: string }>(value: T, ctx: z.RefinementCtx) {
  const weakness = passwordWeakness(value.password, value);
  if (weakness) ctx.addIssue({ code: 'custom', path: ['password'], message: `Password ${weakness}` });
}

export const adminAccountSchema = z
  .object({ email, name, password: z.string(), confirmPassword: z.string() })
  .superRefine((value, ctx) => {
    strongPassword(value, ctx);
    if (value.password !== value.confirmPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
    }
  });

export const setupSchema = adminAccountSchema.and(z.object({ telemetry: z.boolean() }));

export const newUserSchema = z
  .object({ email, name, role: z.enum(ROLES, { error: 'Role must be admin or member' }), password: z.string() })
  .superRefine(strongPassword);

export const editUserSchema = z
  .object({
    email,
    name,
    role: z.enum(ROLES, { error: 'Role must be admin or member' }),
    // Empty means "keep the current password".
    password: z
      .string()
      .optional()
      .transform((value) => value || undefined),
  })
  .superRefine((value, ctx) => {
    if (value.password !== undefined) strongPassword({ ...value, password: value.password }, ctx);
  });

export const teamSchema = z.object({
  name,
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(2, { error: 'Slug must be at least 2 characters' })
    .max(40, { error: 'Slug must be at most 40 characters' })
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'Slug may contain lower-case letters, digits and single dashes' }),
});

const teamSlug = z.string().trim().toLowerCase().min(1, { error: 'Choose a team' }).max(40, { error: 'Choose a team' });

/** A project names its team by slug (a select of teams, or a text box on large platforms). */
export const projectSchema = z.object({
  name,
  team: teamSlug,
});

/** Adding a member to a team: the user is chosen by email (a select, or a text box on large platforms). */
export const membershipSchema = z.object({
  // The field is labelled "User" (a select of users), so an empty one asks for a user, not an email.
  email: z.string().trim().min(1, { error: 'Choose a user' }).pipe(email),
  role: z.enum(TEAM_ROLES, { error: 'Role must be owner or member' }),
});

export type FieldErrors = Record<string, string>;

/** First message per field, for showing beside the inputs. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'form';
    out[key] ??= issue.message;
  }
  return out;
}
