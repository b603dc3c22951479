/**
 * `pnpm --filter @timekeeper/scheduling tzdata:compare`: which tz database each side runs, and whether
 * the Temporal server's (authoritative: it runs the schedules) and Node's ICU agree on every zone's
 * transitions from a year back to two years ahead. Prints figures; needs TEMPORAL_ADDRESS.
 */
import { readFile } from 'node:fs/promises';
import { connectTemporal } from '../temporal-connection';
import { ZoneTimeline } from '../timezone';
import { TemporalZones, type ZoneDisagreement } from '../zone-data';

const YEAR = 365 * 86_400_000;

async function hostTzdata(): Promise<string> {
  try {
    return (await readFile('/usr/share/zoneinfo/tzdata.zi', 'utf8')).split('\n')[0].replace('# version ', '');
  } catch {
    return 'unknown (no /usr/share/zoneinfo/tzdata.zi)';
  }
}

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: source .data/infra.env');
  const { client, connection } = await connectTemporal({ address, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  try {
    const info = await client.workflowService.getSystemInfo({});
    const disagreements: ZoneDisagreement[] = [];
    const failures: string[] = [];
    const zones = new TemporalZones(client, { taskQueue: 'tk-tzdata-compare', onDisagreement: (d) => disagreements.push(d) });
    const from = Date.now() - YEAR;
    const to = Date.now() + 2 * YEAR;
    const names = Intl.supportedValuesOf('timeZone');
    const started = Date.now();
    let transitions = 0;
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let tz = queue.shift(); tz; tz = queue.shift()) {
          try {
            transitions += (await zones.timeline(tz, from, to)).transitionsIn(from, to).length;
          } catch (err) {
            failures.push(`${tz}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }),
    );
    const icuTransitions = names.reduce((n, tz) => n + new ZoneTimeline(tz, from, to).transitions.length, 0);
    console.log(`Temporal server ${info.serverVersion ?? '?'} (Go: host tzdata ${await hostTzdata()} on this machine, else the copy embedded in the binary)`);
    console.log(`Node ${process.versions.node}: ICU ${process.versions.icu}, tz ${process.versions.tz}`);
    console.log(`${names.length} zones, ${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)}: ${transitions} transitions per Temporal, ${icuTransitions} per ICU`);
    console.log(`${disagreements.length} zones disagree${disagreements.length ? `: ${disagreements.map((d) => d.timezone).join(', ')}` : ''}; ${failures.length} could not be probed`);
    for (const f of failures) console.log(`  ${f}`);
    console.log(`probed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
