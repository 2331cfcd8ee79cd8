/** Hostile corpus case not-an-optimizer: a class that does not extend tf.Optimizer (see expected.json). */
export class Adam {
  constructor(readonly lr = 0.01) {}

  /** Looks like an optimizer method, but there is no `minimize`, `dispose`, or tf.Optimizer behind it. */
  step(): void {}
}
