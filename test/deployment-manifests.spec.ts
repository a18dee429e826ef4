import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { APP_NAMES } from '@jarvis/contracts';

const ROOT = resolve(__dirname, '..');

interface Manifest {
  kind: string;
  metadata: { name: string };
  // The manifests are checked field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
}

function load(file: string): Manifest[] {
  // Compose files use YAML merge keys (`<<: *app`), as Docker Compose resolves them.
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
    return document.toJS() as Manifest;
  });
}

describe('k8s base', () => {
  const kustomization = load(join(ROOT, 'k8s', 'kustomization.yaml'))[0] as unknown as {
    resources: string[];
  };
  const manifests = readdirSync(join(ROOT, 'k8s'))
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) => load(join(ROOT, 'k8s', file)));

  it('lists every manifest file in the kustomization', () => {
    const files = readdirSync(join(ROOT, 'k8s')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(APP_NAMES)('deploys %s with probes on the health routes, resources and config', (app) => {
    const deployment = manifests.find(
      (m) => m.kind === 'Deployment' && m.metadata.name === `jarvis-${app}`,
    );
    const service = manifests.find(
      (m) => m.kind === 'Service' && m.metadata.name === `jarvis-${app}`,
    );
    expect(deployment).toBeDefined();
    expect(service).toBeDefined();
    const container = deployment!.spec.template.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'APP', value: app }]));
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.resources.requests).toEqual({
      cpu: expect.anything(),
      memory: expect.anything(),
    });
    expect(container.resources.limits).toEqual({
      cpu: expect.anything(),
      memory: expect.anything(),
    });
    expect(container.envFrom).toEqual(
      expect.arrayContaining([
        { configMapRef: { name: 'jarvis-config' } },
        { secretRef: { name: 'jarvis-secrets' } },
      ]),
    );
    const port = container.ports[0].containerPort;
    expect(service!.spec.ports[0].port).toBe(port);
    expect(service!.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
  });
});

describe('docker-compose.yml', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const compose = load(join(ROOT, 'docker-compose.yml'))[0] as any;

  it('runs PostgreSQL, NATS with JetStream and every app with health checks and dependencies', () => {
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.nats.command).toContain('-js');
    for (const app of APP_NAMES) {
      const service = compose.services[app];
      expect(service).toBeDefined();
      expect(service.environment.APP).toBe(app);
      expect(service.healthcheck.test.join(' ')).toContain('/health/ready');
      expect(service.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        nats: { condition: 'service_healthy' },
      });
    }
  });
});
