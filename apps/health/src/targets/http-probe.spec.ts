import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpProbe } from './http-probe';
import { TargetDownError } from './health-target';

describe(HttpProbe.name, () => {
  let server: Server;
  let base: string;
  const probe = new HttpProbe();

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = Number(req.url?.slice(1)) || 200;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reports a 2xx or 3xx answer as up with its latency', async () => {
    await expect(probe.check(`${base}/200`)).resolves.toMatchObject({
      status: 'up',
      latencyMs: expect.any(Number),
      message: null,
    });
    await expect(probe.check(`${base}/302`)).resolves.toMatchObject({ status: 'up' });
  });

  it('reports a 4xx answer as degraded', async () => {
    await expect(probe.check(`${base}/404`)).resolves.toMatchObject({
      status: 'degraded',
      message: 'HTTP 404',
    });
  });

  it('fails on a 5xx answer and on a refused connection', async () => {
    await expect(probe.check(`${base}/503`)).rejects.toThrow(new TargetDownError('HTTP 503'));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(probe.check(`http://127.0.0.1:${port}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    await expect(probe.check(`${base}/200`, controller.signal)).rejects.toBeInstanceOf(
      TargetDownError,
    );
  });
});
