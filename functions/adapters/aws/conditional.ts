/**
 * Conditional writes are how every DynamoDB adapter here keeps concurrent writers apart (no
 * transactions: dynalite has none), so "the condition did not hold" is an answer, not a failure.
 */

/** DynamoDB's refusal of a write whose condition did not hold. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Awaits a conditional write: true when it was written, false when its condition did not hold. */
export async function applied(send: Promise<unknown>): Promise<boolean> {
  try {
    await send;
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
