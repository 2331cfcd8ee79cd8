/**
 * The scaffold the course gives students for their optimizers, as the notebook's `step()` gave
 * the loop over `param_groups`: a `tf.Optimizer` that walks the gradients, skips parameters
 * without one, keeps per-parameter state ("slots", zero at the start) and counts steps. Each
 * optimizer only writes `updateParameter`, the math of one parameter at one step.
 *
 * An optimizer may also extend `tf.Optimizer` directly; the graders only use the
 * `tf.Optimizer` interface (`applyGradients`, `minimize`, `getConfig`).
 */
import * as tf from '@tensorflow/tfjs';
import { HarnessError, describeValue } from './errors.js';

/** tfjs's NamedTensor (not exported by the package's entry point). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The per-parameter state of one optimizer: one variable per slot name, all starting at zero. */
export type Slots<S extends string> = Readonly<Record<S, tf.Variable>>;

export interface ParameterUpdate<S extends string> {
  /** The parameter θ, to be changed in place with `param.assign(...)`. */
  param: tf.Variable;
  /** Its gradient g at this step. */
  grad: tf.Tensor;
  /** The number of steps this optimizer has taken before this one (0 at the first step). */
  t: number;
  /** This parameter's own state, e.g. `state.v`; change it with `state.v.assign(...)`. */
  state: Slots<S>;
}

export abstract class SlotOptimizer<S extends string = never> extends tf.Optimizer {
  private readonly slotsByParam = new Map<string, Slots<S>>();

  /**
   * @param slotNames the names of the per-parameter state this optimizer keeps.
   * @param hyperparameters the constructor's arguments, by name and in constructor order; each
   *   must be a finite number ≥ 0, and those named in `atMostOne` also ≤ 1.
   */
  protected constructor(
    private readonly slotNames: readonly S[],
    private readonly hyperparameters: Readonly<Record<string, number>>,
    atMostOne: readonly string[] = [],
  ) {
    super();
    const owner =
      (this.constructor as { className?: string }).className?.replace(/^optnn\//, '') ?? 'optimizer';
    for (const [name, value] of Object.entries(hyperparameters)) {
      checkHyperparameter(owner, name, value, atMostOne.includes(name) ? 1 : Infinity);
    }
  }

  /** The hyperparameters by name, in constructor order. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.hyperparameters };
  }

  /** Rebuilds an optimizer from `getConfig()`: the values are the constructor's arguments in order. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(...Object.values(config));
  }

  /**
   * Updates one parameter at one step. Runs inside `tf.tidy`, so intermediate tensors are freed;
   * write results with `assign`.
   */
  protected abstract updateParameter(update: ParameterUpdate<S>): void;

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | null | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const t = this.iterations;
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const param = tf.engine().registeredVariables[name];
      if (param === undefined) {
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `applyGradients got a gradient for '${name}', which is not a registered tf.Variable`,
        );
      }
      tf.tidy(() => this.updateParameter({ param, grad, t, state: this.slotsFor(name, param) }));
    }
    this.incrementIterations();
  }

  private slotsFor(name: string, param: tf.Variable): Slots<S> {
    let slots = this.slotsByParam.get(name);
    if (slots === undefined) {
      const created = {} as Record<S, tf.Variable>;
      for (const slot of this.slotNames) {
        created[slot] = tf.tidy(() => tf.zerosLike(param).variable(false, `${name}/${slot}/${nextSlotId++}`));
      }
      slots = created;
      this.slotsByParam.set(name, slots);
    }
    return slots;
  }

  override dispose(): void {
    for (const slots of this.slotsByParam.values()) {
      for (const v of Object.values<tf.Variable>(slots)) v.dispose();
    }
    this.slotsByParam.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const [name, slots] of this.slotsByParam) {
      for (const slot of this.slotNames) weights.push({ name: `${name}/${slot}`, tensor: slots[slot] });
    }
    return weights;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const param = name.slice(0, cut);
      const slot = name.slice(cut + 1) as S;
      if (!this.slotNames.includes(slot)) {
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `setWeights got '${name}', but this optimizer keeps only the slots ${this.slotNames.join(', ')}`,
        );
      }
      const slots = (this.slotsByParam.get(param) ?? {}) as Record<S, tf.Variable>;
      slots[slot] = tensor.clone().variable(false, `${param}/${slot}/${nextSlotId++}`);
      this.slotsByParam.set(param, slots);
    }
  }
}

let nextSlotId = 0;

/** A hyperparameter must be a finite number in [0, max]; a typo fails at once with a clear message. */
function checkHyperparameter(optimizer: string, name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    const range = max === Infinity ? 'a finite number ≥ 0' : `a number in [0, ${max}]`;
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected ${optimizer}'s \`${name}\` to be ${range}, got ${describeValue(value)}`,
    );
  }
}
