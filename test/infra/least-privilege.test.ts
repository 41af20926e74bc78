import { describe, expect, it } from 'vitest';
import { synthesize } from './synth.js';
import {
  actionsOf,
  allowedActions,
  logicalIdOf,
  props,
  resourcesOf,
  roleStatements,
  statementsAllowing,
} from './template-queries.js';

const { stack, template } = synthesize();
const articles = logicalIdOf(stack, stack.articlesBucket);
const site = logicalIdOf(stack, stack.site.bucket);
const table = logicalIdOf(stack, stack.table);
const ingestQueue = logicalIdOf(stack, stack.intake.queue);
const distribution = logicalIdOf(stack, stack.site.distribution);

const functionIds = {
  ingest: logicalIdOf(stack, stack.intake.function),
  publish: logicalIdOf(stack, stack.publisher.function),
  reconcile: logicalIdOf(stack, stack.reconciler.function),
};
const roles = {
  ingest: roleStatements(template, functionIds.ingest),
  publish: roleStatements(template, functionIds.publish),
  reconcile: roleStatements(template, functionIds.reconcile),
};

/** Actions that AWS offers no resource-level permission for, so `Resource: "*"` is the only option. */
const RESOURCELESS_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'dynamodb:ListStreams',
]);

describe.each(Object.keys(functionIds) as (keyof typeof functionIds)[])('%s role', (name) => {
  const statements = roles[name];

  it('has statements to check', () => {
    expect(statements.length).toBeGreaterThan(3);
  });

  it('uses no AWS managed policy', () => {
    const role = (props(template, functionIds[name]).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(props(template, role).ManagedPolicyArns).toBeUndefined();
  });

  it('names every action exactly (no wildcard actions)', () => {
    expect(allowedActions(statements).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('grants `Resource: *` only for actions that have no resource-level permissions', () => {
    const starActions = statements.filter((s) => resourcesOf(s).includes('*')).flatMap(actionsOf);
    expect(starActions.filter((action) => !RESOURCELESS_ACTIONS.has(action))).toEqual([]);
  });

  it('can write logs only to its own log group', () => {
    const logWrites = statementsAllowing(statements, 'logs:PutLogEvents');
    expect(logWrites).toHaveLength(1);
    expect(resourcesOf(logWrites[0]!)).toHaveLength(1);
    expect(resourcesOf(logWrites[0]!)[0]).toMatch(/^<\w+Logs\w+\.Arn>$/);
  });

  it('can never delete or write items through an index, nor touch any other table', () => {
    for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))) {
      for (const arn of resourcesOf(statement)) {
        if (arn === '*') continue;
        expect(arn).toMatch(new RegExp(`^<${table}\\.(Arn|StreamArn)>(/index/byDate)?$`));
      }
    }
  });
});

describe('ingest', () => {
  it('reads only article objects', () => {
    const s3 = roles.ingest.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    for (const arn of s3.flatMap(resourcesOf)) expect(arn).toBe(`<${articles}.Arn>/articles/*`);
  });

  it('cannot write objects nor send messages', () => {
    expect(statementsAllowing(roles.ingest, 's3:PutObject')).toEqual([]);
    expect(statementsAllowing(roles.ingest, 's3:DeleteObject')).toEqual([]);
    expect(statementsAllowing(roles.ingest, 'sqs:SendMessage')).toEqual([]);
  });

  it('consumes the ingest queue and reads/writes the table', () => {
    expect(statementsAllowing(roles.ingest, 'sqs:DeleteMessage').flatMap(resourcesOf)).toEqual([
      `<${ingestQueue}.Arn>`,
    ]);
    expect(statementsAllowing(roles.ingest, 'dynamodb:PutItem').flatMap(resourcesOf)).toEqual([
      `<${table}.Arn>`,
    ]);
    expect(statementsAllowing(roles.ingest, 'dynamodb:Query').flatMap(resourcesOf)).toContain(
      `<${table}.Arn>/index/byDate`,
    );
  });
});

describe('publish', () => {
  it('may invalidate this distribution only', () => {
    const invalidation = statementsAllowing(roles.publish, 'cloudfront:CreateInvalidation');
    expect(invalidation).toHaveLength(1);
    const arns = resourcesOf(invalidation[0]!);
    expect(arns).toHaveLength(1);
    expect(arns[0]).toMatch(
      new RegExp(`^arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distribution}>$`),
    );
  });

  it('reads the invalidations of this distribution only (the WebSub ping waits for them)', () => {
    const reads = statementsAllowing(roles.publish, 'cloudfront:GetInvalidation');
    expect(reads).toHaveLength(1);
    // CDK merges it with the CreateInvalidation grant on the same resource: nothing else rides along.
    expect(actionsOf(reads[0]!).sort()).toEqual([
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
    ]);
    expect(resourcesOf(reads[0]!)).toEqual([
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distribution}>`,
    ]);
  });

  it('reads, writes and deletes site objects, and only reads (and lists, under articles/) article objects', () => {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(statementsAllowing(roles.publish, action).flatMap(resourcesOf)).toContain(`<${site}.Arn>/*`);
    }
    const articleGrants = roles.publish.filter((s) =>
      resourcesOf(s).some((arn) => arn.startsWith(`<${articles}.Arn>`)),
    );
    expect(articleGrants.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const read = articleGrants.find((s) => actionsOf(s).includes('s3:GetObject'))!;
    expect(resourcesOf(read)).toEqual([`<${articles}.Arn>/articles/*`]);
    // Listing tells a deleted article (404) from a denied read (403); only under the prefix.
    const list = articleGrants.find((s) => actionsOf(s).includes('s3:ListBucket'))!;
    expect(resourcesOf(list)).toEqual([`<${articles}.Arn>`]);
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['articles/', 'articles/*'] } });
  });

  it('reads the stream and writes its own bookkeeping to the table', () => {
    expect(statementsAllowing(roles.publish, 'dynamodb:GetRecords').flatMap(resourcesOf)).toEqual([
      `<${table}.StreamArn>`,
    ]);
    expect(statementsAllowing(roles.publish, 'dynamodb:PutItem').flatMap(resourcesOf)).toEqual([
      `<${table}.Arn>`,
    ]);
  });
});

describe('reconcile', () => {
  it('cannot read or write objects', () => {
    expect(statementsAllowing(roles.reconcile, 's3:PutObject')).toEqual([]);
    expect(statementsAllowing(roles.reconcile, 's3:GetObject')).toEqual([]);
    expect(statementsAllowing(roles.reconcile, 's3:DeleteObject')).toEqual([]);
  });

  it('lists the articles bucket only under the articles/ prefix', () => {
    const listing = statementsAllowing(roles.reconcile, 's3:ListBucket');
    expect(listing).toHaveLength(1);
    expect(resourcesOf(listing[0]!)).toEqual([`<${articles}.Arn>`]);
    expect(listing[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['articles/', 'articles/*'] } });
  });

  it('sends messages to the ingest queue and only reads the table', () => {
    expect(statementsAllowing(roles.reconcile, 'sqs:SendMessage').flatMap(resourcesOf)).toContain(
      `<${ingestQueue}.Arn>`,
    );
    expect(statementsAllowing(roles.reconcile, 'dynamodb:Query')).toHaveLength(1);
    for (const write of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ]) {
      expect(statementsAllowing(roles.reconcile, write)).toEqual([]);
    }
  });
});
