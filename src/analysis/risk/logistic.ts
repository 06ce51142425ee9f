/** A logistic regression: p = sigmoid(intercept + weights · x). */
export interface LogisticModel {
  intercept: number;
  weights: number[];
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predictLogistic(model: LogisticModel, x: readonly number[]): number {
  let z = model.intercept;
  model.weights.forEach((w, j) => {
    z += w * (x[j] ?? 0);
  });
  return sigmoid(z);
}

/** Solves a small dense system by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] ?? [], m[col] ?? []];
    const p = m[col]?.[col] ?? 0;
    if (p === 0) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (m[r]?.[col] ?? 0) / p;
      m[r] = (m[r] ?? []).map((v, k) => v - f * (m[col]?.[k] ?? 0));
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] || 1));
}

/**
 * Fits by Newton's method (iteratively reweighted least squares) with a small ridge penalty that
 * keeps separable data finite. Features should be on similar scales.
 */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: { l2?: number; iterations?: number } = {},
): LogisticModel {
  const d = (x[0]?.length ?? 0) + 1;
  const l2 = options.l2 ?? 1e-3;
  let beta = new Array<number>(d).fill(0);
  for (let iter = 0; iter < (options.iterations ?? 25); iter++) {
    const grad = beta.map((b, j) => (j === 0 ? 0 : l2 * b));
    const hess = beta.map((_, j) => beta.map((__, k) => (j === k && j > 0 ? l2 : 0)));
    x.forEach((row, i) => {
      const z = [1, ...row];
      const p = sigmoid(z.reduce((s, v, j) => s + v * (beta[j] ?? 0), 0));
      const w = Math.max(p * (1 - p), 1e-9);
      z.forEach((vj, j) => {
        grad[j] = (grad[j] ?? 0) + (p - (y[i] ?? 0)) * vj;
        z.forEach((vk, k) => {
          const row = hess[j];
          if (row) row[k] = (row[k] ?? 0) + w * vj * vk;
        });
      });
    });
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b - (step[j] ?? 0));
    if (step.every((s) => Math.abs(s) < 1e-8)) break;
  }
  return { intercept: beta[0] ?? 0, weights: beta.slice(1) };
}
