/**
 * Dense column-major matrices on Float64Array. Columns are contiguous, so a d x T matrix of task
 * vectors stores each task's d-vector in one run: the layout of every hot loop in the library.
 */

/** A rows x cols matrix stored column-major: entry (i, j) is data[i + j * rows]. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Doubles per slab of `floats` (64 KiB), and the largest request served from one. */
const SLAB = 8192;
const SLAB_MAX = 2048;
let slab = new Float64Array(SLAB);
let slabUsed = 0;

/**
 * A zeroed Float64Array of length n. V8 gives every typed array of more than 64 bytes its own
 * off-heap backing store, which costs about 3 us to create and track (measured here for 500
 * doubles), more than the arithmetic the hot paths do on it, and a replicate creates thousands.
 * Arrays of up to 2048 doubles are therefore cut from shared 64 KiB slabs (a fresh slab, zeroed
 * by the allocator, when the current one is full): about 0.9 us for 500 doubles. Each view is its
 * own region, so the result behaves as `new Float64Array(n)` does (it keeps its slab alive as
 * any typed array keeps its buffer; `byteOffset` may be non-zero).
 */
export function floats(n: number): Float64Array {
  if (n > SLAB_MAX) return new Float64Array(n);
  if (slabUsed + n > SLAB) {
    slab = new Float64Array(SLAB);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return out;
}

/** A copy of x (`floats` storage). */
export function copyOf(x: ArrayLike<number>): Float64Array {
  const out = floats(x.length);
  out.set(x);
  return out;
}

/** A zero rows x cols matrix. */
export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: floats(rows * cols) };
}

/** Entry (i, j). */
export function get(a: Mat, i: number, j: number): number {
  return a.data[i + j * a.rows];
}

/** Column j as a view (shares memory). */
export function column(a: Mat, j: number): Float64Array {
  return a.data.subarray(j * a.rows, (j + 1) * a.rows);
}

/** A matrix from columns of equal length (copied). */
export function fromColumns(cols: ArrayLike<number>[], rows?: number): Mat {
  const n = rows ?? (cols.length > 0 ? cols[0].length : 0);
  const out = zeros(n, cols.length);
  for (let j = 0; j < cols.length; j++) {
    if (cols[j].length !== n) throw new RangeError(`fromColumns: column ${j} has length ${cols[j].length}, expected ${n}`);
    out.data.set(cols[j] as ArrayLike<number>, j * n);
  }
  return out;
}

/** A matrix from row arrays (copied), for tests and small literals. */
export function fromRows(rowsArr: number[][]): Mat {
  const rows = rowsArr.length;
  const cols = rows > 0 ? rowsArr[0].length : 0;
  const out = zeros(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i + j * rows] = rowsArr[i][j];
  return out;
}

/** A copy of columns `indices` of a. */
export function selectColumns(a: Mat, indices: ArrayLike<number>): Mat {
  const out = zeros(a.rows, indices.length);
  for (let k = 0; k < indices.length; k++) out.data.set(column(a, indices[k]), k * a.rows);
  return out;
}

/** Inner product of x and y (equal lengths). */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/** Euclidean norm, guarded against overflow and underflow by scaling. */
export function norm2(x: ArrayLike<number>): number {
  let scale = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > scale) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = x[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/** l1 norm. */
export function norm1(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}

/** y <- y + alpha x. */
export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** x scaled by alpha, as a new array. */
export function scaled(x: ArrayLike<number>, alpha: number): Float64Array {
  const out = floats(x.length);
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
  return out;
}

/** C = A^T B (A is n x p, B is n x q, C is p x q): p q inner products of length n. */
export function transposeTimes(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows) throw new RangeError(`transposeTimes: ${a.rows} rows vs ${b.rows} rows`);
  const n = a.rows;
  const out = zeros(a.cols, b.cols);
  const ad = a.data;
  const bd = b.data;
  // Offsets, not subarray views: a view costs more to create than a short loop over it.
  for (let j = 0; j < b.cols; j++) {
    const bo = j * n;
    for (let i = 0; i < a.cols; i++) {
      const ao = i * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += ad[ao + k] * bd[bo + k];
      out.data[i + j * a.cols] = s;
    }
  }
  return out;
}

/** C = A B (A is n x p, B is p x q). */
export function times(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new RangeError(`times: ${a.cols} columns vs ${b.rows} rows`);
  const n = a.rows;
  const out = zeros(n, b.cols);
  const ad = a.data;
  const od = out.data;
  for (let j = 0; j < b.cols; j++) {
    const oo = j * n;
    for (let k = 0; k < a.cols; k++) {
      const bkj = b.data[k + j * b.rows];
      if (bkj === 0) continue;
      const ao = k * n;
      for (let i = 0; i < n; i++) od[oo + i] += bkj * ad[ao + i];
    }
  }
  return out;
}

/** A^T x for A n x p and x of length n. */
export function transposeTimesVector(a: Mat, x: ArrayLike<number>): Float64Array {
  const n = a.rows;
  const out = floats(a.cols);
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    const off = j * n;
    for (let i = 0; i < n; i++) s += a.data[off + i] * x[i];
    out[j] = s;
  }
  return out;
}

/** A x for A n x p and x of length p. */
export function timesVector(a: Mat, x: ArrayLike<number>): Float64Array {
  const n = a.rows;
  const out = floats(n);
  for (let j = 0; j < a.cols; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) out[i] += a.data[off + i] * xj;
  }
  return out;
}

/** Frobenius norm. */
export function frobenius(a: Mat): number {
  return norm2(a.data);
}
