import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeKubeServer, startFakeKube } from './index.js';

interface Stream {
  readonly status: number;
  readonly events: { type: string; object: { kind?: string; code?: number; metadata: Record<string, unknown> } }[];
  readonly ended: Promise<void>;
  close(): void;
}

/** a raw HTTP reader of a watch stream, independent of the client library */
function open(server: FakeKubeServer, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(`${server.url}${path}`, (res) => {
      const events: Stream['events'] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
        }
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      resolve({ status: res.statusCode ?? 0, events, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const podObj = (name: string, namespace = 'shop') => ({
  kind: 'Pod',
  metadata: { name, namespace },
  status: { podIP: '10.0.0.1' },
});

let server: FakeKubeServer;
afterEach(async () => {
  await server?.close();
});

describe('fake Kubernetes API server', () => {
  it('lists with the current resourceVersion, across namespaces or in one', async () => {
    server = await startFakeKube();
    server.apply(podObj('a'));
    server.apply(podObj('b', 'other'));
    const all = (await (await fetch(`${server.url}/api/v1/pods`)).json()) as Record<string, unknown> & {
      items: { metadata: { name: string } }[];
    };
    expect(all).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(server.resourceVersion) },
    });
    expect(all.items.map((i) => i.metadata.name).sort()).toEqual(['a', 'b']);
    expect(all.items[0]).not.toHaveProperty('kind');
    const one = (await (await fetch(`${server.url}/api/v1/namespaces/other/pods`)).json()) as { items: unknown[] };
    expect(one.items).toHaveLength(1);
    expect((await fetch(`${server.url}/api/v1/namespaces/shop/pods/a`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/namespaces/shop/pods/zz`)).status).toBe(404);
    expect((await fetch(`${server.url}/apis/apps/v1/replicasets`)).status).toBe(200);
    expect((await fetch(`${server.url}/apis/nope/v1/things`)).status).toBe(404);
  });

  it('streams synthetic ADDED events then live changes; resumes from a resourceVersion; honours timeoutSeconds', async () => {
    server = await startFakeKube();
    server.apply(podObj('a'));
    const rv = server.resourceVersion;
    const fresh = await open(server, '/api/v1/pods?watch=true');
    await until(() => fresh.events.length === 1);
    server.apply({ ...podObj('a'), spec: { nodeName: 'n' } });
    server.delete('Pod', 'shop', 'a');
    await until(() => fresh.events.length === 3);
    expect(fresh.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(Number(fresh.events[2]!.object.metadata.resourceVersion)).toBe(server.resourceVersion);
    fresh.close();
    const resumed = await open(server, `/api/v1/pods?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    await until(() => resumed.events.length === 2);
    expect(resumed.events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    await resumed.ended;
  });

  it('refuses a compacted resourceVersion with 410 Gone, as an ERROR event or as HTTP 410', async () => {
    server = await startFakeKube();
    server.apply(podObj('a'));
    const old = server.resourceVersion - 1;
    server.compact();
    const asEvent = await open(server, `/api/v1/pods?watch=true&resourceVersion=${old}`);
    await asEvent.ended;
    expect(asEvent.events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) },
    ]);
    const current = await open(server, `/api/v1/pods?watch=true&resourceVersion=${server.resourceVersion}`);
    expect(current.status).toBe(200);
    current.close();
    await server.close();
    server = await startFakeKube({ goneAs: 'http', historyLimit: 2 });
    for (const name of ['a', 'b', 'c', 'd']) server.apply(podObj(name));
    const tooOld = await open(server, '/api/v1/pods?watch=true&resourceVersion=2');
    expect(tooOld.status).toBe(410);
  });

  it('sends BOOKMARKs only to watchers that allow them', async () => {
    server = await startFakeKube();
    const withBookmarks = await open(server, '/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=1');
    const without = await open(server, '/api/v1/nodes?watch=true&resourceVersion=1');
    server.bookmark();
    await until(() => withBookmarks.events.length === 1);
    expect(withBookmarks.events[0]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: '1' } },
    });
    expect(without.events).toEqual([]);
    withBookmarks.close();
    without.close();
  });

  it('drops watches mid-stream, goes down and up, and fails requests on demand', async () => {
    server = await startFakeKube();
    const watch = await open(server, '/api/v1/pods?watch=true&resourceVersion=1');
    await until(() => server.watchCount === 1);
    expect(server.disconnectWatches()).toBe(1);
    await watch.ended;
    server.setDown(true);
    await expect(fetch(`${server.url}/api/v1/pods`)).rejects.toThrow();
    server.setDown(false);
    expect((await fetch(`${server.url}/api/v1/pods`)).status).toBe(200);
    server.failNext(1, 503);
    const failed = await fetch(`${server.url}/api/v1/pods`);
    expect([failed.status, ((await failed.json()) as { code: number }).code]).toEqual([503, 503]);
    expect((await fetch(`${server.url}/api/v1/pods`)).status).toBe(200);
    expect(server.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch)).toHaveLength(3);
  });
});
