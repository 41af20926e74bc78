// Placeholder entry so the CDK app can reference it; replaced by the real handler in this change.
export const handler = async (): Promise<never> => {
  throw new Error('confirm-mailer handler is not implemented yet');
};
