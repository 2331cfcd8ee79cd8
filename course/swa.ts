/**
 * Stochastic weight averaging: PyTorch's `AveragedModel` for the notebook's SVRG section. Keeps
 * the running mean of the parameters it was updated with: the first update copies them, the n-th
 * sets avg ← avg + (θ − avg) / n. The mean is kept in float64 and read out as float32.
 */
import { readState, writeState, type Net, type State } from './params.js';

export class AveragedModel {
  private sum: Float64Array[] | undefined;
  /** How many times `updateParameters` has been called. */
  nAveraged = 0;

  /** @param net the net whose architecture the average has (its parameters are not copied yet). */
  constructor(readonly net: Net) {}

  /** Folds the net's current parameters into the running mean. */
  updateParameters(net: Net): void {
    const current = readState(net);
    this.nAveraged += 1;
    if (this.sum === undefined) {
      this.sum = current.map((a) => Float64Array.from(a));
      return;
    }
    if (current.length !== this.sum.length) {
      throw new Error(
        `AveragedModel.updateParameters: the net has ${current.length} weights, the average ${this.sum.length}`,
      );
    }
    const n = this.nAveraged;
    this.sum.forEach((avg, i) => {
      const theta = current[i]!;
      for (let k = 0; k < avg.length; k++) avg[k] = avg[k]! + (theta[k]! - avg[k]!) / n;
    });
  }

  /** The averaged parameters, or undefined before the first update. */
  get averagedState(): State | undefined {
    return this.sum?.map((a) => Float32Array.from(a));
  }

  /** Writes the averaged parameters into `net` (this model's net by default), to evaluate it. */
  copyTo(net: Net = this.net): void {
    const state = this.averagedState;
    if (state === undefined) throw new Error('AveragedModel.copyTo: the model has not been updated yet');
    writeState(net, state);
  }
}
