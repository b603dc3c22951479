import type { Principal } from './api-keys';

/**
 * API keys verified in the last `ttlMs`, by the SHA-256 of the presented key: a listing's request
 * then makes one database round trip (its page) instead of two (key lookup + page), which on the
 * busiest reads is most of the gap to a bare query (README, "Hot read paths"). A revoked key is
 * forgotten at once in this process and, over the revocation bus, in every other API process; only
 * if that message is lost (Redis down) can another process accept it for at most `ttlMs`. 0 disables.
 */
export class VerifiedKeys {
  private readonly byHash = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(hash: string): Principal | null {
    const hit = this.byHash.get(hash);
    if (!hit) return null;
    if (hit.until > Date.now()) return hit.principal;
    this.byHash.delete(hash);
    return null;
  }

  put(hash: string, principal: Principal): void {
    if (!this.enabled) return;
    // Bounded: a flood of distinct valid keys only costs lookups again.
    if (this.byHash.size >= this.max) this.byHash.clear();
    this.byHash.set(hash, { principal, until: Date.now() + this.ttlMs });
  }

  forget(keyId: number): void {
    for (const [hash, { principal }] of this.byHash) if (principal.keyId === keyId) this.byHash.delete(hash);
  }
}
