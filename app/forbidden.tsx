import Link from 'next/link';

export default function Forbidden() {
  return (
    <main>
      <h1>Forbidden</h1>
      <p>This area is for support staff only.</p>
      <Link href="/">Back to your VMs</Link>
    </main>
  );
}
