import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">404: page not found</h1>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Home
      </Link>
    </main>
  );
}
