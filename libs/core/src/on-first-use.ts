/**
 * A value built once, on first use: for what an app needs only on a rare path (its dead-letter
 * clients, its failure counter), so that path's SDKs, reached by an `import()` (a file of their own
 * in the deployed bundle, see tools/build/bundle-app.mjs), stay out of the cold start. Callers at
 * the same time share one build; a failed build (say, the file could not be loaded) is tried again
 * by the next call instead of failing every later one.
 */
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
