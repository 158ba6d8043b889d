/**
 * `koffi` inside the single-file signing agent (the build maps the `koffi` import here): the koffi.node
 * for the platform the executable is built for is a SEA asset; it is written to the per-user cache
 * (addon-cache.ts) and loaded with process.dlopen.
 */
import { getRawAsset } from 'node:sea';
import { cachedAddon } from './addon-cache.ts';

function loadKoffi(): typeof import('koffi').default {
  const addon = new Uint8Array(getRawAsset('koffi.node'));
  const module = { exports: {} as typeof import('koffi').default };
  process.dlopen(module, cachedAddon(addon));
  return module.exports;
}

export default loadKoffi();
