import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Type } from '@sinclair/typebox';
import { loadConfigOrExit } from '@timekeeper/runtime';

export const ROOT = resolve(__dirname, '../..');

/** Where the private stack lives and which ports it takes; read once from the environment. */
export const ChaosEnvSchema = Type.Object({
  CHAOS_PORT_BASE: Type.Integer({ minimum: 1024, maximum: 65_400, default: 5700, description: 'First of the 100 ports the private stack takes' }),
  CHAOS_DATA_DIR: Type.String({ minLength: 1, default: resolve(ROOT, '.data/chaos'), description: 'Data, logs and pid files of the private stack' }),
  TK_TOOLS_DIR: Type.String({ minLength: 1, default: resolve(ROOT, '.data'), description: 'Installed Temporal CLI and Kafka jars (shared with the main stack)' }),
});

export type ChaosOptions = {
  short: boolean;
  minutes: number;
  workers: number;
  seed: number;
  /** Leave the private stack running at the end (to look around). */
  keep: boolean;
};

export type Ports = {
  mariadb: number;
  redis: number;
  temporal: number;
  temporalUi: number;
  kafka: number;
  kafkaController: number;
  api: number;
  alerting: number;
  worker: (i: number) => number;
};

export type ChaosSettings = { options: ChaosOptions; ports: Ports; dataDir: string; toolsDir: string };

const USAGE = `usage: pnpm chaos [--minutes N] [--short] [--workers N] [--seed N] [--keep]
  --minutes N   length of the fault window of the full form (default 8, at least 4)
  --short       the short form npm test runs (about 3 minutes with stack start; ignores --minutes)
  --workers N   worker processes (default 3, at least 2)
  --seed N      seed of the random choices (which worker dies when); default 1
  --keep        leave the private stack running afterwards
environment: CHAOS_PORT_BASE (default 5700: ports BASE..BASE+99), CHAOS_DATA_DIR, TK_TOOLS_DIR`;

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`chaos: --${name} must be an integer of at least ${min}, got "${raw}"\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

/** Parses the command line and the environment once. */
export function loadSettings(argv = process.argv.slice(2)): ChaosSettings {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: {
        minutes: { type: 'string' },
        short: { type: 'boolean', default: false },
        workers: { type: 'string' },
        seed: { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`chaos: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const env = loadConfigOrExit(ChaosEnvSchema);
  const base = env.CHAOS_PORT_BASE;
  return {
    options: {
      short: values.short,
      minutes: integer('minutes', values.minutes, 8, 4),
      workers: integer('workers', values.workers, 3, 2),
      seed: integer('seed', values.seed, 1, 0),
      keep: values.keep,
    },
    ports: {
      mariadb: base + 1,
      redis: base + 2,
      temporal: base + 3,
      temporalUi: base + 4,
      kafka: base + 5,
      kafkaController: base + 6,
      api: base + 10,
      alerting: base + 11,
      worker: (i) => base + 20 + i,
    },
    dataDir: resolve(env.CHAOS_DATA_DIR),
    toolsDir: resolve(env.TK_TOOLS_DIR),
  };
}
