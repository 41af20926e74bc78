import { type FieldFailure, isRecord } from './config-schema.js';

/**
 * The `websub` setting, `{ "hub": "https://hub.example/" }`, read the same way by the site config
 * (`config.ts`) and the deployment config (`infra/config.ts`); each says how a failure reads.
 */
export function websubOf(value: unknown, fail: FieldFailure): { hub: string } | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail('websub', 'must be an object such as { "hub": "https://hub.example/" }');
  for (const key of Object.keys(value))
    if (key !== 'hub') fail(`websub.${key}`, 'is not a known setting (known: hub)');
  const hub = value.hub;
  let url: URL | undefined;
  try {
    url = typeof hub === 'string' ? new URL(hub) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    fail('websub.hub', `must be an absolute http(s) URL, got ${JSON.stringify(hub)}`);
  return { hub: hub as string };
}
