import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, graphParams, stepFor } from './api-client.js';
import { DEFAULT_STATE } from './url-state.js';

describe('graphParams()', () => {
  it('maps the view state to /api/v1/graph parameters', () => {
    const p = graphParams(
      {
        ...DEFAULT_STATE,
        windowMin: 10,
        namespaces: ['shop', 'data'],
        ports: [80],
        protocols: ['UDP'],
        external: false,
        minRate: 100,
        level: 'pod',
      },
      1_000_000,
    );
    expect(p).toEqual({
      from: 400_000,
      to: 1_000_000,
      level: 'pod',
      namespace: 'shop,data',
      workload: undefined,
      port: '80',
      protocol: 'UDP',
      external: 'exclude',
      nodes: undefined,
      minBytes: 60_000,
    });
  });
});

describe('createApiClient()', () => {
  it('resolves API paths against the page URL, so a path prefix is kept', async () => {
    const seen: string[] = [];
    const api = createApiClient('http://host/flowmap/', async (url) => {
      seen.push(String(url));
      return Response.json({ from: 1, to: 2, step: 60_000, earliest: null, points: [] });
    });
    await api.timeline({ from: 1, to: 2, step: undefined });
    expect(seen).toEqual(['http://host/flowmap/api/v1/timeline?from=1&to=2']);
  });

  it('turns a 400 answer into an ApiError carrying the server message and issues', async () => {
    const api = createApiClient('http://host/', async () =>
      Response.json(
        {
          error: 'bad-request',
          message: 'Cannot read the query',
          issues: [{ path: 'port', message: 'must be a number' }],
        },
        { status: 400 },
      ),
    );
    const err = await api.graph({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('Cannot read the query');
    expect((err as ApiError).body?.issues).toEqual([{ path: 'port', message: 'must be a number' }]);
  });

  it('describes a non-JSON failure by path and status', async () => {
    const api = createApiClient(
      'http://host/',
      async () => new Response('oops', { status: 502, statusText: 'Bad Gateway' }),
    );
    const err = (await api.status().catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('Cannot load "/api/v1/status": HTTP 502 Bad Gateway');
  });
});

describe('stepFor()', () => {
  it('picks whole minutes giving about 60 points', () => {
    expect(stepFor(0, 15 * 60_000)).toBe(60_000);
    expect(stepFor(0, 24 * 3600_000)).toBe(24 * 60_000);
  });
});
