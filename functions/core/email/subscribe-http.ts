/**
 * The subscribe API as plain HTTP: routes, methods, body parsing, content negotiation and status codes,
 * independent of how Lambda delivers the request. Browsers get small HTML pages (the site's form posts
 * here), scripts that ask for JSON get JSON. Nothing is cacheable: every answer depends on state.
 * A request that did not come through CloudFront (`origin-check.ts`) gets 403 before anything else.
 */
import {
  type ApiPage,
  type ApiPageSite,
  apiLocale,
  HTML_PAGE_HEADERS,
  renderApiPage,
} from '../render/api-pages.js';
import type { Locale } from '../render/locale.js';
import { isAcceptedOriginValue, ORIGIN_VERIFY_HEADER } from './origin-check.js';
import type { OriginSecretSource } from './ports.js';
import {
  checkToken,
  confirmSubscription,
  requestSubscription,
  type SubscribeActionDeps,
  unsubscribeByToken,
} from './subscribe-actions.js';
import { CONFIRM_TOKEN_DAYS } from './subscribe-links.js';
import type { TokenRejection } from './tokens.js';

export interface ApiRequest {
  method: string;
  /** The raw path, e.g. `/api/subscribe`. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The decoded body text; undefined when there is none. */
  body?: string;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What happened, for the log (never the address: ids and outcomes only). */
export interface ApiEvent {
  route: string;
  outcome: string;
  subscriberId?: string;
}

export interface SubscribeApiDeps extends SubscribeActionDeps {
  site: ApiPageSite;
  /** The values of CloudFront's secret origin header. */
  origin: OriginSecretSource;
}

/** Far above any address (254 characters) plus the form's own field name. */
export const MAX_BODY_BYTES = 4096;

const ROUTES: Record<string, readonly string[]> = {
  '/subscribe': ['POST'],
  '/confirm': ['GET'],
  '/unsubscribe': ['GET', 'POST'],
};

export async function handleApiRequest(
  deps: SubscribeApiDeps,
  request: ApiRequest,
): Promise<{ response: ApiResponse; event: ApiEvent }> {
  const reply = replier(deps.site, request);
  const l = apiLocale(deps.site);
  const site = deps.site.title;
  // First, and alone: a request that bypassed CloudFront reads no token, counts nothing, queues nothing.
  if (!isAcceptedOriginValue(await deps.origin.originSecrets(), request.headers[ORIGIN_VERIFY_HEADER])) {
    return {
      response: reply(403, 'forbidden', {
        title: l.t('api.forbidden.title'),
        paragraphs: [l.t('api.forbidden.text')],
      }),
      event: { route: request.path, outcome: 'forbidden' },
    };
  }
  const route = routeOf(request.path);
  const allowed = route === undefined ? undefined : ROUTES[route];
  if (route === undefined || allowed === undefined) {
    return {
      response: reply(404, 'not-found', {
        title: l.t('api.notFound.title'),
        paragraphs: [l.t('api.notFound.text')],
      }),
      event: { route: request.path, outcome: 'not-found' },
    };
  }
  const method = request.method.toUpperCase();
  if (!allowed.includes(method)) {
    const response = reply(405, 'method-not-allowed', {
      title: l.t('api.methodNotAllowed.title'),
      paragraphs: [l.t('api.methodNotAllowed.text', { route, methods: l.list(allowed) })],
    });
    response.headers.allow = allowed.join(', ');
    return { response, event: { route, outcome: 'method-not-allowed' } };
  }
  const token = new URLSearchParams(request.query).get('token') ?? undefined;
  if (route === '/subscribe')
    return { response: await subscribe(deps, request, reply), event: { route, outcome: 'handled' } };
  if (route === '/confirm') {
    const outcome = await confirmSubscription(deps, token);
    return { response: confirmResponse(deps.site, outcome, reply), event: eventOf(route, outcome) };
  }
  if (method === 'GET') {
    // Link scanners fetch every link in a mail: GET only shows the button and changes nothing.
    const check = await checkToken(deps, token, 'unsubscribe');
    if (!check.ok)
      return { response: badToken(check.reason, reply, l), event: { route, outcome: check.reason } };
    const page: ApiPage = {
      title: l.t('api.unsubscribe.title', { site }),
      paragraphs: [l.t('api.unsubscribe.text')],
      form: {
        action: `?token=${token}`,
        button: l.t('api.unsubscribe.button'),
        fields: { 'List-Unsubscribe': 'One-Click' },
      },
    };
    return {
      response: reply(200, 'confirm-unsubscribe', page),
      event: { route, outcome: 'shown', subscriberId: check.subscriberId },
    };
  }
  const outcome = await unsubscribeByToken(deps, token);
  if (outcome.kind === 'invalid-token') {
    return { response: badToken(outcome.reason, reply, l), event: { route, outcome: outcome.reason } };
  }
  // Already unsubscribed, suppressed or unknown: the one-click request is satisfied all the same (RFC 8058 wants 2xx).
  const response = reply(200, 'unsubscribed', {
    title: l.t('api.unsubscribed.title'),
    paragraphs: [l.t('api.unsubscribed.text', { site }), l.t('api.unsubscribed.again')],
  });
  return { response, event: eventOf(route, outcome) };
}

/** The answer when a port failed (DynamoDB, SQS, Secrets Manager): retryable, nothing half done is shown. */
export function unavailableResponse(site: ApiPageSite, request: ApiRequest): ApiResponse {
  const l = apiLocale(site);
  const response = replier(site, request)(503, 'unavailable', {
    title: l.t('api.unavailable.title'),
    paragraphs: [l.t('api.unavailable.text')],
  });
  response.headers['retry-after'] = '60';
  return response;
}

type Reply = (status: number, code: string, page: ApiPage, json?: Record<string, unknown>) => ApiResponse;

async function subscribe(deps: SubscribeApiDeps, request: ApiRequest, reply: Reply): Promise<ApiResponse> {
  const body = request.body ?? '';
  const l = apiLocale(deps.site);
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    return reply(413, 'too-large', {
      title: l.t('api.tooLarge.title'),
      paragraphs: [l.t('api.tooLarge.text')],
    });
  }
  const parsed = parseAddressField(body, request.headers['content-type']);
  if (!parsed.ok) return invalidAddress(deps.site, parsed.reason, undefined, reply);
  const outcome = await requestSubscription(deps, parsed.email, {
    viewerAddress: request.headers['cloudfront-viewer-address'],
  });
  if (outcome.kind === 'invalid') return invalidAddress(deps.site, outcome.reason, parsed.email, reply);
  if (outcome.kind === 'limited') {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    const response = reply(429, 'rate-limited', {
      title: l.t('api.limited.title'),
      paragraphs: [l.t('api.limited.text', { count: minutes })],
    });
    response.headers['retry-after'] = String(outcome.retryAfterSeconds);
    return response;
  }
  // The same words for every state of the address: the page must not tell whether it is subscribed.
  return reply(202, 'accepted', {
    title: l.t('api.accepted.title'),
    paragraphs: [
      l.t('api.accepted.sent', { address: outcome.address, site: deps.site.title }),
      l.t('api.accepted.follow', { count: CONFIRM_TOKEN_DAYS }),
      l.t('api.accepted.spam'),
    ],
  });
}

function invalidAddress(
  site: ApiPageSite,
  reason: string,
  input: string | undefined,
  reply: Reply,
): ApiResponse {
  const l = apiLocale(site);
  const text =
    input === undefined
      ? l.t('api.invalid.textUnnamed', { reason })
      : l.t('api.invalid.textNamed', { input: shortened(input.trim()), reason });
  return reply(
    400,
    'invalid-address',
    {
      title: l.t('api.invalid.title'),
      paragraphs: [text],
      link: { href: `${site.siteUrl}index.html#subscribe`, label: l.t('api.invalid.retry') },
    },
    { error: reason },
  );
}

function confirmResponse(
  site: ApiPageSite,
  outcome: Awaited<ReturnType<typeof confirmSubscription>>,
  reply: Reply,
): ApiResponse {
  const l = apiLocale(site);
  switch (outcome.kind) {
    case 'invalid-token':
      return badToken(outcome.reason, reply, l);
    case 'stale':
      // Word for word the page of an expired link: a replayed link learns nothing about the address.
      return badToken('expired', reply, l);
    case 'confirmed':
    case 'already-confirmed':
      return reply(200, 'confirmed', {
        title: l.t('api.confirmed.title'),
        paragraphs: [l.t('api.confirmed.text', { site: site.title }), l.t('api.confirmed.unsubscribe')],
      });
    case 'unsubscribed':
      return reply(409, 'unsubscribed', {
        title: l.t('api.cancelled.title'),
        paragraphs: [l.t('api.cancelled.text'), l.t('api.cancelled.again')],
      });
    case 'suppressed':
      return reply(409, 'suppressed', {
        title: l.t('api.suppressed.title'),
        paragraphs: [l.t('api.suppressed.text')],
      });
    case 'unknown':
      return reply(404, 'unknown', {
        title: l.t('api.unknown.title'),
        paragraphs: [l.t('api.unknown.text')],
      });
  }
}

function badToken(reason: TokenRejection, reply: Reply, l: Locale): ApiResponse {
  const paragraphs =
    reason === 'expired'
      ? [l.t('api.badLink.expired')]
      : [l.t('api.badLink.changed'), l.t('api.badLink.copy')];
  return reply(400, reason === 'expired' ? 'expired-link' : 'invalid-link', {
    title: l.t('api.badLink.title'),
    paragraphs,
  });
}

function eventOf(route: string, outcome: { kind: string; subscriberId?: string }): ApiEvent {
  return {
    route,
    outcome: outcome.kind,
    ...(outcome.subscriberId ? { subscriberId: outcome.subscriberId } : {}),
  };
}

/** `/api/confirm`, `/confirm/` → `/confirm`; undefined for anything else. */
function routeOf(path: string): string | undefined {
  const bare = path.replace(/^\/api(?=\/)/, '').replace(/(.)\/+$/, '$1');
  return Object.hasOwn(ROUTES, bare) ? bare : undefined;
}

function replier(site: ApiPageSite, request: ApiRequest): Reply {
  const json = wantsJson(request.headers);
  return (statusCode, code, page, extra = {}): ApiResponse => {
    if (json) {
      return {
        statusCode,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: JSON.stringify({ status: code, message: page.paragraphs.join(' '), ...extra }),
      };
    }
    return {
      statusCode,
      headers: { ...HTML_PAGE_HEADERS, 'cache-control': 'no-store' },
      body: renderApiPage(site, page),
    };
  };
}

/** JSON for clients that ask for it, or that send JSON without saying what they accept. */
function wantsJson(headers: ApiRequest['headers']): boolean {
  const accept = (headers.accept ?? '').toLowerCase();
  if (accept.includes('application/json')) return !accept.includes('text/html');
  if (accept.includes('text/html')) return false;
  return isJsonType(headers['content-type']);
}

function isJsonType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test((contentType ?? '').trim());
}

type AddressField = { ok: true; email: string } | { ok: false; reason: string };

/** `email=` from a form post (`application/x-www-form-urlencoded`) or `{"email": …}`. */
function parseAddressField(body: string, contentType: string | undefined): AddressField {
  if (isJsonType(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'the request body is not valid JSON' };
    }
    const email =
      typeof parsed === 'object' && parsed !== null ? (parsed as { email?: unknown }).email : undefined;
    return typeof email === 'string'
      ? { ok: true, email }
      : { ok: false, reason: 'the "email" field is missing' };
  }
  const email = new URLSearchParams(body).get('email');
  return email === null ? { ok: false, reason: 'the "email" field is missing' } : { ok: true, email };
}

function shortened(text: string): string {
  const chars = Array.from(text);
  return chars.length <= 80 ? text : `${chars.slice(0, 79).join('')}…`;
}
