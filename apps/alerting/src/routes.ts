import { createHash } from 'node:crypto';
import { routeMatches, slackPayload, type AlertEvent } from '@timekeeper/contracts';
import { deliveryNameOf, listRoutes, openDestination, type MikroORM, type SecretBox, type StoredRoute } from '@timekeeper/db';
import type Redis from 'ioredis';
import { notSuppressed, WebhookSink, type DeadLetter } from './webhook';

export type RouteDeliveryOptions = {
  orm: MikroORM;
  redis: Redis;
  streamKey: string;
  timeoutMs: number;
  maxBackoffMs: number;
  maxAttempts: number;
  /** Opens destinations' sealed secrets (DESTINATION_SECRETS_KEY); null: only plain ones (rows not sealed yet) can be delivered to. */
  secrets: SecretBox | null;
  /** A destination whose secret does not open (no key, another key): not delivered to; said once per version of it. */
  onUnreadable: (destination: string, reason: string) => void;
  /** The job's tags as last read (routing by tag). */
  tagsOf: (jobKey: string) => readonly string[];
  onDeadLettered: (letter: DeadLetter, destination: string) => void;
  onError: (err: unknown) => void;
};

/**
 * One delivery loop per destination of every enabled routing rule: a WebhookSink over the live stream
 * with its own cursor, dead letter and requeue (`<stream>:<deliveryNameOf>-cursor` / `-dead` / `-requeue`),
 * so a destination that is down holds back nobody else. A sink takes the alert events its rule matches (and the rule's
 * own test events), never those recorded in a maintenance window. `refresh` follows rule edits: a new
 * or changed destination starts (where its cursor stood, or at the stream's end), a removed one stops.
 */
export class RouteDeliveries {
  private readonly sinks = new Map<string, { digest: string; sink: WebhookSink }>();
  private readonly unreadable = new Set<string>();
  /** `<rule id>/<index>` → the loop's name, as of the last refresh (tests find a destination's sink by it). */
  private names = new Map<string, string>();

  constructor(private readonly opts: RouteDeliveryOptions) {}

  async refresh(): Promise<void> {
    const routes = (await listRoutes(this.opts.orm.em.fork())).filter((r) => r.enabled);
    const wanted = new Map<string, { digest: string; route: StoredRoute; index: number }>();
    const names = new Map<string, string>();
    for (const route of routes) {
      route.destinations.forEach((d, index) => {
        const digest = createHash('sha256').update(JSON.stringify([route.match, d])).digest('hex');
        const name = deliveryNameOf(route.id, d);
        wanted.set(name, { digest, route, index });
        names.set(`${route.id}/${index}`, name);
      });
    }
    this.names = names;
    for (const [name, running] of [...this.sinks]) {
      if (wanted.get(name)?.digest === running.digest) continue;
      await running.sink.stop();
      this.sinks.delete(name);
    }
    for (const [name, w] of wanted) {
      if (this.sinks.has(name)) continue;
      const sink = this.sinkFor(name, w.route, w.index, w.digest);
      if (!sink) continue;
      sink.start();
      this.sinks.set(name, { digest: w.digest, sink });
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.sink.stop()));
    this.sinks.clear();
  }

  /** The sink of a destination (tests wait on its position). */
  sink(routeId: number, index = 0): WebhookSink | undefined {
    const name = this.names.get(`${routeId}/${index}`);
    return name ? this.sinks.get(name)?.sink : undefined;
  }

  private sinkFor(name: string, route: StoredRoute, index: number, digest: string): WebhookSink | null {
    let d;
    try {
      d = openDestination(route.destinations[index], this.opts.secrets);
    } catch (err) {
      if (!this.unreadable.has(digest)) this.opts.onUnreadable(`rule "${route.name}" destination ${index + 1}`, err instanceof Error ? err.message : String(err));
      this.unreadable.add(digest);
      return null;
    }
    const accepts = (e: AlertEvent): boolean =>
      e.type === 'alert.test' ? e.routeId === route.id : notSuppressed(e) && routeMatches(route.match, e.alert, this.opts.tagsOf(e.alert.jobKey));
    return new WebhookSink({
      redis: this.opts.redis,
      streamKey: this.opts.streamKey,
      name,
      url: d.url,
      secret: d.type === 'webhook' ? d.secret : null,
      accepts,
      format: d.type === 'slack' ? (e) => JSON.stringify(slackPayload(e)) : undefined,
      timeoutMs: this.opts.timeoutMs,
      maxBackoffMs: this.opts.maxBackoffMs,
      maxAttempts: this.opts.maxAttempts,
      onDeadLettered: (letter) => this.opts.onDeadLettered(letter, `rule "${route.name}" destination ${index + 1} (${d.type})`),
      onError: this.opts.onError,
    });
  }
}
