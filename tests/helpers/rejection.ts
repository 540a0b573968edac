// For tests that look into what a promise was rejected with (its class, fields and message),
// which `expect(...).rejects` only lets them match one way at a time.

/** The reason `promise` was rejected with; throws when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
