/**
 * `npm run experiments -- --jobs N`: the cells side by side in N processes of the same command,
 * each running its share of them (`--only`) into a scratch record; the parent merges the records
 * in the notebook's order. Each cell seeds its nets, shuffling, split and landscape directions from
 * --seed alone (services/notebook/run-experiment.ts), so its numbers do not depend on the process
 * that ran it or on the cells before it: the merged record is the one a single process writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ExperimentsRecord } from '../../contract/experiment-record.js';
import { validateOrThrow } from '../../contract/validate.js';
import { HarnessError } from '../../course/errors.js';

export interface CellCost {
  id: string;
  cost: number;
}

/** The cells dealt to `jobs` shares, the costliest first to the lightest share; each share in the cells' order. */
export function shareOut(cells: readonly CellCost[], jobs: number): string[][] {
  const shares = Array.from({ length: Math.max(1, Math.min(jobs, cells.length)) }, () => ({
    ids: [] as string[],
    cost: 0,
  }));
  for (const cell of [...cells].sort((a, b) => b.cost - a.cost)) {
    const lightest = shares.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.ids.push(cell.id);
    lightest.cost += cell.cost;
  }
  const order = new Map(cells.map((c, k) => [c.id, k]));
  return shares.map((s) => s.ids.sort((a, b) => order.get(a)! - order.get(b)!));
}

/**
 * Runs this command once per share, `argsFor(ids, out)` its arguments, and returns their records
 * in the shares' order. Their lines go to stderr prefixed with the share's number; a process that
 * fails is an error that quotes its last lines.
 */
export async function runShares(
  shares: readonly string[][],
  argsFor: (ids: readonly string[], out: string) => string[],
): Promise<ExperimentsRecord[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'optnn-experiments-'));
  try {
    return await Promise.all(
      shares.map(async (ids, k) => {
        const out = join(scratch, `share-${k + 1}.json`);
        await runShare(k + 1, argsFor(ids, out));
        return validateOrThrow(
          ExperimentsRecord,
          JSON.parse(readFileSync(out, 'utf8')),
          `the record of job ${k + 1}`,
        );
      }),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runShare(job: number, args: string[]): Promise<void> {
  // The same Node, with the same loader flags (tsx), running the same entry file.
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OPTNN_PROGRESS: '0' },
  });
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    process.stderr.write(`[job ${job}] ${line}\n`);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new HarnessError(
            'OPTNN_EXPERIMENT_JOB',
            `experiments job ${job} (${args.join(' ')}) ended with ${signal ?? `exit code ${code}`}; its last lines:\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

/** One record from the shares' records, with the cells and runs in `order` (the ids the user selected, in the notebook's order). */
export function mergeRecords(
  records: readonly ExperimentsRecord[],
  order: readonly string[],
  head: Pick<ExperimentsRecord, 'command' | 'startedAt'>,
): ExperimentsRecord {
  const rank = (id: string): number => order.indexOf(id);
  const first = records[0]!;
  return {
    ...first,
    ...head,
    cells: records.flatMap((r) => r.cells ?? []).sort((a, b) => rank(a.id) - rank(b.id)),
    runs: records.flatMap((r) => r.runs).sort((a, b) => rank(a.id) - rank(b.id)),
  };
}
