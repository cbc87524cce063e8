/** Least-squares slope of y over x: how fast a sampled figure (e.g. resident memory) grows per unit of x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) throw new Error("a slope needs at least two points.");
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  if (sxx === 0) throw new Error("a slope needs at least two distinct x values.");
  return sxy / sxx;
}

/** The second half of the samples (the middle one included when odd), where warm-up no longer counts. */
export function secondHalf<T>(samples: readonly T[]): T[] {
  return samples.slice(Math.floor(samples.length / 2));
}
