// Unit tests sit beside the code (*.spec.ts); integration and end-to-end tests
// (*.e2e-spec.ts) talk to the real PostgreSQL and NATS.
const moduleNameMapper = {
  '^@jarvis/(.*)$': '<rootDir>/libs/$1/src',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};
const common = { rootDir: __dirname, moduleNameMapper, transform, testEnvironment: 'node' };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools,test}/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/silence-nest-logger.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,tools,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
      setupFiles: ['<rootDir>/test/silence-nest-logger.js'],
    },
  ],
};
