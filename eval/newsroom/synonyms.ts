/**
 * A small synonym table for rewording copy (a sub-editor's or a rival desk's rewrite): each word maps
 * to plausible alternatives in news usage. Words outside the table are replaced only when a rewrite
 * needs more changes than the table allows.
 */
import { pick, type Rng } from './random.js';

const GROUPS = `
said stated noted added told
says states notes adds
warned cautioned
people residents individuals
homes houses properties
home house
town city
villages settlements
roads streets
officials authorities
authorities officials
government administration
minister secretary
spokesperson spokeswoman representative
about around roughly some approximately
nearly almost close-to
after following
before ahead-of prior-to
because as since
but however though
also too likewise
still yet
later subsequently
many numerous several
several a-number-of multiple
large big major
big large sizeable
small minor little
new fresh latest
worst most-severe
highest greatest
main principal chief key
serious grave severe
heavy intense
quickly rapidly swiftly fast
immediately at-once instantly
again once-more
expected forecast predicted
announced unveiled revealed
approved endorsed backed cleared
rejected dismissed turned-down
closed shut
opened launched
began started
start begin
ended finished concluded
help assist support
helped assisted supported
cut reduce lower
cuts reductions
rise increase climb
rose climbed increased
fell dropped declined
fall drop decline
damage harm
damaged hit harmed
killed left-dead
injured hurt wounded
missing unaccounted-for
rescue relief
rescuers rescue-workers
workers staff employees
staff workers personnel
company firm business
firm company business
plan proposal scheme
plans proposals
scheme project programme
talks negotiations discussions
deal agreement accord
offer proposal
decision ruling
report study
study research analysis
figures numbers data
number total
cost price bill
costs expenses
money funds cash
jobs posts positions
area district zone
region province area
centre heart middle
site location
building premises
hospital clinic
police officers
court tribunal
judge magistrate
trial case
evidence proof
claims allegations
concerns worries fears
anger fury outrage
criticism censure
questions queries
warning alert caution
warnings alerts
statement release announcement
comment remark
confirmed verified
reported said
described called
urged pressed called-on
asked requested
told informed
believed thought
known understood
likely probably
unclear uncertain
clear plain obvious
important significant
difficult hard tough
vital essential crucial
essential necessary
enough sufficient
local regional
national nationwide
public general
private independent
across throughout
near close-to
outside beyond
inside within
during amid
while as
although though while
including such-as
despite in-spite-of
`;

/** word → alternatives (multi-word alternatives are written with hyphens in the table). */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const line of GROUPS.trim().split('\n')) {
    const [word, ...alternatives] = line.trim().split(/\s+/);
    if (!word || alternatives.length === 0) continue;
    map.set(
      word.replace(/-/g, ' '),
      alternatives.map((a) => a.replace(/-/g, ' ')),
    );
  }
  return map;
})();

const FILLER =
  'local major recent further official other key several main public general wider former latest own'.split(
    ' ',
  );

/** A replacement for the letters of `word`, keeping its capitalisation; a synonym if the table has one. */
export function alternative(word: string, rng: Rng, allowFiller: boolean): string | undefined {
  const lower = word.toLowerCase();
  const options = SYNONYMS.get(lower);
  let replacement: string | undefined;
  if (options) replacement = pick(rng, options);
  else if (allowFiller) {
    replacement = pick(rng, FILLER);
    if (replacement === lower) replacement = pick(rng, FILLER);
  }
  if (!replacement || replacement === lower) return undefined;
  return word[0] === word[0]!.toUpperCase() && word[0] !== word[0]!.toLowerCase()
    ? replacement[0]!.toUpperCase() + replacement.slice(1)
    : replacement;
}
