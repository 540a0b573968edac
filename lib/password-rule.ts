// The password strength rule as forms state it: no imports, so client components
// (the setup wizard, the user form) can read it; lib/password.ts enforces it.
export const MIN_PASSWORD_LENGTH = 10;

export const PASSWORD_HINT =
  `At least ${MIN_PASSWORD_LENGTH} characters, ` + 'mixing three of: lower case, upper case, digits, symbols';
