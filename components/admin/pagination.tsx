import Link from 'next/link';
import { pageLinks, plural } from '@/lib/pagination';

/** "41 users · page 2 of 3" with links to nearby pages; plain links, so it works without JavaScript. */
export function Pagination({
  basePath,
  total,
  page,
  pageCount,
  noun,
  query = {},
}: {
  basePath: string;
  total: number;
  page: number;
  pageCount: number;
  noun: string;
  /** Other search parameters the links keep (e.g. a filter). */
  query?: Record<string, string>;
}) {
  const href = (n: number) => `${basePath}?${new URLSearchParams({ ...query, page: String(n) })}`;
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <span data-testid="list-total">{plural(total, noun)}</span>
      {pageCount > 1 && (
        <>
          <span>
            · page {page} of {pageCount}
          </span>
          <span className="flex gap-1">
            {page > 1 && (
              <Link href={href(page - 1)} className="rounded px-2 py-1 text-blue-700 hover:bg-blue-50" rel="prev">
                Previous
              </Link>
            )}
            {pageLinks(page, pageCount).map((n, i) =>
              n === null ? (
                <span key={`gap-${i}`} className="px-1">
                  …
                </span>
              ) : n === page ? (
                <span key={n} aria-current="page" className="rounded bg-blue-700 px-2 py-1 text-white">
                  {n}
                </span>
              ) : (
                <Link key={n} href={href(n)} className="rounded px-2 py-1 text-blue-700 hover:bg-blue-50">
                  {n}
                </Link>
              ),
            )}
            {page < pageCount && (
              <Link href={href(page + 1)} className="rounded px-2 py-1 text-blue-700 hover:bg-blue-50" rel="next">
                Next
              </Link>
            )}
          </span>
        </>
      )}
    </nav>
  );
}
