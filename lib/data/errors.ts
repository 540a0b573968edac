// Errors the data layer raises for a form to show beside one field.
export class FieldError extends Error {
  name = 'FieldError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  name = 'NotFoundError';
}

/**
 * True for a key (id, slug) from a URL or a form that holds U+0000. No stored
 * record has one, and PostgreSQL refuses it even in a WHERE clause (a 500 for
 * "/admin/users/%00"), so such a key is answered as "not found" without a query.
 */
export function namesNoRecord(...keys: string[]): boolean {
  return keys.some((key) => key.includes('\0'));
}
