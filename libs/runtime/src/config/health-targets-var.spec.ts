import { ConfigError, loadConfig } from './jarvis-config';

describe('HEALTH_TARGETS and HEALTH_CHECK_INTERVAL_MS', () => {
  it('default to no extra target, checked every 30 s', () => {
    expect(loadConfig({}).health).toEqual({ targets: [], checkIntervalMs: 30_000 });
  });

  it('reads a list of named http(s) targets and an interval', () => {
    const config = loadConfig({
      HEALTH_TARGETS: JSON.stringify([
        { name: 'music-backend', url: 'http://backend:3001/health' },
        { name: 'status.page', url: 'https://status.example.com/' },
      ]),
      HEALTH_CHECK_INTERVAL_MS: '500',
    });
    expect(config.health).toEqual({
      targets: [
        { name: 'music-backend', url: 'http://backend:3001/health' },
        { name: 'status.page', url: 'https://status.example.com/' },
      ],
      checkIntervalMs: 500,
    });
  });

  it.each([
    ['not json', /HEALTH_TARGETS must be a JSON list .* \(it is not valid JSON\)$/],
    ['{"name":"a","url":"http://a"}', /\(it is not a list\)$/],
    ['["a"]', /\(entry 1 is not an object\)$/],
    ['[{"url":"http://a"}]', /\(entry 1: name must be/],
    ['[{"name":"has space","url":"http://a"}]', /\(entry 1: name must be/],
    [
      '[{"name":"gateway","url":"http://a"}]',
      /name gateway is taken by one of the suite's own apps/,
    ],
    [
      '[{"name":"a","url":"http://a"},{"name":"a","url":"http://b"}]',
      /\(entry 2: name a appears twice\)$/,
    ],
    [
      '[{"name":"a","url":"ftp://a"}]',
      /\(entry 1: url must be an http or https URL with a host\)$/,
    ],
  ])('rejects HEALTH_TARGETS=%s with one line that names it', (value, message) => {
    expect(() => loadConfig({ HEALTH_TARGETS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ HEALTH_TARGETS: value })).toThrow(message);
    expect(() => loadConfig({ HEALTH_TARGETS: value })).toThrow(
      /^Invalid configuration: HEALTH_TARGETS [^\n]+$/,
    );
  });

  it('never repeats a rejected URL, which may hold a password', () => {
    expect(() =>
      loadConfig({ HEALTH_TARGETS: '[{"name":"a","url":"ftp://user:hunter2@host/"}]' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('rejects an interval below 100 ms', () => {
    expect(() => loadConfig({ HEALTH_CHECK_INTERVAL_MS: '50' })).toThrow(
      /HEALTH_CHECK_INTERVAL_MS must be a whole number from 100/,
    );
  });
});
