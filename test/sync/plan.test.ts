// The pure decisions of the district sync, its read-ahead of Clever pages and its page writers, without a database.
import { addCount, emptyRunCounts, mergeCounts, parseRunCounts } from '../../src/sync/plan/counts';
import { parseEventType } from '../../src/sync/plan/plan-events';
import { describeBreaches, evaluateGuard, isInRollover, thresholdFor } from '../../src/sync/plan/guard';
import { readAhead } from '../../src/sync/read-ahead';
import { PageWriters } from '../../src/sync/page-writers';

describe('the mass-change guard', () => {
  it('holds a run that would archive more than the threshold of a record type', () => {
    const decision = evaluateGuard({
      stats: { user: { active: 100, toArchive: 11 }, section: { active: 10, toArchive: 1 } },
      threshold: 0.1,
      isRollover: false,
    });
    expect(decision.isHeld).toBe(true);
    expect(decision.breaches).toEqual([{ type: 'user', toArchive: 11, active: 100, share: 0.11 }]);
    expect(describeBreaches(decision)).toBe('11 of 100 users (11%)');
  });

  it('lets a run archiving exactly the threshold through', () => {
    const decision = evaluateGuard({
      stats: { user: { active: 100, toArchive: 10 } },
      threshold: 0.1,
      isRollover: false,
    });
    expect(decision.isHeld).toBe(false);
  });

  it('lets a run with nothing to archive through without counting the active rows', () => {
    const decision = evaluateGuard({
      stats: { user: { active: null, toArchive: 0 }, section_membership: { active: null, toArchive: 0 } },
      threshold: 0.1,
      isRollover: false,
    });
    expect(decision).toMatchObject({ isHeld: false, breaches: [] });
  });

  it('holds a run whose active rows were not counted though it would archive some (fails safe)', () => {
    const decision = evaluateGuard({
      stats: { user: { active: null, toArchive: 3 } },
      threshold: 0.1,
      isRollover: false,
    });
    expect(decision.isHeld).toBe(true);
    expect(describeBreaches(decision)).toBe('3 of 3 users (100%)');
  });

  it('never holds with a threshold of 1 (an admin who switched the guard off)', () => {
    const decision = evaluateGuard({
      stats: { user: { active: 5, toArchive: 5 } },
      threshold: 1,
      isRollover: false,
    });
    expect(decision.isHeld).toBe(false);
  });

  it("does not hold last year's terms and sections at rollover, but still guards users", () => {
    const decision = evaluateGuard({
      stats: {
        term: { active: 6, toArchive: 3 },
        section: { active: 48, toArchive: 24 },
        section_membership: { active: 400, toArchive: 200 },
        user: { active: 80, toArchive: 40 },
      },
      threshold: 0.1,
      isRollover: true,
    });
    expect(decision.exempted.sort()).toEqual(['section', 'section_membership', 'term']);
    expect(decision.breaches.map((b) => b.type)).toEqual(['user']);
  });

  it('uses the district threshold when set, else the configured default', () => {
    expect(thresholdFor(0.5, 0.1)).toBe(0.5);
    expect(thresholdFor(null, 0.1)).toBe(0.1);
  });
});

describe('rollover detection', () => {
  const now = new Date('2027-07-01T00:00:00Z');
  it('sees a paused district as in rollover', () => {
    expect(isInRollover({ cleverState: 'paused', pauseStart: null, pauseEnd: null }, now)).toBe(true);
  });
  it('sees a district inside its pause window as in rollover', () => {
    const district = {
      cleverState: 'running',
      pauseStart: '2027-06-20T00:00:00Z',
      pauseEnd: '2027-07-10T00:00:00Z',
    };
    expect(isInRollover(district, now)).toBe(true);
    expect(isInRollover({ ...district, pauseEnd: '2027-06-30T00:00:00Z' }, now)).toBe(false);
  });
  it('sees a running district without a pause as not in rollover', () => {
    expect(isInRollover({ cleverState: 'running', pauseStart: null, pauseEnd: null }, now)).toBe(false);
  });
});

describe('event types', () => {
  it('reads v3 record types and actions', () => {
    expect(parseEventType('users.updated')).toEqual({ recordType: 'user', action: 'updated' });
    expect(parseEventType('sections.deleted')).toEqual({ recordType: 'section', action: 'deleted' });
  });
  it('ignores types the app does not store', () => {
    expect(parseEventType('resources.created')).toBeNull();
    expect(parseEventType('students.created')).toBeNull();
  });
});

describe('run counts', () => {
  it('adds per type and in total, and survives a JSON round trip', () => {
    const counts = emptyRunCounts();
    addCount(counts, 'user', 'created', 3);
    const more = emptyRunCounts();
    addCount(more, 'section', 'archived');
    mergeCounts(counts, more);
    expect(counts.total).toMatchObject({ created: 3, archived: 1 });
    expect(parseRunCounts(JSON.parse(JSON.stringify(counts)))).toEqual(counts);
  });
});

describe('reading the next Clever page ahead while a page is written', () => {
  async function* pages(failAt: number | null, seen: string[]) {
    for (let n = 1; n <= 3; n++) {
      seen.push(`fetch ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === failAt) throw new Error(`page ${n} failed`);
      seen.push(`invalid ${n}`);
      yield [`record ${n}`];
    }
  }

  it('hands over every page in order with the records rejected on that page, fetching one page ahead', async () => {
    const seen: string[] = [];
    const got: Array<[string[], string[]]> = [];
    for await (const { item, captured } of readAhead(pages(null, seen), () =>
      seen.filter((s) => s.startsWith('invalid')).splice(-1),
    )) {
      seen.push(`write ${item[0]}`);
      got.push([item, captured]);
    }
    expect(got).toEqual([
      [['record 1'], ['invalid 1']],
      [['record 2'], ['invalid 2']],
      [['record 3'], ['invalid 3']],
    ]);
    // Page 2 is asked for before page 1 is written.
    expect(seen.indexOf('fetch 2')).toBeLessThan(seen.indexOf('write record 1'));
  });

  it('reports a failed page to the writer, and nothing else, when the writer stopped first', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const writeFails = async () => {
        for await (const { item } of readAhead(pages(2, []), () => null)) {
          throw new Error(`could not write ${item[0]}`);
        }
      };
      await expect(writeFails()).rejects.toThrow('could not write record 1');
      const fetchFails = async () => {
        for await (const { item } of readAhead(pages(2, []), () => null)) void item;
      };
      await expect(fetchFails()).rejects.toThrow('page 2 failed');
      await new Promise((resolve) => setTimeout(resolve, 30)); // the abandoned page 2 has failed by now
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('writing pages side by side', () => {
  const deferred = () => {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };

  it('writes at most `limit` pages at once, and waits for every one', async () => {
    const writers = new PageWriters(2);
    const pages = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const write = (i: number) => async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await pages[i].promise;
      running--;
    };
    await writers.add(write(0));
    await writers.add(write(1));
    const third = writers.add(write(2));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    pages[0].resolve();
    await third;
    expect(started).toEqual([0, 1, 2]);
    let drained = false;
    const drain = writers.drain().then(() => (drained = true));
    pages[1].resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(drained).toBe(false);
    pages[2].resolve();
    await drain;
    expect(most).toBe(2);
  });

  it('starts no page after one failed, lets those in flight finish, then reports the failure', async () => {
    const writers = new PageWriters(2);
    const slow = deferred();
    let slowDone = false;
    await writers.add(async () => {
      await slow.promise;
      slowDone = true;
    });
    await writers.add(async () => {
      throw new Error('page 2 failed');
    });
    await new Promise((r) => setTimeout(r, 0));
    let third = false;
    await expect(writers.add(async () => void (third = true))).rejects.toThrow('page 2 failed');
    expect(third).toBe(false);
    const drained = writers.drain();
    slow.resolve();
    await expect(drained).rejects.toThrow('page 2 failed');
    expect(slowDone).toBe(true);
  });
});
