import { redirect } from 'next/navigation';
import { isSetupComplete } from '@/lib/data/settings';

// Until the first admin exists, every page sends the visitor to the setup wizard.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  if (!(await isSetupComplete())) redirect('/setup');
  return children;
}
