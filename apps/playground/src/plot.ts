// The live loss plot: raw loss per step (thin), its moving average (thick), and test accuracy
// (dots, right axis), on a canvas scaled for the display's pixel ratio.

export interface Series {
  readonly losses: readonly number[];
  /** [step, accuracy in 0..1] */
  readonly accuracy: readonly (readonly [number, number])[];
}

export function drawLossPlot(canvas: HTMLCanvasElement, s: Series): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 480;
  const h = canvas.clientHeight || 220;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, w, h);
  const left = 44;
  const right = 40;
  const top = 22;
  const bottom = 26;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const n = s.losses.length;
  const steps = Math.max(n, s.accuracy.at(-1)?.[0] ?? 0, 10);
  const maxLoss = Math.max(0.5, ...s.losses.slice(0, 400).filter(Number.isFinite), ...s.losses.filter(Number.isFinite)) * 1.05;
  const x = (i: number): number => left + (i / steps) * pw;
  const y = (v: number): number => top + ph - (Math.min(v, maxLoss) / maxLoss) * ph;
  const ya = (a: number): number => top + ph - a * ph;

  g.strokeStyle = '#e3e6ea';
  g.lineWidth = 1;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#5b6470';
  for (let t = 0; t <= 4; t++) {
    const v = (maxLoss * t) / 4;
    g.beginPath();
    g.moveTo(left, y(v));
    g.lineTo(left + pw, y(v));
    g.stroke();
    g.textAlign = 'right';
    g.fillText(v.toFixed(2), left - 6, y(v) + 4);
    g.textAlign = 'left';
    g.fillText(`${(t * 25).toFixed(0)}%`, left + pw + 6, ya(t / 4) + 4);
  }
  g.textAlign = 'center';
  for (let t = 0; t <= 5; t++) g.fillText(String(Math.round((steps * t) / 5)), x((steps * t) / 5), h - 8);
  g.textAlign = 'left';
  g.fillStyle = '#1d4ed8';
  g.fillText('training loss per step (thick: moving average)', left, 13);
  g.textAlign = 'right';
  g.fillStyle = '#ea580c';
  g.fillText('● test accuracy', w - 2, 13);

  if (n > 0) {
    g.strokeStyle = 'rgba(37, 99, 235, 0.35)';
    g.lineWidth = 1;
    g.beginPath();
    s.losses.forEach((v, i) => (i === 0 ? g.moveTo(x(i + 1), y(v)) : g.lineTo(x(i + 1), y(v))));
    g.stroke();
    g.strokeStyle = '#1d4ed8';
    g.lineWidth = 2.5;
    g.beginPath();
    let avg = s.losses[0]!;
    s.losses.forEach((v, i) => {
      avg = i === 0 ? v : 0.9 * avg + 0.1 * v;
      if (i === 0) g.moveTo(x(i + 1), y(avg));
      else g.lineTo(x(i + 1), y(avg));
    });
    g.stroke();
  }
  g.fillStyle = '#ea580c';
  for (const [step, a] of s.accuracy) {
    g.beginPath();
    g.arc(x(step), ya(a), 4, 0, 2 * Math.PI);
    g.fill();
  }
  g.strokeStyle = '#9aa3ad';
  g.lineWidth = 1;
  g.strokeRect(left, top, pw, ph);
}
