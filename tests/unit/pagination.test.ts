import { describe, expect, it } from 'vitest';
import { pageLinks, pageWindow, parsePage, plural } from '../../lib/pagination';

describe('pagination', () => {
  it('reads ?page=N, treating junk as page 1', () => {
    expect(parsePage('3')).toBe(3);
    expect(parsePage(['4', '5'])).toBe(4);
    for (const junk of [undefined, '', '0', '-2', 'abc', '1.5', '1e3', '99999999999']) expect(parsePage(junk)).toBe(1);
  });

  it('clamps to the pages that exist', () => {
    expect(pageWindow(41, 1)).toEqual({ page: 1, pageCount: 3, pageSize: 20, skip: 0 });
    expect(pageWindow(41, 3)).toEqual({ page: 3, pageCount: 3, pageSize: 20, skip: 40 });
    expect(pageWindow(41, 99).page).toBe(3);
    expect(pageWindow(40, 99)).toMatchObject({ page: 2, pageCount: 2, skip: 20 });
    expect(pageWindow(0, 5)).toEqual({ page: 1, pageCount: 1, pageSize: 20, skip: 0 });
  });

  it('links the first, the last and the pages near the current one', () => {
    expect(pageLinks(1, 1)).toEqual([1]);
    expect(pageLinks(2, 3)).toEqual([1, 2, 3]);
    expect(pageLinks(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pageLinks(1, 20)).toEqual([1, 2, 3, null, 20]);
  });

  it('says totals in words', () => {
    expect(plural(1, 'user')).toBe('1 user');
    expect(plural(41, 'user')).toBe('41 users');
    expect(plural(0, 'project')).toBe('0 projects');
  });
});
