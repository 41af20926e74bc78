import { describe, expect, it } from 'vitest';
import { synthesize } from './synth.js';
import { flatten, logicalIdOf, props, resources } from './template-queries.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const { stack, template } = synthesize({
  alarmEmail: 'ops@example.org',
  customDomain: { domainName: 'news.example.org', certificateArn: CERTIFICATE },
  deployLocalArticles: true,
  reconcileIntervalMinutes: 15,
  feedSize: 25,
});
const distribution = props(template, logicalIdOf(stack, stack.site.distribution))
  .DistributionConfig as Record<string, unknown>;

describe('with a custom domain', () => {
  it('serves the domain with its ACM certificate over SNI, TLS 1.2 minimum', () => {
    expect(distribution.Aliases).toEqual(['news.example.org']);
    expect(distribution.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('publishes feeds under the custom domain', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.SiteUrl?.Value).toBe('https://news.example.org/');
    const env = (
      props(template, logicalIdOf(stack, stack.publisher.function)).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(JSON.parse(flatten(env.SITE_CONFIG))).toMatchObject({
      siteUrl: 'https://news.example.org/',
      feedSize: 25,
    });
  });
});

describe('with an alarm e-mail', () => {
  it('subscribes it to the alarm topic', () => {
    const subscriptions = Object.values(resources(template, 'AWS::SNS::Subscription'));
    expect(subscriptions.map((s) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.org' }),
    ]);
  });
});

describe('with deployLocalArticles', () => {
  it('copies the local articles under articles/ without pruning what editors uploaded', () => {
    const deployments = Object.values(resources(template, 'Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(stack, stack.articlesBucket) },
      DestinationBucketKeyPrefix: 'articles/',
      Prune: false,
    });
  });
});

describe('with a reconcile interval', () => {
  it('schedules the reconciler at that rate', () => {
    const rules = Object.values(resources(template, 'AWS::Events::Rule'));
    expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual(['rate(15 minutes)']);
  });
});
