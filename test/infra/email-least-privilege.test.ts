/**
 * The email functions' roles grant what the contract lists and nothing more: table, secret, SES,
 * queue, bucket and distribution access per function, checked on the synthesized policies.
 */
import { describe, expect, it } from 'vitest';
import { synthesize } from './synth.js';
import {
  actionsOf,
  allowedActions,
  logicalIdOf,
  type PolicyStatementJson,
  props,
  resources,
  resourcesOf,
  roleStatements,
  statementsAllowing,
} from './template-queries.js';

const { stack, template } = synthesize({ email: { domain: 'example.com' } });
const { subscriptions, delivery } = stack.email!;
const id = (construct: { node: { defaultChild?: unknown } }) => logicalIdOf(stack, construct);

const emailTable = id(subscriptions.table);
const storyTable = id(stack.table);
const secret = id(subscriptions.keyring.secret);
const idKey = id(subscriptions.idKey.secret);
const originSecret = id(subscriptions.originSecret.secret);
const identity = id(delivery.sending.identity);
const configurationSet = id(delivery.sending.configurationSet);
const subscribeQueue = id(subscriptions.api.queue);
const outbox = id(delivery.sender.outbox);
const site = id(stack.site.bucket);
const articles = id(stack.articlesBucket);
const distribution = id(stack.site.distribution);

const functionIds = {
  'subscribe-api': id(subscriptions.api.function),
  'confirm-mailer': id(delivery.confirmations.function),
  bounces: id(delivery.bounces.function),
  edition: id(delivery.editions.function),
  sender: id(delivery.sender.function),
};
type Name = keyof typeof functionIds;
const roles = Object.fromEntries(
  Object.entries(functionIds).map(([name, fn]) => [name, roleStatements(template, fn)]),
) as Record<Name, PolicyStatementJson[]>;
const others = {
  ingest: roleStatements(template, id(stack.intake.function)),
  publish: roleStatements(template, id(stack.publisher.function)),
  reconcile: roleStatements(template, id(stack.reconciler.function)),
};
const everyRole = { ...roles, ...others };

/** Actions that AWS offers no resource-level permission for, so `Resource: "*"` is the only option. */
const RESOURCELESS_ACTIONS = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'ses:GetAccount']);

const EMAIL_TABLE_ARNS = [`<${emailTable}.Arn>`, `<${emailTable}.Arn>/index/byConfirmed`];
const ITEM_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const arns = (statements: PolicyStatementJson[], action: string) =>
  [...new Set(statementsAllowing(statements, action).flatMap(resourcesOf))].sort();

describe.each(Object.keys(functionIds) as Name[])('%s role', (name) => {
  const statements = roles[name];

  it('uses no AWS managed policy and names every action exactly', () => {
    const role = (props(template, functionIds[name]).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(props(template, role).ManagedPolicyArns).toBeUndefined();
    expect(allowedActions(statements).length).toBeGreaterThan(3);
    expect(allowedActions(statements).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('grants `Resource: *` only for actions that have no resource-level permissions', () => {
    const starActions = statements.filter((s) => resourcesOf(s).includes('*')).flatMap(actionsOf);
    expect(starActions.filter((action) => !RESOURCELESS_ACTIONS.has(action))).toEqual([]);
  });

  it('writes only the email table itself, never an index, never the story table (edition: see below)', () => {
    for (const write of ITEM_WRITES) {
      const targets = arns(statements, write);
      if (name === 'edition' && write === 'dynamodb:UpdateItem') {
        expect(targets).toEqual([`<${emailTable}.Arn>`, `<${storyTable}.Arn>`].sort());
      } else {
        expect(targets).toEqual([`<${emailTable}.Arn>`]);
      }
    }
  });

  it('reads the email table and its byConfirmed index only by name', () => {
    expect(arns(statements, 'dynamodb:Query').filter((arn) => arn.startsWith(`<${emailTable}`))).toEqual(
      EMAIL_TABLE_ARNS,
    );
    expect(arns(statements, 'dynamodb:Scan')).toEqual(EMAIL_TABLE_ARNS);
  });

  it('touches no SES action outside what the contract grants it', () => {
    const ses = allowedActions(statements).filter((action) => action.startsWith('ses:'));
    if (name === 'confirm-mailer' || name === 'sender') {
      expect(ses.sort()).toEqual(['ses:GetAccount', 'ses:SendEmail', 'ses:SendRawEmail']);
    } else {
      expect(ses).toEqual([]);
    }
  });

  it('reads the keyring only where tokens are signed or checked, the id key where addresses become ids, the origin secret in the API', () => {
    const expected: Record<Name, string[]> = {
      'subscribe-api': [`<${secret}>`, `<${originSecret}>`],
      'confirm-mailer': [`<${secret}>`, `<${idKey}>`],
      bounces: [`<${idKey}>`],
      edition: [],
      sender: [`<${secret}>`],
    };
    expect(arns(statements, 'secretsmanager:GetSecretValue')).toEqual(expected[name].sort());
    for (const write of ['PutSecretValue', 'UpdateSecret', 'RotateSecret', 'DeleteSecret']) {
      expect(statementsAllowing(statements, `secretsmanager:${write}`), write).toEqual([]);
    }
  });
});

describe('mail senders (confirm-mailer, sender)', () => {
  it.each(['confirm-mailer', 'sender'] as const)(
    '%s sends only as the domain identity, through the configuration set',
    (name) => {
      for (const action of ['ses:SendEmail', 'ses:SendRawEmail']) {
        const targets = arns(roles[name], action);
        expect(targets).toHaveLength(2);
        expect(targets.find((arn) => arn.includes(':identity/'))).toMatch(
          new RegExp(`^arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${identity}>$`),
        );
        expect(targets.find((arn) => arn.includes(':configuration-set/'))).toMatch(
          new RegExp(
            `^arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSet}>$`,
          ),
        );
      }
      expect(arns(roles[name], 'ses:GetAccount')).toEqual(['*']);
    },
  );

  it('no other function in the stack can send mail', () => {
    for (const [name, statements] of Object.entries(everyRole)) {
      if (name === 'confirm-mailer' || name === 'sender') continue;
      expect(statementsAllowing(statements, 'ses:SendEmail'), name).toEqual([]);
      expect(statementsAllowing(statements, 'ses:SendRawEmail'), name).toEqual([]);
    }
  });
});

describe('subscribe-api', () => {
  it('reads the origin secret with GetSecretValue and DescribeSecret only; no other role reads it', () => {
    const onOrigin = roles['subscribe-api'].filter((s) => resourcesOf(s).includes(`<${originSecret}>`));
    // CDK merges it into one statement with the keyring, which the same two actions are granted on.
    expect(
      onOrigin.flatMap(resourcesOf).every((arn) => arn === `<${originSecret}>` || arn === `<${secret}>`),
    ).toBe(true);
    expect([...new Set(onOrigin.flatMap(actionsOf))].sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    for (const [name, statements] of Object.entries(everyRole)) {
      if (name === 'subscribe-api') continue;
      expect(
        statements.flatMap(resourcesOf).filter((arn) => arn.includes(originSecret)),
        name,
      ).toEqual([]);
    }
  });

  it('sends only to the subscribe queue and touches no bucket', () => {
    expect(arns(roles['subscribe-api'], 'sqs:SendMessage')).toEqual([`<${subscribeQueue}.Arn>`]);
    expect(allowedActions(roles['subscribe-api']).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });
});

describe('bounces', () => {
  it('cannot send mail, read the keyring, queue messages (but its failures), or touch a bucket', () => {
    const actions = allowedActions(roles.bounces);
    expect(actions.filter((a) => /^(ses|s3|cloudfront):/.test(a))).toEqual([]);
    const secrets = roles.bounces
      .filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('secretsmanager:')))
      .flatMap(resourcesOf);
    expect([...new Set(secrets)]).toEqual([`<${idKey}>`]);
    expect(arns(roles.bounces, 'sqs:SendMessage')).toEqual([`<${id(delivery.bounces.failures.queue)}.Arn>`]);
  });
});

describe('edition', () => {
  const statements = roles.edition;

  it('reads stories only through byCreated (Query) and GetItem, never the whole table', () => {
    expect(arns(statements, 'dynamodb:Query').filter((arn) => arn.startsWith(`<${storyTable}`))).toEqual([
      `<${storyTable}.Arn>/index/byCreated`,
    ]);
    expect(arns(statements, 'dynamodb:GetItem').filter((arn) => arn.startsWith(`<${storyTable}`))).toEqual([
      `<${storyTable}.Arn>`,
    ]);
    expect(arns(statements, 'dynamodb:Scan').filter((arn) => arn.startsWith(`<${storyTable}`))).toEqual([]);
  });

  it('updates only the dirty marks and story items of the story table, to wake the publisher', () => {
    const updates = statementsAllowing(statements, 'dynamodb:UpdateItem').filter((s) =>
      resourcesOf(s).includes(`<${storyTable}.Arn>`),
    );
    expect(updates).toHaveLength(1);
    expect(actionsOf(updates[0]!)).toEqual(['dynamodb:UpdateItem']);
    expect(updates[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIRTY', 'STORY#*'] },
    });
  });

  it('writes only the digests/ archive in the site bucket and reads only articles', () => {
    expect(arns(statements, 's3:PutObject')).toEqual([`<${site}.Arn>/digests/*`]);
    expect(arns(statements, 's3:GetObject')).toEqual([`<${articles}.Arn>/articles/*`]);
    expect(statementsAllowing(statements, 's3:DeleteObject')).toEqual([]);
    expect(statementsAllowing(statements, 's3:ListBucket')).toEqual([]);
  });

  it('queues recipients on the outbox only, and invalidates this distribution only', () => {
    expect(arns(statements, 'sqs:SendMessage')).toEqual(
      [`<${outbox}.Arn>`, `<${id(delivery.editions.failures.queue)}.Arn>`].sort(),
    );
    expect(arns(statements, 'cloudfront:CreateInvalidation')).toEqual([
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distribution}>`,
    ]);
  });
});

describe('the rest of the stack', () => {
  it('publish reads only the edition records of the email table (LeadingKeys), no index, and never writes it', () => {
    const onEmailTable = others.publish.filter((s) =>
      resourcesOf(s).some((arn) => arn.startsWith(`<${emailTable}`)),
    );
    expect(onEmailTable).toHaveLength(1);
    const grant = onEmailTable[0]!;
    expect(actionsOf(grant).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(resourcesOf(grant)).toEqual([`<${emailTable}.Arn>`]);
    expect(grant.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['EDITION'] },
    });
    for (const write of ITEM_WRITES) {
      expect(arns(others.publish, write).filter((arn) => arn.startsWith(`<${emailTable}`))).toEqual([]);
    }
  });

  it('ingest and reconcile cannot reach the email table, the keyring or the id key', () => {
    for (const statements of [others.ingest, others.reconcile]) {
      const reached = statements
        .flatMap(resourcesOf)
        .filter((arn) => arn.includes(emailTable) || arn.includes(secret) || arn.includes(idKey));
      expect(reached).toEqual([]);
    }
  });

  it('the scheduler role may invoke the edition function and fill its failure queue, nothing else', () => {
    const statements = roleStatementsOfRole(id(delivery.editions.role));
    expect(allowedActions(statements).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(arns(statements, 'lambda:InvokeFunction')).toEqual(
      [`<${functionIds.edition}.Arn>`, `<${functionIds.edition}.Arn>:*`].sort(),
    );
    expect(arns(statements, 'sqs:SendMessage')).toEqual([`<${id(delivery.editions.failures.queue)}.Arn>`]);
  });
});

/** The statements of the AWS::IAM::Policy resources attached to a role. */
function roleStatementsOfRole(roleId: string): PolicyStatementJson[] {
  return Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) => ((policy.Properties.Roles ?? []) as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
    );
}
