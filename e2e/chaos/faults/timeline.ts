import type { FaultKind } from '../plan';

/** One injected fault: when it began and ended (ms since epoch), and whether it went as planned. */
export type FaultRecord = { kind: FaultKind; start: number; end: number; ok: boolean; detail: string };

/** What the faults did, for the report and for telling disturbed windows from quiet ones. */
export class Timeline {
  readonly records: FaultRecord[] = [];

  add(record: FaultRecord): FaultRecord {
    this.records.push(record);
    return record;
  }

  /** Runs `action` as one fault, recording its window; a throw is recorded as not injected. */
  async track(kind: FaultKind, action: () => Promise<string>): Promise<FaultRecord> {
    const start = Date.now();
    try {
      const detail = await action();
      return this.add({ kind, start, end: Date.now(), ok: true, detail });
    } catch (err) {
      return this.add({ kind, start, end: Date.now(), ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  }

  of(kind: FaultKind): FaultRecord[] {
    return this.records.filter((r) => r.kind === kind);
  }
}
