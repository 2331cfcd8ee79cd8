import { describe, expect, it } from 'vitest';
import { AveragedModel } from '../../course/swa.js';
import { readState, writeState } from '../../course/params.js';
import { getOneFCNet } from '../../reference/nets.js';
import { assertClose } from '../helpers/close.js';

describe('AveragedModel', () => {
  it('copies on the first update and keeps the running mean after', () => {
    const net = getOneFCNet({ seed: 1 });
    const swa = new AveragedModel(net);
    expect(swa.averagedState).toBeUndefined();
    const states = [1, 2, 3].map((s) => readState(getOneFCNet({ seed: s })));
    writeState(net, states[0]!);
    swa.updateParameters(net);
    assertClose('after one update', swa.averagedState![0]!, states[0]![0]!, { atol: 0, rtol: 0 });
    writeState(net, states[1]!);
    swa.updateParameters(net);
    writeState(net, states[2]!);
    swa.updateParameters(net);
    expect(swa.nAveraged).toBe(3);
    const mean = states[0]![0]!.map((v, k) => (v + states[1]![0]![k]! + states[2]![0]![k]!) / 3);
    assertClose('mean of three', swa.averagedState![0]!, mean);
    const target = getOneFCNet({ seed: 9 });
    swa.copyTo(target);
    assertClose('copied into a net', readState(target)[0]!, mean);
    net.dispose();
    target.dispose();
  });

  it('says so when read before any update', () => {
    const net = getOneFCNet();
    expect(() => new AveragedModel(net).copyTo()).toThrow(/not been updated/);
    net.dispose();
  });
});
