// Asks for the next page while the caller is still writing the current one, so Clever's latency and the
// parsing and validation of a page overlap the database's work on the one before (docs/benchmarks.md).
// One page ahead at most: memory stays bounded by the page size.

/**
 * Yields each item of `source` with what `capture()` returned the moment it arrived (e.g. the records of that
 * page that failed validation). A failure fetching the next page surfaces when the caller asks for it, never as
 * an unhandled rejection while the caller is busy or after it gave up.
 */
export async function* readAhead<T, C>(
  source: AsyncIterable<T>,
  capture: () => C,
): AsyncGenerator<{ item: T; captured: C }, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const fetchNext = () => {
    const next = iterator.next().then((result) => ({ result, captured: capture() }));
    next.catch(() => undefined); // handled where it is awaited; this only marks it as handled meanwhile
    return next;
  };
  let pending = fetchNext();
  for (;;) {
    const { result, captured } = await pending;
    if (result.done) return;
    pending = fetchNext();
    yield { item: result.value, captured };
  }
}
