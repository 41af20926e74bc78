/**
 * The email side of the stack (`newsfeed.email`), as targeted template assertions: the email table,
 * the token keyring, SES, the subscribe API behind CloudFront, the queues and their consumers, the
 * edition schedule and the reputation alarms; and, without the block, none of it.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseKeyringJson } from '../../functions/core/email/keyring-json.js';
import { parseOriginSecretJson } from '../../functions/core/email/origin-check.js';
import { parseSubscriberIdKey } from '../../functions/core/email/subscriber-id.js';
import { SITE_URL_FROM_REQUEST } from '../../infra/newsfeed-stack.js';
import { synthesize } from './synth.js';
import {
  type CfnResourceJson,
  flatten,
  logicalIdOf,
  props,
  resource,
  resources,
} from './template-queries.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
/** The managed CachingDisabled policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

const plain = synthesize();
const defaults = synthesize({ email: { domain: 'example.com' } });
const full = synthesize({
  siteUrl: 'https://news.example.org/',
  customDomain: { domainName: 'news.example.org', certificateArn: CERTIFICATE },
  email: {
    domain: 'news.example.org',
    fromName: 'The Desk',
    hostedZoneId: 'Z0123456789ABC',
    hostedZoneName: 'example.org',
    schedule: 'cron(30 6 ? * MON-FRI *)',
    scheduleTimezone: 'Europe/Berlin',
    maxStories: 12,
    confirmationsPerAddressPerDay: 5,
    subscribesPerSourcePerHour: 40,
    sendConcurrency: 1,
    listId: 'morning',
    originHeaderVersion: 2,
  },
});

function idsOf(stack: Synthesized['stack']) {
  const email = stack.email;
  if (!email) throw new Error('no email resources');
  const { subscriptions, delivery } = email;
  return {
    table: logicalIdOf(stack, subscriptions.table),
    secret: logicalIdOf(stack, subscriptions.keyring.secret),
    idKey: logicalIdOf(stack, subscriptions.idKey.secret),
    originSecret: logicalIdOf(stack, subscriptions.originSecret.secret),
    api: logicalIdOf(stack, subscriptions.api.function),
    url: logicalIdOf(stack, subscriptions.api.url),
    subscribeQueue: logicalIdOf(stack, subscriptions.api.queue),
    subscribeDlq: logicalIdOf(stack, subscriptions.api.deadLetters.queue),
    confirm: logicalIdOf(stack, delivery.confirmations.function),
    bounces: logicalIdOf(stack, delivery.bounces.function),
    bounceTopic: logicalIdOf(stack, delivery.bounces.topic),
    bounceKey: logicalIdOf(stack, delivery.bounces.key),
    bounceFailures: logicalIdOf(stack, delivery.bounces.failures.queue),
    identity: logicalIdOf(stack, delivery.sending.identity),
    configurationSet: logicalIdOf(stack, delivery.sending.configurationSet),
    sender: logicalIdOf(stack, delivery.sender.function),
    outbox: logicalIdOf(stack, delivery.sender.outbox),
    outboxDlq: logicalIdOf(stack, delivery.sender.deadLetters.queue),
    edition: logicalIdOf(stack, delivery.editions.function),
    schedule: logicalIdOf(stack, delivery.editions.schedule),
    schedulerRole: logicalIdOf(stack, delivery.editions.role),
    editionFailures: logicalIdOf(stack, delivery.editions.failures.queue),
    storyTable: logicalIdOf(stack, stack.table),
    site: logicalIdOf(stack, stack.site.bucket),
    articles: logicalIdOf(stack, stack.articlesBucket),
    distribution: logicalIdOf(stack, stack.site.distribution),
    publish: logicalIdOf(stack, stack.publisher.function),
  };
}
type Synthesized = ReturnType<typeof synthesize>;

const ids = idsOf(defaults.stack);
const fullIds = idsOf(full.stack);
const { template } = defaults;

/** Variables the project sets on every function (`ProjectFunction`). */
const COMMON_ENV = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL'];

function envOf(t: Synthesized['template'], logicalId: string): Record<string, unknown> {
  return (props(t, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
}

function ownEnvKeys(t: Synthesized['template'], logicalId: string): string[] {
  return Object.keys(envOf(t, logicalId))
    .filter((key) => !COMMON_ENV.includes(key))
    .sort();
}

function mappingOf(t: Synthesized['template'], functionId: string): Record<string, unknown> {
  const found = Object.values(resources(t, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => (mapping.Properties.FunctionName as { Ref: string }).Ref === functionId,
  );
  expect(found).toHaveLength(1);
  return found[0]?.Properties ?? {};
}

function alarmTopicId(t: Synthesized['template'], stack: Stack): string {
  const topic = Object.keys(resources(t, 'AWS::SNS::Topic')).find(
    (id) =>
      id !==
      logicalIdOf(stack, (stack as Synthesized['stack']).email?.delivery.bounces.topic ?? { node: {} }),
  );
  return topic ?? '';
}

function queueAlarm(t: Synthesized['template'], queueId: string): CfnResourceJson | undefined {
  return Object.values(resources(t, 'AWS::CloudWatch::Alarm')).find((alarm) =>
    ((alarm.Properties.Dimensions ?? []) as { Value: unknown }[]).some(
      (d) => JSON.stringify(d.Value) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
    ),
  );
}

describe('the site URL and the subscribe API', () => {
  it('cannot go to the API as a deploy-time value: CloudFormation would see a dependency cycle', () => {
    // What the API would get if it were handed the CloudFront domain like the other functions.
    const json = structuredClone(template.toJSON()) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    const api = json.Resources[ids.api]?.Properties.Environment as { Variables: Record<string, unknown> };
    api.Variables.SITE_CONFIG = { 'Fn::GetAtt': [ids.distribution, 'DomainName'] };
    // Template (like CloudFormation) rejects a cycle; `synthesize` builds every template through it.
    expect(() => Template.fromJSON(json)).toThrow(
      new RegExp(`dependency cycle: .*${ids.api}.*${ids.distribution}`),
    );
  });
});

describe('without newsfeed.email', () => {
  const t = plain.template;

  it('creates none of the email resources', () => {
    for (const type of [
      'AWS::SES::EmailIdentity',
      'AWS::SES::ConfigurationSet',
      'AWS::SES::ConfigurationSetEventDestination',
      'AWS::Scheduler::Schedule',
      'AWS::Lambda::Url',
      'AWS::SecretsManager::Secret',
      'AWS::KMS::Key',
      'AWS::CloudFront::Function',
      'AWS::CloudFront::OriginRequestPolicy',
      'AWS::Route53::RecordSet',
    ]) {
      t.resourceCountIs(type, 0);
    }
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
    t.resourceCountIs('AWS::Lambda::Function', 4);
    expect(plain.stack.email).toBeUndefined();
  });

  it('renders no subscribe form and gives the publisher no email table', () => {
    const env = envOf(t, logicalIdOf(plain.stack, plain.stack.publisher.function));
    expect(env.EMAIL_TABLE).toBeUndefined();
    expect(JSON.parse(flatten(env.SITE_CONFIG)).subscribeUrl).toBeUndefined();
  });

  it('routes nothing but the bucket through CloudFront, and outputs nothing about email', () => {
    const config = props(t, logicalIdOf(plain.stack, plain.stack.site.distribution))
      .DistributionConfig as Record<string, unknown>;
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.Origins).toHaveLength(1);
    const outputs = Object.keys(t.toJSON().Outputs as Record<string, unknown>);
    expect(outputs.filter((name) => /Subscribe|Email|Keyring/.test(name))).toEqual([]);
  });
});

describe('email table', () => {
  it('is keyed pk/sk, on demand, point-in-time recoverable, encrypted, kept and deletion-protected', () => {
    expect(props(template, ids.table)).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(resource(template, ids.table).DeletionPolicy).toBe('Retain');
    expect(resource(template, ids.table).UpdateReplacePolicy).toBe('Retain');
  });

  it('expires rate counters through the expiresAt TTL attribute and has no stream', () => {
    expect(props(template, ids.table).TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(props(template, ids.table).StreamSpecification).toBeUndefined();
  });

  it('has the byConfirmed index on gsi1pk/gsi1sk projecting all attributes, named as the emulator names it', () => {
    expect(props(template, ids.table).GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byConfirmed',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });
});

describe('token keyring', () => {
  const secret = props(template, ids.secret);
  const generate = secret.GenerateSecretString as Record<string, unknown>;

  it('is generated by Secrets Manager at deploy time: 64 letters and digits under k1, current 1', () => {
    expect(generate).toEqual({
      SecretStringTemplate: '{"current":1}',
      GenerateStringKey: 'k1',
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.SecretString).toBeUndefined();
    expect(resource(template, ids.secret).DeletionPolicy).toBe('Retain');
  });

  it('produces a secret the functions parse as a keyring with key version 1 current', () => {
    // What Secrets Manager stores: the template with the generated string added under the key.
    const stored = JSON.stringify({
      ...JSON.parse(generate.SecretStringTemplate as string),
      [generate.GenerateStringKey as string]: 'a1'.repeat(32),
    });
    const ring = parseKeyringJson(stored, 'generated secret');
    expect(ring.current.version).toBe(1);
    expect(ring.current.secret.byteLength).toBe(64);
    expect(ring.previous).toEqual([]);
  });
});

describe('subscriber id key', () => {
  const secret = props(template, ids.idKey);

  it('is a plain string of 64 letters and digits generated at deploy time, apart from the keyring, and kept', () => {
    expect(secret.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.SecretString).toBeUndefined();
    expect(ids.idKey).not.toBe(ids.secret);
    expect(resource(template, ids.idKey).DeletionPolicy).toBe('Retain');
    expect(resource(template, ids.idKey).UpdateReplacePolicy).toBe('Retain');
  });

  it('has no rotation schedule: rotating it would change every subscriber id', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(parseSubscriberIdKey('A1'.repeat(32), 'generated secret').byteLength).toBe(64);
  });
});

describe('SES', () => {
  it('verifies the domain with Easy DKIM and a MAIL FROM subdomain, defaulting to the configuration set', () => {
    expect(props(template, ids.identity)).toEqual({
      EmailIdentity: 'example.com',
      MailFromAttributes: { MailFromDomain: 'mail.example.com' },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: ids.configurationSet } },
    });
  });

  it('sends through a configuration set with reputation metrics and bounce and complaint suppression', () => {
    expect(props(template, ids.configurationSet)).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('publishes bounce and complaint events, and only those, to the encrypted topic', () => {
    const destinations = Object.values(resources(template, 'AWS::SES::ConfigurationSetEventDestination'));
    expect(destinations.map((d) => d.Properties)).toEqual([
      {
        ConfigurationSetName: { Ref: ids.configurationSet },
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: { Ref: ids.bounceTopic } },
        },
      },
    ]);
    expect(props(template, ids.bounceTopic).KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [ids.bounceKey, 'Arn'],
    });
    expect(props(template, ids.bounceKey).EnableKeyRotation).toBe(true);
  });

  it('lets SES use the key and publish to the topic, the latter for this configuration set only', () => {
    const keyStatements = (
      props(template, ids.bounceKey).KeyPolicy as { Statement: Record<string, unknown>[] }
    ).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'ses.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    const topicPolicy = Object.values(resources(template, 'AWS::SNS::TopicPolicy')).find((p) =>
      (p.Properties.Topics as { Ref: string }[]).some((topic) => topic.Ref === ids.bounceTopic),
    );
    const statements = (topicPolicy!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const sesPublish = statements.find(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }),
    );
    expect(sesPublish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
    const condition = sesPublish?.Condition as { StringEquals: Record<string, unknown> };
    expect(flatten(condition.StringEquals['AWS:SourceArn'])).toMatch(
      new RegExp(`:configuration-set/<${ids.configurationSet}>$`),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lists the DNS records to create when no hosted zone is configured', () => {
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const output = (template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>)
      .EmailDnsRecords;
    const records = flatten(output?.Value).split(' ; ');
    expect(records).toHaveLength(6);
    for (const n of [1, 2, 3]) {
      expect(records[n - 1]).toBe(
        `<${ids.identity}.DkimDNSTokenName${n}> CNAME <${ids.identity}.DkimDNSTokenValue${n}>`,
      );
    }
    expect(records[3]).toBe('mail.example.com MX 10 feedback-smtp.<AWS::Region>.amazonses.com');
    expect(records[4]).toBe('mail.example.com TXT "v=spf1 include:amazonses.com ~all"');
    expect(records[5]).toBe('_dmarc.example.com TXT "v=DMARC1; p=none"');
    expect(output?.Description).toMatch(/^Create these/);
  });

  it('creates the DKIM, MAIL FROM and DMARC records in the hosted zone when one is configured', () => {
    const records = Object.values(resources(full.template, 'AWS::Route53::RecordSet')).map(
      (r) => r.Properties,
    );
    expect(records).toHaveLength(6);
    for (const record of records) expect(record.HostedZoneId).toBe('Z0123456789ABC');
    expect(records.filter((r) => r.Type === 'CNAME').map((r) => flatten(r.Name))).toEqual(
      [1, 2, 3].map((n) => `<${fullIds.identity}.DkimDNSTokenName${n}>`),
    );
    expect(
      records
        .filter((r) => r.Type !== 'CNAME')
        .map((r) => `${r.Name} ${r.Type} ${flatten(r.ResourceRecords)}`),
    ).toEqual([
      'mail.news.example.org. MX 10 feedback-smtp.<AWS::Region>.amazonses.com',
      'mail.news.example.org. TXT "v=spf1 include:amazonses.com ~all"',
      '_dmarc.news.example.org. TXT "v=DMARC1; p=none"',
    ]);
    expect(props(full.template, fullIds.identity).EmailIdentity).toBe('news.example.org');
  });
});

describe('bounce handling', () => {
  it('subscribes the bounce function to the topic, with a dead-letter queue', () => {
    const subscriptions = Object.values(resources(template, 'AWS::SNS::Subscription')).map(
      (s) => s.Properties,
    );
    expect(subscriptions).toEqual([
      {
        Protocol: 'lambda',
        TopicArn: { Ref: ids.bounceTopic },
        Endpoint: { 'Fn::GetAtt': [ids.bounces, 'Arn'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.bounceFailures, 'Arn'] } },
      },
    ]);
  });

  it('sends failed invocations to the same failure queue, which alarms', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.bounces },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.bounceFailures, 'Arn'] } } },
    });
    expect(queueAlarm(template, ids.bounceFailures)?.Properties.AlarmActions).toEqual([
      { Ref: alarmTopicId(template, defaults.stack) },
    ]);
  });
});

describe('subscribe API', () => {
  it('is a function URL without IAM auth (the form and one-click POSTs carry no credentials)', () => {
    expect(props(template, ids.url)).toEqual({
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [ids.api, 'Arn'] },
    });
    const permissions = Object.values(resources(template, 'AWS::Lambda::Permission'))
      .map((p) => p.Properties)
      .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [ids.api, 'Arn'] }));
    expect(permissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'lambda:InvokeFunctionUrl',
          Principal: '*',
          FunctionUrlAuthType: 'NONE',
        }),
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Principal: '*',
          InvokedViaFunctionUrl: true,
        }),
      ]),
    );
    expect(permissions).toHaveLength(2);
  });

  const distribution = props(template, ids.distribution).DistributionConfig as Record<string, unknown>;
  const behaviors = distribution.CacheBehaviors as Record<string, unknown>[];
  const api = behaviors?.[0] ?? {};

  it('is served by the site distribution at /api/*, from the function URL over HTTPS', () => {
    expect(behaviors).toHaveLength(1);
    expect(api.PathPattern).toBe('/api/*');
    const origin = (distribution.Origins as Record<string, unknown>[]).find(
      (o) => o.Id === api.TargetOriginId,
    );
    expect(origin?.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [ids.url, 'FunctionUrl'] }] }],
    });
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    // The static site keeps its own behavior.
    expect((distribution.DefaultCacheBehavior as Record<string, unknown>).AllowedMethods).toEqual([
      'GET',
      'HEAD',
    ]);
  });

  it('never caches, accepts POST, and refuses plain HTTP instead of redirecting (a redirect drops the body)', () => {
    expect(api.CachePolicyId).toBe(CACHING_DISABLED);
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST']));
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(api.ResponseHeadersPolicyId).toEqual(
      (distribution.DefaultCacheBehavior as Record<string, unknown>).ResponseHeadersPolicyId,
    );
  });

  it('forwards the query string and the viewer address, never Host or cookies', () => {
    const policy = props(template, (api.OriginRequestPolicyId as { Ref: string }).Ref)
      .OriginRequestPolicyConfig as Record<string, unknown>;
    expect(policy.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(policy.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    const headers = policy.HeadersConfig as { HeaderBehavior: string; Headers: string[] };
    expect(headers.HeaderBehavior).toBe('whitelist');
    expect(headers.Headers).toEqual(expect.arrayContaining(['CloudFront-Viewer-Address', 'Content-Type']));
    expect(headers.Headers.map((h) => h.toLowerCase())).not.toContain('host');
  });

  it('adds the secret origin header to every request it sends the API, as a reference to the secret, never the value', () => {
    const origins = distribution.Origins as Record<string, unknown>[];
    const apiOrigin = origins.find((o) => o.Id === api.TargetOriginId);
    const headers = apiOrigin?.OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    expect(headers.map((h) => h.HeaderName)).toEqual(['X-Origin-Verify']);
    expect(flatten(headers[0]!.HeaderValue)).toBe(
      `{{resolve:secretsmanager:<${ids.originSecret}>:SecretString:h1::}}`,
    );
    // The site bucket's origin gets no such header.
    for (const origin of origins.filter((o) => o.Id !== api.TargetOriginId)) {
      expect(origin.OriginCustomHeaders).toBeUndefined();
    }
    // A deployment that rotated to the second value names it (CloudFormation resolves it anew).
    const fullDistribution = props(full.template, fullIds.distribution).DistributionConfig as Record<
      string,
      unknown
    >;
    const fullApi = (fullDistribution.CacheBehaviors as Record<string, unknown>[])[0]!;
    const fullOrigin = (fullDistribution.Origins as Record<string, unknown>[]).find(
      (o) => o.Id === fullApi.TargetOriginId,
    );
    const fullHeaders = (fullOrigin?.OriginCustomHeaders ?? []) as { HeaderValue: unknown }[];
    expect(fullHeaders).toHaveLength(1);
    expect(flatten(fullHeaders[0]!.HeaderValue)).toBe(
      `{{resolve:secretsmanager:<${fullIds.originSecret}>:SecretString:h2::}}`,
    );
    // Viewers cannot supply it: it is not among the headers passed on from the viewer request.
    const policy = props(template, (api.OriginRequestPolicyId as { Ref: string }).Ref)
      .OriginRequestPolicyConfig as { HeadersConfig: { Headers: string[] } };
    expect(policy.HeadersConfig.Headers.map((h) => h.toLowerCase())).not.toContain('x-origin-verify');
  });

  it('keeps the header value in a secret generated at deploy time, {"h1": 64 letters and digits}, that the API parses', () => {
    const secret = props(template, ids.originSecret);
    const generate = secret.GenerateSecretString as Record<string, unknown>;
    expect(generate).toEqual({
      SecretStringTemplate: '{}',
      GenerateStringKey: 'h1',
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.SecretString).toBeUndefined();
    expect(new Set([ids.originSecret, ids.secret, ids.idKey]).size).toBe(3);
    const stored = JSON.stringify({ [generate.GenerateStringKey as string]: 'Z9'.repeat(32) });
    expect(parseOriginSecretJson(stored, 'generated secret')).toEqual(['Z9'.repeat(32)]);
  });

  it('runs no CloudFront function on API requests', () => {
    expect(api.FunctionAssociations).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudFront::Function'))).toEqual([]);
  });

  it('gets the contract environment, and root-relative site links when the site URL is only known at deploy time', () => {
    expect(ownEnvKeys(template, ids.api)).toEqual(
      [
        'EMAIL_TABLE',
        'SUBSCRIBE_QUEUE_URL',
        'TOKEN_SECRET_ARN',
        'ORIGIN_SECRET_ARN',
        'LIST_ID',
        'SITE_CONFIG',
        'SUBSCRIBES_PER_SOURCE_PER_HOUR',
        'SITE_LINKS',
      ].sort(),
    );
    const env = envOf(template, ids.api);
    expect(env).toMatchObject({
      EMAIL_TABLE: { Ref: ids.table },
      SUBSCRIBE_QUEUE_URL: { Ref: ids.subscribeQueue },
      TOKEN_SECRET_ARN: { Ref: ids.secret },
      ORIGIN_SECRET_ARN: { Ref: ids.originSecret },
      LIST_ID: 'digest',
      SUBSCRIBES_PER_SOURCE_PER_HOUR: '20',
      SITE_LINKS: 'root-relative',
    });
    // The distribution routes to this function, so its SITE_CONFIG cannot name the distribution.
    expect(flatten(env.SITE_CONFIG)).not.toContain(ids.distribution);
    expect(JSON.parse(flatten(env.SITE_CONFIG)).siteUrl).toBe(SITE_URL_FROM_REQUEST);
  });

  it('gets the configured site URL, and absolute links, when the site URL is known at synth time', () => {
    const env = envOf(full.template, fullIds.api);
    expect(env.SITE_LINKS).toBeUndefined();
    expect(JSON.parse(flatten(env.SITE_CONFIG))).toMatchObject({
      siteUrl: 'https://news.example.org/',
      subscribeUrl: 'https://news.example.org/api/subscribe',
    });
    expect(env).toMatchObject({ LIST_ID: 'morning', SUBSCRIBES_PER_SOURCE_PER_HOUR: '40' });
  });
});

describe('confirmation requests', () => {
  it('queue encrypted, redriven to an alarmed dead-letter queue after 5 receives', () => {
    expect(props(template, ids.subscribeQueue)).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.subscribeDlq, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(props(template, ids.subscribeDlq).MessageRetentionPeriod as number).toBeGreaterThan(
      props(template, ids.subscribeQueue).MessageRetentionPeriod as number,
    );
    expect(queueAlarm(template, ids.subscribeDlq)?.Properties).toMatchObject({ Threshold: 0 });
  });

  it('are consumed by the confirm mailer: partial batch failures, at most 2 at a time', () => {
    const mapping = mappingOf(template, ids.confirm);
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [ids.subscribeQueue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    const visibility = props(template, ids.subscribeQueue).VisibilityTimeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * (props(template, ids.confirm).Timeout as number));
  });

  it('the confirm mailer gets the contract environment', () => {
    expect(ownEnvKeys(template, ids.confirm)).toEqual(
      [
        'EMAIL_TABLE',
        'TOKEN_SECRET_ARN',
        'LIST_ID',
        'FROM_ADDRESS',
        'FROM_NAME',
        'CONFIGURATION_SET',
        'SITE_CONFIG',
        'TEMPLATES_DIR',
        'ID_KEY_SECRET_ARN',
        'CONFIRMATIONS_PER_ADDRESS_PER_DAY',
      ].sort(),
    );
    expect(envOf(template, ids.confirm)).toMatchObject({
      TOKEN_SECRET_ARN: { Ref: ids.secret },
      ID_KEY_SECRET_ARN: { Ref: ids.idKey },
      FROM_ADDRESS: 'news@example.com',
      FROM_NAME: 'News digest',
      CONFIGURATION_SET: { Ref: ids.configurationSet },
      TEMPLATES_DIR: '/var/task/templates',
      CONFIRMATIONS_PER_ADDRESS_PER_DAY: '3',
    });
    expect(JSON.parse(flatten(envOf(template, ids.confirm).SITE_CONFIG)).siteUrl).toBe(
      `https://<${ids.distribution}.DomainName>/`,
    );
    expect(envOf(full.template, fullIds.confirm)).toMatchObject({
      FROM_NAME: 'The Desk',
      FROM_ADDRESS: 'news@news.example.org',
      CONFIRMATIONS_PER_ADDRESS_PER_DAY: '5',
    });
  });
});

describe('edition schedule', () => {
  const schedule = props(template, ids.schedule);
  const target = schedule.Target as Record<string, unknown>;

  it('fires on the configured cron in the configured time zone, exactly on time', () => {
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    expect(props(full.template, fullIds.schedule)).toMatchObject({
      ScheduleExpression: 'cron(30 6 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('invokes the edition function with the scheduled time, retries, and keeps what never arrived', () => {
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [ids.edition, 'Arn'] });
    expect(JSON.parse(target.Input as string)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.editionFailures, 'Arn'] } });
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [ids.schedulerRole, 'Arn'] });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.edition },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.editionFailures, 'Arn'] } } },
    });
  });

  it('runs with a role only EventBridge Scheduler of this account may assume', () => {
    const trust = props(template, ids.schedulerRole).AssumeRolePolicyDocument as {
      Statement: Record<string, unknown>[];
    };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('the edition function gets the contract environment', () => {
    expect(ownEnvKeys(template, ids.edition)).toEqual(
      [
        'STORY_TABLE',
        'EMAIL_TABLE',
        'ARTICLES_BUCKET',
        'ARTICLES_PREFIX',
        'SITE_BUCKET',
        'DISTRIBUTION_ID',
        'OUTBOX_QUEUE_URL',
        'SITE_CONFIG',
        'TEMPLATES_DIR',
        'LIST_ID',
        'DIGEST_MAX_STORIES',
      ].sort(),
    );
    expect(envOf(template, ids.edition)).toMatchObject({
      STORY_TABLE: { Ref: ids.storyTable },
      EMAIL_TABLE: { Ref: ids.table },
      ARTICLES_BUCKET: { Ref: ids.articles },
      SITE_BUCKET: { Ref: ids.site },
      DISTRIBUTION_ID: { Ref: ids.distribution },
      OUTBOX_QUEUE_URL: { Ref: ids.outbox },
      DIGEST_MAX_STORIES: '10',
    });
    expect(envOf(full.template, fullIds.edition).DIGEST_MAX_STORIES).toBe('12');
  });
});

describe('outbox and sender', () => {
  it('the outbox is encrypted, redriven to an alarmed DLQ, and hides a chunk for 6 × the sender timeout', () => {
    expect(props(template, ids.outbox)).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.outboxDlq, 'Arn'] }, maxReceiveCount: 10 },
    });
    const visibility = props(template, ids.outbox).VisibilityTimeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * (props(template, ids.sender).Timeout as number));
    expect(queueAlarm(template, ids.outboxDlq)?.Properties).toMatchObject({ Threshold: 0 });
  });

  it('the sender takes one chunk per invocation, reports it alone, at most sendConcurrency at a time', () => {
    expect(mappingOf(template, ids.sender)).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [ids.outbox, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(props(template, ids.sender).ReservedConcurrentExecutions).toBeUndefined();
    expect(envOf(template, ids.sender).SEND_CONCURRENCY).toBe('2');
    const five = synthesize({ email: { domain: 'example.com', sendConcurrency: 5 } });
    const senderOfFive = logicalIdOf(five.stack, five.stack.email!.delivery.sender.function);
    expect(mappingOf(five.template, senderOfFive).ScalingConfig).toEqual({ MaximumConcurrency: 5 });
  });

  it('with sendConcurrency 1, reserves one execution (a mapping cannot go below 2)', () => {
    expect(props(full.template, fullIds.sender).ReservedConcurrentExecutions).toBe(1);
    expect(mappingOf(full.template, fullIds.sender).ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(envOf(full.template, fullIds.sender).SEND_CONCURRENCY).toBe('1');
  });

  it('the sender gets the contract environment', () => {
    expect(ownEnvKeys(template, ids.sender)).toEqual(
      [
        'EMAIL_TABLE',
        'TOKEN_SECRET_ARN',
        'LIST_ID',
        'FROM_ADDRESS',
        'FROM_NAME',
        'CONFIGURATION_SET',
        'SITE_CONFIG',
        'SEND_CONCURRENCY',
      ].sort(),
    );
    // List-Unsubscribe must be https: the sender's site URL is the real one.
    expect(JSON.parse(flatten(envOf(template, ids.sender).SITE_CONFIG)).siteUrl).toBe(
      `https://<${ids.distribution}.DomainName>/`,
    );
  });
});

describe('bounces function', () => {
  it('gets the email table and the subscriber id key only (events name addresses, profiles are keyed by id)', () => {
    expect(ownEnvKeys(template, ids.bounces)).toEqual(['EMAIL_TABLE', 'ID_KEY_SECRET_ARN']);
    expect(envOf(template, ids.bounces).ID_KEY_SECRET_ARN).toEqual({ Ref: ids.idKey });
  });
});

describe('publish with email', () => {
  it('knows the email table and renders the subscribe form pointing at the API', () => {
    const env = envOf(template, ids.publish);
    expect(env.EMAIL_TABLE).toEqual({ Ref: ids.table });
    expect(JSON.parse(flatten(env.SITE_CONFIG))).toMatchObject({
      subscribeUrl: `https://<${ids.distribution}.DomainName>/api/subscribe`,
      digest: { maxStories: 10 },
    });
  });
});

describe('alarms', () => {
  const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it.each([
    ['Reputation.BounceRate', 0.05],
    ['Reputation.ComplaintRate', 0.001],
  ])('alarm on the account SES %s above %d to the alarm topic', (metric, threshold) => {
    const alarm = alarms.find((a) => a.MetricName === metric);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicId(template, defaults.stack) }],
    });
    expect(alarm?.Dimensions).toBeUndefined();
  });

  it('every new queue that holds failures raises an alarm', () => {
    for (const queue of [ids.subscribeDlq, ids.outboxDlq, ids.bounceFailures, ids.editionFailures]) {
      expect(queueAlarm(template, queue)?.Properties.MetricName, queue).toBe(
        'ApproximateNumberOfMessagesVisible',
      );
    }
  });
});

describe('functions', () => {
  it('are the three project functions plus the five email functions, all Node.js 22 on arm64, traced', () => {
    const functions = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([, fn]) =>
      String(fn.Properties.Runtime).startsWith('nodejs'),
    );
    expect(functions.map(([id]) => id)).toEqual(
      expect.arrayContaining([ids.api, ids.confirm, ids.bounces, ids.edition, ids.sender]),
    );
    expect(functions).toHaveLength(8);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });
});

describe('outputs', () => {
  it('name the subscribe URL under the site, the email table and the keyring secret', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(flatten(outputs.SubscribeUrl?.Value)).toBe(
      `https://<${ids.distribution}.DomainName>/api/subscribe`,
    );
    expect(outputs.EmailTableName?.Value).toEqual({ Ref: ids.table });
    expect(outputs.TokenKeyringSecretArn?.Value).toEqual({ Ref: ids.secret });
    expect(outputs.SubscriberIdKeySecretArn?.Value).toEqual({ Ref: ids.idKey });
    expect(outputs.OriginSecretArn?.Value).toEqual({ Ref: ids.originSecret });
    const fullOutputs = full.template.toJSON().Outputs as Record<
      string,
      { Value: unknown; Description: string }
    >;
    expect(fullOutputs.SubscribeUrl?.Value).toBe('https://news.example.org/api/subscribe');
    expect(fullOutputs.EmailDnsRecords?.Description).toMatch(/created in the configured hosted zone/);
  });
});
