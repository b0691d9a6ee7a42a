// webextension-polyfill 0.12 ships no types; the add-on reads it only through src/host/browser-host.ts.
declare module 'webextension-polyfill' {
  const browser: unknown;
  export default browser;
}
