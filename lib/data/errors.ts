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
