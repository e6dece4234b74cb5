/**
 * The store: SQLite in DATA_DIR by default, or PostgreSQL when DATABASE_URL
 * is set (several instances sharing one database). One interface
 * (types.ts), two implementations; the same test suite runs against both.
 */
import { StoreError } from './errors.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store, StoreOptions } from './types.ts';

export * from './types.ts';
export { StoreError };
export { DATABASE_FILE } from './sqlite-store.ts';

/** Opens the store the settings ask for, its schema brought up to date. */
export async function openStore(
  where: { readonly dataDir: string; readonly databaseUrl?: string },
  options: StoreOptions = {},
): Promise<Store> {
  if (where.databaseUrl !== undefined) {
    const { openPostgresStore } = await import('./postgres-store.ts');
    return openPostgresStore(where.databaseUrl, options);
  }
  return openSqliteStore(where.dataDir, options);
}
