// Turns what someone typed into the wishlist's search box into a safe SQLite
// FTS5 query. Pure (no server imports), so it is tested on its own.
//
// FTS5 has its own query language (quotes, `*`, `^`, `:`, parentheses, NEAR,
// AND, OR, NOT, `-`, `+`); typed raw into MATCH, most of it is a syntax error
// (a 500) or a surprise. So the input is never passed through: it is cut into
// words the way the index's tokenizer (unicode61) cuts text, each word is
// quoted as an FTS5 string, and the words are joined with FTS5's implicit AND.
// See docs/decisions/0016-wishlist-search-with-fts5.md.

/** The most characters of a search that are read; the rest is ignored. */
export const MAX_QUERY_CHARS = 200;
/** The most words a search uses. */
export const MAX_QUERY_TERMS = 12;
/** A single word longer than this is cut (no real word is this long). */
export const MAX_TERM_CHARS = 40;
/** The last word is also matched as a prefix ("lapt" finds "laptop") when it has at least this many characters. */
export const PREFIX_MIN_CHARS = 3;

// Letters, numbers and private-use characters are token characters for
// unicode61; marks (accents written as separate code points) stay with their word.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const HAS_TOKEN_CHARACTER = /[\p{L}\p{N}\p{Co}]/u;
/** FTS5's operators when written as words. Quoted they would be harmless, but they are not what anyone searches for. */
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** What the search box shows back: control characters removed, at most MAX_QUERY_CHARS characters (whole code points). */
export function cleanSearchText(input: string): string {
  const chars = Array.from(input.replace(CONTROL, ' '));
  return chars.slice(0, MAX_QUERY_CHARS).join('').replace(/\s+/g, ' ').trim();
}

/** The words a search is made of, in order, without duplicates (case-insensitive), at most MAX_QUERY_TERMS. */
export function searchTerms(input: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const match of cleanSearchText(input).matchAll(WORD)) {
    const word = match[0];
    if (!HAS_TOKEN_CHARACTER.test(word) || OPERATORS.has(word)) continue;
    const term = Array.from(word).slice(0, MAX_TERM_CHARS).join('');
    const key = term.toLocaleLowerCase('en-GB');
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/** An FTS5 string: double quotes around it, any double quote inside doubled (there are none after searchTerms, but it costs nothing). */
export function quoteFts(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 MATCH expression for a search, or null when it has no searchable
 * words (only punctuation, emoji or operators): the caller then finds nothing.
 * Every word must match (implicit AND); the last one may also match as a prefix,
 * unless the search ends with a space (the word is finished).
 */
export function toFtsQuery(input: string): string | null {
  const terms = searchTerms(input);
  if (terms.length === 0) return null;
  const finished = /\s$/.test(input.slice(0, MAX_QUERY_CHARS));
  return terms
    .map((term, i) => {
      const quoted = quoteFts(term);
      const last = i === terms.length - 1;
      return last && !finished && Array.from(term).length >= PREFIX_MIN_CHARS ? `${quoted}*` : quoted;
    })
    .join(' ');
}
