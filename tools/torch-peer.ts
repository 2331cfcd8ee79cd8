/**
 * PyTorch as a peer for `npm run bench -- --peer`: finds an interpreter that imports torch
 * (python3 on PATH may be a pyenv build without it, while Debian's python3-torch is for
 * /usr/bin/python3) and runs tools/bench-torch.py in it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const SCRIPT = join(fileURLToPath(import.meta.url), '..', 'bench-torch.py');
const CANDIDATES = ['python3', '/usr/bin/python3', 'python'];

export interface TorchRun {
  torch: string;
  threads: number;
  steps: number;
  msPerStep: number;
  samplesPerSecond: number;
}

/** The first interpreter that imports torch, or why none does. */
export async function findTorchPython(): Promise<{ python: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    const run = await execa(python, ['-c', 'import torch'], { reject: false, timeout: 60_000 });
    if (run.exitCode === 0) return { python };
    tried.push(
      `${python}: ${run.failed && run.exitCode === undefined ? 'not found' : (run.stderr.split('\n').at(-1) ?? 'failed')}`,
    );
  }
  return {
    reason: `no interpreter imports torch (${tried.join('; ')}); on Debian: apt-get install python3-torch`,
  };
}

export async function runTorch(
  python: string,
  steps: number,
  warmup: number,
  threads: number,
): Promise<TorchRun> {
  const run = await execa(python, [SCRIPT, String(steps), String(warmup), String(threads)], {
    timeout: 300_000,
  });
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as TorchRun;
}
