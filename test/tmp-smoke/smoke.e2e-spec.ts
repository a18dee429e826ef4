import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase, readJson, startSuite } from '@jarvis/testing';
jest.setTimeout(120_000);
it('smoke', async () => {
  const db = await createTestDatabase();
  const suite = await startSuite(db.url, ['gateway', 'orchestrator', 'history'], { TASK_RETRY_DELAY_MS: '50' });
  try {
    const h = { authorization: `Bearer ${suite.adminApiKey}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, extra: Record<string,string> = {}) => {
      const r = await fetch(`${suite.gatewayUrl}${path}`, { method: 'POST', headers: { ...h, ...extra }, body: JSON.stringify(body) });
      return { status: r.status, body: await readJson(r) };
    };
    const get = async (path: string) => { const r = await fetch(`${suite.gatewayUrl}${path}`, { headers: h }); return { status: r.status, body: await readJson(r) }; };
    const a = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'echo', params: { x: 1 } }, { 'idempotency-key': 'k1' });
    console.log(JSON.stringify(a));
    const b = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'echo', params: { x: 2 } }, { 'idempotency-key': 'k1' });
    console.log('repeat same id', a.body.data.id === b.body.data.id);
    for (let i = 0; i < 50; i++) { const t = await get(`/api/v1/tasks/${a.body.data.id}`); if (t.body.data.status === 'completed') { console.log(JSON.stringify(t.body)); break; } await delay(100); }
    console.log(JSON.stringify(await post('/api/v1/tasks', { domain: 'nope', action: 'echo' })));
    console.log(JSON.stringify(await post('/api/v1/tasks', { domain: 'diagnostics', action: 'echo', priority: 'urgent' })));
    const f = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'fail', maxAttempts: 2 });
    for (let i = 0; i < 50; i++) { const t = await get(`/api/v1/tasks/${f.body.data.id}`); if (['dead','failed'].includes(t.body.data.status)) { console.log(JSON.stringify(t.body)); break; } await delay(100); }
    const s = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'sleep', params: { ms: 30000 } });
    for (let i = 0; i < 50; i++) { const t = await get(`/api/v1/tasks/${s.body.data.id}`); if (t.body.data.status === 'running') break; await delay(100); }
    console.log(JSON.stringify(await post(`/api/v1/tasks/${s.body.data.id}/cancel`, {})));
    await delay(500);
    console.log(JSON.stringify(await get(`/api/v1/tasks/${s.body.data.id}`)));
    console.log(JSON.stringify(await get('/api/v1/agents')));
    console.log(JSON.stringify(await get('/api/v1/tasks?limit=2')));
    console.log(JSON.stringify(await get('/api/v1/tasks/history?domain=diagnostics&action=echo')));
  } finally { await suite.stop(); await db.drop(); }
});
