// Starts the app from the offline shell (served by the service worker without a network).
// Server-rendered pages start it from their own inline module script instead.
import init, { hydrate } from '/pkg/renkei.js';

await init({ module_or_path: '/pkg/renkei.wasm' });
hydrate();
