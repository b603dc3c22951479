import { LoginForm } from './login-form';

export const metadata = { title: 'Sign in · Timekeeper' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  return <LoginForm expired={sp.expired === '1'} />;
}
