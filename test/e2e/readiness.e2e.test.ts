import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testDbUri } from '../support/database.ts';
import { silentLogger } from '../support/logger.ts';
import { SilentableProxy, viaPort } from '../support/tcp-proxy.ts';

describe('/readyz while the database does not answer', () => {
  const target = new URL(testDbUri('readyz'));
  const proxy = new SilentableProxy(target.hostname, Number(target.port));
  let app: App;
  let base: string;

  beforeAll(async () => {
    const port = await proxy.start();
    const config = loadConfig({ HTTP_HOST: '127.0.0.1', HTTP_PORT: '0' });
    app = await createApp({
      config,
      logger: silentLogger,
      mongoUri: viaPort(target.toString(), port),
      scheduler: false,
    });
    await app.start();
    base = `http://127.0.0.1:${(app.http!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.setSilent(false);
    await app?.stop();
    await proxy.stop();
  });

  const probe = async () => {
    const t0 = performance.now();
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(8_000) });
    return { status: res.status, body: await res.json(), ms: performance.now() - t0 };
  };

  it('answers 503 within two seconds, and 200 again once the database answers', async () => {
    expect((await probe()).status).toBe(200);
    proxy.setSilent(true);
    const down = await probe();
    expect(down).toMatchObject({ status: 503, body: { status: 'database unreachable' } });
    expect(down.ms).toBeLessThan(2_000);
    const again = await Promise.all([probe(), probe(), probe()]);
    expect(again.map((p) => p.status)).toEqual([503, 503, 503]);
    expect(Math.max(...again.map((p) => p.ms))).toBeLessThan(2_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    proxy.setSilent(false);
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await probe()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  }, 60_000);
});
