// Preloaded into the app (NODE_OPTIONS="--require …"): when it exits, writes the CommonJS modules it loaded (the
// packages an ES module imports are loaded through require's cache too) to LOADED_MODULES_FILE. Only in the app
// itself, not in npm or the scripts `npm start` runs first.
if (process.argv[1]?.endsWith('dist/main.js') && process.env.LOADED_MODULES_FILE)
  process.on('exit', () =>
    require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache))),
  );
