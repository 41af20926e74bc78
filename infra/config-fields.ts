/**
 * What `config.ts` and `email-config.ts` share: the context key, the error, the patterns, and the
 * field readers (the site config's, `functions/core/config-schema.ts`, in the `newsfeed.<key> …` wording).
 */
import { ConfigError } from '../functions/core/config.js';
import { fieldReader } from '../functions/core/config-schema.js';

/** The `cdk.json` context key that holds the deployment's settings. */
export const CONFIG_CONTEXT_KEY = 'newsfeed';

/**
 * Bad values in the `newsfeed` context: one line per problem; `key` is the dotted path of the first
 * offending setting, `problems` lists them all.
 */
export class NewsfeedConfigError extends ConfigError {
  override name = 'NewsfeedConfigError';
}

export type Raw = Record<string, unknown>;

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const US_EAST_1_CERTIFICATE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
// Six fields as EventBridge Scheduler wants them (minutes hours day-of-month month day-of-week year).
export const CRON = /^cron\((\S+ ){5}\S+\)$/;
export const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
export const IANA_ZONE = /^(UTC|GMT|[A-Z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+){1,2})$/;
export const LIST_ID = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
// A display name goes into a mail header: no line breaks or other control characters.
export const CONTROL = /[\u0000-\u001f\u007f]/;

export function fail(key: string, rule: string): never {
  throw new NewsfeedConfigError(`${CONFIG_CONTEXT_KEY}.${key} ${rule}`, `${CONFIG_CONTEXT_KEY}.${key}`);
}

// The validators are the site config's (`functions/core/config-schema.ts`); only the wording of a
// failure (`newsfeed.<key> …`) and the default length limit are this file's.
const fields = fieldReader(fail);

export function text(raw: Raw, key: string, path: string, fallback: string, maxLength = 500): string {
  return fields.text(raw, key, path, fallback, maxLength);
}

export function optionalText(raw: Raw, key: string, path: string): string | undefined {
  return fields.optionalText(raw, key, path, 500);
}

export function integer(
  raw: Raw,
  key: string,
  fallback: number,
  min: number,
  max: number,
  path = key,
): number {
  return fields.integer(raw, key, path, fallback, min, max);
}
