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

/**
 * phi'(h): relu 1 for h > 0 and 0 for h <= 0 (the subgradient 0 at the kink, so a unit that is
 * exactly at 0 passes no gradient); tanh 1 - tanh(h)^2; quadratic 2h; identity 1.
 */
export function activationDerivative(activation: Activation, h: number): number {
  switch (activation) {
    case "relu":
      return h > 0 ? 1 : 0;
    case "tanh": {
      const t = Math.tanh(h);
      return 1 - t * t;
    }
    case "quadratic":
      return 2 * h;
    case "identity":
      return 1;
  }
}
