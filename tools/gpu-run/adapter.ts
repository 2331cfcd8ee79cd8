/**
 * Which WebGPU adapters Dawn finds on this machine, and whether a compute shader runs on each (a
 * dispatch and a read back, timed: the round trip tfjs pays once per training step). For the GPU
 * run's log (tools/gpu-run/run.sh); prints one readable line and one JSON line per request.
 *   adapter [default|vulkan|list]
 */
import { create, globals } from 'webgpu';

interface Probe {
  probe: string;
  flags: string[];
  ok: boolean;
  adapter?: { vendor: string; architecture: string; device: string; description: string; fallback: boolean };
  roundTripMs?: number;
  error?: string;
}

Object.assign(globalThis, globals);
const instances: GPU[] = [];

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
}

/** Doubles-plus-one a buffer of 2^20 floats, checks three values, and times 20 round trips. */
async function compute(device: GPUDevice): Promise<{ ok: boolean; roundTripMs: number }> {
  const n = 1 << 20;
  const code = `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
    @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u) {
      if (id.x < arrayLength(&a)) { a[id.x] = a[id.x] * 2.0 + 1.0; } }`;
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const data = new Float32Array(n).map((_, i) => i % 1000);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffer = device.createBuffer({ size: data.byteLength, usage });
  const read = device.createBuffer({
    size: data.byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data);
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer } }],
  });
  const run = async (): Promise<Float32Array> => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(n / 256);
    pass.end();
    encoder.copyBufferToBuffer(buffer, 0, read, 0, data.byteLength);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    return out;
  };
  const first = await run();
  const ok = first[0] === 1 && first[999] === 1999 && first[n - 1] === ((n - 1) % 1000) * 2 + 1;
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await run();
  return { ok, roundTripMs: (performance.now() - t0) / 20 };
}

async function probe(label: string, flags: string[]): Promise<Probe> {
  const record: Probe = { probe: label, flags, ok: false };
  try {
    // Kept referenced until the end: Dawn's instance must outlive its adapter and device.
    const gpu = create(flags);
    instances.push(gpu);
    const adapter = await within(
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      30000,
      'requestAdapter',
    );
    if (adapter === null) {
      record.error = 'requestAdapter() returned null (no adapter)';
    } else {
      const info = adapter.info;
      record.adapter = {
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
        fallback: info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(info.description),
      };
      const device = await within(adapter.requestDevice(), 30000, 'requestDevice');
      const result = await within(compute(device), 60000, 'compute check');
      record.ok = result.ok;
      record.roundTripMs = Number(result.roundTripMs.toFixed(3));
      device.destroy();
    }
  } catch (error) {
    record.error = String((error as Error).message ?? error).slice(0, 2000);
  }
  const a = record.adapter;
  console.log(
    `${label}: ${a ? `${a.vendor} ${a.architecture} "${a.description}"${a.fallback ? ' [software]' : ''}` : 'no adapter'}` +
      (record.roundTripMs !== undefined
        ? `; compute ${record.ok ? 'correct' : 'WRONG'}, round trip ${record.roundTripMs} ms`
        : '') +
      (record.error ? `; ${record.error.split('\n').join(' | ')}` : ''),
  );
  console.log(JSON.stringify(record));
  return record;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const requests: [string, string[]][] = [
    ['default', []],
    ['vulkan', ['backend=vulkan']],
    // A name that matches nothing: Dawn lists the adapters it found in its error.
    ['list', ['adapter=__list_adapters__']],
  ];
  for (const [label, flags] of requests) if (!only || label === only) await probe(label, flags);
  process.exit(0);
}

void main();
