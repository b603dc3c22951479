// `pnpm bench [--only NAME[,NAME]] [--skip NAME[,NAME]] [--quick] [--list]`: runs every benchmark (each
// with its baseline, in the same run) one after another and prints one table. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCHMARKS, type Benchmark } from './benchmarks';
import { formatTable, verdictOf, type BenchFigure } from './figures';
import { childEnv, runBench } from './report';

const ROOT = resolve(__dirname, '../../..');

type Args = { only: string[]; skip: string[]; quick: boolean; list: boolean };

function parseArgs(argv: string[]): Args {
  const args: Args = { only: [], skip: [], quick: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a benchmark name`);
      return v.split(',').filter(Boolean);
    };
    if (a === '--') continue;
    else if (a.startsWith('--only')) args.only.push(...value());
    else if (a.startsWith('--skip')) args.skip.push(...value());
    else if (a === '--quick') args.quick = true;
    else if (a === '--list') args.list = true;
    else throw new Error(`unknown argument ${a} (use --only NAME, --skip NAME, --quick, --list)`);
  }
  const known = new Set(BENCHMARKS.map((b) => b.name));
  for (const n of [...args.only, ...args.skip]) if (!known.has(n)) throw new Error(`no benchmark named "${n}" (known: ${[...known].join(', ')})`);
  return args;
}

/** Runs one benchmark script, its output prefixed with its name; returns its figures (or one failing row). */
async function runOne(b: Benchmark, quick: boolean, dir: string): Promise<BenchFigure[]> {
  const resultFile = join(dir, `${b.name}.jsonl`);
  const env = childEnv({ ...b.env, ...(quick ? b.quick?.env : {}), BENCH_RESULT_FILE: resultFile, BENCH_QUICK: String(quick) });
  const command = [...b.command, ...(quick ? (b.quick?.args ?? []) : [])];
  const started = Date.now();
  process.stdout.write(`\n=== ${b.name}: ${b.what}\n`);
  const code = await new Promise<number>((done) => {
    const child = spawn(command[0], command.slice(1), { cwd: join(ROOT, b.cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (chunk: Buffer, to: NodeJS.WriteStream) =>
      to.write(chunk.toString().replace(/^(?=.)/gm, `[${b.name}] `));
    child.stdout.on('data', (c: Buffer) => prefix(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => prefix(c, process.stderr));
    child.on('error', (err) => {
      process.stderr.write(`[${b.name}] ${err.message}\n`);
      done(127);
    });
    child.on('close', (c, signal) => done(c ?? (signal ? 128 : 1)));
  });
  process.stdout.write(`=== ${b.name}: exit ${code} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const figures = existsSync(resultFile)
    ? readFileSync(resultFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BenchFigure)
    : [];
  if (code !== 0) figures.push({ bench: b.name, name: 'run', unit: '', figure: Number.NaN, target: { max: 0 }, note: `script exited with ${code}; see its output above` });
  return figures;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.name.padEnd(14)} ${b.what}\n`);
    return;
  }
  const selected = BENCHMARKS.filter((b) => (args.only.length === 0 || args.only.includes(b.name)) && !args.skip.includes(b.name));
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  // The commit measured: read before the run, which may take long enough for the tree to move on.
  const measured = commit();
  const loadBefore = loadavg();
  const started = new Date();
  const figures: BenchFigure[] = [];
  try {
    for (const b of selected) figures.push(...(await runOne(b, args.quick, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(
    `\n=== pnpm bench${args.quick ? ' --quick (small sizes: a check, not figures)' : ''} · commit ${measured} · ${started.toISOString()} · ` +
      `${((Date.now() - started.getTime()) / 1000).toFixed(0)} s\n` +
      `    load average (1/5/15 min) at start ${load(loadBefore)}, at end ${load(loadAfter)}\n\n${formatTable(figures)}\n`,
  );
  const failed = figures.filter((f) => verdictOf(f) === 'FAIL').length;
  process.stdout.write(`\n${figures.length - failed} of ${figures.length} figures within target${failed ? `, ${failed} not` : ''}\n`);
  process.exitCode = failed ? 1 : 0;
}

runBench('bench', main);
