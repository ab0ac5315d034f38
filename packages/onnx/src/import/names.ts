// ONNX value names are arbitrary strings ("input.1", "0", "x:0"); Kiln names are identifiers.
// The table maps each ONNX name to a unique Kiln name, keeping it readable where possible.

import { isValidName } from '@kiln/ir';

export class NameTable {
  private readonly used = new Set<string>();
  private readonly byOnnx = new Map<string, string>();

  private fresh(raw: string, prefix: string): string {
    let base = raw.replace(/[^A-Za-z0-9_.]/g, '_');
    if (!isValidName(base)) base = `${prefix}${base}`;
    if (!isValidName(base)) base = prefix.replace(/_$/, '');
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  value(onnx: string): string {
    const known = this.byOnnx.get(onnx);
    if (known !== undefined) return known;
    const name = this.fresh(onnx, 'v_');
    this.byOnnx.set(onnx, name);
    return name;
  }

  /** The Kiln input for item i of sequence input `onnx`, keyed by `key` (not an ONNX name). */
  item(onnx: string, i: number, key: string): string {
    const name = this.fresh(`${onnx}_${i}`, 'v_');
    this.byOnnx.set(key, name);
    return name;
  }

  /** Output names are separate from input names in Kiln, but must be unique among outputs. */
  output(onnx: string): string {
    return this.fresh(onnx, 'out_');
  }

  graphName(onnx: string): string {
    const base = onnx.replace(/[^A-Za-z0-9_.]/g, '_');
    return isValidName(base) ? base : 'onnx';
  }
}
