/**
 * The one dependency lifetime of every handler: composed on the first invocation and kept for the
 * container's life (SDK clients, compiled templates, the sender's token bucket), so a warm
 * invocation composes nothing. A composition that fails (a secret not readable yet) is not kept:
 * the next invocation tries again instead of failing for the rest of the container's life.
 */
export function composedOnce<D>(compose: () => D | Promise<D>): () => Promise<D> {
  let deps: Promise<D> | undefined;
  return () => {
    deps ??= Promise.resolve()
      .then(compose)
      .catch((error: unknown) => {
        deps = undefined;
        throw error;
      });
    return deps;
  };
}
