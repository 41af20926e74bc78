/**
 * Deploying over a stack from an earlier layout must replace no stateful resource: CloudFormation
 * replaces a resource whose logical id changes, and a new table, bucket, queue or secret starts
 * empty. `fixtures/stateful-logical-ids.json` was recorded from the stack before the layout change
 * (issue 10); a refactoring that moves a construct must keep these ids (`overrideLogicalId` if need be).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synth.js';

const STATEFUL = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
] as const;

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/stateful-logical-ids.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, string[]>>;

const settings: Record<string, Record<string, unknown>> = {
  plain: {},
  email: { email: { domain: 'example.com' } },
};

function statefulIds(newsfeed: Record<string, unknown>): Record<string, string[]> {
  const template = synthesize(newsfeed).template.toJSON() as {
    Resources: Record<string, { Type: string }>;
  };
  const byType: Record<string, string[]> = {};
  for (const type of STATEFUL) {
    byType[type] = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id]) => id)
      .sort();
  }
  return byType;
}

describe('stateful resources keep their logical ids across the layout change', () => {
  for (const [name, newsfeed] of Object.entries(settings)) {
    it(`${name}: tables, buckets, queues and secrets are the recorded ones`, () => {
      expect(statefulIds(newsfeed)).toEqual(recorded[name]);
    });
  }
});
