// Bundles the background, popup and options scripts into dist/extension, next
// to the manifest, locales and pages copied from static/. `web-ext build` then
// packs that folder into dist/orderpost.xpi (see package.json).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyPlugin from 'copy-webpack-plugin';

const here = dirname(fileURLToPath(import.meta.url));

export default (_env, argv) => ({
  mode: argv.mode ?? 'production',
  // No eval-based source maps: the extension CSP forbids eval.
  devtool: argv.mode === 'development' ? 'inline-source-map' : false,
  target: 'web',
  entry: {
    background: './src/background/background.ts',
    popup: './src/popup/popup.ts',
    options: './src/options/options.ts',
  },
  output: { path: join(here, 'dist/extension'), filename: '[name].js', clean: true },
  resolve: {
    extensions: ['.ts', '.js'],
    // Sources import './x.js' (NodeNext style) while the files are x.ts.
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        options: {
          // Type-checking is `tsc` (pnpm typecheck); here only transpiling. ES modules out, so that
          // webpack picks the ES builds of zod, libphonenumber-js and entities and drops what is unused
          // (with NodeNext, transpiling file by file would emit CommonJS requires).
          transpileOnly: true,
          onlyCompileBundledFiles: true,
          compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
        },
      },
    ],
  },
  plugins: [new CopyPlugin({ patterns: [{ from: 'static', to: '.' }] })],
  performance: { hints: false },
  optimization: { splitChunks: false },
});
