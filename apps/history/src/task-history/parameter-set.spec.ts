import { canonicalJson, canonicalParameters, parameterSetHash } from './parameter-set';

describe('parameter sets', () => {
  it('spell equal sets one way: keys sorted at every depth, arrays kept in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ ms: 5, fail: false })).toBe(canonicalJson({ fail: false, ms: 5 }));
    expect(canonicalJson({ list: [1, 2] })).not.toBe(canonicalJson({ list: [2, 1] }));
  });

  it('returns the set as an object whose keys are in canonical order', () => {
    expect(Object.keys(canonicalParameters({ z: 1, a: 2, m: 3 }))).toEqual(['a', 'm', 'z']);
  });

  it('fingerprints equal sets equally and different sets differently, as a bigint', () => {
    const hash = parameterSetHash({ ms: 5, impactScore: 0.5 });
    expect(hash).toBe(parameterSetHash({ impactScore: 0.5, ms: 5 }));
    expect(hash).not.toBe(parameterSetHash({ ms: 6, impactScore: 0.5 }));
    expect(hash).toMatch(/^-?\d{1,19}$/);
    const value = BigInt(hash);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});
