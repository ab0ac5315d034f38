// What the GEMM template (gemm.ts) computes and how it reads: sizes, dtype, and the WGSL bodies
// of the operand loads (scalar, vec4, transposed in place, row-split for conv) its caller offers.

import type { ValueId } from '@kiln/ir';

export interface GemmSpec {
  readonly name: 'matmul' | 'conv';
  readonly anchor: ValueId;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly dtype: 'f32' | 'i32' | 'u32';
  /** Bodies of fn gemm_a(b, m, k) -> T, fn gemm_b(b, k, n) -> T, fn gemm_out(b, m, n) -> u32. */
  readonly aBody: string;
  readonly bBody: string;
  readonly outBody: string;
  /** Optional bodies of vec4 loads: gemm_a4(b, m, k) reads k..k+3 (K % 4 == 0), gemm_b4(b, k, n) reads n..n+3 (N % 4 == 0). */
  readonly a4Body?: string | undefined;
  readonly b4Body?: string | undefined;
  /**
   * Operands stored transposed (A as [k, m], B as [n, k]: a transpose read in place): tiled loaders
   * then walk the stored contiguous dim, and where offered read it as vec4 — gemm_a4t(b, m, k)
   * reads A[m..m+3, k] (M % 4 == 0), gemm_b4t(b, k, n) reads B[k..k+3, n] (K % 4 == 0).
   */
  readonly aTransposed?: boolean;
  readonly bTransposed?: boolean;
  readonly a4tBody?: string | undefined;
  readonly b4tBody?: string | undefined;
  /**
   * Optional split of gemm_a for operands whose row index is costly to decode (conv positions):
   * `struct ARow` fields, fn gemm_a_row(b, m) -> ARow decoded once per tile row, and
   * fn gemm_a_at(r: ARow, b, k) -> T per element. Tiled variants then load A row by row.
   */
  readonly aRow?:
    | {
        readonly fields: string;
        readonly rowBody: string;
        readonly atBody: string;
        /** Optional fn gemm_a_at4(r: ARow, b, k) -> vec4<T> reading k..k+3 (valid for k % 4 == 0: one conv tap, four channels). */
        readonly at4Body?: string | undefined;
      }
    | undefined;
}
