import Link from 'next/link';

// The heading of every admin page: the title, an optional way back, an
// optional main action, and an optional line saying what the page covers.
export function PageHeader({
  title,
  action,
  back,
  children,
}: {
  title: string;
  action?: { href: string; label: string };
  back?: { href: string; label: string };
  /** A sentence or two under the title. */
  children?: React.ReactNode;
}) {
  return (
    <div className="mb-6">
      {back && (
        <Link href={back.href} className="text-sm text-blue-700 hover:underline">
          ← {back.label}
        </Link>
      )}
      <div className="mt-1 flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">{title}</h1>
        {action && (
          <Link
            href={action.href}
            className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-blue-800"
          >
            {action.label}
          </Link>
        )}
      </div>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
    </div>
  );
}
