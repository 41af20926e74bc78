/**
 * Each deployed function's environment, read from the template, against its contract
 * (`functions/handlers/contracts.ts`): every required key set, nothing the function does not read,
 * the entry file and service name the handler logs with.
 */
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/handlers/contracts.js';
import { synthesize } from './synth.js';
import { resources } from './template-queries.js';

/** Set on every function by `ProjectFunction`, outside any contract. */
const PLATFORM_KEYS = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL'];

const { template } = synthesize({ email: { domain: 'example.com' } });
const functions = Object.values(resources(template, 'AWS::Lambda::Function')).filter((fn) =>
  String(fn.Properties.Runtime).startsWith('nodejs'),
);

function environmentOf(service: string): Record<string, unknown> {
  const found = functions.filter(
    (fn) =>
      (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
        .POWERTOOLS_SERVICE_NAME === service,
  );
  expect(found, service).toHaveLength(1);
  const [fn] = found;
  if (!fn) throw new Error(`no function with the service name ${service}`);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('function contracts', () => {
  it('name one deployed function each, and every deployed function has one', () => {
    expect(functions).toHaveLength(Object.keys(FUNCTIONS).length);
  });

  for (const contract of Object.values(FUNCTIONS)) {
    it(`${contract.name}: the template sets every required key and only keys the contract lists`, () => {
      const env = environmentOf(contract.service);
      const keys = Object.keys(env).filter((key) => !PLATFORM_KEYS.includes(key));
      for (const key of contract.required) expect(keys, `${contract.name} lacks ${key}`).toContain(key);
      const known = new Set<string>([...contract.required, ...Object.keys(contract.optional)]);
      for (const key of keys) expect(known.has(key), `${contract.name} is given ${key}`).toBe(true);
    });
  }
});
