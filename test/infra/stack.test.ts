import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LEASE_TTL_MS } from '../../functions/core/cloud/ingest.js';
import { synthesize } from './synth.js';
import {
  flatten,
  logicalIdOf,
  type PolicyStatementJson,
  props,
  resource,
  resources,
} from './template-queries.js';

const { stack, template } = synthesize();
const ids = {
  ingest: logicalIdOf(stack, stack.intake.function),
  publish: logicalIdOf(stack, stack.publisher.function),
  reconcile: logicalIdOf(stack, stack.reconciler.function),
  ingestQueue: logicalIdOf(stack, stack.intake.queue),
  ingestDlq: logicalIdOf(stack, stack.intake.deadLetters.queue),
  publishFailures: logicalIdOf(stack, stack.publisher.failures.queue),
  reconcileFailures: logicalIdOf(stack, stack.reconciler.failures.queue),
  articles: logicalIdOf(stack, stack.articlesBucket),
  site: logicalIdOf(stack, stack.site.bucket),
  table: logicalIdOf(stack, stack.table),
  distribution: logicalIdOf(stack, stack.site.distribution),
};
const nodeFunctions = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([, fn]) =>
  String(fn.Properties.Runtime).startsWith('nodejs'),
);

function envOf(logicalId: string): Record<string, unknown> {
  return (props(template, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
}

function mappingOf(functionId: string): Record<string, unknown> {
  const found = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => (mapping.Properties.FunctionName as { Ref: string }).Ref === functionId,
  );
  expect(found).toHaveLength(1);
  return found[0]?.Properties ?? {};
}

describe('functions', () => {
  it('are exactly the three project functions, each on Node.js 22 and arm64 with active tracing', () => {
    expect(nodeFunctions.map(([id]) => id).sort()).toEqual([ids.ingest, ids.publish, ids.reconcile].sort());
    for (const [, fn] of nodeFunctions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
  });

  it('each log to their own log group with a retention', () => {
    const groups = resources(template, 'AWS::Logs::LogGroup');
    const used = nodeFunctions.map(
      ([, fn]) => (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
    );
    expect(new Set(used).size).toBe(3);
    for (const id of used) expect(groups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('ingest: 30 s, 512 MB, and the environment the handler reads', () => {
    expect(props(template, ids.ingest)).toMatchObject({ Timeout: 30, MemorySize: 512 });
    expect(envOf(ids.ingest)).toMatchObject({
      STORY_TABLE: { Ref: ids.table },
      ARTICLES_BUCKET: { Ref: ids.articles },
      ARTICLES_PREFIX: 'articles/',
      MAX_ARTICLE_BYTES: '1048576',
      POWERTOOLS_SERVICE_NAME: 'newsfeed-ingest',
      LOG_LEVEL: 'INFO',
    });
  });

  it('publish: serialized by a reserved concurrency of 1, with the site settings and templates location', () => {
    expect(props(template, ids.publish).ReservedConcurrentExecutions).toBe(1);
    const env = envOf(ids.publish);
    expect(env).toMatchObject({
      STORY_TABLE: { Ref: ids.table },
      ARTICLES_BUCKET: { Ref: ids.articles },
      ARTICLES_PREFIX: 'articles/',
      SITE_BUCKET: { Ref: ids.site },
      DISTRIBUTION_ID: { Ref: ids.distribution },
      TEMPLATES_DIR: '/var/task/templates',
    });
    // The CloudFront domain is only known at deploy time: the JSON is joined around it.
    const siteConfig = JSON.parse(flatten(env.SITE_CONFIG)) as Record<string, unknown>;
    expect(siteConfig).toMatchObject({
      title: 'News digest',
      siteUrl: `https://<${ids.distribution}.DomainName>/`,
      feedSize: 50,
      language: 'en',
    });
  });

  it('reconcile: knows the table, the bucket and the ingest queue', () => {
    expect(envOf(ids.reconcile)).toMatchObject({
      STORY_TABLE: { Ref: ids.table },
      ARTICLES_BUCKET: { Ref: ids.articles },
      ARTICLES_PREFIX: 'articles/',
      INGEST_QUEUE_URL: { Ref: ids.ingestQueue },
    });
  });
});

describe('ingest path', () => {
  it('the SQS mapping reports partial batch failures, in batches of 10 with a short batching window', () => {
    const mapping = mappingOf(ids.ingest);
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [ids.ingestQueue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    expect(mapping.MaximumBatchingWindowInSeconds).toBeGreaterThanOrEqual(1);
    expect(mapping.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(10);
  });

  it('at most two batches at once, no reserved concurrency, and a dedup lease that outlives the timeout', () => {
    // The lease (functions/core/cloud/ingest.ts), not the function's concurrency, serialises deduplication.
    expect(mappingOf(ids.ingest).ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(props(template, ids.ingest).ReservedConcurrentExecutions).toBeUndefined();
    expect(LEASE_TTL_MS).toBeGreaterThan((props(template, ids.ingest).Timeout as number) * 1000);
  });

  it('the queue redrives to a DLQ after 5 receives', () => {
    expect(props(template, ids.ingestQueue).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [ids.ingestDlq, 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it('the queue visibility timeout is at least 6 × the ingest timeout', () => {
    const timeout = props(template, ids.ingest).Timeout as number;
    const visibility = props(template, ids.ingestQueue).VisibilityTimeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('the DLQ keeps messages longer than the source queue (SQS keeps the original enqueue time)', () => {
    expect(props(template, ids.ingestDlq).MessageRetentionPeriod as number).toBeGreaterThan(
      props(template, ids.ingestQueue).MessageRetentionPeriod as number,
    );
  });

  it('S3 notifies the queue of created and removed objects under articles/', () => {
    const notifications = Object.values(resources(template, 'Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    const config = notifications[0]?.Properties.NotificationConfiguration as Record<string, unknown>;
    expect(notifications[0]?.Properties.BucketName).toEqual({ Ref: ids.articles });
    const queues = config.QueueConfigurations as { Events: string[]; Filter: unknown; QueueArn: unknown }[];
    expect(queues.flatMap((q) => q.Events).sort()).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    for (const queue of queues) {
      expect(queue.QueueArn).toEqual({ 'Fn::GetAtt': [ids.ingestQueue, 'Arn'] });
      expect(queue.Filter).toEqual({ Key: { FilterRules: [{ Name: 'prefix', Value: 'articles/' }] } });
    }
  });

  it('S3 never invokes a function directly', () => {
    for (const notification of Object.values(resources(template, 'Custom::S3BucketNotifications'))) {
      const config = notification.Properties.NotificationConfiguration as Record<string, unknown>;
      expect(config.LambdaFunctionConfigurations).toBeUndefined();
    }
    const s3Invokes = Object.values(resources(template, 'AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 's3.amazonaws.com',
    );
    expect(s3Invokes).toEqual([]);
  });

  it('S3 may send to the queue only on behalf of the articles bucket', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.ingestQueue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.articles, 'Arn'] } } },
          }),
        ]),
      },
    });
  });
});

describe('queues and alarms', () => {
  const queues = resources(template, 'AWS::SQS::Queue');

  it('every queue is encrypted and refuses non-TLS requests', () => {
    expect(Object.keys(queues)).toHaveLength(4);
    const policies = Object.values(resources(template, 'AWS::SQS::QueuePolicy'));
    for (const [id, queue] of Object.entries(queues)) {
      expect(
        queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined,
      ).toBe(true);
      const statements = policies
        .filter((p) => (p.Properties.Queues as { Ref: string }[]).some((q) => q.Ref === id))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('every failure queue raises an alarm on the alarm topic as soon as one message is visible', () => {
    const topic = Object.keys(resources(template, 'AWS::SNS::Topic'));
    expect(topic).toHaveLength(1);
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    for (const queueId of [ids.ingestDlq, ids.publishFailures, ids.reconcileFailures]) {
      const alarm = alarms.find((a) =>
        (a.Properties.Dimensions as { Value: unknown }[]).some(
          (d) => JSON.stringify(d.Value) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
        ),
      );
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: topic[0] }],
      });
    }
  });

  it('the alarm topic refuses non-TLS publishing and has no subscriber without alarmEmail', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('buckets', () => {
  const buckets = resources(template, 'AWS::S3::Bucket');
  const logBucket = Object.keys(buckets).find((id) => id !== ids.articles && id !== ids.site) ?? '';

  it('every bucket is encrypted, blocks all public access and is kept on stack deletion', () => {
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('every bucket policy denies requests that are not over TLS', () => {
    const policies = Object.values(resources(template, 'AWS::S3::BucketPolicy'));
    expect(policies.map((p) => (p.Properties.Bucket as { Ref: string }).Ref).sort()).toEqual(
      Object.keys(buckets).sort(),
    );
    for (const policy of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('the articles bucket is versioned and logs its accesses to the log bucket', () => {
    expect(props(template, ids.articles)).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket } },
    });
    expect(props(template, ids.site)).toMatchObject({
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket } },
    });
  });

  it('only CloudFront, for this distribution, may read the site bucket', () => {
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy')).find(
      (p) => (p.Properties.Bucket as { Ref: string }).Ref === ids.site,
    );
    expect(policy).toBeDefined();
    const document = policy?.Properties.PolicyDocument as { Statement: PolicyStatementJson[] };
    const allows = document.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    const sourceArn = allows[0]?.Condition?.StringEquals?.['AWS:SourceArn'];
    expect(flatten(sourceArn)).toMatch(new RegExp(`:distribution/<${ids.distribution}>$`));
  });
});

describe('story table', () => {
  it('is on-demand, point-in-time recoverable, encrypted, streamed, and protected from deletion', () => {
    expect(props(template, ids.table)).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      DeletionProtectionEnabled: true,
    });
    expect(resource(template, ids.table).DeletionPolicy).toBe('Retain');
  });

  it('has the byDate index on gsi1pk/gsi1sk and the byCreated index on gsi2pk/gsi2sk, projecting all attributes', () => {
    expect(props(template, ids.table).GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byDate',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        // Present without email too: turning email on later needs no index backfill first.
        IndexName: 'byCreated',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(props(template, ids.table).AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
      ]),
    );
  });
});

describe('publish trigger', () => {
  const mapping = mappingOf(ids.publish);

  it('reads the table stream in batches with retries, bisection and an SQS failure destination', () => {
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [ids.table, 'StreamArn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.publishFailures, 'Arn'] } } },
    });
  });

  it('only passes changes to items whose pk begins with STORY#', () => {
    const filters = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'STORY#' }] } } } },
    ]);
  });
});

describe('reconciler schedule', () => {
  it('runs the reconciler every hour, with a dead-letter queue for undeliverable events', () => {
    const rules = Object.values(resources(template, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [ids.reconcile, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.reconcileFailures, 'Arn'] } },
        },
      ],
    });
  });

  it('sends failed asynchronous invocations to the failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.reconcile },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.reconcileFailures, 'Arn'] } } },
    });
  });
});

describe('CloudFront', () => {
  const distribution = props(template, ids.distribution).DistributionConfig as Record<string, unknown>;
  const behavior = distribution.DefaultCacheBehavior as Record<string, unknown>;

  it('reads the site bucket through Origin Access Control, never a legacy OAI', () => {
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const controls = resources(template, 'AWS::CloudFront::OriginAccessControl');
    const [controlId] = Object.keys(controls);
    expect(controls[controlId ?? '']?.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(distribution.Origins).toEqual([
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': [ids.site, 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [controlId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    ]);
  });

  it('redirects HTTP to HTTPS, speaks HTTP/2 and 3, serves index.html at the root, from price class 100', () => {
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(distribution).toMatchObject({
      HttpVersion: 'http2and3',
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_100',
      Enabled: true,
    });
  });

  it('uses the default certificate when no custom domain is configured', () => {
    expect(distribution.Aliases).toBeUndefined();
    expect(distribution.ViewerCertificate).toBeUndefined();
  });

  it('logs requests to the log bucket', () => {
    const logBucket = (
      props(template, ids.articles).LoggingConfiguration as { DestinationBucketName: { Ref: string } }
    ).DestinationBucketName.Ref;
    expect(distribution.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucket, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('caches without cookies, query strings or headers, for minutes rather than days by default', () => {
    const policyId = (behavior.CachePolicyId as { Ref: string }).Ref;
    const config = (props(template, policyId).CachePolicyConfig ?? {}) as Record<string, unknown>;
    expect(config.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'none' },
    });
    expect(config.DefaultTTL).toBeGreaterThan(0);
    expect(config.DefaultTTL).toBeLessThanOrEqual(600);
    expect(config.MaxTTL as number).toBeGreaterThanOrEqual(config.DefaultTTL as number);
  });

  it('adds HSTS, nosniff, frame and referrer security headers to every response', () => {
    const policyId = (behavior.ResponseHeadersPolicyId as { Ref: string }).Ref;
    const config = props(template, policyId).ResponseHeadersPolicyConfig as Record<string, unknown>;
    const headers = config.SecurityHeadersConfig as Record<string, Record<string, unknown>>;
    expect(headers.StrictTransportSecurity?.AccessControlMaxAgeSec as number).toBeGreaterThanOrEqual(
      31_536_000,
    );
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({
      ReferrerPolicy: 'strict-origin-when-cross-origin',
      Override: true,
    });
  });
});

describe('outputs', () => {
  it('name the site URL, the articles bucket and the table', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.SiteUrl?.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }, '/']],
    });
    expect(outputs.ArticlesBucketName?.Value).toEqual({ Ref: ids.articles });
    expect(outputs.TableName?.Value).toEqual({ Ref: ids.table });
  });

  it('deploys no local articles unless asked', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});
