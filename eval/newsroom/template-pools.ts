/**
 * Phrase pools that outlets' page templates are composed from. The 'train' and 'heldout' pools share
 * no wording, markers or layout, so that an evaluation run on heldout templates shows whether anything
 * was tuned to the train phrases.
 */

export type BylinePlace = 'top' | 'after-headline' | 'after-standfirst' | 'end';
export type SharePlace = 'after-byline' | 'end-of-body' | 'top' | 'before-more';
export type AdPlace = 'middle' | 'after-first';
export type NewsletterPlace = 'middle' | 'end' | 'after-more' | 'before-body';

export interface TemplatePools {
  /** Outlet names: a prefix and a masthead word. */
  prefixes: readonly string[];
  mastheads: readonly string[];
  /** Byline formats: {name} a reporter or desk, {outlet} the outlet. */
  bylines: readonly string[];
  desks: readonly string[];
  buttons: readonly string[];
  separators: readonly string[];
  /** Words before the buttons ("Share this article"), or '' for none. */
  shareLeads: readonly string[];
  ads: readonly string[];
  /** Newsletter plugs: {letter} the newsletter's name, {outlet} the outlet. */
  newsletters: readonly string[];
  letterNames: readonly string[];
  /** Labels above the list of other headlines: {outlet} the outlet. */
  moreLabels: readonly string[];
  /** Put before each of the other headlines. */
  bullets: readonly string[];
  /** Copyright lines: {year}, {outlet}, {owner}. */
  copyrights: readonly string[];
  owners: readonly string[];
  layouts: {
    byline: readonly BylinePlace[];
    share: readonly SharePlace[];
    ad: readonly AdPlace[];
    newsletter: readonly NewsletterPlace[];
  };
}

export const TRAIN: TemplatePools = {
  prefixes: [
    'Harbour',
    'Northern',
    'Capital',
    'Coastal',
    'Valley',
    'Metro',
    'Riverside',
    'Highland',
    'Midland',
    'Eastern',
    'Western',
    'Lakeland',
    'Borough',
    'County',
  ],
  mastheads: [
    'Times',
    'Herald',
    'Ledger',
    'Post',
    'Courier',
    'Gazette',
    'Tribune',
    'Chronicle',
    'Star',
    'Journal',
  ],
  bylines: [
    'By {name} | {outlet}',
    'By {name}, {outlet}',
    '{name}, {outlet} staff',
    'Written by {name}',
    'By {name} for the {outlet}',
    '{outlet} reporters',
  ],
  desks: [
    'Staff Reporter',
    'News Desk',
    'our correspondent',
    'Local Democracy Desk',
    'the Newsroom',
    'City Desk',
    'Regional Affairs Team',
  ],
  buttons: [
    'Share on Facebook',
    'Share on X',
    'Share on WhatsApp',
    'Email',
    'Copy link',
    'Print',
    'Save',
    'Listen to this article',
    'Facebook',
    'LinkedIn',
    'Comments',
  ],
  separators: [' | ', ' · ', '  '],
  shareLeads: ['', 'Share this article', 'Share', 'Share this story'],
  ads: [
    'ADVERTISEMENT',
    'Advertisement',
    'Story continues below advertisement',
    '- Advertisement -',
    'Advertisement - scroll to continue reading',
    'AD',
  ],
  newsletters: [
    'Sign up for {letter}, our free daily newsletter, to get the top stories delivered to your inbox every morning.',
    'Get {letter} in your inbox: the day’s most important news, sent every weekday at 7am. Sign up now.',
    'Never miss a story. Subscribe to {letter} for the best of {outlet} in your inbox each morning.',
    'Enjoying this article? Sign up to {letter} and get our journalism delivered free to your inbox.',
    'Want more like this? {letter} brings you the stories that matter, every evening. It is free to sign up.',
  ],
  letterNames: [
    'The Morning Briefing',
    'First Edition',
    'The Daily Digest',
    'Evening Update',
    'The Week Ahead',
    'News at Seven',
  ],
  moreLabels: [
    'More from {outlet}',
    'Most read',
    'Related stories',
    'You may also like',
    'Top stories',
    'Latest news',
  ],
  bullets: ['', '- '],
  copyrights: [
    '© {year} {outlet}. All rights reserved.',
    'Copyright © {year} {owner}. All rights reserved.',
    '© {owner} {year}',
    '© Copyright {year} {outlet}',
  ],
  owners: ['Media Group Ltd', 'Publishing plc', 'News & Media Ltd', 'Newspapers Ltd'],
  layouts: {
    byline: ['top', 'after-headline'],
    share: ['after-byline', 'end-of-body'],
    ad: ['middle'],
    newsletter: ['middle', 'end'],
  },
};

export const HELDOUT: TemplatePools = {
  prefixes: [
    'Bayside',
    'Southern',
    'Central',
    'Upland',
    'Harbourview',
    'Northfield',
    'Westbrook',
    'Greater',
    'Lowland',
    'Downtown',
    'Summit',
    'Channel',
    'Estuary',
    'Provincial',
  ],
  mastheads: [
    'Observer',
    'Dispatch',
    'Sentinel',
    'Mirror',
    'Record',
    'Examiner',
    'Bulletin',
    'Voice',
    'Enquirer',
    'Standard',
    'Argus',
    'Mercury',
  ],
  bylines: [
    'Reporting by {name}; editing by {name2}',
    '{name} — {outlet} correspondent',
    'Story: {name}',
    'Filed by {name} for {outlet}',
    'Words: {name}',
    '{outlet} / {name}',
  ],
  desks: [
    'Agency Wire',
    'Features Unit',
    'Investigations Team',
    'Breaking News Team',
    'Metro Desk',
    'Online Staff',
  ],
  buttons: [
    'Telegram',
    'Reddit',
    'Bookmark',
    'Gift this article',
    'Read later',
    'Play audio',
    'Send to a friend',
    'Messenger',
    'Pin',
    'Follow topic',
  ],
  separators: [' / ', ' • ', ' ~ '],
  shareLeads: ['Spread the word:', 'Pass it on:', 'Tools:', ''],
  ads: [
    'SPONSORED',
    '[ Ad ]',
    'Article continues after this message',
    'Promoted content',
    '*** Paid partnership ***',
    'Continue reading below',
  ],
  newsletters: [
    'Join thousands of readers: {letter} lands in your mailbox every Friday. Subscribe for free.',
    'Don’t miss out. Register for {letter} and receive handpicked reads from {outlet} twice a week.',
    'Like what you read? {letter} collects our best reporting each Sunday, at no cost. Register today.',
    'Our free email, {letter}, rounds up the news you need before lunch. Enter your address to join.',
    'Stay informed with {letter}: a short, free round-up from the {outlet} team, every Saturday morning.',
  ],
  letterNames: [
    'The Lunchtime Note',
    'Weekend Reads',
    'The Round-Up',
    'Inside Track',
    'The Sunday Longread',
    'Morning Coffee',
  ],
  moreLabels: [
    'Trending now',
    'Elsewhere on {outlet}',
    'Popular this week',
    'Recommended for you',
    'Editor’s picks',
    'In case you missed it',
  ],
  bullets: ['• ', '› ', '>> '],
  copyrights: [
    'All content © {outlet} {year}',
    '{outlet} is published by {owner}. Reproduction prohibited.',
    'Content copyright {owner}, {year}',
    '{outlet} ({owner}) — no reuse without permission',
  ],
  owners: ['Press Holdings', 'Publications Limited', 'Print & Digital Co.', 'Broadcasting Group'],
  layouts: {
    byline: ['after-standfirst', 'end'],
    share: ['top', 'before-more'],
    ad: ['after-first'],
    newsletter: ['after-more', 'before-body'],
  },
};
