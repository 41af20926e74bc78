/**
 * Word-level variation inside templates: words with safe alternatives in any context ("about" →
 * "around", "residents" → "locals") become choices when a template is compiled, so that sentences
 * built from one frame differ in their wording from event to event as real copy does.
 */

const TABLE = `
said stated added
nearly almost
several a-number-of
closed shut
began started
started began
quickly rapidly swiftly
large big major
main principal key
serious grave
warned cautioned
urged pressed
announced unveiled
confirmed verified
despite in-spite-of
although though even-though
because as
concerns worries
anger fury
talks negotiations
deal agreement
plan proposal
plans proposals
scheme project
firm company
company firm
figures numbers data
residents locals people
homes houses
officials authorities
authorities officials
region area
workers employees staff
staff employees
costs expenses
rose climbed
difficult hard tough
important significant
vital essential crucial
likely expected
injured hurt wounded
evacuated moved-out
rescuers rescue-workers emergency-crews
crews teams
teams crews
firefighters fire-crews
decision move
study paper
researchers scientists
scientists researchers
severely badly seriously
sharply steeply
largely mostly
mostly largely
families households
expected forecast
angry furious
help assist
`;

export const VARIATION: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const line of TABLE.trim().split('\n')) {
    const [word, ...alternatives] = line.trim().split(/\s+/);
    if (word && alternatives.length)
      map.set(
        word,
        alternatives.map((a) => a.replace(/-/g, ' ')),
      );
  }
  return map;
})();
