/** A header value (or name) contains CR or LF: it would start a header of the caller's choosing. Rejected, never stripped. */
export class HeaderInjectionError extends Error {
  override name = 'HeaderInjectionError';
}

/** An input to the message builder cannot be expressed in a valid message (bad address, date, URL or header name). */
export class MimeInputError extends Error {
  override name = 'MimeInputError';
}
