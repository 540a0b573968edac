import Link from 'next/link';
import { cell } from '@/components/admin/data-table';

/**
 * The Edit and Delete links that end a row of the users, teams and projects lists;
 * `href` is the record's page, `name` labels the links for screen readers.
 */
export function RowActions({ href, name, canDelete = true }: { href: string; name: string; canDelete?: boolean }) {
  return (
    <td className={`${cell} space-x-3 text-right`}>
      <Link href={href} className="text-blue-700 hover:underline" aria-label={`Edit ${name}`}>
        Edit
      </Link>
      {canDelete && (
        <Link href={`${href}/delete`} className="text-red-700 hover:underline" aria-label={`Delete ${name}`}>
          Delete
        </Link>
      )}
    </td>
  );
}

/** The link from a record's page to its delete confirmation. */
export function DeleteLink({ href, noun }: { href: string; noun: string }) {
  return (
    <p className="mt-6 text-sm">
      <Link href={`${href}/delete`} className="text-red-700 underline">
        Delete this {noun}…
      </Link>
    </p>
  );
}
