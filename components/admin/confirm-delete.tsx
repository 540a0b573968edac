import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormError } from '@/components/ui/field';
import { PageHeader } from '@/components/admin/page-header';

/**
 * The confirmation step before a delete: a page of its own with a plain form,
 * so it works without JavaScript and a stray click on "Delete" in a list
 * deletes nothing. `noun` names the kind ("Delete project"), `name` the record;
 * Cancel leads where the header's back link does.
 */
export function ConfirmDelete({
  noun,
  name,
  back,
  children,
  action,
  id,
  blocked,
}: {
  noun: string;
  name: string;
  back: { href: string; label: string };
  children: React.ReactNode;
  action: (form: FormData) => Promise<void>;
  id: string;
  /** Why this cannot be deleted; hides the button. */
  blocked?: string;
}) {
  const cancelHref = back.href;
  return (
    <>
      <PageHeader title={`Delete ${noun}`} back={back} />
      <Card title={`Delete ${name}?`} className="max-w-xl">
        <div className="space-y-2 text-slate-700">{children}</div>
        {blocked ? (
          <div className="mt-4 space-y-4">
            <FormError message={blocked} />
            <Link href={cancelHref} className="text-blue-700 underline">
              Back
            </Link>
          </div>
        ) : (
          <form action={action} className="mt-6 flex items-center gap-4">
            <input type="hidden" name="id" value={id} />
            <Button type="submit" variant="danger">
              {`Delete ${noun}`}
            </Button>
            <Link href={cancelHref} className="text-sm text-slate-700 underline">
              Cancel
            </Link>
          </form>
        )}
      </Card>
    </>
  );
}
