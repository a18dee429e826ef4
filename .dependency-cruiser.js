// Module boundaries: apps never import each other, libs never import apps,
// and apps reach a lib only through its public surface (`@jarvis/<lib>`).
module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-deep-lib-imports',
      comment: 'Import a lib through @jarvis/<lib> (its src/index.ts), never a file inside it.',
      severity: 'error',
      from: { path: '^(apps|tools)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-production-testing-lib',
      severity: 'error',
      from: {
        path: '^(apps|libs|tools)/',
        pathNot: '(\\.spec\\.ts|\\.e2e-spec\\.ts)$|^libs/testing/',
      },
      to: { path: '^libs/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
