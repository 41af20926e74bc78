/**
 * News events: where and when something happened, who speaks about it, and the pool of facts, quotes
 * and background paragraphs that every article on the event draws from (so that different articles
 * on one event share some sentences verbatim, as agency copy and press releases make them do).
 */
import { capitalise, compile, expand, Scope, type SlotValue } from './grammar.js';
import {
  brand,
  clockTime,
  companyName,
  count,
  MINISTRIES,
  MONTHS,
  money,
  NEWS_AGENCIES,
  personName,
  regionName,
  townName,
  WEEKDAYS,
} from './lexicon.js';
import { createRng, int, pick, type Rng, sample } from './random.js';
import { backgroundParagraph, createWriter, factSentence, quoteParagraph, type Writer } from './sentences.js';
import { ROLES, type Topic } from './topic.js';
import { TOPICS } from './topics.js';

/** Day 0 of the corpus calendar. */
export const EPOCH = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;

export function isoDate(day: number): string {
  return new Date(EPOCH + day * DAY_MS).toISOString().slice(0, 10);
}

/** An event and what writes about it; `pool` holds the sentences and paragraphs its articles share. */
export interface NewsEvent extends Writer {
  id: string;
  /** Days since EPOCH. */
  day: number;
  pool: { facts: string[]; quotes: string[]; background: string[] };
}

const DISTRICTS =
  'Old Harbour|Northgate|Riverside|Market Hill|St Anne’s|Eastfield|the Docks|Castle Quarter|Southbank|Millbrook'.split(
    '|',
  );

const GLOBAL = Scope.of({
  brand: (rng) => brand(rng),
  agency: NEWS_AGENCIES,
  source: [
    'unnamed officials',
    'a source close to the investigation',
    'two people familiar with the matter',
    'police sources',
  ],
  few: (rng) => count(int(rng, 2, 9)),
  n3: (rng) => {
    const n = int(rng, 12, 400);
    return count(n > 100 ? Math.round(n / 10) * 10 : n);
  },
  pastyear: (rng) => String(int(rng, 1962, 2014)),
  pastyear2: (rng) => String(int(rng, 2008, 2019)),
  age: (rng) => String(int(rng, 19, 84)),
  km: (rng) => count(int(rng, 3, 60) * 5),
  direction: ['north', 'south', 'east', 'west', 'north-east', 'south-west', 'north-west', 'south-east'],
});

function dateSlots(day: number, rng: Rng): Record<string, SlotValue> {
  const date = new Date(EPOCH + day * DAY_MS);
  const weekday = WEEKDAYS[date.getUTCDay()]!;
  const month = MONTHS[date.getUTCMonth()]!;
  const timeStyle = int(rng, 0, 1);
  return {
    day: weekday,
    prevday: WEEKDAYS[(date.getUTCDay() + 6) % 7]!,
    nextday: WEEKDAYS[(date.getUTCDay() + 1) % 7]!,
    when: [
      `on ${weekday}`,
      `on ${weekday}`,
      `on ${weekday} morning`,
      `late on ${weekday}`,
      `on ${weekday} evening`,
      `early on ${weekday}`,
    ],
    date: pick(rng, [`${date.getUTCDate()} ${month}`, `${month} ${date.getUTCDate()}`]),
    month,
    year: String(date.getUTCFullYear()),
    time: (r: Rng) => clockTime(r, timeStyle),
  };
}

function placeSlots(rng: Rng): Record<string, SlotValue> {
  const city = townName(rng);
  let town2 = townName(rng);
  while (town2 === city) town2 = townName(rng);
  const region = regionName(rng);
  const uniTown = pick(rng, [city, townName(rng)]);
  return {
    city,
    town2,
    region: region.phrase,
    region_name: region.name,
    district: pick(rng, DISTRICTS),
    pop: count(int(rng, 8, 900) * 1000),
    pct: `${int(rng, 3, 45)} per cent`,
    money: money(rng, pick(rng, ['£', '€', '$']), 2e5, 5e8),
    uni: pick(rng, [`the University of ${uniTown}`, `${uniTown} University`, `the ${brand(rng)} Institute`]),
    ngo: pick(rng, [
      'the Red Cross',
      `the ${brand(rng)} Foundation`,
      'Open Hands Relief',
      'the Citizens’ Advice service',
    ]),
    company: companyName(rng),
    ministry: pick(rng, MINISTRIES),
    broadcaster: [`local broadcaster ${brand(rng)} TV`, `the public broadcaster`, `${brand(rng)} Radio`],
  };
}

/** A title agreed with the person's gender ("spokeswoman", "her savings"). */
function genderTitle(title: string, female: boolean): string {
  return female
    ? title
        .replace(/spokesman/g, 'spokeswoman')
        .replace(/\bhis\b/g, 'her')
        .replace(/chairman/g, 'chairwoman')
    : title.replace(/spokeswoman/g, 'spokesman').replace(/\bher\b/g, 'his');
}

function castSlots(topic: Topic, rng: Rng, scope: Scope): void {
  const used = new Set<string>();
  for (const role of ROLES) {
    let person = personName(rng);
    while (used.has(person.last)) person = personName(rng);
    used.add(person.last);
    const title = genderTitle(topic.roles[role].draw(rng, scope), person.female);
    const name = `${person.first} ${person.last}`;
    const appositive = role === 'witness' ? `${name}, ${int(rng, 19, 84)}, ${title}` : `${name}, ${title}`;
    scope.set(role, appositive);
    scope.set(`${role}.name`, name);
    scope.set(`${role}.first`, person.first);
    scope.set(`${role}.last`, person.last);
    scope.set(`${role}.title`, title);
    scope.set(`${role}.he`, person.female ? 'she' : 'he');
    scope.set(`${role}.his`, person.female ? 'her' : 'his');
  }
}

function topicSlots(topic: Topic, rng: Rng, scope: Scope): void {
  for (const [name, frames] of Object.entries(topic.vary)) scope.set(name, (r) => frames.drawRaw(r, scope));
  for (const [name, value] of Object.entries(topic.setup(rng, scope))) {
    const fixed = typeof value === 'string' ? expand(compile(value), rng, scope) : value;
    scope.set(name, fixed);
    if (typeof fixed === 'string') scope.set(`${name}_cap`, capitalise(fixed));
  }
}

function distinct(make: () => string, count: number): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 4; tries++) out.add(make());
  return [...out];
}

function fillPools(event: NewsEvent, rng: Rng): void {
  event.pool = {
    facts: distinct(() => factSentence(event, rng), int(rng, 10, 16)),
    quotes: distinct(() => quoteParagraph(event, rng), int(rng, 3, 6)),
    background: distinct(() => backgroundParagraph(event, rng), int(rng, 2, 4)),
  };
}

/** A new event of `topic` (or a random topic) on `day`. */
export function createEvent(id: string, rng: Rng, day: number, topic: Topic = pick(rng, TOPICS)): NewsEvent {
  const shuffle = createRng(Math.floor(rng() * 4294967296));
  const scope = Scope.of({ ...dateSlots(day, rng), ...placeSlots(rng) }, GLOBAL);
  topicSlots(topic, rng, scope);
  castSlots(topic, rng, scope);
  const variant = pick(rng, topic.variants);
  scope.set('variant', variant);
  const event: NewsEvent = {
    id,
    day,
    ...createWriter(topic, variant, scope, shuffle),
    pool: { facts: [], quotes: [], background: [] },
  };
  fillPools(event, rng);
  return event;
}

/**
 * A later event in the same place with the same people (the next hearing, the inquiry, the
 * rebuilding): new facts and quotes, and some of the earlier background carried over.
 */
export function followUp(parent: NewsEvent, id: string, rng: Rng, day: number): NewsEvent {
  const shuffle = createRng(Math.floor(rng() * 4294967296));
  const scope = new Scope(new Map(Object.entries(dateSlots(day, rng))), parent.scope);
  const variant = parent.scope.value('variant', rng);
  const event: NewsEvent = {
    id,
    day,
    ...createWriter(parent.topic, variant, scope, shuffle),
    pool: { facts: [], quotes: [], background: [] },
  };
  fillPools(event, rng);
  event.pool.background = [...sample(rng, parent.pool.background, 1), ...event.pool.background];
  return event;
}

/** Fixed slots of a one-off scope in the event's context, e.g. the figures of a correction. */
export function withSlots(event: NewsEvent, values: Record<string, SlotValue>): Scope {
  return Scope.of(values, event.scope);
}
