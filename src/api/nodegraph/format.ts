/**
 * Pre-formatted numbers for Grafana's node graph, which shows mainStat/secondaryStat strings as given.
 * @module
 */

const UNITS = ['', 'k', 'M', 'G', 'T', 'P'];

/** decimal SI with at most three significant digits: "950 B", "1.2 kB", "34 MB", "0.5 B" */
export function formatSi(value: number, unit: string): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 999.5 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = v === 0 || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  const fixed = v.toFixed(digits);
  const text = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return `${text} ${UNITS[i]}${unit}`;
}

export const formatBytesRate = (bytesPerSecond: number) => `${formatSi(bytesPerSecond, 'B')}/s`;
export const formatBytes = (bytes: number) => formatSi(bytes, 'B');

/** connections per second, or per minute when below one per second */
export function formatConnectionRate(perSecond: number): string {
  return perSecond >= 1 || perSecond === 0
    ? `${formatSi(perSecond, '')}conn/s`
    : `${formatSi(perSecond * 60, '')}conn/min`;
}
