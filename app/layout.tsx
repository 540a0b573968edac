import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = { title: 'FlowForge', description: 'Self-hosted FlowForge platform' };

// Every page reads the database or the session: nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
