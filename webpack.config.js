// One webpack run builds every app and tool: dependencies stay external, `@jarvis/*`
// imports are resolved from tsconfig paths, and type checking is left to `npm run typecheck`.
const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

const entries = {
  'apps/gateway/main': './apps/gateway/src/main.ts',
  'apps/orchestrator/main': './apps/orchestrator/src/main.ts',
  'apps/health/main': './apps/health/src/main.ts',
  'apps/history/main': './apps/history/src/main.ts',
  'tools/launcher/main': './tools/launcher/src/main.ts',
  'bench/history': './bench/history.bench.ts',
  'bench/breaker': './bench/breaker.bench.ts',
  'bench/queue': './bench/queue.bench.ts',
  'bench/router-eval': './bench/router-eval.bench.ts',
  'tools/launcher/embedded-postgres': './tools/launcher/src/embedded-postgres.main.ts',
};

module.exports = {
  mode: 'none',
  target: 'node',
  devtool: 'source-map',
  entry: entries,
  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', clean: false },
  externals: [nodeExternals()],
  externalsPresets: { node: true },
  resolve: {
    extensions: ['.ts', '.js', '.json'],
    plugins: [new TsconfigPathsPlugin({ configFile: 'tsconfig.build.json' })],
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: { transpileOnly: true, configFile: 'tsconfig.build.json' },
        },
      },
    ],
  },
  optimization: { minimize: false, nodeEnv: false },
  node: { __dirname: false, __filename: false },
  stats: 'errors-warnings',
};
