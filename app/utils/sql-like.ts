import { sql, type SqlBool } from 'kysely';

/** Escapes LIKE's wildcards so a search for "50%" means the characters "50%". */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column LIKE %text%` (ASCII case-insensitive in SQLite), with the wildcards in `text` escaped. */
export function columnContains(column: string, text: string) {
  return sql<SqlBool>`${sql.ref(column)} LIKE ${likeContains(text)} ESCAPE '\\'`;
}
