/**
 * Followed feeds and the news they brought (types.ts, Feeds and News), in
 * PostgreSQL, shared by every instance. Whatever must hold across instances
 * is one atomic statement: a lease is a conditional UPDATE (PostgreSQL
 * re-checks its condition against a concurrent winner's row, so only one
 * succeeds), a pause notice another, a post to a server an INSERT … ON
 * CONFLICT DO NOTHING. Times come from the store's clock, not the
 * database's, so every instance (and a test's fake clock) agrees with its
 * own reading of them.
 */
import type pg from 'pg';
import { feedChanges, feedFromRow, newsFromRow, type FeedRow, type NewsRow } from './feed-rows.ts';
import { MAX_SEEN_ITEMS, type Feeds, type News } from './types.ts';

/** The store's query function (refuses once the store is closed). */
export type Run = <R extends pg.QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<pg.QueryResult<R>>;

export function createPostgresFeeds(run: Run, now: () => number): Feeds {
  return {
    async follow(input) {
      // Following again is asking for it again: resumed, due now, its pause notice re-armed.
      const { rows } = await run<FeedRow & { created: boolean }>(
        `INSERT INTO feeds (url, match, guild_id, channel_id, user_id, created_at, next_poll_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (url) DO UPDATE SET match = EXCLUDED.match, guild_id = EXCLUDED.guild_id,
           channel_id = EXCLUDED.channel_id, user_id = EXCLUDED.user_id, paused_at = NULL,
           pause_told = false, failures = 0, next_poll_at = EXCLUDED.next_poll_at
         RETURNING *, (xmax = 0) AS created`,
        [
          input.url,
          input.match ?? null,
          input.guildId ?? null,
          input.channelId ?? null,
          input.userId ?? null,
          now(),
        ],
      );
      const { created, ...row } = rows[0]!;
      return { created, feed: feedFromRow(row) };
    },
    async list() {
      const { rows } = await run<FeedRow>('SELECT * FROM feeds ORDER BY id');
      return rows.map(feedFromRow);
    },
    async get(id) {
      const { rows } = await run<FeedRow>('SELECT * FROM feeds WHERE id = $1', [id]);
      return rows[0] && feedFromRow(rows[0]);
    },
    // feed_items go with it (ON DELETE CASCADE).
    async unfollow(id) {
      const result = await run('DELETE FROM feeds WHERE id = $1', [id]);
      return result.rowCount === 1;
    },
    async lease(id, holder, ms) {
      const at = now();
      const result = await run(
        `UPDATE feeds SET lease_holder = $2, lease_until = $3
         WHERE id = $1 AND (lease_until IS NULL OR lease_until < $4 OR lease_holder = $2)`,
        [id, holder, at + ms, at],
      );
      return result.rowCount === 1;
    },
    async release(id, holder) {
      await run(
        `UPDATE feeds SET lease_holder = NULL, lease_until = NULL
         WHERE id = $1 AND lease_holder = $2`,
        [id, holder],
      );
    },
    async update(id, update) {
      const changes = feedChanges(update);
      const values: unknown[] = [id];
      const param = (value: unknown) => `$${values.push(value)}`;
      const assignments = [
        ...changes.set.map(([column, value]) => `${column} = ${param(value)}`),
        ...changes.add.map(([column, value]) => `${column} = ${column} + ${param(value)}`),
      ];
      if (changes.paused === true) {
        // Paused since the first time it was paused, not since the latest failure.
        assignments.push(`paused_at = coalesce(paused_at, ${param(now())})`);
      } else if (changes.paused === false) {
        // Re-armed, so a later pause is told again.
        assignments.push('paused_at = NULL', 'pause_told = false');
      }
      await run(`UPDATE feeds SET ${assignments.join(', ')} WHERE id = $1`, values);
    },
    // One array parameter, however many keys: no chunking needed.
    async seen(id, keys) {
      if (keys.length === 0) return new Set();
      const { rows } = await run<{ key: string }>(
        'SELECT key FROM feed_items WHERE feed_id = $1 AND key = ANY($2::text[])',
        [id, [...keys]],
      );
      return new Set(rows.map((row) => row.key));
    },
    async markSeen(id, keys) {
      if (keys.length === 0) return;
      // Distinct keys: ON CONFLICT DO UPDATE may not touch one row twice in a statement.
      // Through the feeds table, so a poll that outlived its feed's unfollowing writes nothing.
      await run(
        `INSERT INTO feed_items (feed_id, key, seen_at)
         SELECT f.id, k.key, $3 FROM feeds f CROSS JOIN unnest($2::text[]) AS k (key)
         WHERE f.id = $1
         ON CONFLICT (feed_id, key) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
        [id, [...new Set(keys)], now()],
      );
      // Everything at or below the first key past the newest MAX_SEEN_ITEMS (none when fewer).
      await run(
        `DELETE FROM feed_items WHERE feed_id = $1 AND (seen_at, key) <=
           (SELECT seen_at, key FROM feed_items WHERE feed_id = $1
            ORDER BY seen_at DESC, key DESC LIMIT 1 OFFSET $2)`,
        [id, MAX_SEEN_ITEMS],
      );
    },
    async claimPauseNotice(id) {
      const result = await run(
        `UPDATE feeds SET pause_told = true
         WHERE id = $1 AND paused_at IS NOT NULL AND NOT pause_told`,
        [id],
      );
      return result.rowCount === 1;
    },
  };
}

export function createPostgresNews(run: Run, now: () => number): News {
  return {
    async record(input) {
      const { rows } = await run<NewsRow>(
        `INSERT INTO news (article_id, title, publisher, published, url, feed_id, sentences,
                           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING *`,
        [
          input.articleId,
          input.title,
          input.publisher ?? null,
          input.published ?? null,
          input.url ?? null,
          input.feedId ?? null,
          // As JSON text: pg would send a JS array as a PostgreSQL array, not jsonb.
          JSON.stringify(input.sentences),
          now(),
        ],
      );
      return newsFromRow(rows[0]!);
    },
    async since(since) {
      const { rows } = await run<NewsRow>(
        'SELECT * FROM news WHERE created_at >= $1 ORDER BY created_at, id',
        [since],
      );
      return rows.map(newsFromRow);
    },
    async claim(newsId, guildId) {
      const result = await run(
        `INSERT INTO news_posts (news_id, guild_id, posted_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [newsId, guildId, now()],
      );
      return result.rowCount === 1;
    },
    async release(newsId, guildId) {
      await run('DELETE FROM news_posts WHERE news_id = $1 AND guild_id = $2', [newsId, guildId]);
    },
  };
}
