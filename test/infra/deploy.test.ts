/**
 * Deploying for real (issue 13): the us-east-1 edge stack (certificate, WAF), the alias records or
 * the CNAME to create, DMARC, and what `removalPolicy` makes `cdk destroy` keep.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, EDGE_STACK_NAME } from '../../infra/build-app.js';
import { DATA_RESOURCE_TYPES } from '../../infra/removal-policy.js';
import { testApp } from './synth.js';
import { type CfnResourceJson, resources } from './template-queries.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const ZONE = { hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.org' };

const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
afterAll(() => {
  for (const [name, value] of [
    ['CDK_DEFAULT_ACCOUNT', saved.account],
    ['CDK_DEFAULT_REGION', saved.region],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function build(newsfeed: Record<string, unknown>, region: string | null = 'eu-west-1') {
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  if (region === null) delete process.env.CDK_DEFAULT_REGION;
  else process.env.CDK_DEFAULT_REGION = region;
  const { stack, edge } = buildApp(testApp(newsfeed), { ruleChecks: false });
  return {
    stack,
    edge,
    template: Template.fromStack(stack as Stack),
    edgeTemplate: edge && Template.fromStack(edge),
  };
}

function distributionConfig(template: Template): Record<string, unknown> {
  const [distribution] = Object.values(resources(template, 'AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig as Record<string, unknown>;
}

function outputs(template: Template): Record<string, { Value: unknown; Description?: string }> {
  return template.toJSON().Outputs;
}

describe('a custom domain with its hosted zone, in one command', () => {
  const { stack, edge, template, edgeTemplate } = build({
    customDomain: { domainName: 'news.example.org', ...ZONE },
  });

  it('makes a DNS-validated certificate in a us-east-1 stack that deploys first', () => {
    expect(edge?.stackName).toBe(EDGE_STACK_NAME);
    expect(edge?.region).toBe('us-east-1');
    const certificates = Object.values(
      resources(edgeTemplate as Template, 'AWS::CertificateManager::Certificate'),
    );
    expect(certificates.map((c) => c.Properties)).toEqual([
      expect.objectContaining({
        DomainName: 'news.example.org',
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: 'news.example.org', HostedZoneId: 'Z0123456789ABC' }],
      }),
    ]);
    expect(stack.dependencies).toContain(edge);
    expect(resources(edgeTemplate as Template, 'AWS::WAFv2::WebACL')).toEqual({});
  });

  it('serves the domain with that certificate, read across regions', () => {
    const config = distributionConfig(template);
    expect(config.Aliases).toEqual(['news.example.org']);
    const certificate = (config.ViewerCertificate as Record<string, unknown>).AcmCertificateArn;
    expect(certificate).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: EDGE_STACK_NAME, Region: 'us-east-1' }),
    });
    expect(config.WebACLId).toBeUndefined();
  });

  it('points A and AAAA alias records at the distribution', () => {
    const records = Object.values(resources(template, 'AWS::Route53::RecordSet')).map((r) => r.Properties);
    expect(records.map((r) => r.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({
        Name: 'news.example.org.',
        HostedZoneId: 'Z0123456789ABC',
        AliasTarget: { HostedZoneId: expect.anything(), DNSName: expect.anything() },
      });
      expect(JSON.stringify(record.AliasTarget)).toContain('DomainName');
    }
    expect(outputs(template).SiteUrl?.Value).toBe('https://news.example.org/');
    expect(outputs(template).SiteDnsRecord?.Description).toMatch(/Created in the hosted zone example\.org/);
  });
});

describe('a custom domain with an existing certificate and no zone', () => {
  const { edge, template } = build({
    customDomain: { domainName: 'news.example.org', certificateArn: CERTIFICATE },
  });

  it('needs no edge stack and creates no record', () => {
    expect(edge).toBeUndefined();
    expect(resources(template, 'AWS::Route53::RecordSet')).toEqual({});
    expect(
      (distributionConfig(template).ViewerCertificate as Record<string, unknown>).AcmCertificateArn,
    ).toBe(CERTIFICATE);
  });

  it('says which CNAME to create, pointing at the distribution', () => {
    const record = outputs(template).SiteDnsRecord;
    expect(record?.Description).toMatch(/Create this CNAME/);
    const value = JSON.stringify(record?.Value);
    expect(value).toContain('news.example.org CNAME ');
    expect(value).toContain('DomainName');
    expect(outputs(template).DistributionDomainName).toBeDefined();
  });
});

describe('a custom domain with a certificate and a zone', () => {
  const { edge, template } = build({
    customDomain: { domainName: 'example.org', certificateArn: CERTIFICATE, ...ZONE },
  });

  it('uses the given certificate and still creates the apex alias records', () => {
    expect(edge).toBeUndefined();
    expect(Object.keys(resources(template, 'AWS::Route53::RecordSet'))).toHaveLength(2);
  });
});

describe('waf', () => {
  const { template, edgeTemplate } = build({ waf: true, email: { domain: 'example.com' } });
  const [acl] = Object.values(resources(edgeTemplate as Template, 'AWS::WAFv2::WebACL')) as CfnResourceJson[];

  it('is a CloudFront-scope web ACL with the common rules and a rate limit on /api/* only', () => {
    expect(acl?.Properties.Scope).toBe('CLOUDFRONT');
    const rules = acl?.Properties.Rules as {
      Name: string;
      Action?: unknown;
      Statement: {
        ManagedRuleGroupStatement?: { Name: string };
        RateBasedStatement?: { ScopeDownStatement: { ByteMatchStatement: unknown } };
      };
    }[];
    expect(rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name ?? r.Name)).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'ApiRateLimit',
    ]);
    const rate = rules[1]?.Statement.RateBasedStatement;
    expect(rules[1]?.Action).toEqual({ Block: {} });
    expect(rate).toMatchObject({ AggregateKeyType: 'IP', Limit: 100 });
    expect(rate?.ScopeDownStatement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/api/',
    });
  });

  it('is attached to the distribution', () => {
    expect(distributionConfig(template).WebACLId).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: EDGE_STACK_NAME, Region: 'us-east-1' }),
    });
  });

  it('needs the deploy region to reference us-east-1, and says so', () => {
    expect(() => build({ waf: true }, null)).toThrow(/needs the deploy region: set AWS_REGION/);
  });
});

describe('DMARC', () => {
  function dmarcRecords(template: Template) {
    return Object.values(resources(template, 'AWS::Route53::RecordSet'))
      .map((r) => r.Properties)
      .filter((p) => String(p.Name).startsWith('_dmarc.'));
  }

  it('is created in the zone as p=none by default', () => {
    const { template } = build({ email: { domain: 'news.example.org', ...ZONE } });
    expect(dmarcRecords(template)).toEqual([
      expect.objectContaining({
        Name: '_dmarc.news.example.org.',
        Type: 'TXT',
        ResourceRecords: ['"v=DMARC1; p=none"'],
      }),
    ]);
  });

  it('takes the policy and the report address', () => {
    const { template } = build({
      email: {
        domain: 'news.example.org',
        ...ZONE,
        dmarc: { policy: 'quarantine', rua: 'dmarc@example.org' },
      },
    });
    expect(dmarcRecords(template)[0]?.ResourceRecords).toEqual([
      '"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org"',
    ]);
  });

  it('is listed in the outputs without a zone', () => {
    const { template } = build({ email: { domain: 'example.com' } });
    expect(dmarcRecords(template)).toEqual([]);
    const listed = JSON.stringify(outputs(template).EmailDnsRecords?.Value);
    expect(listed).toContain('_dmarc.example.com TXT \\"v=DMARC1; p=none\\"');
  });
});

describe('removalPolicy', () => {
  function policies(template: Template): Record<string, string[]> {
    return Object.fromEntries(
      DATA_RESOURCE_TYPES.map((type) => [
        type,
        Object.values(resources(template, type)).map((r) => r.DeletionPolicy ?? 'Delete'),
      ]),
    );
  }
  const everything = { email: { domain: 'example.com' }, deployLocalArticles: true };

  it('retains buckets, tables, the keys and the logs by default, with deletion protection', () => {
    const { stack, template } = build(everything);
    const found = policies(template);
    for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::Logs::LogGroup'] as const) {
      expect(found[type]?.length, type).toBeGreaterThan(0);
      expect(new Set(found[type]), type).toEqual(new Set(['Retain']));
    }
    const email = stack.email;
    for (const secret of [email?.subscriptions.keyring.secret, email?.subscriptions.idKey.secret]) {
      const id = stack.getLogicalId(secret?.node.defaultChild as never);
      expect(template.toJSON().Resources[id].DeletionPolicy).toBe('Retain');
    }
    for (const table of Object.values(resources(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
    expect(resources(template, 'Custom::S3AutoDeleteObjects')).toEqual({});
  });

  it('"destroy" deletes every one of them, emptying each bucket first', () => {
    const { template } = build({ ...everything, removalPolicy: 'destroy' });
    const found = policies(template);
    for (const type of DATA_RESOURCE_TYPES) {
      expect(found[type]?.length, type).toBeGreaterThan(0);
      expect(new Set(found[type]), type).toEqual(new Set(['Delete']));
    }
    for (const table of Object.values(resources(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
    const buckets = Object.keys(resources(template, 'AWS::S3::Bucket'));
    const autoDeleted = Object.values(resources(template, 'Custom::S3AutoDeleteObjects')).map(
      (r) => (r.Properties.BucketName as { Ref: string }).Ref,
    );
    expect(autoDeleted.sort()).toEqual(buckets.sort());
  });

  it('rejects anything else, naming the key', () => {
    expect(() => build({ removalPolicy: 'delete' })).toThrow(
      /newsfeed\.removalPolicy must be "retain" or "destroy"/,
    );
  });
});
