/** What an S3 failure says about the object: the SDK reports errors by name and HTTP status. */
export function s3ErrorStatus(error: unknown): { name: string; status: number | undefined } {
  if (!(error instanceof Error)) return { name: '', status: undefined };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return { name: error.name, status };
}

/** True when S3 answered that the object (or the asked-for version) is not there. */
export function isMissingObject(error: unknown): boolean {
  const { name, status } = s3ErrorStatus(error);
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion' || status === 404;
}
