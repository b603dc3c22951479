import { randomBytes } from 'node:crypto';
import { ApiKey, ConsoleSession, type EntityManager, type MikroORM, type Role } from '@timekeeper/db';
import { safeEqual, sha256, type Principal } from './api-keys';

export type SessionOptions = { ttlMs: number; idleMs: number; adminKey?: string };
export type NewSession = { session: string; id: number; expiresAt: Date; idleTimeoutS: number };

const SESSION_FORMAT = /^tks_[A-Za-z0-9_-]{43}$/;

type Row = {
  id: number;
  key_id: number | null;
  env_key_hash: string | null;
  actor: string;
  expires_at: Date;
  idle_timeout_s: number;
  last_seen_at: Date;
  role: Role | null;
  revoked_at: Date | null;
};

/**
 * Console sessions: a sign-in exchanges a key for a random id, of which only the SHA-256 is stored
 * with the key it stands for. Resolving one re-reads that key every time, so a revoked key's sessions
 * stop at once (revocation also deletes them); expired and idle ones are deleted when met.
 */
export class Sessions {
  constructor(
    private readonly orm: MikroORM,
    private readonly opts: SessionOptions,
  ) {}

  /** A new session for a principal that just proved its key. The raw id is returned once. */
  async create(principal: Principal): Promise<NewSession> {
    const em = this.orm.em.fork();
    const now = new Date();
    // Rows that can no longer be used go whenever someone signs in: the table stays the size of its users.
    await em
      .getConnection()
      .execute('delete from console_sessions where expires_at < ? or date_add(last_seen_at, interval idle_timeout_s second) < ?', [now, now]);
    const session = `tks_${randomBytes(32).toString('base64url')}`;
    const row = Object.assign(new ConsoleSession(), {
      idHash: sha256(session),
      keyId: principal.keyId,
      envKeyHash: principal.keyId === null && this.opts.adminKey ? sha256(this.opts.adminKey) : null,
      actor: principal.actor,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.opts.ttlMs),
      idleTimeoutS: Math.ceil(this.opts.idleMs / 1000),
      lastSeenAt: now,
    });
    em.persist(row);
    await em.flush();
    return { session, id: row.id, expiresAt: row.expiresAt, idleTimeoutS: row.idleTimeoutS };
  }

  /** The principal behind a presented session id, or null (unknown, expired, idle, or its key revoked). */
  async resolve(presented: string, now = new Date()): Promise<Principal | null> {
    if (!SESSION_FORMAT.test(presented)) return null;
    const conn = this.orm.em.fork().getConnection();
    const rows = await conn.execute<Row[]>(
      `select s.id, s.key_id, s.env_key_hash, s.actor, s.expires_at, s.idle_timeout_s, s.last_seen_at, k.role, k.revoked_at
         from console_sessions s left join api_keys k on k.id = s.key_id
        where s.id_hash = ?`,
      [sha256(presented)],
    );
    const row = rows[0];
    if (!row) return null;
    const role = this.liveRole(row);
    const idleUntil = new Date(row.last_seen_at).getTime() + row.idle_timeout_s * 1000;
    if (!role || new Date(row.expires_at) <= now || idleUntil <= now.getTime()) {
      await conn.execute('delete from console_sessions where id = ?', [row.id]);
      return null;
    }
    // Last seen moves at most every quarter of the idle timeout (and at least once a minute): reads stay cheap.
    const touchEveryMs = Math.min(60_000, (row.idle_timeout_s * 1000) / 4);
    if (now.getTime() - new Date(row.last_seen_at).getTime() >= touchEveryMs) {
      await conn.execute('update console_sessions set last_seen_at = ? where id = ?', [now, row.id]);
    }
    return { actor: row.actor, role, keyId: row.key_id, sessionId: row.id };
  }

  /** Ends one session; false when there was none. */
  async end(sessionId: number): Promise<boolean> {
    return (await this.orm.em.fork().nativeDelete(ConsoleSession, { id: sessionId })) > 0;
  }

  /** Ends every session of a key, inside the caller's transaction (key revocation). */
  async endForKey(em: EntityManager, keyId: number): Promise<number> {
    return em.nativeDelete(ConsoleSession, { keyId });
  }

  async list(): Promise<ConsoleSession[]> {
    const now = new Date();
    const rows = await this.orm.em.fork().find(ConsoleSession, { expiresAt: { $gt: now } }, { orderBy: { id: 'asc' }, limit: 1000 });
    return rows.filter((r) => r.lastSeenAt.getTime() + r.idleTimeoutS * 1000 > now.getTime());
  }

  /**
   * Which of these principals may still be served (open event streams re-check with it): sessions that
   * still resolve, keys not revoked. ADMIN_API_KEY presented directly always may.
   */
  async stillValid(principals: Principal[], now = new Date()): Promise<Set<Principal>> {
    const em = this.orm.em.fork();
    const sessionIds = [...new Set(principals.flatMap((p) => (p.sessionId === null ? [] : [p.sessionId])))];
    const keyIds = [...new Set(principals.flatMap((p) => (p.sessionId === null && p.keyId !== null ? [p.keyId] : [])))];
    const liveSessions = new Set<number>();
    if (sessionIds.length) {
      const rows = await em.getConnection().execute<Row[]>(
        `select s.id, s.key_id, s.env_key_hash, s.actor, s.expires_at, s.idle_timeout_s, s.last_seen_at, k.role, k.revoked_at
           from console_sessions s left join api_keys k on k.id = s.key_id
          where s.id in (${sessionIds.map(() => '?').join(', ')})`,
        sessionIds,
      );
      for (const r of rows) {
        const idleUntil = new Date(r.last_seen_at).getTime() + r.idle_timeout_s * 1000;
        if (this.liveRole(r) && new Date(r.expires_at) > now && idleUntil > now.getTime()) liveSessions.add(r.id);
      }
    }
    const liveKeys = new Set<number>();
    if (keyIds.length) for (const k of await em.find(ApiKey, { id: { $in: keyIds }, revokedAt: null })) liveKeys.add(k.id);
    return new Set(
      principals.filter((p) => (p.sessionId !== null ? liveSessions.has(p.sessionId) : p.keyId === null || liveKeys.has(p.keyId))),
    );
  }

  /** The role a session's key has now, or null when that key is gone, revoked or (env key) changed. */
  private liveRole(row: Row): Role | null {
    if (row.key_id !== null) return row.revoked_at === null ? row.role : null;
    return this.opts.adminKey && row.env_key_hash && safeEqual(row.env_key_hash, sha256(this.opts.adminKey)) ? 'admin' : null;
  }
}
