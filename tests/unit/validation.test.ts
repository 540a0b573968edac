import { describe, expect, it } from 'vitest';
import {
  adminAccountSchema,
  editUserSchema,
  fieldErrors,
  membershipSchema,
  newUserSchema,
  projectSchema,
  teamSchema,
} from '../../lib/validation';
import type { z } from 'zod';

function errors(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
}

describe('user forms', () => {
  const good = {
    email: ' Grace@Example.COM ',
    name: ' Grace Hopper ',
    role: 'member',
    password: 'Compiler-Pioneer-1952',
  };

  it('normalises email and name', () => {
    expect(newUserSchema.parse(good)).toEqual({ ...good, email: 'grace@example.com', name: 'Grace Hopper' });
  });

  it('reports each bad field by name', () => {
    expect(errors(newUserSchema, { email: 'nope', name: '', role: 'root', password: 'Compiler-Pioneer-1952' })).toEqual(
      {
        email: 'Enter a valid email address',
        name: 'Name is required',
        role: 'Role must be admin or member',
      },
    );
    expect(errors(newUserSchema, { ...good, password: 'short' })).toEqual({
      password: 'Password must be at least 10 characters',
    });
    expect(errors(newUserSchema, { ...good, email: '' })).toEqual({ email: 'Email is required' });
    expect(errors(newUserSchema, { ...good, name: 'x'.repeat(101) })).toEqual({
      name: 'Name must be at most 100 characters',
    });
  });

  it('edit keeps the password when it is left empty, and checks a new one', () => {
    expect(editUserSchema.parse({ ...good, password: '' }).password).toBeUndefined();
    expect(errors(editUserSchema, { ...good, password: 'weakweakweak' })).toEqual({
      password: 'Password must mix at least three of: lower case, upper case, digits, symbols',
    });
    expect(editUserSchema.parse(good).password).toBe('Compiler-Pioneer-1952');
  });

  it('the setup account needs the password twice', () => {
    expect(errors(adminAccountSchema, { ...good, confirmPassword: 'Compiler-Pioneer-1953' })).toEqual({
      confirmPassword: 'Passwords do not match',
    });
    expect(errors(adminAccountSchema, { ...good, confirmPassword: good.password })).toEqual({});
  });
});

describe('team, project and membership forms', () => {
  it('team slugs are lower-case words joined by single dashes', () => {
    expect(teamSchema.parse({ name: 'Platform', slug: ' Platform-Team ' }).slug).toBe('platform-team');
    for (const slug of ['a', 'has space', 'double--dash', '-edge', 'ümlaut', 'x'.repeat(41)]) {
      expect(Object.keys(errors(teamSchema, { name: 'T', slug }))).toEqual(['slug']);
    }
  });

  it('a project needs a name and a team', () => {
    expect(errors(projectSchema, { name: '', team: '' })).toEqual({ name: 'Name is required', team: 'Choose a team' });
    expect(projectSchema.parse({ name: 'COBOL', team: 'Compilers' })).toEqual({ name: 'COBOL', team: 'compilers' });
  });

  it('a membership names a user by email and a team role', () => {
    expect(errors(membershipSchema, { email: '', role: 'admin' })).toEqual({
      email: 'Choose a user',
      role: 'Role must be owner or member',
    });
    expect(errors(membershipSchema, { email: '  ', role: 'owner' })).toEqual({ email: 'Choose a user' });
    expect(errors(membershipSchema, { email: 'nobody', role: 'owner' })).toEqual({
      email: 'Enter a valid email address',
    });
    expect(membershipSchema.parse({ email: 'A@B.CO', role: 'owner' })).toEqual({ email: 'a@b.co', role: 'owner' });
  });
});

describe('names are one line of text', () => {
  const controlMessage = 'Name must not contain control characters (line breaks, tabs, NUL)';
  const account = {
    email: 'grace@example.com',
    role: 'member',
    password: 'Compiler-Pioneer-1952',
    confirmPassword: 'Compiler-Pioneer-1952',
  };

  // PostgreSQL refuses U+0000 in text: without this check the save failed with a generic form error.
  it.each([
    ['a NUL', 'Ada\u0000Lovelace'],
    ['a line break', 'Ada\nLovelace'],
    ['an escape', 'Ada\u001b[31m'],
    ['a tab', 'Ada\tLovelace'],
  ])('a name with %s is a field error on every form that takes a name', (_label, name) => {
    expect(errors(newUserSchema, { ...account, name })).toEqual({ name: controlMessage });
    expect(errors(editUserSchema, { ...account, name, password: '' })).toEqual({ name: controlMessage });
    expect(errors(adminAccountSchema, { ...account, name })).toEqual({ name: controlMessage });
    expect(errors(teamSchema, { name, slug: 'ok' })).toEqual({ name: controlMessage });
    expect(errors(projectSchema, { name, team: 'ok' })).toEqual({ name: controlMessage });
  });

  it('letters of any script, punctuation and emoji are fine', () => {
    expect(errors(teamSchema, { name: 'Équipe «Ünïcode» – 開発 🚀', slug: 'ok' })).toEqual({});
  });
});
