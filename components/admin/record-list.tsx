// The list page of an admin record kind (users, teams, projects): the header with its
// New link, the notice of the change just made, the table of rows and the page links.
// The page reads its rows and renders them; this is the frame they share.
import type { ReactNode } from 'react';
import type { Page } from '@/lib/pagination';
import { DataTable, type Column } from '@/components/admin/data-table';
import { Notice } from '@/components/admin/notice';
import { PageHeader } from '@/components/admin/page-header';
import { Pagination } from '@/components/admin/pagination';

export function RecordList({
  title,
  noun,
  notice,
  notices,
  headers,
  list,
  query,
  intro,
  children,
}: {
  title: string;
  /** The record kind in the singular: /admin/users, "New user", "No users on this page.", "20 users". */
  noun: string;
  notice: string | string[] | undefined;
  notices: Record<string, string>;
  headers: Column[];
  list: Page<unknown>;
  /** Search parameters the page links keep (a filter). */
  query?: Record<string, string>;
  /** Shown between the header and the notice. */
  intro?: ReactNode;
  children: ReactNode;
}) {
  const basePath = `/admin/${noun}s`;
  return (
    <>
      <PageHeader title={title} action={{ href: `${basePath}/new`, label: `New ${noun}` }} />
      {intro}
      <Notice code={notice} messages={notices} />
      <DataTable headers={headers} empty={list.rows.length === 0 && `No ${noun}s on this page.`}>
        {children}
      </DataTable>
      <Pagination
        basePath={basePath}
        total={list.total}
        page={list.page}
        pageCount={list.pageCount}
        noun={noun}
        query={query}
      />
    </>
  );
}
