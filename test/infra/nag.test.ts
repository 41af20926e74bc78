import { type App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { synthesize, testApp } from './synth.js';

const FULL_OPTIONS = {
  siteUrl: 'https://news.example.org/',
  alarmEmail: 'ops@example.org',
  deployLocalArticles: true,
  customDomain: {
    domainName: 'news.example.org',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  },
};

interface Finding {
  rule: string;
  path: string;
  severity: string;
}

interface Acknowledgement {
  path: string;
  id: string;
  reason: unknown;
}

function findings(app: App): Finding[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks()];
  return packs.flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        rule: violation.ruleName,
        path: resource.constructPath ?? '',
        severity: violation.severity ?? '',
      })),
    ),
  );
}

/** The findings cdk-nag would report if nothing were acknowledged. */
function unacknowledgedFindings(app: App): Finding[] {
  const validations = Validations as unknown as { ACKNOWLEDGED_RULES_METADATA_KEY: string };
  const key = validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  validations.ACKNOWLEDGED_RULES_METADATA_KEY = 'test:acknowledgements-ignored';
  try {
    return findings(app);
  } finally {
    validations.ACKNOWLEDGED_RULES_METADATA_KEY = key;
  }
}

function acknowledgements(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const originalEnv = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
afterAll(() => {
  for (const [name, value] of [
    ['CDK_DEFAULT_ACCOUNT', originalEnv.account],
    ['CDK_DEFAULT_REGION', originalEnv.region],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function synthesizeIn(env: { account?: string; region?: string }, newsfeed: Record<string, unknown>): App {
  for (const [name, value] of [
    ['CDK_DEFAULT_ACCOUNT', env.account],
    ['CDK_DEFAULT_REGION', env.region],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return synthesize(newsfeed).app;
}

const EMAIL_OPTIONS = {
  domain: 'news.example.org',
  hostedZoneId: 'Z0123456789ABC',
  hostedZoneName: 'example.org',
  sendConcurrency: 1,
};

// Concrete account and region turn pseudo parameters in finding ids into literals: both shapes are checked.
const configurations: [string, App][] = [
  ['defaults, environment-agnostic', synthesizeIn({}, {})],
  [
    'every option, concrete environment',
    synthesizeIn({ account: '123456789012', region: 'eu-west-1' }, FULL_OPTIONS),
  ],
  ['email with defaults, environment-agnostic', synthesizeIn({}, { email: { domain: 'example.com' } })],
  [
    'every option and every email option, concrete environment',
    synthesizeIn({ account: '123456789012', region: 'eu-west-1' }, { ...FULL_OPTIONS, email: EMAIL_OPTIONS }),
  ],
  [
    'certificate made in the zone, WAF, email, destroy on teardown',
    synthesizeIn(
      { account: '123456789012', region: 'eu-west-1' },
      {
        customDomain: {
          domainName: 'news.example.org',
          hostedZoneId: 'Z0123456789ABC',
          hostedZoneName: 'example.org',
        },
        waf: true,
        removalPolicy: 'destroy',
        email: { ...EMAIL_OPTIONS, dmarc: { policy: 'reject', rua: 'dmarc@example.org' } },
      },
    ),
  ],
];

describe.each(configurations)('cdk-nag AwsSolutions + Serverless (%s)', (_, app) => {
  const acks = acknowledgements(app);

  it('reports no unacknowledged finding, error or warning', () => {
    expect(findings(app)).toEqual([]);
  });

  it('gives every acknowledgement a reason of at least a sentence', () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(typeof ack.reason, `${ack.id} at ${ack.path}`).toBe('string');
      expect((ack.reason as string).trim().length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges only findings that really occur, on the construct (or below) where they occur', () => {
    const raw = unacknowledgedFindings(app);
    expect(raw.length).toBeGreaterThan(0);
    const stale = acks.filter(
      (ack) =>
        !raw.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale).toEqual([]);
  });

  it('acknowledges nothing at the app or stack level', () => {
    expect(acks.filter((ack) => ack.path.split('/').length < 2)).toEqual([]);
  });
});

describe('the app as cdk synth builds it', () => {
  it('is clean under both rule packs, so synthesis gets to the template', () => {
    const { stack } = buildApp(testApp());
    expect(
      Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function')).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('is clean under both rule packs with email, so synthesis gets to the template', () => {
    const { stack } = buildApp(testApp({ email: { domain: 'example.com' } }));
    expect(Template.fromStack(stack).findResources('AWS::SES::EmailIdentity')).not.toEqual({});
  });

  it('fails synthesis on a finding, naming the rule', () => {
    const { stack } = buildApp(testApp());
    // A bucket with none of the project's defaults: no TLS-only policy, no access logs.
    new Bucket(stack, 'Careless');
    expect(() => Template.fromStack(stack)).toThrow(/Newsfeed\/Careless[\s\S]*AwsSolutions-S10/);
  });
});
