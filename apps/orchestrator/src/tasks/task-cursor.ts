import { ValidationError } from '@jarvis/contracts';

/** Where a page ended: the last task's creation time (microseconds, as text) and id. */
export interface TaskCursor {
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: TaskCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): TaskCursor {
  const [createdAt, id, extra] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !TIMESTAMP.test(createdAt ?? '') || !UUID.test(id ?? '')) {
    throw new ValidationError('cursor is not valid', [
      { field: 'cursor', reason: 'must be the nextCursor of a previous page' },
    ]);
  }
  return { createdAt, id };
}
