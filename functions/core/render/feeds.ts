/** Feed rendering: RSS 2.0, Atom 1.0 and JSON Feed 1.1 from the same stories, one writer per format. */
export { ATOM_ENTRY_ID_PREFIX, atomEntryId, EMPTY_FEED_UPDATED, renderAtom } from './feed-atom.js';
export { InvalidFeedDateError } from './feed-dates.js';
export { JSON_FEED_VERSION, renderJsonFeed } from './feed-json.js';
export { renderRss } from './feed-rss.js';
export { type FeedUrls, feedUrls, storyUrl } from './feed-urls.js';
