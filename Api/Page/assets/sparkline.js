// A small line chart on a canvas: samples placed by time over a fixed window ending now, scaled from zero to the
// window's maximum. Sharp on high-density screens; colours come from the page's CSS variables.

/**
 * Draws `samples` ({ at: Date, value: number }) of the last `windowMs` on `canvas`, in the colour of the CSS
 * variable `colorVariable`. Returns the window's maximum (0 when empty).
 */
export function drawSparkline(canvas, samples, { windowMs, colorVariable, now = new Date() }) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }

  const context = canvas.getContext('2d');
  context.clearRect(0, 0, width, height);
  const style = getComputedStyle(canvas);
  const color = style.getPropertyValue(colorVariable).trim() || '#1f6feb';
  const grid = style.getPropertyValue('--line').trim() || '#dde3ea';
  const start = now.getTime() - windowMs;
  const visible = samples.filter((s) => s.at.getTime() >= start);
  const max = visible.reduce((m, s) => Math.max(m, s.value), 0);

  // A baseline, so an idle chart still reads as a chart.
  context.strokeStyle = grid;
  context.lineWidth = ratio;
  context.beginPath();
  context.moveTo(0, height - ratio / 2);
  context.lineTo(width, height - ratio / 2);
  context.stroke();
  if (visible.length === 0) return 0;

  const pad = 3 * ratio;
  const x = (s) => ((s.at.getTime() - start) / windowMs) * width;
  const y = (s) => height - pad - (max > 0 ? (s.value / max) * (height - 2 * pad) : 0);

  context.beginPath();
  visible.forEach((s, i) => (i === 0 ? context.moveTo(x(s), y(s)) : context.lineTo(x(s), y(s))));
  context.lineWidth = 1.5 * ratio;
  context.lineJoin = 'round';
  context.strokeStyle = color;
  context.stroke();

  context.lineTo(x(visible[visible.length - 1]), height);
  context.lineTo(x(visible[0]), height);
  context.closePath();
  context.globalAlpha = 0.15;
  context.fillStyle = color;
  context.fill();
  context.globalAlpha = 1;
  return max;
}
