import Link from 'next/link';

export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p>There is nothing here, or it is not yours to see.</p>
      <Link href="/">Back to your VMs</Link>
    </main>
  );
}
