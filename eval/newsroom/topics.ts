/** Every topic the corpus writes about. */
import type { Topic } from './topic.js';
import { BUSINESS, CRASH } from './topics-business-crash.js';
import { COUNCIL, RESEARCH } from './topics-council-research.js';
import { COURT, ELECTION } from './topics-election-court.js';
import { FLOOD, STRIKE } from './topics-flood-strike.js';
import { OUTBREAK, WILDFIRE } from './topics-outbreak-wildfire.js';

export const TOPICS: readonly Topic[] = [
  FLOOD,
  STRIKE,
  ELECTION,
  COURT,
  BUSINESS,
  CRASH,
  OUTBREAK,
  WILDFIRE,
  COUNCIL,
  RESEARCH,
];
