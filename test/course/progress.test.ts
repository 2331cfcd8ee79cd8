import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds } from '../../course/progress.js';

async function captured(run: (stream: NodeJS.WriteStream) => void): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'progress-')), 'log.txt');
  const stream = createWriteStream(file);
  run(stream as unknown as NodeJS.WriteStream);
  stream.end();
  await once(stream, 'finish');
  return readFileSync(file, 'utf8');
}

describe('progress bar', () => {
  it('prints a few lines, not one per step, when the output is not a terminal', async () => {
    const text = await captured((stream) => {
      const bar = createProgress({ total: 1000, label: 'epoch 0', stream });
      for (let i = 1; i <= 1000; i++) bar.update(i, `loss ${(1 / i).toFixed(3)}`);
      bar.finish('done');
    });
    const lines = text.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toMatch(/^epoch 0 .* 1000\/1000 .*loss 0\.001/);
  });

  it('prints nothing when disabled', async () => {
    const text = await captured((stream) => {
      const bar = createProgress({ total: 10, stream, enabled: false });
      bar.update(5);
      bar.finish();
    });
    expect(text).toBe('');
  });

  it('formats durations as mm:ss', () => {
    expect(formatSeconds(0)).toBe('00:00');
    expect(formatSeconds(125.4)).toBe('02:05');
  });
});
