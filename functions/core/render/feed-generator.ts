/** Named in every feed's generator element; a constant so that outputs never depend on the environment. */
export const FEED_GENERATOR = 'newsfeed-generator';
