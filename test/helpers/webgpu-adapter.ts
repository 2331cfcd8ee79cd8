/**
 * The adapter the webgpu tests run on: whatever Dawn finds, in CI Mesa's lavapipe (a CPU Vulkan
 * driver that tools/setup-system.sh installs). Every op runs on it (no hand-off of small tensors
 * to the CPU). The tests are skipped, saying why, only where lavapipe cannot be installed (not
 * root, or no apt-get); where it could, a missing adapter fails them (`requireAdapter`).
 */
import { existsSync } from 'node:fs';
import { findWebGpuAdapter, setCpuHandoffSize, type WebGpuAdapter } from '../../course/webgpu.js';

export interface TestAdapter {
  /** The adapter, or why there is none. */
  adapter: WebGpuAdapter | string;
  /** Set where the tests cannot run here. */
  skipReason: string | undefined;
}

/** Finds the adapter; `what` names the tests in the warning printed when they are skipped. */
export async function testAdapter(what: string): Promise<TestAdapter> {
  setCpuHandoffSize(0);
  const adapter = await findWebGpuAdapter();
  const installable = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  const skipReason =
    typeof adapter === 'string' && !installable
      ? `no WebGPU adapter (${adapter}), and lavapipe cannot be installed here (needs root and apt-get)`
      : undefined;
  if (skipReason !== undefined) console.warn(`${what} skipped: ${skipReason}`);
  return { adapter, skipReason };
}

/** For a beforeAll: no adapter where lavapipe could be installed is a failure, not a skip. */
export function requireAdapter({ adapter }: TestAdapter): void {
  if (typeof adapter === 'string')
    throw new Error(
      `no WebGPU adapter although lavapipe can be installed here: run tools/setup-system.sh as root (${adapter})`,
    );
}
