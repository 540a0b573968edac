import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">403: admins only</h1>
      <p className="mt-2 text-slate-600">
        Your account does not have the admin role, so this page is not available to you.
      </p>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Back to your home page
      </Link>
    </main>
  );
}
