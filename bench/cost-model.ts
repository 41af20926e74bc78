/**
 * The monthly AWS bill of a deployment, by service, from the request and byte counts the code makes
 * (bench/cost-counts.json, measured by test/integration/cost-counters.test.ts in the emulated path)
 * and the unit prices below. What the emulators cannot show (Lambda durations, reader traffic, idle
 * SQS polling, log volume) is an assumption, named in `ASSUMPTIONS` and printed with every estimate.
 */

export interface OperationCount {
  count: number;
  requestBytes: number;
  responseBytes: number;
}
export type Counts = Record<string, OperationCount>;

export interface CostCounts {
  perArticle: Counts;
  perPublish: Counts;
  perSignup: Counts;
  perMail: Counts;
  perEdition: Counts;
  articleBytes: number;
  mailBytes: number;
  site: { objects: number; totalBytes: number; homePageBytes: number; feedBytes: number };
  fixed: { alarms: number; secrets: number; schedules: number; functionMemoryMb: Record<string, number> };
}

export interface Scenario {
  articlesPerDay: number;
  subscribers: number;
  editionsPerWeek: number;
}

/** us-east-1 list prices, on-demand, without free tiers, as published on the AWS pricing pages. */
export const PRICES = {
  asOf: '2025-06 (us-east-1 list prices; DynamoDB on-demand after the November 2024 reduction)',
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  s3PerThousandWrites: 0.005,
  s3PerThousandReads: 0.0004,
  s3StoragePerGbMonth: 0.023,
  cloudfrontPerGbOut: 0.085,
  cloudfrontPerTenThousandHttps: 0.01,
  cloudfrontPerInvalidationPath: 0.005,
  cloudfrontFreeInvalidationPaths: 1000,
  sesPerThousandMails: 0.1,
  sqsPerMillionRequests: 0.4,
  schedulerPerMillion: 1.0,
  secretPerMonth: 0.4,
  secretsPerTenThousandCalls: 0.05,
  cloudwatchPerAlarm: 0.1,
  cloudwatchLogsPerGbIngested: 0.5,
} as const;

export const ASSUMPTIONS = {
  daysPerMonth: 30.4,
  /** Ingest and publish batch within 5 s and 10 s windows: below one article per 10 s, each publishes alone. */
  minSecondsBetweenPublishes: 10,
  signupsPerMonthShare: 0.05,
  /** Page views (home page) per subscriber per month, served by CloudFront. */
  viewsPerSubscriberPerMonth: 4,
  /** Each queue's event source mapping long-polls while idle: about 5 pollers × 3 requests a minute. */
  idleSqsRequestsPerQueuePerMonth: 5 * 3 * 60 * 24 * 30.4,
  queuesWithPollers: 3,
  lambdaMsPerInvocation: {
    ingest: 400,
    publish: 1500,
    api: 50,
    confirm: 300,
    edition: 2000,
    sender: 4000,
    reconcile: 1000,
  },
  recipientsPerSenderMessage: 50,
  reconcilesPerMonth: 24 * 30.4,
  logBytesPerInvocation: 1024,
  /** Secrets are read once per cold start; about one invocation in ten is cold. */
  secretReadsPerInvocation: 0.1,
  /** Articles and their pages kept: the storage after a year of publishing. */
  monthsStored: 12,
} as const;

const WRITES = /^S3\.(Put|Copy|Post|List|Delete)/;
const DYNAMO_WRITES = /^DynamoDB\.(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/;

function add(into: Counts, from: Counts, times: number): void {
  for (const [key, v] of Object.entries(from)) {
    const e = into[key] ?? { count: 0, requestBytes: 0, responseBytes: 0 };
    into[key] = e;
    e.count += v.count * times;
    e.requestBytes += v.requestBytes * times;
    e.responseBytes += v.responseBytes * times;
  }
}

export type Bill = Record<
  | 'Lambda'
  | 'DynamoDB'
  | 'S3'
  | 'CloudFront'
  | 'SES'
  | 'SQS'
  | 'Scheduler'
  | 'Secrets Manager'
  | 'CloudWatch',
  number
>;

export function monthlyCost(
  counts: CostCounts,
  scenario: Scenario,
): { bill: Bill; total: number; volume: Record<string, number> } {
  const A = ASSUMPTIONS;
  const articles = scenario.articlesPerDay * A.daysPerMonth;
  const maxPublishes = (A.daysPerMonth * 86_400) / A.minSecondsBetweenPublishes;
  const publishes = Math.min(articles, maxPublishes);
  const editions = (scenario.editionsPerWeek * A.daysPerMonth) / 7;
  const mails = editions * scenario.subscribers;
  const signups = scenario.subscribers * A.signupsPerMonthShare;
  const senderMessages = Math.ceil(scenario.subscribers / A.recipientsPerSenderMessage) * editions;

  const total: Counts = {};
  add(total, counts.perArticle, articles);
  add(total, counts.perPublish, publishes);
  add(total, counts.perSignup, signups);
  add(total, counts.perMail, mails);
  add(total, counts.perEdition, editions);
  // The editors' own uploads.
  add(
    total,
    { 'S3.PutObjectCommand': { count: 1, requestBytes: counts.articleBytes, responseBytes: 0 } },
    articles,
  );

  let dynamoWrites = 0;
  let dynamoReads = 0;
  let s3Writes = 0;
  let s3Reads = 0;
  for (const [key, v] of Object.entries(total)) {
    if (key.startsWith('DynamoDB.')) {
      if (DYNAMO_WRITES.test(key)) dynamoWrites += Math.max(v.count, Math.ceil(v.requestBytes / 1024));
      else dynamoReads += Math.max(v.count, Math.ceil(v.responseBytes / 4096));
    } else if (key.startsWith('S3.')) {
      if (WRITES.test(key)) s3Writes += v.count;
      else s3Reads += v.count;
    }
  }
  const writesPerArticle = Object.entries(counts.perArticle)
    .filter(([key]) => DYNAMO_WRITES.test(key))
    .reduce((n, [, v]) => n + v.requestBytes, 0);
  const tableGb = (articles * A.monthsStored * writesPerArticle + scenario.subscribers * 600) / 1e9;
  const pagePerArticle = counts.perArticle['S3.PutObjectCommand']?.requestBytes ?? 0;
  const bucketGb =
    (articles * A.monthsStored * (counts.articleBytes + pagePerArticle) + counts.site.totalBytes) / 1e9;

  const invocations = {
    ingest: articles,
    publish: publishes,
    api: signups * 2,
    confirm: signups,
    edition: editions,
    sender: senderMessages,
    reconcile: A.reconcilesPerMonth,
  };
  const memory = counts.fixed.functionMemoryMb;
  const memoryOf = (name: string) =>
    (Object.entries(memory).find(([id]) => id.toLowerCase().includes(name))?.[1] ?? 512) / 1024;
  const memoryNames: Record<keyof typeof invocations, string> = {
    ingest: 'ingest',
    publish: 'publish',
    api: 'api',
    confirm: 'confirmations',
    edition: 'editions',
    sender: 'sender',
    reconcile: 'reconcile',
  };
  let lambdaRequests = 0;
  let gbSeconds = 0;
  for (const [name, n] of Object.entries(invocations) as [keyof typeof invocations, number][]) {
    lambdaRequests += n;
    gbSeconds += (n * A.lambdaMsPerInvocation[name] * memoryOf(memoryNames[name])) / 1000;
  }

  // The publisher invalidates what it wrote, or one `/*` above 30 paths (cloudfront-invalidator.ts).
  const pathsPerPublish =
    (counts.perPublish['S3.PutObjectCommand']?.count ?? 0) +
    (publishes > 0 ? (articles / publishes) * (counts.perArticle['S3.PutObjectCommand']?.count ?? 0) : 0);
  const invalidationPaths = publishes * (pathsPerPublish > 30 ? 1 : pathsPerPublish);
  const views = scenario.subscribers * A.viewsPerSubscriberPerMonth;

  const sqsRequests =
    A.idleSqsRequestsPerQueuePerMonth * A.queuesWithPollers + articles * 3 + signups * 3 + senderMessages * 3;

  const P = PRICES;
  const bill: Bill = {
    Lambda: (lambdaRequests / 1e6) * P.lambdaPerMillionRequests + gbSeconds * P.lambdaArmPerGbSecond,
    DynamoDB:
      (dynamoWrites / 1e6) * P.dynamoPerMillionWriteUnits +
      (dynamoReads / 1e6) * P.dynamoPerMillionReadUnits +
      tableGb * (P.dynamoStoragePerGbMonth + P.dynamoPitrPerGbMonth),
    S3:
      (s3Writes / 1000) * P.s3PerThousandWrites +
      (s3Reads / 1000) * P.s3PerThousandReads +
      bucketGb * P.s3StoragePerGbMonth,
    CloudFront:
      Math.max(0, invalidationPaths - P.cloudfrontFreeInvalidationPaths) * P.cloudfrontPerInvalidationPath +
      ((views * counts.site.homePageBytes) / 1e9) * P.cloudfrontPerGbOut +
      (views / 1e4) * P.cloudfrontPerTenThousandHttps,
    SES: ((mails + signups) / 1000) * P.sesPerThousandMails,
    SQS: (sqsRequests / 1e6) * P.sqsPerMillionRequests,
    Scheduler: (editions / 1e6) * P.schedulerPerMillion,
    'Secrets Manager':
      counts.fixed.secrets * P.secretPerMonth +
      ((lambdaRequests * A.secretReadsPerInvocation) / 1e4) * P.secretsPerTenThousandCalls,
    CloudWatch:
      counts.fixed.alarms * P.cloudwatchPerAlarm +
      ((lambdaRequests * A.logBytesPerInvocation) / 1e9) * P.cloudwatchLogsPerGbIngested,
  };
  return {
    bill,
    total: Object.values(bill).reduce((a, b) => a + b, 0),
    volume: {
      articles,
      publishes,
      editions,
      mails,
      signups,
      dynamoWrites,
      dynamoReads,
      s3Writes,
      s3Reads,
      invalidationPaths,
      lambdaRequests,
      gbSeconds,
    },
  };
}

export const SIZES: Record<string, Scenario> = {
  'small blog': { articlesPerDay: 10, subscribers: 1_000, editionsPerWeek: 7 },
  newsroom: { articlesPerDay: 500, subscribers: 100_000, editionsPerWeek: 7 },
  large: { articlesPerDay: 5_000, subscribers: 1_000_000, editionsPerWeek: 7 },
};
