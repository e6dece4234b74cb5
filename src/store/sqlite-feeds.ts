/**
 * Followed feeds and the news they brought (types.ts, Feeds and News), in
 * SQLite. Each guarantee that must hold between shards sharing the file (one
 * lease holder, one pause notice, one post per server) is a single UPDATE or
 * INSERT OR IGNORE, which SQLite runs atomically.
 */
import type Database from 'better-sqlite3';
import { feedChanges, feedFromRow, newsFromRow, type FeedRow, type NewsRow } from './feed-rows.ts';
import { MAX_SEEN_ITEMS, type FeedInput, type Feeds, type News } from './types.ts';

export function createSqliteFeeds(db: Database.Database, now: () => number): Feeds {
  const statements = {
    idByUrl: db.prepare<[string], number>('SELECT id FROM feeds WHERE url = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO feeds (url, match, guild_id, channel_id, user_id, created_at, next_poll_at)
       VALUES (@url, @match, @guildId, @channelId, @userId, @at, @at)`,
    ),
    // Following again is asking for it again: resumed, due now, its pause notice re-armed.
    refollow: db.prepare(
      `UPDATE feeds SET match = @match, guild_id = @guildId, channel_id = @channelId,
         user_id = @userId, paused_at = NULL, pause_told = 0, failures = 0, next_poll_at = @at
       WHERE id = @id`,
    ),
    get: db.prepare<[number], FeedRow>('SELECT * FROM feeds WHERE id = ?'),
    list: db.prepare<[], FeedRow>('SELECT * FROM feeds ORDER BY id'),
    unfollow: db.prepare<[number]>('DELETE FROM feeds WHERE id = ?'),
    lease: db.prepare(
      `UPDATE feeds SET lease_holder = @holder, lease_until = @until
       WHERE id = @id AND (lease_until IS NULL OR lease_until < @now OR lease_holder = @holder)`,
    ),
    release: db.prepare<[number, string]>(
      `UPDATE feeds SET lease_holder = NULL, lease_until = NULL
       WHERE id = ? AND lease_holder = ?`,
    ),
    // One JSON parameter instead of one per key: no limit on how many keys are asked about.
    seen: db
      .prepare<[number, string], string>(
        `SELECT key FROM feed_items WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))`,
      )
      .pluck(),
    // Through the feeds table, so a poll that outlived its feed's unfollowing writes nothing.
    markSeen: db.prepare<[string, number, number]>(
      `INSERT INTO feed_items (feed_id, key, seen_at) SELECT id, ?, ? FROM feeds WHERE id = ?
       ON CONFLICT (feed_id, key) DO UPDATE SET seen_at = excluded.seen_at`,
    ),
    // Everything at or below the first key past the newest MAX_SEEN_ITEMS (none when fewer).
    pruneSeen: db.prepare(
      `DELETE FROM feed_items WHERE feed_id = @id AND (seen_at, key) <=
         (SELECT seen_at, key FROM feed_items WHERE feed_id = @id
          ORDER BY seen_at DESC, key DESC LIMIT 1 OFFSET @keep)`,
    ),
    claimPauseNotice: db.prepare<[number]>(
      `UPDATE feeds SET pause_told = 1 WHERE id = ? AND paused_at IS NOT NULL AND NOT pause_told`,
    ),
  };
  /** update's statements by their SQL: few shapes (which fields a poll gives), each prepared once. */
  const updates = new Map<string, Database.Statement<unknown[]>>();

  const get = (id: number) => {
    const row = statements.get.get(id);
    return row && feedFromRow(row);
  };

  const follow = db.transaction((input: FeedInput) => {
    const values = {
      url: input.url,
      match: input.match ?? null,
      guildId: input.guildId ?? null,
      channelId: input.channelId ?? null,
      userId: input.userId ?? null,
      at: now(),
    };
    const existing = statements.idByUrl.get(input.url);
    if (existing !== undefined) {
      statements.refollow.run({ ...values, id: existing });
      return { created: false, feed: get(existing)! };
    }
    const id = Number(statements.insert.run(values).lastInsertRowid);
    return { created: true, feed: get(id)! };
  });

  const markSeen = db.transaction((id: number, keys: readonly string[]) => {
    const at = now();
    for (const key of new Set(keys)) statements.markSeen.run(key, at, id);
    statements.pruneSeen.run({ id, keep: MAX_SEEN_ITEMS });
  });

  return {
    follow: async (input) => follow(input),
    list: async () => statements.list.all().map(feedFromRow),
    get: async (id) => get(id),
    // feed_items go with it (ON DELETE CASCADE; the store turns foreign keys on).
    unfollow: async (id) => statements.unfollow.run(id).changes === 1,
    lease: async (id, holder, ms) => {
      const at = now();
      return statements.lease.run({ id, holder, until: at + ms, now: at }).changes === 1;
    },
    release: async (id, holder) => {
      statements.release.run(id, holder);
    },
    update: async (id, update) => {
      const changes = feedChanges(update);
      const assignments = [
        ...changes.set.map(([column]) => `${column} = ?`),
        ...changes.add.map(([column]) => `${column} = ${column} + ?`),
      ];
      const values: unknown[] = [
        ...changes.set.map(([, value]) => value),
        ...changes.add.map(([, value]) => value),
      ];
      if (changes.paused === true) {
        // Paused since the first time it was paused, not since the latest failure.
        assignments.push('paused_at = coalesce(paused_at, ?)');
        values.push(now());
      } else if (changes.paused === false) {
        // Re-armed, so a later pause is told again.
        assignments.push('paused_at = NULL', 'pause_told = 0');
      }
      const sql = `UPDATE feeds SET ${assignments.join(', ')} WHERE id = ?`;
      let statement = updates.get(sql);
      if (!statement) {
        statement = db.prepare<unknown[]>(sql);
        updates.set(sql, statement);
      }
      statement.run(...values, id);
    },
    seen: async (id, keys) =>
      new Set(keys.length === 0 ? [] : statements.seen.all(id, JSON.stringify(keys))),
    markSeen: async (id, keys) => markSeen(id, keys),
    claimPauseNotice: async (id) => statements.claimPauseNotice.run(id).changes === 1,
  };
}

export function createSqliteNews(db: Database.Database, now: () => number): News {
  const statements = {
    record: db.prepare(
      `INSERT INTO news (article_id, title, publisher, published, url, feed_id, sentences,
                         created_at)
       VALUES (@articleId, @title, @publisher, @published, @url, @feedId, @sentences, @at)
       RETURNING *`,
    ),
    since: db.prepare<[number], NewsRow>(
      'SELECT * FROM news WHERE created_at >= ? ORDER BY created_at, id',
    ),
    claim: db.prepare<[number, string, number]>(
      'INSERT OR IGNORE INTO news_posts (news_id, guild_id, posted_at) VALUES (?, ?, ?)',
    ),
    release: db.prepare<[number, string]>(
      'DELETE FROM news_posts WHERE news_id = ? AND guild_id = ?',
    ),
  };
  return {
    record: async (input) => {
      const row = statements.record.get({
        articleId: input.articleId,
        title: input.title,
        publisher: input.publisher ?? null,
        published: input.published ?? null,
        url: input.url ?? null,
        feedId: input.feedId ?? null,
        sentences: JSON.stringify(input.sentences),
        at: now(),
      }) as NewsRow;
      return newsFromRow(row);
    },
    since: async (since) => statements.since.all(since).map(newsFromRow),
    claim: async (newsId, guildId) => statements.claim.run(newsId, guildId, now()).changes === 1,
    release: async (newsId, guildId) => {
      statements.release.run(newsId, guildId);
    },
  };
}
