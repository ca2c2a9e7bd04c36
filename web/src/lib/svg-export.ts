/**
 * A small SVG serializer for the map: islands as rounded boxes, nodes by kind, edges as lines with arrowheads
 * at the server end, port labels. Input is a plain scene (model coordinates) so it is testable without a canvas.
 * @module
 */
import { EDGE_COLOR, escapeXml, INK, kindStyle, MUTED_INK } from './palette.js';

export interface SvgIsland {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly label: string;
}

export interface SvgNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly kind: string;
  readonly workloadKind: string;
  readonly label: string;
  readonly badge: string;
}

export interface SvgEdge {
  /** where the line leaves the client and meets the server */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly width: number;
  readonly label: string;
}

export interface SvgScene {
  readonly islands: readonly SvgIsland[];
  readonly nodes: readonly SvgNode[];
  readonly edges: readonly SvgEdge[];
  readonly title?: string;
}

const FONT = 'Inter,Segoe UI,Helvetica,Arial,sans-serif';
const r = (n: number) => Math.round(n * 10) / 10;

function bounds(scene: SvgScene): { x: number; y: number; w: number; h: number } {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  const grow = (ax: number, ay: number, bx: number, by: number) => {
    x1 = Math.min(x1, ax);
    y1 = Math.min(y1, ay);
    x2 = Math.max(x2, bx);
    y2 = Math.max(y2, by);
  };
  for (const i of scene.islands) grow(i.x1, i.y1 - 30, i.x2, i.y2);
  for (const n of scene.nodes) grow(n.x - 70, n.y - 30, n.x + 70, n.y + 45);
  if (!Number.isFinite(x1)) return { x: 0, y: 0, w: 100, h: 100 };
  return { x: x1 - 20, y: y1 - 20, w: x2 - x1 + 40, h: y2 - y1 + 40 };
}

function nodeShape(n: SvgNode): string {
  const s = kindStyle(n.kind, n.workloadKind);
  const h = s.size / 2;
  const common = `fill="#fff" stroke="${s.color}" stroke-width="2"`;
  if (s.shape === 'ellipse') return `<circle cx="${r(n.x)}" cy="${r(n.y)}" r="${h}" ${common}/>`;
  if (s.shape === 'round-hexagon') {
    const pts = [0, 1, 2, 3, 4, 5].map((i) => {
      const a = (Math.PI / 3) * i;
      return `${r(n.x + h * Math.cos(a))},${r(n.y + h * Math.sin(a))}`;
    });
    return `<polygon points="${pts.join(' ')}" ${common}/>`;
  }
  return `<rect x="${r(n.x - h)}" y="${r(n.y - h)}" width="${s.size}" height="${s.size}" rx="7" ${common}/>`;
}

function nodeSvg(n: SvgNode): string {
  const s = kindStyle(n.kind, n.workloadKind);
  const badgeSize = n.badge.length > 5 ? 8 : 10;
  return (
    `<g class="node" data-id="${escapeXml(n.id)}">${nodeShape(n)}` +
    `<text x="${r(n.x)}" y="${r(n.y + badgeSize / 3)}" text-anchor="middle" font-size="${badgeSize}" font-weight="700" fill="${s.color}">${escapeXml(n.badge)}</text>` +
    `<text x="${r(n.x)}" y="${r(n.y + s.size / 2 + 14)}" text-anchor="middle" font-size="11" fill="${INK}">${escapeXml(n.label)}</text></g>`
  );
}

function edgeSvg(e: SvgEdge): string {
  const mx = (e.x1 + e.x2) / 2;
  const my = (e.y1 + e.y2) / 2;
  const label = e.label
    ? `<text x="${r(mx)}" y="${r(my - 3)}" text-anchor="middle" font-size="9" fill="${MUTED_INK}">${escapeXml(e.label)}</text>`
    : '';
  return (
    `<g class="edge"><line x1="${r(e.x1)}" y1="${r(e.y1)}" x2="${r(e.x2)}" y2="${r(e.y2)}" stroke="${EDGE_COLOR}" ` +
    `stroke-width="${r(e.width)}" marker-end="url(#arrow)"/>${label}</g>`
  );
}

/** a standalone SVG document of the scene */
export function sceneToSvg(scene: SvgScene): string {
  const b = bounds(scene);
  const islands = scene.islands.map(
    (i) =>
      `<g class="island"><rect x="${r(i.x1)}" y="${r(i.y1)}" width="${r(i.x2 - i.x1)}" height="${r(i.y2 - i.y1)}" rx="18" fill="#eef2f7" stroke="#cbd5e1"/>` +
      `<text x="${r((i.x1 + i.x2) / 2)}" y="${r(i.y1 - 10)}" text-anchor="middle" font-size="20" font-weight="600" fill="#334155">${escapeXml(i.label)}</text></g>`,
  );
  const title = scene.title ? `<title>${escapeXml(scene.title)}</title>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${r(b.x)} ${r(b.y)} ${r(b.w)} ${r(b.h)}" width="${Math.ceil(b.w)}" height="${Math.ceil(b.h)}" font-family="${FONT}">`,
    title,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="11" markerHeight="11" orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0L10,5L0,10z" fill="${EDGE_COLOR}"/></marker></defs>`,
    `<rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.w)}" height="${r(b.h)}" fill="#ffffff"/>`,
    ...islands,
    ...scene.edges.map(edgeSvg),
    ...scene.nodes.map(nodeSvg),
    '</svg>',
    '',
  ].join('\n');
}
