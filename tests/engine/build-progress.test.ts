/** Progress lines for long index builds: quiet when quick, announced when slow, never silent for long. */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOTICE_AFTER_MS, REPEAT_EVERY_MS, watchBuild } from '../../src/engine/build-progress.ts';

describe('watchBuild', () => {
  let lines: string[];
  const logger = () =>
    pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l).msg) });

  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
  });
  afterEach(() => vi.useRealTimers());

  it('says nothing about a build that ends within the notice time', () => {
    const watch = watchBuild(logger(), '/knowledge');
    watch.update('indexing', 300);
    vi.advanceTimersByTime(NOTICE_AFTER_MS - 1);
    watch.stop();
    vi.advanceTimersByTime(10 * REPEAT_EVERY_MS);
    expect(lines).toEqual([]);
  });

  it('announces a slow build with its size, then reports it is still going', () => {
    const watch = watchBuild(logger(), '/knowledge');
    watch.update('indexing', 300);
    vi.advanceTimersByTime(NOTICE_AFTER_MS);
    expect(lines).toEqual(['Building the index: 300 articles…']);
    vi.advanceTimersByTime(REPEAT_EVERY_MS - NOTICE_AFTER_MS);
    watch.update('saving');
    vi.advanceTimersByTime(REPEAT_EVERY_MS);
    expect(lines.slice(1)).toEqual([
      'Still building the index (indexing, 10 s so far)…',
      'Still building the index (saving, 20 s so far)…',
    ]);
    watch.stop();
    vi.advanceTimersByTime(10 * REPEAT_EVERY_MS);
    expect(lines).toHaveLength(3);
  });

  it('waits for the article count when reading the folder is what takes long', () => {
    const watch = watchBuild(logger(), '/knowledge');
    vi.advanceTimersByTime(NOTICE_AFTER_MS * 2);
    expect(lines).toEqual([]);
    watch.update('indexing', 10_000);
    expect(lines).toEqual(['Building the index: 10000 articles…']);
    watch.stop();
  });
});
