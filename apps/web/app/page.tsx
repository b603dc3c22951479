export default function Home() {
  return (
    <main style={{ padding: 32 }}>
      <h1>Timekeeper</h1>
      <p>The console is being built: jobs, the live run timeline and alerts arrive with the web console issue.</p>
    </main>
  );
}
