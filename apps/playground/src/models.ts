// The models the playground trains, the same architectures as examples/mlp-mnist.ts,
// examples/cnn-mnist.ts (without batch norm) and examples/softmax-regression.ts (here on MNIST).

import * as k from '@kiln/frontend';

export type ModelId = 'mlp' | 'lenet' | 'softmax';

export interface ModelSpec {
  readonly id: ModelId;
  readonly label: string;
  readonly description: string;
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: 'adam' | 'sgd';
  create(): Classifier;
}

/** A model mapping images [B, 784] to logits [B, 10]. */
export interface Classifier extends k.nn.Module {
  forward(x: k.Tensor): k.Tensor;
}

class Mlp extends k.nn.Module implements Classifier {
  readonly fc1 = new k.nn.Linear(784, 128);
  readonly fc2 = new k.nn.Linear(128, 10);
  forward(x: k.Tensor): k.Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

class LeNet extends k.nn.Module implements Classifier {
  readonly conv1 = new k.nn.Conv2d(1, 6, 5, { padding: 'same' });
  readonly conv2 = new k.nn.Conv2d(6, 16, 5);
  readonly pool = new k.nn.MaxPool2d(2);
  readonly flatten = new k.nn.Flatten();
  readonly fc1 = new k.nn.Linear(5 * 5 * 16, 120);
  readonly fc2 = new k.nn.Linear(120, 84);
  readonly fc3 = new k.nn.Linear(84, 10);
  forward(x: k.Tensor): k.Tensor {
    let h = x.reshape([-1, 28, 28, 1]);
    h = this.pool.forward(this.conv1.forward(h).relu()); // [B, 14, 14, 6]
    h = this.pool.forward(this.conv2.forward(h).relu()); // [B, 5, 5, 16]
    h = this.fc1.forward(this.flatten.forward(h)).relu();
    return this.fc3.forward(this.fc2.forward(h).relu());
  }
}

class SoftmaxRegression extends k.nn.Module implements Classifier {
  readonly fc = new k.nn.Linear(784, 10);
  forward(x: k.Tensor): k.Tensor {
    return this.fc.forward(x);
  }
}

export const MODELS: readonly ModelSpec[] = [
  { id: 'mlp', label: 'MLP 784-128-10', description: 'two Linear layers with ReLU, Adam (examples/mlp-mnist.ts)', batch: 64, lr: 2e-3, optimizer: 'adam', create: () => new Mlp() },
  {
    id: 'lenet',
    label: 'LeNet-5 CNN',
    description: 'conv 5×5×6 → pool → conv 5×5×16 → pool → 120 → 84 → 10, NHWC, Adam (examples/cnn-mnist.ts, no batch norm)',
    batch: 32,
    lr: 2e-3,
    optimizer: 'adam',
    create: () => new LeNet(),
  },
  {
    id: 'softmax',
    label: 'Softmax regression',
    description: 'one Linear layer on the raw pixels, SGD (examples/softmax-regression.ts)',
    batch: 64,
    lr: 0.5,
    optimizer: 'sgd',
    create: () => new SoftmaxRegression(),
  },
];

export function modelSpec(id: string): ModelSpec {
  return MODELS.find((m) => m.id === id) ?? MODELS[0]!;
}
