/**
 * The notebook's nets as the grading process builds them (SPEC.md, nets), and variants that are
 * students' mistakes (a missing activation, softmax at the output, average pooling) or
 * equivalents (flattening channels first, as PyTorch does). With the same weights, each gives its
 * own logits on the same images: the nets check compares the student's logits with the correct
 * net's, and names the variant they match, as the optimizers' known mistakes are named.
 */
import * as tf from '@tensorflow/tfjs';

export type NetName = 'OneFCNet' | 'GarmentClassifier';

type Layer =
  | { kind: 'conv'; filters: number; relu: boolean }
  | { kind: 'pool'; average: boolean }
  | { kind: 'flatten'; channelsFirst: boolean }
  | { kind: 'dense'; units: number; activation: 'relu' | 'linear' | 'softmax' };

export interface NetVariant {
  id: string;
  /** What the student's net does, said to the student; empty for the correct net and its equivalents. */
  hint: string;
  /** True when it is as correct as the notebook's net (same function, other layout). */
  equivalent: boolean;
  layers: Layer[];
}

const garment = (change: (layers: Layer[]) => void = () => {}): Layer[] => {
  const layers: Layer[] = [
    { kind: 'conv', filters: 6, relu: true },
    { kind: 'pool', average: false },
    { kind: 'conv', filters: 16, relu: true },
    { kind: 'pool', average: false },
    { kind: 'flatten', channelsFirst: false },
    { kind: 'dense', units: 120, activation: 'relu' },
    { kind: 'dense', units: 84, activation: 'relu' },
    { kind: 'dense', units: 10, activation: 'linear' },
  ];
  change(layers);
  return layers;
};
const oneFc = (activation: 'relu' | 'linear' | 'softmax'): Layer[] => [
  { kind: 'flatten', channelsFirst: false },
  { kind: 'dense', units: 10, activation },
];
const at = <T extends Layer>(layers: Layer[], i: number): T => layers[i] as T;

export const NET_VARIANTS: Record<NetName, NetVariant[]> = {
  OneFCNet: [
    { id: 'correct', hint: '', equivalent: true, layers: oneFc('linear') },
    {
      id: 'onefcnet-softmax-output',
      equivalent: false,
      layers: oneFc('softmax'),
      hint: 'Your OneFCNet ends in a softmax: it must return logits, since the loss applies the softmax itself.',
    },
    {
      id: 'onefcnet-relu-output',
      equivalent: false,
      layers: oneFc('relu'),
      hint: 'Your OneFCNet applies a ReLU to its output: the dense layer 784 → 10 returns logits, with no activation.',
    },
  ],
  GarmentClassifier: [
    { id: 'correct', hint: '', equivalent: true, layers: garment() },
    {
      id: 'garment-flatten-channels-first',
      hint: '',
      equivalent: true,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'flatten' }>>(l, 4).channelsFirst = true;
      }),
    },
    {
      id: 'garment-softmax-output',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'dense' }>>(l, 7).activation = 'softmax';
      }),
      hint: 'Your GarmentClassifier ends in a softmax: its last dense layer must return logits, since the loss applies the softmax itself.',
    },
    {
      id: 'garment-relu-output',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'dense' }>>(l, 7).activation = 'relu';
      }),
      hint: 'Your GarmentClassifier applies a ReLU after its last dense layer: the 84 → 10 layer returns logits, with no activation.',
    },
    {
      id: 'garment-no-relu-conv1',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'conv' }>>(l, 0).relu = false;
      }),
      hint: 'The ReLU after the first convolution is missing (SPEC.md: conv 1->6 k5, relu, maxpool 2).',
    },
    {
      id: 'garment-no-relu-conv2',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'conv' }>>(l, 2).relu = false;
      }),
      hint: 'The ReLU after the second convolution is missing (SPEC.md: conv 6->16 k5, relu, maxpool 2).',
    },
    {
      id: 'garment-no-relu-dense1',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'dense' }>>(l, 5).activation = 'linear';
      }),
      hint: 'The ReLU after the dense layer 256 → 120 is missing (SPEC.md: dense 256->120 relu).',
    },
    {
      id: 'garment-no-relu-dense2',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'dense' }>>(l, 6).activation = 'linear';
      }),
      hint: 'The ReLU after the dense layer 120 → 84 is missing (SPEC.md: dense 120->84 relu).',
    },
    {
      id: 'garment-average-pooling',
      equivalent: false,
      layers: garment((l) => {
        at<Extract<Layer, { kind: 'pool' }>>(l, 1).average = true;
        at<Extract<Layer, { kind: 'pool' }>>(l, 3).average = true;
      }),
      hint: 'Your GarmentClassifier pools by averaging: SPEC.md asks for max pooling (maxpool 2) after each convolution.',
    },
  ],
};

/** The logits of `variant` with `weights` (flat, one per trainable weight, in the net's order) on `images` (n·784). */
export function variantLogits(
  variant: NetVariant,
  weights: readonly (readonly number[])[],
  images: readonly number[],
): number[] {
  return tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(images as number[], [images.length / 784, 28, 28, 1]);
    let w = 0;
    const next = (shape: number[]): tf.Tensor => tf.tensor(weights[w++] as number[], shape);
    let channels = 1;
    for (const layer of variant.layers) {
      if (layer.kind === 'conv') {
        const kernel = next([5, 5, channels, layer.filters]);
        const bias = next([layer.filters]);
        x = tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid'), bias);
        if (layer.relu) x = tf.relu(x);
        channels = layer.filters;
      } else if (layer.kind === 'pool') {
        x = layer.average
          ? tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')
          : tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
      } else if (layer.kind === 'flatten') {
        const source = layer.channelsFirst ? tf.transpose(x, [0, 3, 1, 2]) : x;
        x = tf.reshape(source, [x.shape[0]!, -1]);
      } else {
        const kernel = next([x.shape[1]!, layer.units]);
        const bias = next([layer.units]);
        x = tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias);
        if (layer.activation === 'relu') x = tf.relu(x);
        if (layer.activation === 'softmax') x = tf.softmax(x);
      }
    }
    return Array.from(x.dataSync());
  });
}
