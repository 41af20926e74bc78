/**
 * `npm run cost -- --articles-per-day N --subscribers N --editions-per-week N`: the monthly AWS cost
 * by service (bench/cost-model.ts) from the measured counts in bench/cost-counts.json. Without
 * options it prints the three reference sizes side by side.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ASSUMPTIONS, type CostCounts, monthlyCost, PRICES, type Scenario, SIZES } from './cost-model.js';

const counts = JSON.parse(readFileSync(new URL('./cost-counts.json', import.meta.url), 'utf8')) as CostCounts;

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`error: --${name} must be a number of 0 or more, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    'articles-per-day': { type: 'string' },
    subscribers: { type: 'string' },
    'editions-per-week': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log('Usage: npm run cost -- [--articles-per-day N] [--subscribers N] [--editions-per-week N]');
  process.exit(0);
}

const given = ['articles-per-day', 'subscribers', 'editions-per-week'].some(
  (k) => values[k as keyof typeof values] !== undefined,
);
const scenarios: Record<string, Scenario> = given
  ? {
      'your site': {
        articlesPerDay: number(values['articles-per-day'], 'articles-per-day') ?? 10,
        subscribers: number(values.subscribers, 'subscribers') ?? 1000,
        editionsPerWeek: number(values['editions-per-week'], 'editions-per-week') ?? 7,
      },
    }
  : SIZES;

const results = Object.entries(scenarios).map(([name, scenario]) => ({
  name,
  scenario,
  ...monthlyCost(counts, scenario),
}));
const money = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;
const width = 20;
const row = (label: string, cells: string[]) =>
  `${label.padEnd(18)}${cells.map((c) => c.padStart(width)).join('')}`;
console.log(
  row(
    'USD per month',
    results.map((r) => r.name),
  ),
);
console.log(
  row(
    '',
    results.map((r) => `${r.scenario.articlesPerDay}/d ${r.scenario.subscribers.toLocaleString('en-US')}`),
  ),
);
for (const service of Object.keys(results[0]!.bill) as (keyof (typeof results)[0]['bill'])[]) {
  console.log(
    row(
      service,
      results.map((r) => money(r.bill[service])),
    ),
  );
}
console.log(
  row(
    'total',
    results.map((r) => money(r.total)),
  ),
);
console.log(
  row(
    'mails',
    results.map((r) => Math.round(r.volume.mails!).toLocaleString('en-US')),
  ),
);
console.log(`\nPrices: ${PRICES.asOf}. Counts: bench/cost-counts.json (measured in the emulated path).`);
console.log(
  `Assumed, not measured: Lambda ms per invocation ${JSON.stringify(ASSUMPTIONS.lambdaMsPerInvocation)}; ` +
    `${ASSUMPTIONS.viewsPerSubscriberPerMonth} page views per subscriber a month; ` +
    `${ASSUMPTIONS.signupsPerMonthShare * 100}% of subscribers sign up each month; idle SQS polling of ` +
    `${ASSUMPTIONS.queuesWithPollers} queues; ${ASSUMPTIONS.monthsStored} months of articles stored; no free tiers.`,
);
