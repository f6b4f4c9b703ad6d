/**
 * Activations of the two-layer family (MODEL §2.3): phi applied elementwise to the hidden layer
 * W x. Each comes with its derivative, used by the hand-written backward passes.
 */

/** The activations of MODEL §2.3. */
export const ACTIVATIONS = ["relu", "tanh", "quadratic", "identity"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * phi(h): relu max(h, 0); tanh; quadratic h^2; identity h.
 */
export function activate(activation: Activation, h: number): number {
  switch (activation) {
    case "relu":
      return h > 0 ? h : 0;
    case "tanh":
      return Math.tanh(h);
    case "quadratic":
      return h * h;
    case "identity":
      return h;
  }
}

