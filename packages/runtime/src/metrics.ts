import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** One Prometheus registry per app, with Node's default process metrics and an app label. */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}
export type { Registry };

/** A gauge read when /metrics is scraped (e.g. from the database), not kept up to date by hand. */
export function registerScrapedGauge(registry: Registry, opts: { name: string; help: string; read: () => Promise<number> }): void {
  new Gauge({
    name: opts.name,
    help: opts.help,
    registers: [registry],
    async collect() {
      this.set(await opts.read());
    },
  });
}
