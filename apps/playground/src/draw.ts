// The drawing pad: white strokes on black like MNIST's digits, turned into a 28×28 input the way
// MNIST was made: the ink's bounding box scaled to fit 20×20, then centred on its centre of mass.

export class DrawPad {
  private readonly g: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | undefined;
  inked = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onChange: (final: boolean) => void,
  ) {
    this.g = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.pos(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.pos(e);
      this.stroke(this.last ?? p, p);
      this.last = p;
      this.onChange(false);
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = undefined;
      this.onChange(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.g.fillStyle = '#000';
    this.g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  /** Draws a stroke between two points in canvas pixels (also used by tests). */
  stroke(a: readonly [number, number], b: readonly [number, number]): void {
    const g = this.g;
    g.strokeStyle = '#fff';
    g.lineWidth = this.canvas.width / 14;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(a[0], a[1]);
    g.lineTo(b[0], b[1]);
    g.stroke();
    this.inked = true;
  }

  /** The drawing as a 28×28 MNIST-style image, values in [0, 1]; undefined when blank. */
  pixels(): Float32Array | undefined {
    const { width: w, height: h } = this.canvas;
    const src = this.g.getImageData(0, 0, w, h).data;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (src[(y * w + x) * 4]! > 32) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
    if (x1 < 0) return undefined;
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const scale = 20 / Math.max(bw, bh);
    const tw = Math.max(1, Math.round(bw * scale));
    const th = Math.max(1, Math.round(bh * scale));
    // Box-filter the bounding box down to tw × th (area averaging, as MNIST's anti-aliasing).
    const small = new Float32Array(tw * th);
    for (let ty = 0; ty < th; ty++)
      for (let tx = 0; tx < tw; tx++) {
        const sx0 = x0 + Math.floor((tx * bw) / tw);
        const sx1 = x0 + Math.max(Math.floor(((tx + 1) * bw) / tw), Math.floor((tx * bw) / tw) + 1);
        const sy0 = y0 + Math.floor((ty * bh) / th);
        const sy1 = y0 + Math.max(Math.floor(((ty + 1) * bh) / th), Math.floor((ty * bh) / th) + 1);
        let sum = 0;
        for (let y = sy0; y < sy1; y++) for (let x = sx0; x < sx1; x++) sum += src[(y * w + x) * 4]!;
        small[ty * tw + tx] = sum / 255 / ((sx1 - sx0) * (sy1 - sy0));
      }
    let mass = 0;
    let cx = 0;
    let cy = 0;
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const v = small[y * tw + x]!;
        mass += v;
        cx += v * x;
        cy += v * y;
      }
    const ox = Math.round(14 - (mass > 0 ? cx / mass : tw / 2));
    const oy = Math.round(14 - (mass > 0 ? cy / mass : th / 2));
    const out = new Float32Array(784);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const X = x + ox;
        const Y = y + oy;
        if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x]!);
      }
    return out;
  }

  private pos(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
  }
}

/** Paints a 28×28 image (values in [0, 1]) onto a canvas, one block per pixel. */
export function paintDigit(canvas: HTMLCanvasElement, pixels: Float32Array | undefined): void {
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((pixels?.[i] ?? 0) * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  const tmp = document.createElement('canvas');
  tmp.width = 28;
  tmp.height = 28;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}
