// The outbox: every writer, the relay's reads and writes, its lease, and retention.
export * from './write';
export * from './delivery';
export * from './lease';
export * from './retention';
