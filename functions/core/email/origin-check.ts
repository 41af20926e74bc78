/**
 * The subscribe API answers only requests that came through the site's CloudFront distribution. Its
 * Lambda function URL is public (the form and mail clients' one-click POST carry no credentials), so
 * CloudFront adds a secret header to every request it forwards (an origin custom header, overwriting
 * any viewer header of that name) and the API refuses, before doing anything else, a request without
 * it. Only then is `CloudFront-Viewer-Address` trustworthy: it is CloudFront that sets it.
 *
 * The values are stored as `{"h1":"<secret>"}`; during a rotation two are accepted at once
 * (`{"h1":"…","h2":"…"}`), so CloudFront can switch from one to the other without a refused request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** As the API sees it (lower case); CloudFront is configured with `X-Origin-Verify`. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** A value CloudFront can send in a header, and long enough not to be guessed. */
const HEADER_VALUE = /^[\x21-\x7e]+$/;
export const MIN_ORIGIN_SECRET_CHARS = 32;

/** The stored origin secret is unusable; the message never includes a value. */
export class OriginSecretFormatError extends Error {
  override name = 'OriginSecretFormatError';
}

/** Every accepted value of `{"h1":"…","h2":"…"}`; at least one. */
export function parseOriginSecretJson(json: string, where: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new OriginSecretFormatError(`${where}: the origin secret is not JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new OriginSecretFormatError(`${where}: the origin secret must be a JSON object of "hN" values`);
  }
  const values: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!/^h\d{1,3}$/.test(name)) {
      throw new OriginSecretFormatError(`${where}: "${name}" is not a value name (h1, h2, …)`);
    }
    if (typeof value !== 'string' || value.length < MIN_ORIGIN_SECRET_CHARS || !HEADER_VALUE.test(value)) {
      throw new OriginSecretFormatError(
        `${where}: ${name} must be at least ${MIN_ORIGIN_SECRET_CHARS} printable ASCII characters without spaces`,
      );
    }
    values.push(value);
  }
  if (values.length === 0) throw new OriginSecretFormatError(`${where}: the origin secret holds no value`);
  return values;
}

/**
 * Whether `presented` is one of the accepted values. Constant time in the value: both sides are
 * hashed to equal lengths first, and every accepted value is compared, whether or not one matched.
 */
export function isAcceptedOriginValue(accepted: readonly string[], presented: string | undefined): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let match = false;
  for (const value of accepted) {
    const equal = timingSafeEqual(digest, createHash('sha256').update(value, 'utf8').digest());
    match = equal || match;
  }
  return match;
}
