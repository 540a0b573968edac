import type { Metadata } from 'next';
import './globals.css';

// Icons live in public/ (drawn by scripts/generate-icons.mjs): favicon.ico for every browser's
// default request, an SVG for modern tabs, the Apple touch icon and a web manifest.
export const metadata: Metadata = {
  title: 'FlowForge',
  description: 'Self-hosted FlowForge platform',
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: { url: '/apple-touch-icon.png', sizes: '180x180' },
  },
  manifest: '/manifest.webmanifest',
};

// Every page reads the database or the session: nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
