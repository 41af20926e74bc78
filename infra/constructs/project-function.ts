import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IDestination, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, type OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionContract } from '../../functions/handlers/contracts.js';
import { LAMBDA_BUNDLING } from '../lambda-bundle.js';
import { acknowledgeStarResource } from './nag-acknowledgements.js';

/** The repository root: entries, the lock file and `templates/` are resolved from here, not from the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long function logs are kept. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** Thrown when esbuild is missing: CDK would otherwise silently fall back to bundling in Docker. */
export class LocalBundlingUnavailableError extends Error {
  override name = 'LocalBundlingUnavailableError';
  constructor() {
    super(
      'esbuild is not installed in this repository; run npm ci (functions are bundled locally, never in Docker)',
    );
  }
}

function assertLocalEsbuild(): void {
  try {
    createRequire(join(REPO_ROOT, 'package.json')).resolve('esbuild');
  } catch {
    throw new LocalBundlingUnavailableError();
  }
}

export interface ProjectFunctionProps {
  /** The function's entry file and service name (`functions/handlers/contracts.ts`). */
  contract: FunctionContract;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Made by `envFor(contract, …)`, which checks the keys against the contract. */
  environment?: Record<string, string>;
  reservedConcurrentExecutions?: number;
  /** Where failed asynchronous invocations go; only meaningful for functions invoked asynchronously. */
  onFailure?: IDestination;
  /** Extra shell commands around esbuild, e.g. to ship non-code files with the bundle. */
  commandHooks?: ICommandHooks;
  /** @default 'INFO' */
  logLevel?: string;
}

/**
 * A `NodejsFunction` with the project's defaults, in the spirit of Powertools'
 * `FunctionWithLogGroup` example:
 * - Node.js 22 on arm64 (Graviton: cheaper per GB-second for the same work);
 * - X-Ray tracing active;
 * - an explicit log group with a retention, so no LogRetention custom resource is needed;
 * - an explicit role holding only the log-group write permission: no AWSLambdaBasicExecutionRole
 *   managed policy (which allows writing to every log group in the account), grants are added by callers;
 * - ESM bundle built by the local esbuild (never Docker), minified, with source maps enabled at run time;
 * - the AWS SDK is bundled rather than taken from the runtime: the runtime's copy lags behind
 *   the version the code is tested with, and bundling makes cold starts independent of it.
 */
export class ProjectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    assertLocalEsbuild();
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.contract.service}`,
    });
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: FUNCTION_LOG_RETENTION });
    super(scope, id, {
      entry: join(REPO_ROOT, props.contract.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      onFailure: props.onFailure,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.contract.service,
        LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        // The same options as the bundle test and benchmark (`infra/lambda-bundle.ts`).
        format: LAMBDA_BUNDLING.format as OutputFormat,
        target: LAMBDA_BUNDLING.target,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        banner: LAMBDA_BUNDLING.banner,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourcemap,
        externalModules: [...LAMBDA_BUNDLING.external],
        // Rendered as `--alias:<package>=<path>`, resolved from the project root (esbuild's working directory).
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLING.alias).map(([from, to]) => `${from}=${to}`),
        },
        commandHooks: props.commandHooks,
      },
    });
    logGroup.grantWrite(role);

    acknowledgeStarResource(
      role,
      'Active tracing needs xray:PutTraceSegments and PutTelemetryRecords, which have no resource-level permissions.',
    );
    const runtimeReason =
      'Node.js 22 is the runtime the project builds for (esbuild target node22) and tests on; moving to a newer ' +
      'runtime is a deliberate, tested upgrade rather than a side effect of a new CDK release.';
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
    );
  }
}
