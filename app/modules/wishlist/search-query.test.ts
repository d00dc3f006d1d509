import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanSearchText, MAX_QUERY_CHARS, MAX_QUERY_TERMS, searchTerms, toFtsQuery } from './search-query';
import { parseWishlistSearch, searchQueryString } from './search.schema';

describe('toFtsQuery', () => {
  it('quotes each word and matches the last one as a prefix', () => {
    expect(toFtsQuery('laptops homework')).toBe('"laptops" "homework"*');
    expect(toFtsQuery('laptop')).toBe('"laptop"*');
  });

  it('does not prefix-match a short last word, or one followed by a space', () => {
    expect(toFtsQuery('IT')).toBe('"IT"');
    expect(toFtsQuery('laptop ')).toBe('"laptop"');
  });

  it('drops FTS5 syntax: quotes, stars, carets, colons, brackets, minus, plus and the operators', () => {
    expect(toFtsQuery('"laptop* OR ^title:(minibus) NOT -van +car AND NEAR(a b)')).toBe('"laptop" "title" "minibus" "van" "car" "a" "b"');
    expect(toFtsQuery('title:laptop')).toBe('"title" "laptop"*');
  });

  it('keeps operator words written in lower case (they are ordinary words then)', () => {
    expect(toFtsQuery('not for profit')).toBe('"not" "for" "profit"*');
  });

  it('gives null when nothing can be searched for', () => {
    for (const input of ['', '   ', '***', '"', '""', '()', 'AND OR NOT', '🎉🎉', '\u0000\u0000', '-', '^:*', '\u0301']) expect(toFtsQuery(input), input).toBeNull();
  });

  it('keeps letters of any script, accents and numbers', () => {
    expect(searchTerms('café naïve 2027 ملابس 冰箱')).toEqual(['café', 'naïve', '2027', 'ملابس', '冰箱']);
  });

  it('removes duplicates regardless of case, and keeps at most 12 words', () => {
    expect(searchTerms('Laptop laptop LAPTOP')).toEqual(['Laptop']);
    const many = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(many)).toHaveLength(MAX_QUERY_TERMS);
  });

  it('reads at most 200 characters, cutting at a whole character', () => {
    const long = `${'a'.repeat(199)}😀${'b'.repeat(10_000)}`;
    const cleaned = cleanSearchText(long);
    expect(Array.from(cleaned).length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(cleaned.endsWith('😀')).toBe(true);
    expect(toFtsQuery('x'.repeat(10_000))).toBe(`"${'x'.repeat(40)}"*`);
  });

  it('removes control characters (NUL included) from what is shown back', () => {
    expect(cleanSearchText('lap\u0000top\u001b[31m')).toBe('lap top [31m');
  });

  it('always builds a query made only of quoted words, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        const query = toFtsQuery(input);
        if (query === null) return;
        expect(query).toMatch(/^"[^"]+"(?: "[^"]+")*\*?$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseWishlistSearch', () => {
  it('reads the filters and defaults the sort to relevance when searching, newest when browsing', () => {
    expect(parseWishlistSearch(new URLSearchParams('q=laptop&category=goods&status=pledged&ward=w1&theme=Jobs&page=3'))).toEqual({
      q: 'laptop', category: 'goods', status: 'pledged', wardId: 'w1', theme: 'Jobs', sort: 'relevance', page: 3, limit: undefined,
    });
    expect(parseWishlistSearch(new URLSearchParams('')).sort).toBe('newest');
    expect(parseWishlistSearch(new URLSearchParams('sort=relevance')).sort).toBe('newest');
    expect(parseWishlistSearch(new URLSearchParams('q=a&sort=value-low')).sort).toBe('value-low');
  });

  it('ignores values that are not valid instead of refusing the search', () => {
    const search = parseWishlistSearch(new URLSearchParams('category=cars&status=draft&sort=random&page=-2&limit=abc&ward=' + 'x'.repeat(100)));
    expect(search).toMatchObject({ category: undefined, status: undefined, sort: 'newest', page: 1, limit: undefined, wardId: undefined });
  });

  it('takes the first of a repeated parameter', () => {
    expect(parseWishlistSearch(new URLSearchParams('category=goods&category=space')).category).toBe('goods');
  });

  it('writes back a query string that parses to the same search', () => {
    const search = parseWishlistSearch(new URLSearchParams('q=garden+tools&ward=w1&category=goods&theme=Jobs&status=published&sort=value-high&page=2'));
    expect(parseWishlistSearch(new URLSearchParams(searchQueryString(search).slice(1)))).toEqual(search);
    expect(searchQueryString({ q: '', sort: 'newest', page: 1 })).toBe('');
  });
});
