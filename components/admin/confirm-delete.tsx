import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormError } from '@/components/ui/field';

/**
 * The confirmation step before a delete: a page of its own with a plain form,
 * so it works without JavaScript and a stray click on "Delete" in a list
 * deletes nothing.
 */
export function ConfirmDelete({
  title,
  children,
  action,
  id,
  cancelHref,
  confirmLabel,
  blocked,
}: {
  title: string;
  children: React.ReactNode;
  action: (form: FormData) => Promise<void>;
  id: string;
  cancelHref: string;
  confirmLabel: string;
  /** Why this cannot be deleted; hides the button. */
  blocked?: string;
}) {
  return (
    <Card title={title} className="max-w-xl">
      <div className="space-y-2 text-slate-700">{children}</div>
      {blocked ? (
        <div className="mt-4 space-y-4">
          <FormError message={blocked} />
          <Link href={cancelHref} className="text-blue-700 underline">Back</Link>
        </div>
      ) : (
        <form action={action} className="mt-6 flex items-center gap-4">
          <input type="hidden" name="id" value={id} />
          <Button type="submit" variant="danger">{confirmLabel}</Button>
          <Link href={cancelHref} className="text-sm text-slate-700 underline">Cancel</Link>
        </form>
      )}
    </Card>
  );
}
