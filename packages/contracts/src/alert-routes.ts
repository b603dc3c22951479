import { Type, type Static } from '@sinclair/typebox';
import { ALERT_SEVERITIES, AlertKindSchema, type AlertDto, type AlertEvent } from './alerts';
import { JOB_KEY_PATTERN } from './job-definition';
import { Nullable } from './nullable';

// Routing rules: alerts matching kind, severity, tags and job go to the rule's destinations, each
// delivered in order with its own retries and dead letter. A signed webhook gets the alert event as
// JSON (X-Timekeeper-Signature as for ALERTING_WEBHOOK_URL); a Slack destination gets an
// incoming-webhook payload (slackPayload below). Empty match lists match anything.

const Url = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });

export const AlertRouteMatchSchema = Type.Object(
  {
    kinds: Type.Optional(Type.Array(AlertKindSchema, { uniqueItems: true })),
    severities: Type.Optional(Type.Array(Type.Union(ALERT_SEVERITIES.map((s) => Type.Literal(s))), { uniqueItems: true })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { uniqueItems: true, maxItems: 50, description: 'The job has any of these tags' })),
    jobs: Type.Optional(Type.Array(Type.String({ pattern: JOB_KEY_PATTERN }), { uniqueItems: true, maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type AlertRouteMatch = Static<typeof AlertRouteMatchSchema>;

const WebhookDestinationSchema = Type.Object(
  { type: Type.Literal('webhook'), url: Url, secret: Type.String({ minLength: 16, maxLength: 200, description: 'HMAC-SHA256 key; never shown again' }) },
  { additionalProperties: false },
);
const SlackDestinationSchema = Type.Object({ type: Type.Literal('slack'), url: Url }, { additionalProperties: false });

/** A destination as delivered: its URL and, for a signed webhook, its HMAC key. */
export const DestinationSchema = Type.Union([WebhookDestinationSchema, SlackDestinationSchema]);
export type Destination = Static<typeof DestinationSchema>;

/** A new destination, or (an edit) one of the rule's as stored, by its index: its secret or Slack URL is never sent again. */
export const DestinationInputSchema = Type.Union([
  WebhookDestinationSchema,
  SlackDestinationSchema,
  Type.Object({ keep: Type.Integer({ minimum: 0, maximum: 9, description: 'An edit: keep the rule’s destination at this index as it is' }) }, { additionalProperties: false }),
]);
export type DestinationInput = Static<typeof DestinationInputSchema>;

export const AlertRouteInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    match: AlertRouteMatchSchema,
    destinations: Type.Array(DestinationInputSchema, { minItems: 1, maxItems: 10, uniqueItems: true }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type AlertRouteInput = Static<typeof AlertRouteInputSchema>;

/** A destination as the API shows it: no secret, and a Slack URL (itself a secret) shortened to its host. */
export const DestinationViewSchema = Type.Object({ type: Type.Union([Type.Literal('webhook'), Type.Literal('slack')]), url: Type.String(), signed: Type.Boolean() });
export type DestinationView = Static<typeof DestinationViewSchema>;

export const AlertRouteDto = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  match: AlertRouteMatchSchema,
  destinations: Type.Array(DestinationViewSchema),
  enabled: Type.Boolean(),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
});
export type AlertRouteDto = Static<typeof AlertRouteDto>;

/** Does a rule's match take this alert (of a job with these tags)? */
export function routeMatches(match: AlertRouteMatch, alert: Pick<AlertDto, 'kind' | 'severity' | 'jobKey'>, jobTags: readonly string[]): boolean {
  if (match.kinds?.length && !match.kinds.includes(alert.kind)) return false;
  if (match.severities?.length && !match.severities.includes(alert.severity)) return false;
  if (match.jobs?.length && !match.jobs.includes(alert.jobKey)) return false;
  if (match.tags?.length && !match.tags.some((t) => jobTags.includes(t))) return false;
  return true;
}

const EMOJI: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };

/** A Slack-compatible incoming-webhook body for an alert event (plain text, mrkdwn; no user HTML). */
export function slackPayload(e: AlertEvent): { text: string; blocks: unknown[] } {
  const a = e.alert;
  const what = e.type === 'alert.test' ? 'TEST' : e.type.replace('alert.', '');
  // Slack mrkdwn: escape its three control characters so job text cannot make links or mentions.
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = `${EMOJI[a.severity] ?? ''} [${a.severity}] ${a.kind} ${what}: ${esc(a.jobKey)} slot ${a.slot}`.trim();
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*\n${esc(a.reason)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `alert #${a.id} · ${a.status} · seen ${a.count}× · event ${e.eventId}` }] },
    ],
  };
}

/**
 * A delivery loop's Redis keys beside the live stream: where it stands (`cursor`), the events it never
 * got accepted (`dead`), and the dead letters an operator sent back to it (`requeue`). The alerting
 * service delivers through them; the API lists and requeues dead letters through them.
 */
export const deliveryKeys = (streamKey: string, name: string) => ({
  cursor: `${streamKey}:${name}-cursor`,
  dead: `${streamKey}:${name}-dead`,
  requeue: `${streamKey}:${name}-requeue`,
});

/** An event a destination never accepted, as the API lists it (newest first). */
export const DeadLetterDto = Type.Object({
  id: Type.String({ description: 'The dead letter (a Redis stream id); requeue names it' }),
  destination: Type.Integer({ minimum: 0, description: 'Index in the rule’s destinations' }),
  deadAt: Type.String({ format: 'date-time' }),
  error: Type.String({ description: 'The last answer or failure' }),
  attempts: Type.Integer(),
  eventId: Nullable(Type.String()),
  type: Nullable(Type.String()),
  alert: Nullable(Type.Object({ id: Type.Integer(), jobKey: Type.String(), kind: Type.String(), severity: Type.String(), slot: Type.String() })),
});
export type DeadLetterDto = Static<typeof DeadLetterDto>;

export const DeadLetterPageSchema = Type.Object({ items: Type.Array(DeadLetterDto), nextCursor: Nullable(Type.String()) });
export type DeadLetterPage = Static<typeof DeadLetterPageSchema>;

export const RequeueBodySchema = Type.Object(
  {
    destination: Type.Integer({ minimum: 0, maximum: 9, description: 'Index in the rule’s destinations' }),
    ids: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{1,20}-\\d{1,20}$' }), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'Dead letters to requeue; without: all of the destination’s' })),
  },
  { additionalProperties: false },
);
export type RequeueBody = Static<typeof RequeueBodySchema>;
