// Only runs that change are matched: replacing every single space with a space costs more than the rest of the parse.
const SPACE_RUN = /[ \t][ \t]+|\t/g;
const SPACE_OR_BREAK_RUN = /[ \t\n][ \t\n]+|[\t\n]/g;

/** Collapses runs of spaces and tabs to one space and trims the ends. */
export function collapseSpaces(text: string): string {
  return text.replace(SPACE_RUN, ' ').trim();
}

/**
 * The last step for every published string: one line, single spaces, NFC. Runs again at the end
 * because removing markup can leave a base letter next to a combining mark that was not beside it.
 */
export function finalizeText(text: string): string {
  return text.replace(SPACE_OR_BREAK_RUN, ' ').trim().normalize('NFC');
}
