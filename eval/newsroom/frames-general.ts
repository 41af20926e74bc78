/**
 * Sentence frames every topic shares: attributions, reactions, "declined to comment", what happens
 * next. They name the event's cast and draw topic material through slots ({claim}, {crisis}, {context}),
 * so the fixed runs between slots stay short, as in real copy, and the genuinely common phrases of news
 * ("said in a statement on", "according to the") recur the way they do there.
 */
import { frames } from './grammar.js';

/** Whole sentences built around an attribution. */
export const ATTRIBUTED = frames([
  '{spokes}, said {when} that {claim}.',
  '{authority} said in a statement {when} that {claim}.',
  'According to {authority}, {claim}.',
  'According to [figures released by|a statement from|a briefing by] {authority}, {claim}.',
  '{official.name} told {agency} that {claim}.',
  '[Speaking to reporters|Speaking at a news conference|In a televised address] {when}, {official.last} said {claim}.',
  'In a statement, {authority} said {claim}[, adding that {claim}|].',
  '{expert}, said {claim}.',
  '[Officials|Authorities] [said|confirmed] {when} that {claim}.',
  'Local media reported that {claim}[, citing {source}|].',
  '{broadcaster} reported that {claim}.',
  '{official.last} [said|added|told reporters] that {claim}.',
  '{spokes.last} [added|said] that {claim}[, but [declined|refused] to give further details|].',
  'A [senior|local|regional] official, who [asked not to be named|spoke on condition of anonymity|was not authorised to speak publicly], [said|told reporters] {claim}.',
  '{rival}, [said|argued] that {authority} [had questions to answer|should have acted sooner][, and called for {demand}|].',
]);

/** Short standalone sentences of reaction and procedure. */
export const PROCEDURAL = frames([
  '{authority} did not [respond to|immediately respond to] a request for comment.',
  'A spokesperson for {authority} declined to comment [further|on the details].',
  'It was not immediately clear [what caused {crisis}|how long {crisis} would last|who would pay for the response].',
  'The figures could not immediately be independently verified.',
  '{rival}, accused {authority} of {accusation}.',
  '{crisis} comes amid {context}.',
  '{crisis} [has|had] [renewed|revived] [questions|debate] about {context}.',
  '{official.last} is expected to [visit|travel to] {city} [on {nextday}|later this week|in the coming days].',
  '{authority} said it would [publish|release] [further details|an update] [on {nextday}|later in the day|once it had more information].',
  '[An investigation|A review] into [the response|{crisis}] [has been ordered|will be carried out by {ministry}].',
  '[Opposition|Local] politicians [called for|demanded] {demand}.',
  '{ministry} said it was [monitoring|following] the situation [closely|and in contact with local officials].',
]);

/** First-person sentences for officials of any topic, used besides the topic's own quotes. */
export const OFFICIAL_QUOTES = frames([
  'We will [look carefully at|review] [what happened|every decision that was made] and [we will be open about it|publish what we find]',
  'There will be [questions|lessons] to [answer|learn][, but| and] [right now|for now] the priority is {priority}',
  'I [understand|hear] the [frustration|concerns] [of|felt by] [the {affected}|people in {city}] and I [want|intend] to [meet them|hear them] [in person|directly]',
  'We [have listened|are listening] to [everyone|all sides] and [we will|we intend to] [take the time we need|get this right]',
]);

/** What officials say in a disaster. */
export const CRISIS_QUOTES = frames([
  'We are [doing everything we can|working as fast as we can] to [help|support] [those affected|the {affected}]',
  'It is [too early|far too early] to say [what went wrong|who is responsible|how long this will take]',
  'Our thoughts are with [everyone affected|the families] [tonight|today|at this difficult time]',
  'Nobody [should|has to] [face|go through] this [alone|without help] and nobody will',
]);

/** How an article opens a quote paragraph when it reports rather than quotes. */
export const REPORTED_SPEECH = frames([
  '{official.last} [said|told reporters] {claim}, [adding|and added] that {claim}.',
  '{witness}, said {claim}.',
  '{responder}, said {claim}.',
  '{expert}, [warned|cautioned] that {claim}.',
]);

/** Follow-up and update leads, for new-lead copies and live blogs. */
export const UPDATE_LEADS = frames([
  '[UPDATE|Update]: {claim}, {spokes.last} said {when}.',
  "[This story has been updated|Updated] with {authority}'s [latest figures|statement|comments]: {claim}.",
  '[Later|Late] on {day}, {authority} said {claim}.',
  '[In the latest development|Since this story was first published], {claim}, according to {authority}.',
  '{official.name} said [in the past hour|on {day} evening] that {claim}.',
]);

/** Notes a correction carries, with the figure that was wrong and the right one. */
export const CORRECTION_NOTES = frames([
  'Correction: An earlier version of this story misstated [a figure|the number of {affected}] [in the|cited in the] [second|third|fourth] paragraph. It was {right}, not {wrong}.',
  'An earlier version of this article misstated [the number of {affected}|a figure given by {authority}]. The correct figure is {right}.',
  'Correction, {nextday}: An earlier version of this story gave an incorrect figure [for|of] {wrong}. [It has been corrected to|The correct figure is] {right}.',
  'This article has been amended. An earlier version misstated [a figure|the number] as {wrong}[; it is|, rather than] {right}.',
]);

/** Background on the place, which any topic's article may carry. */
export const PLACE_BACKGROUND = frames([
  '{city}, [a city of about|a town of some|home to about] {pop} people, [lies|sits] [about|some] {km} kilometres {direction} of [the capital|{town2}].',
  '{city} [is|has long been] [the largest town|the main town|an important market town] in {region}[, and its economy relies on|, known for] [farming and tourism|its port|light industry|its university].',
  '[Many|Most] people in the [area|region] [commute to|work in] [{town2}|the capital], and [about a third|more than a quarter] of [residents|households] are [over 65|employed in farming].',
  '[Unemployment|Average income] in {region} has been [above|below] the national average [for years|since {pastyear2}], according to [official figures|the statistics office].',
]);
