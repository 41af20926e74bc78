/**
 * A small synonym table for rewording copy (a sub-editor's or a rival desk's rewrite): each word maps
 * to plausible alternatives in news usage.
 */
import { pick, type Rng } from './random.js';
import { VARIATION } from './variation.js';

const GROUPS = `
said stated noted added
stated said
added said noted
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
spokesperson representative
nearly almost close-to
because as since
but however though
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
began started
start begin
ended finished concluded
help assist support
helped assisted supported
rise increase climb
rose climbed increased
fall drop decline
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
cost price
costs expenses
money funds cash
jobs posts positions
area district zone
region province area
centre heart middle
site location
building premises
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
inside within
during amid
while as
although though while
including such-as
despite in-spite-of
rain rainfall
reporters journalists
result outcome
link connection
showed indicated
proposal plan
households homes
carrying transporting
examined studied
critical serious
risk danger
moved relocated
almost nearly
flames fire
doctors medics
scene site
identified named
floods flooding
flats apartments
developer builder
appeal challenge
city town
everyone everybody
road route
numbers figures
vote ballot
may might
give provide
matter issue
plant factory
project scheme
job post
district area
statement release
asked requested
named identified
lies sits
sits lies
largest biggest
biggest largest
unfilled vacant
vacancies openings
explaining setting-out
rejecting turning-down
familiar acquainted
linked tied
concerned worried
destroyed wrecked
blamed faulted
deployed sent
attempt bid
regional local
following after
further additional more
roughly about approximately
remained stayed
remain stay
sent dispatched
published released
fallen dropped declined
gathered assembled
debate discussion
decline fall
streets roads
investigation inquiry probe
victory win
passengers travellers
construction building-work
sites locations
verified confirmed
could might
should ought-to
every each
residents locals
houses homes
shut closed
data figures
employees workers
crews teams
effect impact
paper study
forecast predicted
accident crash
election poll
details information
spokesman representative
spokeswoman representative
flooded inundated
evacuated moved-out
citing quoting
team group
results findings
kilometres km
delivered sent
used employed
top leading
rising climbing
falling dropping
growing rising
expected anticipated
reached hit
described called
planned intended
`;

/** word → alternatives (multi-word alternatives are written with hyphens in the table). */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  // The words the templates vary on are synonyms too.
  const map = new Map<string, string[]>(
    [...VARIATION].map(([word, alternatives]) => [word, [...alternatives]]),
  );
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

/**
 * Alternatives that fit most but not all contexts ("after" → "following"), used only when a rewrite
 * needs more changes than the main table allows.
 */
const FALLBACK_GROUPS = `
after following
before prior-to
reported said
outside near
showed revealed
early first
hours hours-later
leader head
chief head
lost gave-up
held kept
opened began
found showed
working employed
change shift
worked served
now currently
until till
declined refused
support backing
damaged hit
route line
taken brought
pay wages
outbreak cluster
two 2
three 3
four 4
five 5
six 6
seven 7
eight 8
nine 9
`;

export const FALLBACK: ReadonlyMap<string, readonly string[]> = new Map(
  FALLBACK_GROUPS.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([word, ...alternatives]) => [word!, alternatives.map((a) => a.replace(/-/g, ' '))]),
);

/** A synonym for the letters of `word`, keeping its capitalisation; undefined when the table has none. */
export function alternative(word: string, rng: Rng, fallback = false): string | undefined {
  const lower = word.toLowerCase();
  const options = (fallback ? FALLBACK : SYNONYMS).get(lower);
  if (!options) return undefined;
  const replacement = pick(rng, options);
  if (replacement === lower) return undefined;
  return word[0] !== lower[0] ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement;
}
