import type { FaultContext } from './context';
import { sleep } from '../wait';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** SIGKILL of Redis or MariaDB (a crash: no persistence flush, InnoDB recovers on start), then started again. */
export async function crashAndRestart(ctx: FaultContext, service: 'redis' | 'mariadb'): Promise<string> {
  const pid = await ctx.infra.crash(service);
  const downAt = Date.now();
  const now = await ctx.infra.restartAfterCrash(service, pid);
  return `${service} (pid ${pid}) SIGKILLed, answering again as pid ${now} after ${seconds(Date.now() - downAt)}`;
}

/** Kafka stopped for `durationMs`, then started again (the time until it answers adds to the outage). */
export async function kafkaOutage(ctx: FaultContext, durationMs: number): Promise<string> {
  await ctx.infra.down('kafka');
  const downAt = Date.now();
  await sleep(durationMs);
  (ctx.outcome.kafkaDown ??= []).push({ start: downAt, end: Date.now() });
  await ctx.infra.up('kafka');
  return `kafka down ${seconds(Date.now() - downAt)}`;
}

/** The Temporal dev server stopped and started again on its SQLite file. */
export async function restartTemporal(ctx: FaultContext): Promise<string> {
  const started = Date.now();
  await ctx.infra.down('temporal');
  await ctx.infra.up('temporal');
  return `temporal restarted, answering again after ${seconds(Date.now() - started)}`;
}
