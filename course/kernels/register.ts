/** Placeholder: replaced by the fast-kernel work. */
export function registerFastKernels(_backend: 'wasm' | 'cpu'): string[] {
  return [];
}
