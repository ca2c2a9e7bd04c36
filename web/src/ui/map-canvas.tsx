/**
 * The map: one cytoscape instance for the component's life, updated in place from each MapModel.
 * The parent talks to it through `MapHandle` (fit, re-layout, PNG/SVG export) and hears taps through callbacks.
 */
import cytoscape, { type Core, type NodeCollection } from 'cytoscape';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import { createLayoutMemory, type MapModel, sceneToSvg } from '../lib/index.js';
import { MAP_STYLE } from './cy-style.js';
import { type ApplyStats, applyModel, fitBackdrops, islandMembers, moveToSlots, sceneOf } from './map-apply.js';

export interface RenderTimings extends ApplyStats {
  /** from the start of the update until cytoscape drew the frame */
  readonly totalMs: number;
  /** when that frame was drawn, in ms since the page started loading */
  readonly doneAt: number;
}

export interface MapHandle {
  fit(): void;
  relayout(): void;
  png(): Promise<Blob>;
  svg(title: string): string;
  core(): Core | undefined;
}

export interface MapCanvasProps {
  readonly model: MapModel | undefined;
  readonly selected: string | undefined;
  readonly focus: string | undefined;
  /** a change of this key fits the viewport after the next update (new filters, level); polls keep it */
  readonly fitKey: string;
  readonly onSelect: (id: string | undefined) => void;
  readonly onToggleIsland: (group: string) => void;
  readonly onRendered?: (timings: RenderTimings) => void;
  readonly handleRef?: Ref<MapHandle>;
}

function afterRender(cy: Core, done: () => void): void {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  cy.one('render', () => requestAnimationFrame(finish));
  setTimeout(finish, 3000);
}

/**
 * fits the viewport to the node positions (plus room for sizes and labels) without asking cytoscape for bounding
 * boxes, which would measure every label of a big map before its first frame
 */
function fitPositions(cy: Core, padding = 40): void {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  cy.nodes().forEach((n) => {
    const p = n.position();
    const w = Number(n.data('w') ?? 40) / 2;
    const h = Number(n.data('h') ?? 40) / 2;
    x1 = Math.min(x1, p.x - w - 40);
    x2 = Math.max(x2, p.x + w + 40);
    y1 = Math.min(y1, p.y - h - 30);
    y2 = Math.max(y2, p.y + h + 24);
  });
  if (!Number.isFinite(x1)) return;
  const fitZoom = Math.min((cy.width() - 2 * padding) / (x2 - x1), (cy.height() - 2 * padding) / (y2 - y1));
  const zoom = Math.min(1.25, Math.max(cy.minZoom(), fitZoom));
  cy.viewport({
    zoom,
    pan: { x: cy.width() / 2 - zoom * ((x1 + x2) / 2), y: cy.height() / 2 - zoom * ((y1 + y2) / 2) },
  });
}

/** keeps island names about 14 px on screen at any zoom (no larger than a fifth of the island's width) */
function sizeIslandLabels(cy: Core): void {
  const zoom = cy.zoom();
  cy.batch(() => {
    cy.nodes('.backdrop').forEach((b) => {
      const size = Math.round(Math.max(14, Math.min(Number(b.data('w')) / 5, 14 / zoom)));
      if (b.data('labelPx') !== size) {
        b.data('labelPx', size);
        b.style('font-size', size);
      }
    });
  });
}

/** dragging an island moves its members; dragging a member refits its island */
function dragIslands(cy: Core): void {
  let start: { x: number; y: number; members: NodeCollection; at: Map<string, { x: number; y: number }> } | undefined;
  cy.on('grab', 'node.backdrop', (evt) => {
    const members = islandMembers(cy).get(evt.target.id()) ?? cy.collection();
    const at = new Map(members.map((n) => [n.id(), { ...n.position() }]));
    start = { ...evt.target.position(), members, at };
  });
  cy.on('drag', 'node.backdrop', (evt) => {
    if (!start) return;
    const s = start;
    const p = evt.target.position();
    cy.batch(() => {
      s.members.forEach((n) => {
        const q = s.at.get(n.id());
        if (q) n.position({ x: q.x + p.x - s.x, y: q.y + p.y - s.y });
      });
    });
  });
  cy.on('free', 'node.backdrop', () => {
    start = undefined;
  });
  cy.on('drag', 'node.leaf', (evt) => {
    const island = evt.target.data('island') as string;
    if (island) fitBackdrops(cy, new Set([island]));
  });
}

export function MapCanvas(props: MapCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | undefined>(undefined);
  const memory = useRef(createLayoutMemory());
  const fitted = useRef<string | undefined>(undefined);
  const centered = useRef<string | undefined>(undefined);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      style: MAP_STYLE,
      minZoom: 0.05,
      maxZoom: 4,
      textureOnViewport: true,
      motionBlur: false,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    cy.on('tap', (evt) => {
      callbacks.current.onSelect(evt.target === cy ? undefined : evt.target.id());
    });
    cy.on('dbltap', 'node.backdrop, node.collapsed', (evt) =>
      callbacks.current.onToggleIsland(evt.target.data('group')),
    );
    dragIslands(cy);
    let sizing = false;
    cy.on('zoom', () => {
      if (sizing) return;
      sizing = true;
      requestAnimationFrame(() => {
        sizing = false;
        sizeIslandLabels(cy);
      });
    });
    cy.on('mouseover', 'node.leaf', (evt) => evt.target.connectedEdges().addClass('hover'));
    cy.on('mouseout', 'node.leaf', (evt) => evt.target.connectedEdges().removeClass('hover'));
    cy.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
    cy.on('mouseout', 'edge', (evt) => evt.target.removeClass('hover'));
    cyRef.current = cy;
    let size = { w: cy.width(), h: cy.height() };
    const resize = new ResizeObserver(() => {
      cy.resize();
      const next = { w: cy.width(), h: cy.height() };
      if (size.w > 0 && size.h > 0) cy.panBy({ x: (next.w - size.w) / 2, y: (next.h - size.h) / 2 });
      size = next;
    });
    if (container.current) resize.observe(container.current);
    return () => {
      resize.disconnect();
      cy.destroy();
      cyRef.current = undefined;
    };
  }, []);

  const { model, fitKey } = props;
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !model) return;
    const t0 = performance.now();
    const stats = applyModel(cy, model, memory.current);
    const fit = fitted.current !== fitKey && model.nodes.length > 0;
    if (fit) {
      fitted.current = fitKey;
      fitPositions(cy);
    }
    sizeIslandLabels(cy);
    if (stats.added + stats.removed + stats.updated === 0 && !fit) {
      // nothing changed: cytoscape will not draw, so there is no frame to wait for
      callbacks.current.onRendered?.({ ...stats, totalMs: performance.now() - t0, doneAt: performance.now() });
      return;
    }
    afterRender(cy, () => {
      const doneAt = performance.now();
      callbacks.current.onRendered?.({ ...stats, totalMs: doneAt - t0, doneAt });
    });
  }, [model, fitKey]);

  const { selected, focus } = props;
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !model) return;
    cy.batch(() => {
      cy.$(':selected').unselect();
      if (selected) cy.getElementById(selected).select();
    });
  }, [selected, model]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !model) return;
    const node = focus ? cy.getElementById(focus) : undefined;
    cy.batch(() => {
      cy.elements('.faded').removeClass('faded');
      cy.elements('.focused, .near').removeClass('focused near');
      if (!node || node.empty()) return;
      const near = node.closedNeighborhood();
      cy.elements().not(near).not('.backdrop').addClass('faded');
      node.addClass('focused');
      near.edges().addClass('near');
    });
    if (node?.nonempty() && centered.current !== focus) {
      centered.current = focus;
      // after the detail panel (opened by the same change) has resized the map
      requestAnimationFrame(() =>
        requestAnimationFrame(() =>
          cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 350 }),
        ),
      );
    }
    if (!focus) centered.current = undefined;
  }, [focus, model]);

  useImperativeHandle(props.handleRef, () => ({
    fit: () => {
      if (cyRef.current) fitPositions(cyRef.current);
    },
    relayout: () => {
      const cy = cyRef.current;
      if (!cy || !model) return;
      memory.current = createLayoutMemory();
      moveToSlots(cy, model, memory.current);
      fitPositions(cy);
    },
    png: async () => {
      const cy = cyRef.current;
      if (!cy) throw new Error('Cannot export the map: it is not drawn yet');
      return cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
    },
    svg: (title) => {
      const cy = cyRef.current;
      if (!cy) throw new Error('Cannot export the map: it is not drawn yet');
      return sceneToSvg(sceneOf(cy, title));
    },
    core: () => cyRef.current,
  }));

  return <div className="map-canvas" ref={container} data-testid="map-canvas" />;
}
