// Online backup of the SQLite database through SQLite's backup API: a consistent copy taken
// page by page while the site keeps reading and writing. Never a file copy, which can catch
// the database mid-write and miss what still sits in the WAL.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export class BackupError extends Error {}

export async function backupSqlite(opts: { dataDir: string; target: string; onProgress?: (done: number, total: number) => void }): Promise<{ pages: number; bytes: number }> {
  const source = path.join(opts.dataDir, 'masthead.db');
  if (!fs.existsSync(source)) throw new BackupError(`no database at ${source} (is MASTHEAD_DATA right?)`);
  if (fs.existsSync(opts.target)) throw new BackupError(`${opts.target} already exists; choose a new file name`);
  fs.mkdirSync(path.dirname(opts.target), { recursive: true });
  const partial = `${opts.target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        opts.onProgress?.(totalPages - remainingPages, totalPages);
        return 256; // pages per step: small steps let writers in between
      },
    });
    // Only a complete copy gets the final name.
    fs.renameSync(partial, opts.target);
    return { pages: result.totalPages, bytes: fs.statSync(opts.target).size };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}
