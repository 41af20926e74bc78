/**
 * The contract of each deployed function: its entry file, its Powertools service name, whether it
 * ships the templates, and the environment it reads, with the defaults of the optional keys. The
 * CDK constructs set the environment through `envFor` (a misspelled or missing key is a type error),
 * the composition roots read it through `compose/env.ts` (whose key type is `EnvKey`), and the infra
 * tests compare each function's template environment with its contract.
 */

export interface FunctionContract<R extends string = string, O extends string = string> {
  /** The bundle's name (`infra/lambda-bundle.ts`). */
  name: string;
  /** Relative to the repository root. */
  entry: string;
  /** `POWERTOOLS_SERVICE_NAME`, and the handler's logger. */
  service: string;
  /** Ships `templates/` beside the bundle: it renders pages or mail. */
  templates: boolean;
  /** Keys the function cannot start without (`getStringFromEnv` fails fast naming them). */
  required: readonly R[];
  /** Keys it may be given, with the value it uses when not (undefined: the feature is off). */
  optional: { readonly [key in O]: string | undefined };
}

/** The environment a construct must give a function: every required key, any optional one, nothing else. */
export type ContractEnv<C> =
  C extends FunctionContract<infer R, infer O> ? Record<R, string> & Partial<Record<O, string>> : never;

const contract = <const R extends string, const O extends string>(
  c: FunctionContract<R, O>,
): FunctionContract<R, O> => c;

/** Defaults the composition roots and the CDK config share. */
export const ENV_DEFAULTS = {
  ARTICLES_PREFIX: 'articles/',
  MAX_ARTICLE_BYTES: String(1024 * 1024),
  TEMPLATES_DIR: 'templates',
  LIST_ID: 'digest',
  SEND_CONCURRENCY: '2',
  SUBSCRIBES_PER_SOURCE_PER_HOUR: '20',
  CONFIRMATIONS_PER_ADDRESS_PER_DAY: '3',
} as const;

/** What every function that mails subscribers reads (`compose/email.ts`). */
const MAILER_REQUIRED = ['EMAIL_TABLE', 'TOKEN_SECRET_ARN', 'FROM_ADDRESS', 'SITE_CONFIG'] as const;
const MAILER_OPTIONAL = {
  LIST_ID: ENV_DEFAULTS.LIST_ID,
  FROM_NAME: undefined,
  CONFIGURATION_SET: undefined,
} as const;

export const FUNCTIONS = {
  ingest: contract({
    name: 'ingest',
    entry: 'functions/handlers/ingest.ts',
    service: 'newsfeed-ingest',
    templates: false,
    required: ['STORY_TABLE', 'ARTICLES_BUCKET'],
    optional: {
      ARTICLES_PREFIX: ENV_DEFAULTS.ARTICLES_PREFIX,
      MAX_ARTICLE_BYTES: ENV_DEFAULTS.MAX_ARTICLE_BYTES,
    },
  }),
  publish: contract({
    name: 'publish',
    entry: 'functions/handlers/publish.ts',
    service: 'newsfeed-publish',
    templates: true,
    required: ['STORY_TABLE', 'ARTICLES_BUCKET', 'SITE_BUCKET', 'SITE_CONFIG'],
    optional: {
      ARTICLES_PREFIX: ENV_DEFAULTS.ARTICLES_PREFIX,
      TEMPLATES_DIR: ENV_DEFAULTS.TEMPLATES_DIR,
      DISTRIBUTION_ID: undefined,
      EMAIL_TABLE: undefined,
    },
  }),
  reconcile: contract({
    name: 'reconcile',
    entry: 'functions/handlers/reconcile.ts',
    service: 'newsfeed-reconcile',
    templates: false,
    required: ['STORY_TABLE', 'ARTICLES_BUCKET', 'INGEST_QUEUE_URL'],
    optional: { ARTICLES_PREFIX: ENV_DEFAULTS.ARTICLES_PREFIX },
  }),
  subscribeApi: contract({
    name: 'subscribe-api',
    entry: 'functions/handlers/subscribe-api.ts',
    service: 'newsfeed-subscribe-api',
    templates: false,
    required: ['EMAIL_TABLE', 'SITE_CONFIG', 'SUBSCRIBE_QUEUE_URL', 'TOKEN_SECRET_ARN', 'ORIGIN_SECRET_ARN'],
    optional: {
      LIST_ID: ENV_DEFAULTS.LIST_ID,
      SUBSCRIBES_PER_SOURCE_PER_HOUR: ENV_DEFAULTS.SUBSCRIBES_PER_SOURCE_PER_HOUR,
      SITE_LINKS: undefined,
    },
  }),
  confirmMailer: contract({
    name: 'confirm-mailer',
    entry: 'functions/handlers/confirm-mailer.ts',
    service: 'newsfeed-confirm-mailer',
    templates: true,
    required: [...MAILER_REQUIRED, 'ID_KEY_SECRET_ARN'],
    optional: {
      ...MAILER_OPTIONAL,
      TEMPLATES_DIR: ENV_DEFAULTS.TEMPLATES_DIR,
      CONFIRMATIONS_PER_ADDRESS_PER_DAY: ENV_DEFAULTS.CONFIRMATIONS_PER_ADDRESS_PER_DAY,
    },
  }),
  bounces: contract({
    name: 'bounces',
    entry: 'functions/handlers/bounces.ts',
    service: 'newsfeed-bounces',
    templates: false,
    required: ['EMAIL_TABLE', 'ID_KEY_SECRET_ARN'],
    optional: {},
  }),
  edition: contract({
    name: 'edition',
    entry: 'functions/handlers/edition.ts',
    service: 'newsfeed-edition',
    templates: true,
    required: ['STORY_TABLE', 'EMAIL_TABLE', 'SITE_BUCKET', 'OUTBOX_QUEUE_URL', 'SITE_CONFIG'],
    optional: {
      ARTICLES_BUCKET: undefined,
      ARTICLES_PREFIX: ENV_DEFAULTS.ARTICLES_PREFIX,
      DISTRIBUTION_ID: undefined,
      TEMPLATES_DIR: ENV_DEFAULTS.TEMPLATES_DIR,
      LIST_ID: ENV_DEFAULTS.LIST_ID,
      DIGEST_MAX_STORIES: undefined,
    },
  }),
  sender: contract({
    name: 'sender',
    entry: 'functions/handlers/sender.ts',
    service: 'newsfeed-sender',
    templates: false,
    required: [...MAILER_REQUIRED],
    optional: { ...MAILER_OPTIONAL, SEND_CONCURRENCY: ENV_DEFAULTS.SEND_CONCURRENCY },
  }),
} as const;

type AnyContract = (typeof FUNCTIONS)[keyof typeof FUNCTIONS];

/** Every environment key some function reads. */
export type EnvKey =
  | AnyContract['required'][number]
  | { [F in keyof typeof FUNCTIONS]: keyof (typeof FUNCTIONS)[F]['optional'] }[keyof typeof FUNCTIONS];

/** Checks a construct's environment against the contract (at compile time) and returns it for CDK. */
export function envFor<C extends FunctionContract>(
  _contract: C,
  values: ContractEnv<C>,
): Record<string, string> {
  return values as Record<string, string>;
}
